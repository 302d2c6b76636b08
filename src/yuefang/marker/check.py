"""An independent check of a marker: it trusts nothing the engine says.

From each piece's outline (as prepared by this package) and each placement's rotation and
translation, the checker rebuilds every placed outline with shapely and verifies:

* every copy of every piece is placed, once (``demand`` copies per piece, copy indices 0..n-1);
* the stored outline is the piece turned and moved as the placement says;
* each rotation is one the piece allows (an empty list means free rotation);
* every piece lies inside the strip: 0 <= y <= width, 0 <= x <= length (within the tolerance);
* no two pieces overlap by more than the tolerance (both are shrunk by half of it first);
* no two pieces are closer than ``gap_mm`` (less the tolerance);
* the length and the utilisation are those of the placed outlines.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import shapely
from shapely.geometry import Polygon

from yuefang.marker.model import Marker, transform_outline

__all__ = ["check_marker", "TOLERANCE_MM"]

#: Default tolerance of the checker (mm): overlap depth, strip bounds, gap.
TOLERANCE_MM = 0.01


def check_marker(
    marker: Marker,
    *,
    tolerance_mm: float = TOLERANCE_MM,
    expected_copies: Mapping[str, int] | None = None,
) -> list[str]:
    """Problems found in ``marker``; an empty list means the marker is valid.

    Parameters
    ----------
    marker : Marker
        The marker to check.
    tolerance_mm : float
        Allowed overlap depth, excursion outside the strip and shortfall on the gap (mm).
    expected_copies : mapping, optional
        ``{piece key: copies}`` from the order, when the caller knows it independently of the
        marker's own ``pieces`` (e.g. a test); by default each piece's ``demand``.

    Returns
    -------
    list of str
        One line per problem.
    """
    problems: list[str] = []
    tol = float(tolerance_mm)
    pieces = {p.key: p for p in marker.pieces}
    wanted = dict(expected_copies) if expected_copies is not None else {k: p.demand for k, p in pieces.items()}

    # every copy placed, once
    counts = Counter(pl.piece for pl in marker.placements)
    for key, n in wanted.items():
        if counts.get(key, 0) != n:
            problems.append(f"piece {key}: {counts.get(key, 0)} copies placed, {n} wanted")
    for key in counts:
        if key not in pieces:
            problems.append(f"placement of unknown piece {key!r}")
        elif key not in wanted:
            problems.append(f"piece {key}: placed but not in the order")
    copies: dict[str, list[int]] = {}
    for pl in marker.placements:
        copies.setdefault(pl.piece, []).append(pl.copy_index)
    for key, idx in copies.items():
        if sorted(idx) != list(range(len(idx))):
            problems.append(f"piece {key}: copy numbers {sorted(idx)} are not 0..{len(idx) - 1}")

    polys: list[Polygon] = []
    names: list[str] = []
    area = 0.0
    max_x = -math.inf
    for pl in marker.placements:
        piece = pieces.get(pl.piece)
        if piece is None:
            continue
        label = f"{pl.piece}#{pl.copy_index}"
        if pl.mirrored != piece.mirrored:
            problems.append(f"{label}: mirrored={pl.mirrored} but the piece is mirrored={piece.mirrored}")
        rot = pl.rotation_deg % 360.0
        if piece.allowed_rotations_deg and not any(
            min(abs(rot - a % 360.0), 360.0 - abs(rot - a % 360.0)) < 1e-6 for a in piece.allowed_rotations_deg
        ):
            problems.append(f"{label}: rotation {pl.rotation_deg} not in {piece.allowed_rotations_deg}")
        rebuilt = transform_outline(piece.outline, pl.rotation_deg, pl.x_mm, pl.y_mm)
        if len(rebuilt) != len(pl.outline) or any(
            abs(a[0] - b[0]) > tol or abs(a[1] - b[1]) > tol for a, b in zip(rebuilt, pl.outline, strict=True)
        ):
            problems.append(f"{label}: stored outline is not the piece turned and moved as placed")
        poly = Polygon(rebuilt)
        if not poly.is_valid:
            problems.append(f"{label}: placed outline is not a valid polygon")
            poly = poly.buffer(0)
        minx, miny, maxx, maxy = poly.bounds
        if miny < -tol or maxy > marker.width_mm + tol:
            problems.append(f"{label}: y from {miny:.4f} to {maxy:.4f} is outside the strip 0..{marker.width_mm:g}")
        if minx < -tol or maxx > marker.length_mm + tol:
            problems.append(f"{label}: x from {minx:.4f} to {maxx:.4f} is outside the marker 0..{marker.length_mm:g}")
        max_x = max(max_x, maxx)
        area += piece.area_mm2
        polys.append(poly)
        names.append(label)

    if polys:
        if abs(max_x - marker.length_mm) > tol:
            problems.append(f"length {marker.length_mm:.4f} but the pieces end at x = {max_x:.4f}")
        if marker.length_mm > 0:
            util = area / (marker.length_mm * marker.width_mm)
            if abs(util - marker.utilisation) > 1e-6:
                problems.append(f"utilisation {marker.utilisation:.6f} but the pieces give {util:.6f}")

        # overlaps and gaps, pairwise among neighbours
        tree = shapely.STRtree(polys)
        reach = max(marker.gap_mm, 0.0)
        shrunk = [p.buffer(-tol / 2.0, join_style="mitre") for p in polys]
        left, right = tree.query(polys, predicate="dwithin", distance=reach) if reach > 0 else tree.query(
            polys, predicate="intersects"
        )
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i >= j:
                continue
            if shrunk[i].intersects(shrunk[j]):
                depth = polys[i].intersection(polys[j]).area
                problems.append(f"{names[i]} and {names[j]} overlap (area {depth:.4g})")
            elif reach > 0:
                d = polys[i].distance(polys[j])
                if d < marker.gap_mm - tol:
                    problems.append(f"{names[i]} and {names[j]} are {d:.4f} apart, gap {marker.gap_mm:g} wanted")
    return problems
