"""Markers of garments drafted by the pattern package (shirt, trousers) for GB/T 1335 bodies."""

from __future__ import annotations

import importlib
from collections import Counter

import pytest

from yuefang.marker import Fabric, check_marker, nest


def _draft(product: str, label: str, part: str):
    try:
        from yuefang.measure import body_for_designation
        from yuefang.pattern.products import get_product

        prod = get_product(product)
    except ImportError as exc:  # the garment module has not landed in this build
        pytest.skip(f"{product} pattern not available: {exc}")
    body = body_for_designation(label, "male", part) if part != "top" else body_for_designation(label, "male")
    return prod.draft(body)


@pytest.fixture(scope="module")
def shirt():
    return _draft("shirt", "170/88A", "top")


def test_shirt_marker_is_valid_and_complete(shirt):
    fabric = Fabric(name="poplin", width_mm=1500, selvedge_mm=10)
    marker = nest([(shirt, 1)], fabric, time_limit_s=2, seed=0)
    assert check_marker(marker) == []
    wanted = Counter()
    for piece in shirt.pieces:
        wanted[piece.name] += piece.quantity
    placed = Counter(pl.name for pl in marker.placements)
    assert placed == wanted
    # every mirrored pair is cut as drawn and mirrored, half each
    for piece in shirt.pieces:
        if piece.mirrored_pair:
            mirrored = sum(1 for pl in marker.placements if pl.name == piece.name and pl.mirrored)
            assert mirrored == piece.quantity // 2
    assert 0.6 < marker.utilisation < 0.95


def test_two_size_shirt_marker(shirt):
    large = _draft("shirt", "180/96A", "top")
    fabric = Fabric(width_mm=1500, selvedge_mm=10)
    marker = nest([(shirt, 1), (large, 1)], fabric, time_limit_s=2, seed=1, gap_mm=1)
    assert check_marker(marker) == []
    assert {p.order_line for p in marker.pieces} == {0, 1}
    big = sum(p.area_mm2 * p.demand for p in marker.pieces if p.order_line == 1)
    small = sum(p.area_mm2 * p.demand for p in marker.pieces if p.order_line == 0)
    assert big > small


def test_trousers_marker_is_valid():
    try:
        importlib.import_module("yuefang.pattern.garments.trousers")
    except ImportError:
        pytest.skip("trousers pattern (yuefang.pattern.garments.trousers) not available in this build")
    trousers = _draft("trousers", "170/74A", "bottom")
    marker = nest([(trousers, 1)], Fabric(width_mm=1500, selvedge_mm=10), time_limit_s=2)
    assert check_marker(marker) == []
