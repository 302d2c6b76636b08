"""The straight skirt: pieces, girths, seams, vent and options."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon
from tests.pattern.garments.conftest import FEMALE_MIDDLE, proportional_body

from yuefang.pattern.errors import OptionError
from yuefang.pattern.garments.skirt import PRODUCT


def _checks(pattern):
    return {c["name"]: c for c in pattern.report["checks"]}


def test_pieces_and_checks(female_body) -> None:
    pattern = PRODUCT.draft(female_body, {"hip_ease_mm": 50, "waist_ease_mm": 20})
    assert [p.name for p in pattern.pieces] == ["front", "back", "waistband"]
    front, back, _ = pattern.pieces
    assert front.cut_on_fold and back.mirrored_pair and back.quantity == 2
    c = _checks(pattern)
    assert c["hip_girth"]["value_mm"] == pytest.approx(FEMALE_MIDDLE["hip_girth"] + 50, abs=2.0)
    assert c["waist_girth"]["value_mm"] == pytest.approx(FEMALE_MIDDLE["waist_girth"] + 20, abs=2.0)
    assert abs(c["side_seam"]["error_mm"]) <= 1.0 and abs(c["waist_to_waistband"]["error_mm"]) <= 1.0
    assert pattern.report["ok"]


def test_vent_and_taper(female_body) -> None:
    with_vent = PRODUCT.draft(female_body)
    without = PRODUCT.draft(female_body, {"vent": False, "hem_taper_mm": 15})
    assert Polygon(with_vent.pieces[1].sew).area > Polygon(without.pieces[1].sew).area
    assert _checks(without)["hem_girth"]["target_mm"] == pytest.approx(FEMALE_MIDDLE["hip_girth"] + 40 - 60)
    assert without.report["ok"]


def test_refusals(female_body) -> None:
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(female_body, {"length_mm": 50})
    assert exc.value.field == "length_mm"
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(female_body, {"hem_taper_mm": 100})
    assert exc.value.field == "hem_taper_mm" and "40" in exc.value.allowed


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stature=st.floats(1200, 2000), bust=st.floats(600, 1500), drop=st.floats(-300, 350), fit=st.sampled_from(["slim", "regular", "loose"]),
       hip=st.floats(0.8, 1.3))
def test_no_self_intersecting_piece_over_many_bodies(stature, bust, drop, fit, hip) -> None:
    body = proportional_body("female", stature, bust, max(bust - drop, 300.0))
    body["hip_girth"] = float(body["hip_girth"]) * hip
    try:
        pattern = PRODUCT.draft(body, {"fit": fit})
    except OptionError:  # a fit this body cannot meet is refused; the defaults must draft
        pattern = PRODUCT.draft(body)
    for piece in pattern.pieces:
        assert Polygon(piece.cut).is_valid and Polygon(piece.sew).is_valid, piece.name


def test_a_taper_wider_than_the_piece_is_refused(female_body) -> None:
    doll = {k: (v * 0.1 if isinstance(v, float) else v) for k, v in female_body.items()}
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(doll, {"hem_taper_mm": 35})
    assert exc.value.field == "hem_taper_mm"
