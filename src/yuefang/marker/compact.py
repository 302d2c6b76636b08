"""Left compaction: slide pieces towards the marker's start until they touch.

The engine keeps a small clearance between pieces (its collision test rules out contacts
that are too close to call), so its layouts can often be shortened a little by sliding every
piece to the left, in order of their left edges, as far as it goes without overlap; a piece
may also jump left past others into a hole big enough for it. The test is exact (shapely,
interiors must not meet) and sees the shapes the engine saw (grown by half the gap), so gaps stay.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import Polygon

__all__ = ["compact_left"]


def compact_left(
    shapes: Sequence[Polygon],
    *,
    min_x: float = 0.0,
    passes: int = 3,
    resolution: float = 1e-4,
    deadline: float | None = None,
) -> list[float]:
    """Leftward shift of each shape (>= 0) so that no two shapes' interiors meet.

    Parameters
    ----------
    shapes : sequence of Polygon
        Placed shapes whose interiors are disjoint (a pair that already overlaps is left where
        it is).
    min_x : float
        No shape may go left of this.
    passes : int
        Sweeps over all shapes (a later sweep uses the room an earlier one made).
    resolution : float
        Bisection stops when the interval is this short (same unit as the shapes).
    deadline : float, optional
        ``time.monotonic()`` value after which no further shape is moved.

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
    coords = [np.asarray(s.exterior.coords, dtype=float) for s in shapes]
    current = [shapely.polygons(c) for c in coords]
    shifts = [0.0] * len(current)
    if not current:
        return shifts

    def moved(k: int, d: float) -> Polygon:
        return shapely.polygons(coords[k] - np.array([shifts[k] + d, 0.0]))

    for _ in range(passes):
        any_moved = False
        tree = shapely.STRtree(current)
        order = sorted(range(len(current)), key=lambda i: current[i].bounds[0])
        for k in order:
            if deadline is not None and time.monotonic() > deadline:
                return shifts
            x0, y0, x1, y1 = current[k].bounds
            room = x0 - min_x
            if room <= resolution:
                continue
            swept = shapely.box(x0 - room, y0, x1, y1)
            near = [j for j in tree.query(swept, predicate="intersects").tolist() if j != k]
            others = np.array([current[j] for j in near], dtype=object)

            def blocked(d: float, others: np.ndarray = others, k: int = k) -> bool:
                if len(others) == 0:
                    return False
                # interiors meet (DE-9IM 'T********'): a real overlap, not a touch
                return bool(shapely.relate_pattern(moved(k, d), others, "T********").any())

            if not blocked(room):
                lo = room
            else:
                lo, hi = 0.0, room
                while hi - lo > resolution:
                    mid = (lo + hi) / 2
                    if blocked(mid):
                        hi = mid
                    else:
                        lo = mid
            if lo > resolution:
                shifts[k] += lo
                current[k] = moved(k, 0.0)
                tree = shapely.STRtree(current)
                any_moved = True
        if not any_moved:
            break
    return shifts
