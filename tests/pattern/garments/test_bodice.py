"""The women's bodice block: girths, darts, shoulder seam and alterations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon
from tests.pattern.garments.conftest import FEMALE_MIDDLE, proportional_body

from yuefang.pattern.errors import OptionError
from yuefang.pattern.garments.bodice import PRODUCT


def _checks(pattern):
    return {c["name"]: c for c in pattern.report["checks"]}


def test_bunka_block(female_body) -> None:
    pattern = PRODUCT.draft(female_body)
    front, back = pattern.pieces
    assert (front.name, back.name) == ("front", "back") and front.cut_on_fold and back.mirrored_pair
    kinds = [ln.name for ln in front.lines if ln.kind == "dart"]
    assert kinds == ["front side dart", "front dart", "bust dart"]
    assert [ln.name for ln in back.lines if ln.kind == "dart"] == ["back dart", "back side dart", "back shoulder dart"]
    # Bunka 8th edition: bust dart (B/4 - 2.5) degrees with B in cm, back shoulder dart B/32 - 0.8 cm
    assert pattern.report["darts_mm"]["bust_dart_deg"] == pytest.approx(84 / 4 - 2.5)
    assert pattern.report["darts_mm"]["back_shoulder"] == pytest.approx(840 / 32 - 8, abs=0.06)
    c = _checks(pattern)
    assert c["bust_girth"]["target_mm"] == pytest.approx(FEMALE_MIDDLE["bust_girth"] + 120)
    assert pattern.report["ok"], [x for x in pattern.report["checks"] if not x["ok"]]


def test_ease_and_shoulder_ease(female_body) -> None:
    c = _checks(PRODUCT.draft(female_body, {"bust_ease_mm": 90, "waist_ease_pct": 10, "back_shoulder_ease_mm": 4}))
    assert c["bust_girth"]["value_mm"] == pytest.approx(FEMALE_MIDDLE["bust_girth"] + 90, abs=2.0)
    assert c["waist_girth"]["value_mm"] == pytest.approx(FEMALE_MIDDLE["waist_girth"] * 1.1, abs=2.0)
    assert c["shoulder"]["value_mm"] == pytest.approx(4.0, abs=1.0)


def test_alterations(female_body) -> None:
    base = {p.name: np.array(p.sew) for p in PRODUCT.draft(female_body).pieces}
    stooped = {p.name: np.array(p.sew) for p in PRODUCT.draft(female_body, {"back_posture": "stooped", "figure_adjust_mm": 12}).pieces}
    assert np.ptp(stooped["back"][:, 1]) == pytest.approx(np.ptp(base["back"][:, 1]) + 12, abs=0.5)
    square = {p.name: p for p in PRODUCT.draft(female_body, {"shoulders": "square"}).pieces}
    assert Polygon(square["back"].sew).area > Polygon(base["back"]).area
    with pytest.raises(OptionError):
        PRODUCT.draft(female_body, {"back_posture": "hunched"})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stature=st.floats(1200, 2000), bust=st.floats(600, 1500), drop=st.floats(-250, 350), fit=st.sampled_from(["slim", "regular", "loose"]))
def test_no_self_intersecting_piece_over_many_bodies(stature, bust, drop, fit) -> None:
    body = proportional_body("female", stature, bust, max(bust - drop, 300.0))
    try:
        pattern = PRODUCT.draft(body, {"fit": fit})
    except OptionError:  # a fit this body cannot meet is refused; the defaults must draft
        pattern = PRODUCT.draft(body)
    for piece in pattern.pieces:
        assert Polygon(piece.cut).is_valid and Polygon(piece.sew).is_valid, piece.name


@pytest.mark.parametrize("shoulders", ["sloping", "square"])
def test_shoulder_alterations_keep_the_shoulder_seam(female_body, shoulders: str) -> None:
    c = _checks(PRODUCT.draft(female_body, {"shoulders": shoulders, "figure_adjust_mm": 15}))["shoulder"]
    assert abs(c["error_mm"]) <= 1.0
