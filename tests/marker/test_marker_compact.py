"""Left compaction: pieces slide left until they touch, never into each other."""

from __future__ import annotations

import shapely

from yuefang.marker.compact import compact_left


def test_boxes_slide_until_they_touch():
    shapes = [shapely.box(0, 0, 1, 1), shapely.box(3, 0, 4, 1), shapely.box(6, 0.5, 7, 1.5)]
    shifts = compact_left(shapes)
    moved = [shapely.affinity.translate(s, -d, 0) for s, d in zip(shapes, shifts, strict=True)]
    assert abs(moved[1].bounds[0] - 1.0) < 1e-3
    assert abs(moved[2].bounds[0] - 2.0) < 1e-3
    for i in range(3):
        for j in range(i + 1, 3):
            assert moved[i].intersection(moved[j]).area < 1e-9


def test_a_piece_drops_into_a_hole_at_the_start():
    # an L-shaped frame with room at the bottom left, and a small box far to the right
    frame = shapely.Polygon([(0, 2), (5, 2), (5, 0), (6, 0), (6, 3), (0, 3)])
    box = shapely.box(10, 0, 11, 1)
    shifts = compact_left([frame, box])
    assert shifts[0] == 0.0
    assert abs(shifts[1] - 10.0) < 1e-3


def test_nothing_moves_when_packed():
    shapes = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)]
    assert compact_left(shapes) == [0.0, 0.0]
