"""Fitted sheets: the cross-shaped piece from the mattress plus the tuck-under."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon

from yuefang.pattern.errors import InputError, OptionError
from yuefang.pattern.home.fitted_sheet import PRODUCT

MATTRESS = {"mattress_width_mm": 1500, "mattress_length_mm": 2000, "mattress_depth_mm": 250}


def test_sheet_size_is_mattress_plus_two_skirts_plus_casing() -> None:
    opts = {"tuck_under_mm": 100, "ease_mm": 20, "casing_mm": 15}
    pat = PRODUCT.draft(MATTRESS, opts)
    (sheet,) = pat.pieces
    xs = [p[0] for p in sheet.cut]
    ys = [p[1] for p in sheet.cut]
    skirt = 250 + 100
    assert max(xs) - min(xs) == pytest.approx(1520 + 2 * (skirt + 25))
    assert max(ys) - min(ys) == pytest.approx(2020 + 2 * (skirt + 25))
    assert len(sheet.cut) == 12 and pat.report["ok"]


def test_corner_seam_edges_have_equal_length() -> None:
    (sheet,) = PRODUCT.draft(MATTRESS).pieces
    c = sheet.cut
    # the bottom skirt's left edge (vertex 11 -> 0) and the left skirt's bottom edge (10 -> 11)
    e1 = abs(c[0][1] - c[11][1])
    e2 = abs(c[11][0] - c[10][0])
    assert e1 == pytest.approx(e2)
    assert PRODUCT.draft(MATTRESS).report["corner_seam_length_mm"] == pytest.approx(e1)


def test_sew_line_area_is_top_plus_four_skirts() -> None:
    (sheet,) = PRODUCT.draft(MATTRESS, {"ease_mm": 0, "tuck_under_mm": 100}).pieces
    k = 350
    expected = 1500 * 2000 + 2 * k * 1500 + 2 * k * 2000
    assert Polygon(sheet.sew).area == pytest.approx(expected)


def test_corner_elastic_needs_less_elastic_than_all_round() -> None:
    a = PRODUCT.draft(MATTRESS, {"elastic": "all_round"}).report["elastic_length_mm"]
    b = PRODUCT.draft(MATTRESS, {"elastic": "corners"}).report["elastic_length_mm"]
    assert 0 < b < a


def test_wide_mattress_is_railroaded_when_its_length_fits() -> None:
    pat = PRODUCT.draft({"mattress_width_mm": 2000, "mattress_length_mm": 1500, "mattress_depth_mm": 200},
                        {"fabric_width_mm": 2400})
    (sheet,) = pat.pieces
    (x0, y0), (x1, y1) = sheet.grain
    assert abs(y1 - y0) < 1e-9 and "railroaded" in pat.report["layout"]


def test_refusals_name_the_field() -> None:
    with pytest.raises(InputError) as exc:
        PRODUCT.draft({**MATTRESS, "mattress_depth_mm": 600})
    assert exc.value.field == "mattress_depth_mm" and "450" in exc.value.allowed
    with pytest.raises(OptionError) as exc2:
        PRODUCT.draft(MATTRESS, {"elastic": "none"})
    assert exc2.value.field == "elastic"
