"""Left compaction: slide pieces towards the marker's start until they touch.

The engine keeps a small clearance between pieces (its collision test rules out contacts
that are too close to call), so its layouts can usually be shortened a little by sliding every
piece to the left, in order of their left edges, as far as it goes without overlap. The test
is exact (shapely) and sees the shapes the engine saw (grown by half the gap), so gaps stay.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import shapely
from shapely.geometry import Polygon

__all__ = ["compact_left"]


def compact_left(
    shapes: Sequence[Polygon],
    *,
    min_x: float = 0.0,
    passes: int = 3,
    resolution: float = 1e-4,
    area_tolerance: float = 1e-9,
    deadline: float | None = None,
) -> list[float]:
    """Leftward shift of each shape (>= 0) so that none overlaps another.

    Parameters
    ----------
    shapes : sequence of Polygon
        Placed shapes that do not overlap (their interiors are disjoint).
    min_x : float
        No shape may go left of this.
    passes : int
        Sweeps over all shapes (a later sweep uses the room an earlier one made).
    resolution : float
        Bisection stops when the interval is this short (same unit as the shapes).
    area_tolerance : float
        Overlap area (absolute, in the shapes' unit squared) still counted as touching.
    deadline : float, optional
        ``time.monotonic()`` value after which no further piece is moved.

    Returns
    -------
    list of float
        Shift to subtract from each shape's x.

    Examples
    --------
    >>> a = shapely.box(0, 0, 1, 1); b = shapely.box(1.5, 0, 2.5, 1)
    >>> [round(d, 3) for d in compact_left([a, b])]
    [0.0, 0.5]
    """
    current = [shapely.affinity.translate(s, 0, 0) for s in shapes]
    shifts = [0.0] * len(current)
    if len(current) < 2:
        if current:
            shifts[0] = max(0.0, current[0].bounds[0] - min_x)
        return shifts

    def overlaps(k: int, cand: Polygon, tree: shapely.STRtree) -> bool:
        for j in tree.query(cand, predicate="intersects").tolist():
            if j == k:
                continue
            inter = cand.intersection(current[j]).area
            if inter > area_tolerance:
                return True
        return False

    for _ in range(passes):
        moved = False
        order = sorted(range(len(current)), key=lambda i: current[i].bounds[0])
        for k in order:
            if deadline is not None and time.monotonic() > deadline:
                return shifts
            tree = shapely.STRtree(current)
            room = current[k].bounds[0] - min_x
            if room <= resolution:
                continue
            lo, hi = 0.0, room
            if not overlaps(k, shapely.affinity.translate(current[k], -hi, 0), tree):
                lo = hi
            else:
                while hi - lo > resolution:
                    mid = (lo + hi) / 2
                    if overlaps(k, shapely.affinity.translate(current[k], -mid, 0), tree):
                        hi = mid
                    else:
                        lo = mid
            if lo > resolution:
                current[k] = shapely.affinity.translate(current[k], -lo, 0)
                shifts[k] += lo
                moved = True
        if not moved:
            break
    return shifts
