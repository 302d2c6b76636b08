"""The men's shirt: its pieces, self-checks, options and figure alterations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon
from tests.pattern.garments.conftest import MALE_MIDDLE, proportional_body

from yuefang.pattern.draft.checks import width_at_y
from yuefang.pattern.errors import OptionError
from yuefang.pattern.garments.shirt import PRODUCT


def _checks(pattern):
    return {c["name"]: c for c in pattern.report["checks"]}


def test_pieces_of_a_shirt(male_body) -> None:
    pattern = PRODUCT.draft(male_body)
    names = [p.name for p in pattern.pieces]
    assert names == ["back", "yoke", "front_left", "front_right", "sleeve", "sleeve_placket", "sleeve_underplacket",
                     "cuff", "collar_stand", "collar"]
    by = {p.name: p for p in pattern.pieces}
    assert by["back"].cut_on_fold and by["yoke"].quantity == 2
    assert by["sleeve"].mirrored_pair and by["sleeve"].quantity == 2
    assert by["cuff"].quantity == 4
    # left and right fronts are mirror images apart from the placket: the same armhole width
    left, right = np.array(by["front_left"].sew), np.array(by["front_right"].sew)
    assert left[:, 0].max() == pytest.approx(-right[:, 0].min(), abs=0.01)
    assert any(ln.kind == "buttonhole" for ln in by["front_right"].lines)
    assert any(ln.kind == "button" for ln in by["front_left"].lines)
    assert pattern.report["ok"] is True


def test_finished_girths_equal_body_plus_ease(male_body) -> None:
    pattern = PRODUCT.draft(male_body, {"chest_ease_mm": 180, "waist_ease_mm": 200, "hip_ease_mm": 120})
    c = _checks(pattern)
    assert c["chest_girth"]["target_mm"] == pytest.approx(MALE_MIDDLE["chest_girth"] + 180)
    assert c["waist_girth"]["target_mm"] == pytest.approx(MALE_MIDDLE["waist_girth"] + 200)
    # measure the chest again here, independently of the draft's own check
    by = {p.name: p for p in pattern.pieces}
    y = pattern.report["finished_mm"]["chest"]  # the finished chest
    back, front = np.array(by["back"].sew), np.array(by["front_left"].sew)
    y_chest = back[np.argmax(back[:, 0]), 1]  # the underarm point is the back's widest point
    chest = 2 * (width_at_y(back, y_chest - 0.01, x_from=pattern.options["back_pleat_mm"]) + width_at_y(front, y_chest - 0.01, x_from=0.0))
    assert chest == pytest.approx(y, abs=2.0)
    for name in ("chest_girth", "waist_girth", "hip_girth", "neck_girth", "cuff_girth"):
        assert abs(c[name]["error_mm"]) <= 2.0


def test_ease_as_a_percentage(male_body) -> None:
    c = _checks(PRODUCT.draft(male_body, {"chest_ease_pct": 15}))
    assert c["chest_girth"]["value_mm"] == pytest.approx(MALE_MIDDLE["chest_girth"] * 1.15, abs=2.0)
    with pytest.raises(OptionError, match="not both"):
        PRODUCT.draft(male_body, {"chest_ease_pct": 15, "chest_ease_mm": 100})


@pytest.mark.parametrize("cap_ease", [0.0, 10.0, 25.0])
def test_sleeve_cap_exceeds_armhole_by_cap_ease(male_body, cap_ease: float) -> None:
    c = _checks(PRODUCT.draft(male_body, {"cap_ease_mm": cap_ease}))["sleeve_cap_ease"]
    assert c["target_mm"] == cap_ease and abs(c["value_mm"] - cap_ease) <= 2.0


def test_seams_match_and_eased_shoulder(male_body) -> None:
    c = _checks(PRODUCT.draft(male_body, {"back_shoulder_ease_mm": 6}))
    assert c["shoulder_yoke_to_front"]["value_mm"] == pytest.approx(6.0, abs=1.0)
    for name in ("side_seam", "yoke_seam", "sleeve_underarm", "sleeve_hem_to_cuff", "collar_to_stand"):
        assert abs(c[name]["value_mm"] - c[name]["target_mm"]) <= 1.0, name
    assert abs(c["collar_stand_neck_to_neckline"]["error_mm"]) <= 2.0


@pytest.mark.parametrize(
    "opts", [{"collar": "band"}, {"collar": "cutaway", "cuff": "french"}, {"collar": "button_down", "cuff": "barrel_two_button"},
             {"sleeve": "short"}, {"back_pleat_mm": 0}, {"length_mm": 820}, {"sleeve_length_mm": 640}]
)
def test_styles(male_body, opts) -> None:
    pattern = PRODUCT.draft(male_body, opts)
    assert pattern.report["ok"], [c for c in pattern.report["checks"] if not c["ok"]]
    names = {p.name for p in pattern.pieces}
    assert ("collar" in names) == (opts.get("collar") != "band")
    assert ("cuff" in names) == (opts.get("sleeve") != "short")


def test_body_dependent_ranges_are_refused(male_body) -> None:
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(male_body, {"length_mm": 100})
    assert exc.value.field == "length_mm" and "mm for this body" in exc.value.allowed


def test_figure_alterations_change_the_right_pieces(male_body) -> None:
    base = {p.name: p for p in PRODUCT.draft(male_body).pieces}
    stooped = {p.name: p for p in PRODUCT.draft(male_body, {"back_posture": "stooped", "figure_adjust_mm": 15}).pieces}
    h = lambda p: np.ptp(np.array(p.sew)[:, 1])  # noqa: E731
    assert h(stooped["yoke"]) == pytest.approx(h(base["yoke"]) + 15, abs=0.5)
    assert h(stooped["front_left"]) == pytest.approx(h(base["front_left"]) - 7.5, abs=0.5)
    sloping = {p.name: p for p in PRODUCT.draft(male_body, {"shoulders": "sloping"}).pieces}
    assert Polygon(sloping["yoke"].sew).area < Polygon(base["yoke"].sew).area
    belly = {p.name: p for p in PRODUCT.draft(male_body, {"belly": "prominent", "figure_adjust_mm": 20}).pieces}
    assert h(belly["front_left"]) == pytest.approx(h(base["front_left"]) + 20, abs=0.5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stature=st.floats(1200, 2100), chest=st.floats(600, 1500), drop=st.floats(-250, 250),
    fit=st.sampled_from(["slim", "regular", "loose"]), shoulder=st.floats(0.8, 1.25), arm=st.floats(0.85, 1.2),
)
def test_no_self_intersecting_piece_over_many_bodies(stature, chest, drop, fit, shoulder, arm) -> None:
    body = proportional_body("male", stature, chest, max(chest - drop, 300.0))
    body["shoulder_width"] = float(body["shoulder_width"]) * shoulder
    body["arm_length"] = float(body["arm_length"]) * arm
    try:
        pattern = PRODUCT.draft(body, {"fit": fit})
    except OptionError:  # a fit this body cannot meet is refused; the defaults must draft
        pattern = PRODUCT.draft(body)
    bad = [c for c in pattern.report["checks"] if c["name"] == "pieces_valid_simple" and not c["ok"]]
    assert not bad, bad
    for piece in pattern.pieces:
        assert Polygon(piece.cut).is_valid and Polygon(piece.sew).is_valid, piece.name


def test_sleeve_notches_match_the_armhole_in_proportion(male_body) -> None:
    from shapely.geometry import Point

    pattern = PRODUCT.draft(male_body)
    by = {p.name: p for p in pattern.pieces}
    names = {n.name for n in by["sleeve"].notches}
    assert {"front", "back", "shoulder"} <= names
    # the shoulder notch is the top of the cap: the highest point of the sleeve's sew line
    sew = np.array(by["sleeve"].sew)
    top = sew[np.argmax(sew[:, 1])]
    shoulder = next(n for n in by["sleeve"].notches if n.name == "shoulder")
    assert Polygon(by["sleeve"].cut).exterior.distance(Point(shoulder.x, shoulder.y)) < 0.01
    assert abs(shoulder.x - top[0]) < 15.0
    assert any(n.name == "sleeve back" for n in by["back"].notches)
    assert any(n.name == "sleeve front" for n in by["front_left"].notches)


def test_a_wide_sleeve_lowers_the_armhole(male_body) -> None:
    base = PRODUCT.draft(male_body, {"fit": "slim"})
    body = dict(male_body, upper_arm_girth=float(male_body["upper_arm_girth"]) * 1.35)
    wide = PRODUCT.draft(body, {"fit": "slim"})
    assert wide.report["ok"], [c for c in wide.report["checks"] if not c["ok"]]
    assert wide.report["finished_mm"]["armhole"] > base.report["finished_mm"]["armhole"]


def test_options_that_do_not_fit_a_doll_are_refused(male_body) -> None:
    doll = {k: (v * 0.1 if isinstance(v, float) else v) for k, v in male_body.items()}
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(doll, {"cuff_depth_mm": 110})
    assert exc.value.field == "cuff_depth_mm" and "for this body" in exc.value.allowed
    assert PRODUCT.draft(doll).report["ok"]
