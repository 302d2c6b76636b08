"""Curtains: fixed-height railroaded panels, fixed-width joined drops, headings, refusals."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Polygon

from yuefang.pattern.errors import InputError, OptionError
from yuefang.pattern.home.curtain import HEADINGS, PRODUCT
from yuefang.pattern.products import get_product

WINDOW = {"window_width_mm": 2400, "drop_mm": 2500}


def _size(piece):
    xs = [p[0] for p in piece.cut]
    ys = [p[1] for p in piece.cut]
    return max(xs) - min(xs), max(ys) - min(ys)


def test_registry_exposes_the_product() -> None:
    p = get_product("curtain")
    assert (p.id, p.kind, p.name_zh) == ("curtain", "home_textile", "窗帘")


def test_fixed_height_panel_is_railroaded_flat_width_plus_side_hems() -> None:
    pat = PRODUCT.draft(WINDOW, {"fullness": 2.0, "side_hem_mm": 25, "bottom_hem_mm": 50, "heading_allowance_mm": 100})
    (panel,) = pat.pieces
    w, h = _size(panel)
    finished = (2400 + 2 * 150) / 2
    assert w == pytest.approx(finished * 2.0 + 4 * 25)
    assert h == pytest.approx(2500 + 2 * 50 + 100)
    assert panel.quantity == 2
    (gx0, gy0), (gx1, gy1) = panel.grain
    assert abs(gy1 - gy0) < 1e-9 and abs(gx1 - gx0) > 0  # warp across the curtain
    assert pat.report["ok"] and pat.report["fabric_length_mm"] == pytest.approx(2 * w)
    # the sew line is the finished curtain: flat width by the drop
    sx = [p[0] for p in panel.sew]
    sy = [p[1] for p in panel.sew]
    assert max(sx) - min(sx) == pytest.approx(finished * 2.0)
    assert max(sy) - min(sy) == pytest.approx(2500)


def test_fixed_height_refuses_a_drop_taller_than_the_fabric() -> None:
    with pytest.raises(InputError) as exc:
        PRODUCT.draft({"window_width_mm": 2000, "drop_mm": 2700})
    assert exc.value.field == "drop_mm" and "fixed_width" in exc.value.allowed


def test_fixed_width_drops_are_rounded_to_the_repeat_and_joined_in_half_widths() -> None:
    pat = PRODUCT.draft(WINDOW, {"fabric": "fixed_width", "pattern_repeat_mm": 640, "fullness": 2.2})
    cut_drop = pat.report["cut_drop_mm"]
    assert cut_drop % 640 == 0 and cut_drop >= 2500 + 100 + 100
    n = pat.report["widths_per_panel"]
    assert n * 2 == int(n * 2)  # whole or half widths
    flat = (2400 + 300) / 2 * 2.2
    assert n * 1450 - 2 * 15 * (math.ceil(n) - 1) - 4 * 25 >= flat
    assert (n - 0.5) * 1450 - 2 * 15 * (math.ceil(n - 0.5) - 1) - 4 * 25 < flat
    names = {p.name: p for p in pat.pieces}
    assert names["drop"].quantity == 2 * math.floor(n)
    assert all(_size(p)[1] == pytest.approx(cut_drop) for p in pat.pieces)
    assert all(p.grain[0][0] == p.grain[1][0] for p in pat.pieces)  # warp down the drop
    assert names["drop"].allowed_rotations_deg == (0.0,)  # a repeat must not be turned


@pytest.mark.parametrize("heading", sorted(HEADINGS))
def test_every_heading_drafts_valid_pieces(heading: str) -> None:
    pat = PRODUCT.draft({"window_width_mm": 1800, "drop_mm": 2200}, {"heading": heading})
    assert pat.report["ok"], pat.report
    assert pat.report["fullness"] == HEADINGS[heading][0]
    for p in pat.pieces:
        assert Polygon(p.cut).is_valid and Polygon(p.cut).exterior.is_ccw


def test_eyelets_are_even_and_inside_the_heading() -> None:
    pat = PRODUCT.draft(WINDOW, {"heading": "eyelet"})
    (panel,) = pat.pieces
    holes = panel.drill_holes
    assert len(holes) % 2 == 0 and len(holes) == pat.report["eyelets_per_panel"]
    top = max(p[1] for p in panel.sew)
    assert all(top - 160 < h.y < top for h in holes)


def test_pinch_pleats_take_up_the_fullness() -> None:
    pat = PRODUCT.draft(WINDOW, {"heading": "pinch_pleat"})
    r = pat.report
    finished, flat = r["finished_width_per_panel_mm"], r["flat_width_per_panel_mm"]
    assert r["pleats_per_panel"] * r["pleat_fabric_mm"] == pytest.approx(flat - finished, abs=r["pleats_per_panel"] * 0.1)


@pytest.mark.parametrize(
    ("options", "field"),
    [({"fullness": 5}, "fullness"), ({"heading": "ruffle"}, "heading"), ({"panels": 3}, "panels"),
     ({"fabric_height_mm": 2000}, "fabric_height_mm"), ({"colour": "red"}, "colour")],
)
def test_out_of_range_options_are_refused_with_field_value_allowed(options: dict, field: str) -> None:
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft(WINDOW, options)
    assert exc.value.field == field
    assert exc.value.allowed
    assert field in str(exc.value) and "allowed" in str(exc.value)


def test_missing_input_names_the_field() -> None:
    with pytest.raises(InputError) as exc:
        PRODUCT.draft({"window_width_mm": 2400})
    assert exc.value.field == "drop_mm" and exc.value.value is None


def test_railroaded_panels_start_at_the_same_point_of_the_repeat() -> None:
    plain = PRODUCT.draft(WINDOW).report
    matched = PRODUCT.draft(WINDOW, {"pattern_repeat_mm": 640}).report
    per_panel = matched["fabric_length_mm"] / 2
    assert per_panel % 640 == 0 and per_panel >= plain["cut_length_per_panel_mm"]
    assert matched["cut_length_per_panel_mm"] == plain["cut_length_per_panel_mm"]


@pytest.mark.parametrize("fabric", ["fixed_height", "fixed_width"])
def test_lining_sits_inside_the_side_hems_and_above_the_hem(fabric: str) -> None:
    pat = PRODUCT.draft(WINDOW, {"lining": True, "fabric": fabric, "fullness": 2.0, "side_hem_mm": 25})
    lining = next(p for p in pat.pieces if p.name == "lining")
    sx = [p[0] for p in lining.sew]
    sy = [p[1] for p in lining.sew]
    assert max(sx) - min(sx) == pytest.approx((2400 + 300) / 2 * 2.0 - 2 * 25)
    assert max(sy) - min(sy) == pytest.approx(2500 - 20)
    assert lining.quantity == 2 and pat.report["ok"]
    assert pat.report["lining_length_mm"] == pytest.approx(2 * _size(lining)[0])


def test_lining_refused_for_a_drop_longer_than_the_lining_fabric() -> None:
    with pytest.raises(OptionError) as exc:
        PRODUCT.draft({"window_width_mm": 2000, "drop_mm": 3000}, {"fabric": "fixed_width", "lining": True})
    assert exc.value.field == "lining" and "2800" in exc.value.allowed
