import pytest

from yuefang.measure import EASE, BodyValidationError, body_from_garment


def test_body_is_finished_minus_ease_with_interval_and_note() -> None:
    b = body_from_garment("shirt", {"chest_girth": 1100, "waist_girth": 1000}, "male", stature=1760, weight_kg=78)
    assert b.values["chest_girth"] == 1100 - EASE["shirt"]["chest_girth"][0]
    assert b.low["chest_girth"] < b.values["chest_girth"] < b.high["chest_girth"]
    assert any("derived from a shirt" in n for n in b.notes)
    assert b.values["stature"] == 1760 and b.given == frozenset({"stature"})


def test_women_chest_maps_to_bust_and_stature_is_predicted_from_lengths() -> None:
    b = body_from_garment("trousers", {"waist_girth": 800, "hip_girth": 1060, "outside_leg_length": 1000}, "female")
    assert b.values["outside_leg_length"] == 1030
    assert 1550 < b.values["stature"] < 1750 and b.high["stature"] - b.low["stature"] > 50
    assert any("stature was not given" in n for n in b.notes)
    top = body_from_garment("bodice", {"chest_girth": 960}, "female", stature=1620)
    assert top.values["bust_girth"] == 900


def test_bad_garment_input() -> None:
    with pytest.raises(ValueError, match="garment_type"):
        body_from_garment("kimono", {"chest_girth": 1000}, "male")
    with pytest.raises(BodyValidationError, match="no ease"):
        body_from_garment("skirt", {"chest_girth": 1000}, "female")
    with pytest.raises(BodyValidationError, match="waist_girth"):
        body_from_garment("skirt", {"waist_girth": 95}, "female")  # cm given: 95 - 20 mm of ease
