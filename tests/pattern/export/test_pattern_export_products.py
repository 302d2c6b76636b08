"""Every registered product exports to every format, and its DXF-AAMA reads back to the same pieces."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuefang.measure import body_for_designation
from yuefang.pattern.dxf_import import read_dxf_aama
from yuefang.pattern.export import EXPORT_FILES, export_all, to_dxf_aama
from yuefang.pattern.grading import BOTTOM_PRODUCTS
from yuefang.pattern.products import list_products

HOME_INPUTS = {
    "curtain": {"window_width_mm": 1800, "drop_mm": 2300},
    "duvet_cover": {"duvet_size": "180x220"},
    "fitted_sheet": {"mattress_width_mm": 1200, "mattress_length_mm": 2000, "mattress_depth_mm": 200},
}
GARMENT_SIZES = {"male": ("170/88A", "170/74A"), "female": ("160/84A", "160/68A")}


def _draft(product):
    if product.kind == "home_textile":
        return product.draft(HOME_INPUTS[product.id], order_line="SO-42")
    part = "bottom" if product.id in BOTTOM_PRODUCTS else "top"
    for sex, (top, bottom) in GARMENT_SIZES.items():
        label = bottom if part == "bottom" else top
        try:
            return product.draft(body_for_designation(label, sex, part=part), size=label)
        except ValueError:
            continue
    pytest.skip(f"{product.id}: no GB/T 1335 body drafts")


@pytest.mark.parametrize("product", list_products(), ids=lambda p: p.id)
def test_product_exports_and_reads_back(product) -> None:
    pattern = _draft(product)
    files = export_all(pattern)
    assert tuple(files) == EXPORT_FILES and all(files.values())
    back = read_dxf_aama(files["pattern.dxf"])
    assert [p.name for p in back.pieces] == [p.name for p in pattern.pieces]
    for a, b in zip(pattern.pieces, back.pieces, strict=True):
        assert len(a.cut) == len(b.cut)
        assert all(math.dist(p, q) < 1e-5 for p, q in zip(a.cut, b.cut, strict=True))
        assert (a.quantity, a.mirrored_pair, a.cut_on_fold) == (b.quantity, b.mirrored_pair, b.cut_on_fold)
        assert len(a.notches) == len(b.notches) and len(a.lines) == len(b.lines)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(w=st.floats(600, 2400), length=st.floats(1200, 2400), d=st.floats(50, 450),
       elastic=st.sampled_from(["all_round", "corners"]), ease=st.floats(0, 80))
def test_dxf_round_trip_over_the_fitted_sheet_range(w, length, d, elastic, ease) -> None:
    from yuefang.pattern.products import get_product

    pattern = get_product("fitted_sheet").draft(
        {"mattress_width_mm": w, "mattress_length_mm": length, "mattress_depth_mm": d}, {"elastic": elastic, "ease_mm": ease}
    )
    (a,) = pattern.pieces
    (b,) = read_dxf_aama(to_dxf_aama(pattern)).pieces
    assert all(math.dist(p, q) < 1e-5 for p, q in zip(a.cut, b.cut, strict=True))
    assert all(math.dist((n.x, n.y), (m.x, m.y)) < 1e-5 for n, m in zip(a.notches, b.notches, strict=True))
    assert [ln.kind for ln in a.lines] == [ln.kind for ln in b.lines]
