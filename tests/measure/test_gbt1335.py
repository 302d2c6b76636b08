import pytest

from yuefang.measure import (
    body_for_designation,
    control_values,
    designate,
    measurement_names,
    parse_label,
    size_range,
)
from yuefang.measure.gbt1335 import BODY_TYPES, body_type_for_drop


def man(stature_cm: float, chest_cm: float, waist_cm: float) -> dict:
    return {"stature": stature_cm * 10, "chest_girth": chest_cm * 10, "waist_girth": waist_cm * 10}


def test_worked_example_170_88A_covers_its_stated_ranges() -> None:
    # GB/T 1335.1: 170/88A suits statures 168–172 cm, chests 86–89 cm and drops of 12–16 cm
    for stature in (168, 170, 172):
        for chest in (86, 88, 89):
            for drop in (12, 14, 16):
                assert designate(man(stature, chest, chest - drop), "male").top == "170/88A"
    assert designate(man(167, 88, 74), "male").top == "165/88A"
    assert designate(man(173, 88, 74), "male").top == "175/88A"
    assert designate(man(170, 85, 71), "male").top == "170/84A"
    assert designate(man(170, 90, 76), "male").top == "170/92A"


def test_bottoms_on_the_type_grid_in_both_series() -> None:
    assert designate(man(170, 88, 74), "male").bottom == "170/74A"
    assert designate(man(170, 90, 76.1), "male", "5.4").bottom == "170/78A"
    assert designate(man(170, 88, 75.9), "male", "5.2").bottom == "170/76A"
    woman = {"stature": 1600, "bust_girth": 840, "waist_girth": 680}
    assert designate(woman, "female").top == "160/84A" and designate(woman, "female").bottom == "160/68A"
    with pytest.raises(ValueError, match="series"):
        designate(woman, "female", "5.3")


@pytest.mark.parametrize("sex", ["male", "female"])
def test_every_type_range_and_the_rule_between_ranges(sex: str) -> None:
    for t, (lo, hi) in BODY_TYPES[sex].items():
        for d in (lo, (lo + hi) / 2, hi):
            assert body_type_for_drop(d, sex) == (t, [])
    y_lo = BODY_TYPES[sex]["Y"][0]
    a_hi = BODY_TYPES[sex]["A"][1]
    assert y_lo == a_hi + 1
    t, notes = body_type_for_drop(a_hi + 0.5, sex)  # exactly half-way: the fuller type
    assert t == "A" and "between" in notes[0]
    assert body_type_for_drop(a_hi + 0.6, sex)[0] == "Y"
    assert body_type_for_drop(40, sex)[0] == "Y" and "above" in body_type_for_drop(40, sex)[1][0]
    assert body_type_for_drop(-5, sex)[0] == "C"


def test_control_values_of_middle_bodies_and_steps() -> None:
    m = control_values("170/88A", "male")
    assert (m["chest"], m["waist"], m["hip"], m["cervical_height"]) == (88, 74, 90, 145)
    w = control_values("160/84A", "female")
    assert (w["chest"], w["waist"], w["hip"]) == (84, 68, 90)
    big = control_values("175/92A", "male")
    assert big["cervical_height"] == 149 and big["waist"] == 78 and big["hip"] == pytest.approx(93.2)
    bottom = control_values("170/74A", "male", part="bottom")
    assert bottom["chest"] == 88 and bottom["waist"] == 74


def test_body_for_designation_is_complete_and_designates_back() -> None:
    body = body_for_designation("170/88A", "male")
    assert set(body) == set(measurement_names("male"))
    assert body["hip_girth"] == 900 and body["cervical_height"] == 1450

@pytest.mark.parametrize("sex", ["male", "female"])
@pytest.mark.parametrize("part", ["top", "bottom"])
@pytest.mark.parametrize("series", ["5.4", "5.2"])
def test_every_size_of_every_range_designates_back_to_itself(sex: str, part: str, series: str) -> None:
    for body_type in "YABC":
        for label in size_range(sex, series, body_type=body_type, part=part):
            d = designate(body_for_designation(label, sex, part=part), sex, series)
            assert (d.top if part == "top" else d.bottom) == label


def test_parse_label_errors() -> None:
    assert parse_label("170/88A") == (170, 88, "A")
    with pytest.raises(ValueError, match="label"):
        parse_label("M")


def test_size_range_steps() -> None:
    r = size_range("male", series="5.2", part="bottom")
    assert "170/74A" in r and "170/76A" in r
    assert all(parse_label(x)[0] % 5 == 0 for x in r)
