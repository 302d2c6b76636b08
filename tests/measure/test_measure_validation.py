import pytest

from yuefang.measure import BodyValidationError, validate_body


def errors_of(body, **kw) -> list[dict]:
    with pytest.raises(BodyValidationError) as exc:
        validate_body(body, **kw)
    for e in exc.value.errors:
        assert set(e) >= {"field", "value", "allowed", "message"}
        assert e["field"] in e["message"]
    return exc.value.errors


def test_plausible_body_passes() -> None:
    validate_body({"sex": "female", "stature": 1620, "weight_kg": 55, "age_years": 30, "bust_girth": 880,
                   "waist_girth": 720, "hip_girth": 940, "inside_leg_length": 760, "outside_leg_length": 990})


@pytest.mark.parametrize(
    ("field", "value", "unit"),
    [("stature", 70, "inches"), ("stature", 175, "centimetres"), ("stature", 1.75, "metres"),
     ("waist_girth", 82, "centimetres"), ("weight_kg", 400, "pounds"), ("weight_kg", 815, "tenths of a kilogram"),
     ("weight_kg", 70000, "grams")],
)
def test_wrong_units_are_named(field: str, value: float, unit: str) -> None:
    (e,) = errors_of({field: value})
    assert e["field"] == field and e["value"] == value
    assert unit in e["message"]


def test_two_metre_waist_on_a_short_stature_is_refused() -> None:
    errs = errors_of({"stature": 1200, "waist_girth": 1750})
    assert errs[0]["field"] == "waist_girth"
    assert errs[0]["allowed"] == "360–1200 mm for a stature of 1200 mm"


def test_cross_checks() -> None:
    fields = {e["field"] for e in errors_of({"stature": 1700, "inside_leg_length": 900, "outside_leg_length": 880})}
    assert "inside_leg_length" in fields
    (e,) = errors_of({"stature": 1500, "weight_kg": 200})
    assert e["field"] == "weight_kg" and "BMI" in e["message"]


def test_every_error_is_reported_at_once() -> None:
    errs = errors_of({"stature": 70, "weight_kg": -3, "hip_girth": "wide", "chest": 900})
    assert [e["field"] for e in errs] == ["stature", "weight_kg", "hip_girth", "chest"]
    assert "unknown field" in errs[3]["message"]


def test_sex_specific_names() -> None:
    (e,) = errors_of({"chest_girth": 900}, sex="female")
    assert "bust_girth" in e["message"]
    (e,) = errors_of({"sex": "other", "stature": 1700})
    assert e["field"] == "sex" and "female" in e["allowed"]
