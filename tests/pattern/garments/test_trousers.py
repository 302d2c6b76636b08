"""Trousers: pieces, girths, matched seams, options and figure alterations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon
from tests.pattern.garments.conftest import MALE_MIDDLE, proportional_body

from yuefang.pattern.errors import OptionError
from yuefang.pattern.garments.trousers import PRODUCT


def _checks(pattern):
    return {c["name"]: c for c in pattern.report["checks"]}


def test_pieces_of_trousers(male_body) -> None:
    pattern = PRODUCT.draft(male_body)
    names = [p.name for p in pattern.pieces]
    assert names == ["front", "back", "waistband", "fly", "fly_shield", "pocket_facing", "pocket_bag", "back_pocket_welt",
                     "back_pocket_facing", "back_pocket_bag", "belt_loop"]
    by = {p.name: p for p in pattern.pieces}
    assert by["front"].mirrored_pair and by["back"].mirrored_pair and by["belt_loop"].quantity == 7
    assert by["back_pocket_bag"].cut_on_fold
    assert sum(1 for ln in by["back"].lines if ln.kind == "dart") == 2
    assert pattern.report["ok"], [c for c in pattern.report["checks"] if not c["ok"]]


def test_girths_and_seams(male_body) -> None:
    c = _checks(PRODUCT.draft(male_body, {"hip_ease_mm": 80, "waist_ease_mm": 15, "thigh_ease_mm": 120}))
    assert c["hip_girth"]["target_mm"] == pytest.approx(MALE_MIDDLE["hip_girth"] + 80)
    assert c["waist_girth"]["target_mm"] == pytest.approx(MALE_MIDDLE["waist_girth"] + 15)
    assert c["thigh_girth"]["target_mm"] == pytest.approx(MALE_MIDDLE["thigh_girth"] + 120)
    for name in ("hip_girth", "waist_girth", "thigh_girth", "knee_girth", "hem_girth"):
        assert abs(c[name]["error_mm"]) <= 2.0, name
    for name in ("outseam", "inseam", "waist_to_waistband", "fly_to_front"):
        assert abs(c[name]["error_mm"]) <= 1.0, name


def test_eased_inseam(male_body) -> None:
    c = _checks(PRODUCT.draft(male_body, {"inseam_ease_mm": 5}))["inseam"]
    assert c["value_mm"] == pytest.approx(5.0, abs=1.0)


@pytest.mark.parametrize("opts", [{"front": "flat", "back_darts": 1}, {"front": "two_pleats", "back_pockets": 0},
                                  {"length_mm": 900}, {"waistband_height_mm": 50}])
def test_styles(male_body, opts) -> None:
    pattern = PRODUCT.draft(male_body, opts)
    assert pattern.report["ok"], [c for c in pattern.report["checks"] if not c["ok"]]
    names = {p.name for p in pattern.pieces}
    assert ("back_pocket_welt" in names) == (opts.get("back_pockets", 2) > 0)


def test_refusals(male_body) -> None:
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(male_body, {"back_darts": 3})
    assert exc.value.field == "back_darts" and "1" in exc.value.allowed
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(male_body, {"length_mm": 5000})
    assert exc.value.field == "length_mm"


def test_prominent_seat_raises_the_back_rise(male_body) -> None:
    base = {p.name: p for p in PRODUCT.draft(male_body).pieces}
    seat = {p.name: p for p in PRODUCT.draft(male_body, {"seat": "prominent", "figure_adjust_mm": 20}).pieces}
    assert np.array(seat["back"].sew)[:, 1].max() == pytest.approx(np.array(base["back"].sew)[:, 1].max() + 20 * 0.97, abs=1.5)
    belly = {p.name: p for p in PRODUCT.draft(male_body, {"belly": "prominent", "figure_adjust_mm": 20}).pieces}
    assert np.array(belly["front"].sew)[:, 1].max() == pytest.approx(20.0, abs=0.01)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stature=st.floats(1200, 2100), chest=st.floats(600, 1400), drop=st.floats(-300, 250),
       fit=st.sampled_from(["slim", "regular", "loose"]), leg=st.floats(0.85, 1.15), thigh=st.floats(0.8, 1.25))
def test_no_self_intersecting_piece_over_many_bodies(stature, chest, drop, fit, leg, thigh) -> None:
    body = proportional_body("male", stature, chest, max(chest - drop, 300.0))
    body["inside_leg_length"] = float(body["inside_leg_length"]) * leg
    body["thigh_girth"] = float(body["thigh_girth"]) * thigh
    try:
        pattern = PRODUCT.draft(body, {"fit": fit})
    except OptionError:  # a fit this body cannot meet is refused; the defaults must draft
        pattern = PRODUCT.draft(body)
    for piece in pattern.pieces:
        assert Polygon(piece.cut).is_valid and Polygon(piece.sew).is_valid, piece.name


def test_options_the_body_cannot_meet_are_refused(male_body) -> None:
    # a thigh 400 mm wider than the body over a knee only 10 mm wider: the seams cannot be trued
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(male_body, {"knee_ease_mm": 10, "thigh_ease_mm": 400})
    assert "thigh_ease_mm" in exc.value.field and "cannot be met" in str(exc.value)
    assert PRODUCT.draft(male_body).report["ok"]
