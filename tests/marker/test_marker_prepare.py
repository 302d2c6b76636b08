"""Garment constraints: unfolding, grain, mirroring, orientations, shrinkage, validation."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Polygon

from yuefang.marker import Fabric, MarkerInputError
from yuefang.marker.prepare import engine_shape, orientations_for, prepare_order
from yuefang.pattern.model import Pattern, Piece


def by_key(pieces):
    return {p.key: p for p in pieces}


def test_cut_on_fold_piece_is_unfolded_to_twice_its_area(pattern, fabric):
    pieces = by_key(prepare_order([(pattern, 1)], fabric))
    half = Polygon(pattern.pieces[0].cut).area
    assert pieces["0:back"].area_mm2 == pytest.approx(2 * half)
    poly = Polygon(pieces["0:back"].outline)
    assert poly.is_valid and len(poly.interiors) == 0
    # the unfolded back is symmetric about the grain (x axis after alignment): mirror = itself
    mirrored = Polygon([(x, -y) for x, y in poly.exterior.coords])
    minx, miny, maxx, maxy = poly.bounds
    mirrored = Polygon([(x, y + miny + maxy) for x, y in mirrored.exterior.coords])
    assert poly.symmetric_difference(mirrored).area < 1e-6 * poly.area


def test_grain_is_turned_along_the_marker_length(pattern, fabric):
    pieces = by_key(prepare_order([(pattern, 1)], fabric))
    # the sleeve is drawn with a vertical grain, 250 mm tall and 200 mm wide: once the grain
    # runs along x, its length (x extent) is the drawn height
    minx, miny, maxx, maxy = Polygon(pieces["0:sleeve"].outline).bounds
    assert maxx - minx == pytest.approx(250)
    assert maxy - miny == pytest.approx(200)
    assert minx == pytest.approx(0) and miny == pytest.approx(0)


def test_face_up_makes_mirrored_copies_explicit(pattern, fabric):
    pieces = by_key(prepare_order([(pattern, 3)], fabric, spreading="face_up"))
    assert pieces["0:front"].demand == 3 and pieces["0:front:m"].demand == 3
    assert pieces["0:front:m"].mirrored and not pieces["0:front"].mirrored
    a, b = Polygon(pieces["0:front"].outline), Polygon(pieces["0:front:m"].outline)
    assert a.area == pytest.approx(b.area)
    # the mirrored copy is the reflection across the grain line, not a rotation
    reflected = Polygon([(x, -y) for x, y in a.exterior.coords])
    minx, miny, _, _ = reflected.bounds
    reflected = Polygon([(x - minx, y - miny) for x, y in reflected.exterior.coords])
    assert reflected.symmetric_difference(b).area < 1e-6 * a.area
    assert b.exterior.is_ccw
    assert pieces["0:back"].demand == 3 and pieces["0:pocket"].demand == 3


def test_face_to_face_places_pairs_as_drawn(pattern, fabric):
    pieces = by_key(prepare_order([(pattern, 2)], fabric, spreading="face_to_face"))
    assert "0:front:m" not in pieces
    assert pieces["0:front"].demand == 4 and not pieces["0:front"].mirrored


@pytest.mark.parametrize(
    ("piece_rot", "fabric_kw", "expected"),
    [
        ((0, 180), {}, (0.0, 180.0)),
        ((0,), {}, (0.0,)),
        ((0, 180), {"nap": "one_way"}, (0.0,)),
        ((0, 180), {"cross_grain_allowed": True}, (0.0, 90.0, 180.0, 270.0)),
        ((0, 90, 180, 270), {}, (0.0, 180.0)),
        ((360, -180), {}, (0.0, 180.0)),
    ],
)
def test_orientations_follow_piece_and_fabric(piece_rot, fabric_kw, expected):
    assert orientations_for(piece_rot, Fabric(width_mm=1500, **fabric_kw), "p") == expected


def test_orientation_errors_name_the_field():
    with pytest.raises(MarkerInputError) as info:
        orientations_for((45,), Fabric(width_mm=1500), "order[0].pieces[x].allowed_rotations_deg")
    assert info.value.field == "order[0].pieces[x].allowed_rotations_deg"
    with pytest.raises(MarkerInputError, match="one-way nap"):
        orientations_for((180,), Fabric(width_mm=1500, nap="one_way"), "p")


def test_shrinkage_enlarges_along_warp_and_weft(pattern):
    plain = by_key(prepare_order([(pattern, 1)], Fabric(width_mm=700)))
    shrunk = by_key(
        prepare_order([(pattern, 1)], Fabric(width_mm=700, shrinkage_warp_pct=4, shrinkage_weft_pct=2))
    )
    a = Polygon(plain["0:pocket"].outline).bounds
    b = Polygon(shrunk["0:pocket"].outline).bounds
    assert (b[2] - b[0]) == pytest.approx((a[2] - a[0]) / 0.96)
    assert (b[3] - b[1]) == pytest.approx((a[3] - a[1]) / 0.98)


def _one_piece(cut, **kw) -> Pattern:
    return Pattern(product="t", pieces=(Piece(name="p", label="P", cut=cut, grain=((0, 0), (1, 0)), **kw),))


def test_self_intersecting_cut_is_a_clear_error(fabric):
    bowtie = ((0, 0), (100, 100), (100, 0), (0, 100))
    with pytest.raises(MarkerInputError) as info:
        prepare_order([(_one_piece(bowtie), 1)], fabric)
    assert info.value.field == "order[0].pieces[p].cut"
    assert "Self-intersection" in str(info.value.value)
    assert "simple polygon" in info.value.allowed


def test_degenerate_cut_is_a_clear_error(fabric):
    with pytest.raises(MarkerInputError, match="at least 3 distinct vertices"):
        prepare_order([(_one_piece(((0, 0), (0, 0), (10, 0))), 1)], fabric)
    with pytest.raises(MarkerInputError, match="positive area|simple polygon"):
        prepare_order([(_one_piece(((0, 0), (10, 0), (20, 0))), 1)], fabric)


def test_piece_wider_than_the_fabric_is_a_clear_error(rect):
    fabric = Fabric(width_mm=500, selvedge_mm=10)
    with pytest.raises(MarkerInputError) as info:
        prepare_order([(_one_piece(rect(100, 490)), 1)], fabric)
    assert "usable width 480.0" in info.value.allowed
    # allowed when it may be turned cross grain
    cross = Fabric(width_mm=500, selvedge_mm=10, cross_grain_allowed=True)
    (piece,) = prepare_order([(_one_piece(rect(100, 490)), 1)], cross)
    assert 90.0 in piece.allowed_rotations_deg


def test_bad_order_and_spreading_are_clear_errors(pattern, fabric):
    with pytest.raises(MarkerInputError, match="spreading"):
        prepare_order([(pattern, 1)], fabric, spreading="zigzag")
    with pytest.raises(MarkerInputError, match=r"order\[0\]\[1\]"):
        prepare_order([(pattern, 0)], fabric)
    with pytest.raises(MarkerInputError, match="order"):
        prepare_order([], fabric)


def test_several_order_lines_keep_their_pieces_apart(fabric, make_pattern):
    small, large = make_pattern(0.8, "S"), make_pattern(1.0, "L")
    pieces = prepare_order([(small, 1), (large, 2)], fabric)
    keys = {p.key for p in pieces}
    assert {"0:back", "1:back"} <= keys
    areas = by_key(pieces)
    assert areas["0:back"].area_mm2 == pytest.approx(0.64 * areas["1:back"].area_mm2)
    assert areas["1:back"].size == "L"


def test_engine_shape_grows_by_half_the_gap_and_only_grows(rect):
    sq = rect(100, 100)
    grown = Polygon(engine_shape(sq, gap_mm=4))
    assert grown.contains(Polygon(sq))
    assert grown.area == pytest.approx(104 * 104)
    circle = Polygon(
        [(50 + 50 * math.cos(2 * math.pi * k / 400), 50 + 50 * math.sin(2 * math.pi * k / 400)) for k in range(400)]
    )
    simple = Polygon(engine_shape(tuple(circle.exterior.coords)[:-1], simplify_mm=0.05))
    assert len(simple.exterior.coords) < 400
    assert simple.buffer(1e-9).contains(circle)
