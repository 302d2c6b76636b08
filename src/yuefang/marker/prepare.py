"""Garment constraints: turn pattern pieces into shapes the nesting engine can take.

For every piece of every order line:

1. check the cut line (at least 3 distinct vertices, a valid simple polygon, no zero area);
2. unfold a cut-on-fold piece across its fold line;
3. turn it so that its grain line runs along +x (the marker's length, the warp);
4. enlarge it for shrinkage (warp along x, weft along y);
5. make mirrored copies explicit for face-up spreading (face-to-face spreading gives the
   mirror image from the face-down ply);
6. work out the allowed orientations from the piece and the fabric (nap, cross grain);
7. check that it fits across the usable width in at least one allowed orientation.

The nesting engine (sparrow) aborts the process on a broken polygon or a piece wider than the
strip; these checks turn such input into a :class:`MarkerInputError` instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import shapely
from shapely.geometry import Polygon
from shapely.ops import unary_union
from shapely.validation import explain_validity

from yuefang.marker.errors import MarkerInputError
from yuefang.marker.fabric import Fabric
from yuefang.marker.model import MarkerPiece, Pt
from yuefang.pattern.model import Pattern, Piece

__all__ = [
    "SPREADING_MODES",
    "prepare_order",
    "orientations_for",
    "clean_ring",
    "engine_shape",
    "max_extent_across",
]

SPREADING_MODES = ("face_up", "face_to_face")


def clean_ring(points: Sequence[Sequence[float]], field: str) -> Polygon:
    """A valid, counter-clockwise polygon from a ring of points, or a :class:`MarkerInputError`.

    Repeated closing vertices and consecutive duplicates are dropped.

    Examples
    --------
    >>> clean_ring([(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)], "cut").exterior.is_ccw
    True
    >>> clean_ring([(0, 0), (1, 1), (1, 0), (0, 1)], "cut")
    Traceback (most recent call last):
    ...
    yuefang.marker.errors.MarkerInputError: cut: got 'Self-intersection[0.5 0.5]'; allowed: a simple polygon (no self-intersection, no zero-width parts)
    """
    pts: list[tuple[float, float]] = []
    for p in points:
        try:
            x, y = float(p[0]), float(p[1])
        except (TypeError, ValueError, IndexError):
            raise MarkerInputError(field, p, "points as [x, y] numbers") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise MarkerInputError(field, p, "finite coordinates")
        if not pts or (x, y) != pts[-1]:
            pts.append((x, y))
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        raise MarkerInputError(field, len(pts), "at least 3 distinct vertices")
    poly = Polygon(pts)
    if not poly.is_valid:
        raise MarkerInputError(
            field, explain_validity(poly), "a simple polygon (no self-intersection, no zero-width parts)"
        )
    if poly.area <= 1e-9:
        raise MarkerInputError(field, poly.area, "a polygon of positive area")
    return shapely.geometry.polygon.orient(poly, 1.0)


def orientations_for(piece_rotations: Sequence[float], fabric: Fabric, field: str) -> tuple[float, ...]:
    """Orientations (degrees, after grain alignment) allowed for a piece on this fabric.

    Ordinary fabric allows what the piece allows among 0/180; a one-way nap keeps 0 only;
    90 and 270 (cross grain) only where the fabric allows cross grain, and 270 only without nap.

    Examples
    --------
    >>> orientations_for((0, 180), Fabric(width_mm=1500), "p")
    (0.0, 180.0)
    >>> orientations_for((0, 180), Fabric(width_mm=1500, nap="one_way"), "p")
    (0.0,)
    >>> orientations_for((0, 90, 180, 270), Fabric(width_mm=1500), "p")
    (0.0, 180.0)
    >>> orientations_for((0, 180), Fabric(width_mm=1500, cross_grain_allowed=True), "p")
    (0.0, 90.0, 180.0, 270.0)
    """
    wanted = {round(float(r) % 360.0, 6) for r in piece_rotations} or {0.0}
    bad = [r for r in wanted if r not in (0.0, 90.0, 180.0, 270.0)]
    if bad:
        raise MarkerInputError(field, tuple(piece_rotations), "rotations among 0, 90, 180, 270 degrees")
    if fabric.cross_grain_allowed:
        # a piece that may lie along the grain may also lie across it
        wanted |= {(r + 90.0) % 360.0 for r in wanted if r in (0.0, 180.0)}
    else:
        wanted -= {90.0, 270.0}
    if fabric.nap == "one_way":
        # every piece must point the same way along the warp
        wanted &= {0.0}
    if not wanted:
        raise MarkerInputError(
            field,
            tuple(piece_rotations),
            "at least one rotation the fabric allows (0 with a one-way nap; 90/270 only with cross grain)",
        )
    return tuple(sorted(wanted))


def _unfold(poly: Polygon, fold: tuple[Pt, Pt], field: str) -> Polygon:
    (x0, y0), (x1, y1) = fold
    dx, dy = x1 - x0, y1 - y0
    n2 = dx * dx + dy * dy
    if n2 <= 1e-12:
        raise MarkerInputError(field, fold, "a fold line of two distinct points")
    # reflection across the fold line: p' = 2 * proj - p
    a = (dx * dx - dy * dy) / n2
    b = 2 * dx * dy / n2
    xoff = x0 - a * x0 - b * y0
    yoff = y0 - b * x0 + a * y0
    mirrored = shapely.affinity.affine_transform(poly, [a, b, b, -a, xoff, yoff])
    tol = max(1e-6, 1e-7 * math.sqrt(poly.area))
    merged = unary_union([poly.buffer(tol, join_style="mitre"), mirrored.buffer(tol, join_style="mitre")])
    merged = merged.buffer(-tol, join_style="mitre")
    if merged.geom_type != "Polygon" or merged.is_empty:
        raise MarkerInputError(field, fold, "a fold line along an edge of the cut line")
    if len(merged.interiors):
        merged = Polygon(merged.exterior)
    if abs(merged.area - 2 * poly.area) > 1e-3 * poly.area + 1.0:
        raise MarkerInputError(field, fold, "a fold line along an edge of the cut line (the halves overlap)")
    merged = merged.simplify(0.0)
    return shapely.geometry.polygon.orient(merged, 1.0)


def _grain_angle(piece: Piece, field: str) -> float:
    (x0, y0), (x1, y1) = piece.grain
    if math.hypot(x1 - x0, y1 - y0) <= 1e-9:
        raise MarkerInputError(field, piece.grain, "a grain line of two distinct points")
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


def max_extent_across(poly: Polygon, orientations: Sequence[float]) -> float:
    """Smallest y-extent of ``poly`` over the allowed orientations (mm)."""
    best = math.inf
    for r in orientations:
        g = shapely.affinity.rotate(poly, r, origin=(0, 0))
        minx, miny, maxx, maxy = g.bounds
        best = min(best, maxy - miny)
    return best


def _to_origin(poly: Polygon) -> Polygon:
    minx, miny, _, _ = poly.bounds
    return shapely.affinity.translate(poly, -minx, -miny)


def _ring(poly: Polygon, digits: int = 6) -> tuple[Pt, ...]:
    coords = list(poly.exterior.coords)[:-1]
    return tuple((round(x, digits) + 0.0, round(y, digits) + 0.0) for x, y in coords)


def prepare_order(
    order: Sequence[tuple[Pattern, int]],
    fabric: Fabric,
    *,
    spreading: str = "face_up",
) -> list[MarkerPiece]:
    """Every kind of piece of the order, ready to nest (no placement yet).

    Parameters
    ----------
    order : sequence of (Pattern, int)
        Order lines: a pattern and how many garments of it go into the marker.
    fabric : Fabric
        The fabric (usable width, nap, cross grain, shrinkage).
    spreading : {"face_up", "face_to_face"}
        Face-up spreading needs the mirrored copy of a mirrored pair in the marker; face-to-face
        spreading cuts it from the face-down ply, so every copy is placed as drawn.

    Returns
    -------
    list of MarkerPiece
        One entry per (order line, piece, mirrored); ``demand`` is the number of copies.
    """
    if spreading not in SPREADING_MODES:
        raise MarkerInputError("spreading", spreading, " or ".join(SPREADING_MODES))
    if not order:
        raise MarkerInputError("order", [], "at least one (pattern, garments) line")
    width = fabric.usable_width_mm
    out: list[MarkerPiece] = []
    for line, entry in enumerate(order):
        try:
            pattern, count = entry
        except (TypeError, ValueError):
            raise MarkerInputError(f"order[{line}]", entry, "a (Pattern, garments) pair") from None
        if not isinstance(pattern, Pattern):
            raise MarkerInputError(f"order[{line}][0]", type(pattern).__name__, "a yuefang.pattern.model.Pattern")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise MarkerInputError(f"order[{line}][1]", count, "an integer number of garments >= 1")
        if not pattern.pieces:
            raise MarkerInputError(f"order[{line}].pieces", [], "at least one piece")
        seen: set[str] = set()
        for piece in pattern.pieces:
            field = f"order[{line}].pieces[{piece.name}]"
            if piece.name in seen:
                raise MarkerInputError(f"{field}.name", piece.name, "piece names unique within a pattern")
            seen.add(piece.name)
            poly = clean_ring(piece.cut, f"{field}.cut")
            if piece.cut_on_fold:
                assert piece.fold_line is not None  # the Piece model enforces it
                poly = _unfold(poly, piece.fold_line, f"{field}.fold_line")
            angle = _grain_angle(piece, f"{field}.grain")
            poly = shapely.affinity.rotate(poly, -angle, origin=(0, 0))
            orientations = orientations_for(piece.allowed_rotations_deg, fabric, f"{field}.allowed_rotations_deg")
            sx, sy = fabric.warp_scale, fabric.weft_scale
            if any(r in (90.0, 270.0) for r in orientations) and sx != sy:
                # the engine takes one shape for all orientations: compensate the larger
                # shrinkage both ways for pieces that may be turned cross grain
                sx = sy = max(sx, sy)
            if sx != 1.0 or sy != 1.0:
                poly = shapely.affinity.scale(poly, sx, sy, origin=(0, 0))
            poly = _to_origin(poly)
            across = max_extent_across(poly, orientations)
            if across > width + 1e-9:
                raise MarkerInputError(
                    f"{field}.cut",
                    f"{across:.1f} mm across the fabric",
                    f"at most the usable width {width:.1f} mm (fabric width less selvedges)",
                    "the piece does not fit across the fabric in any allowed orientation",
                )
            copies = piece.quantity * count
            variants: list[tuple[bool, int]]
            if piece.mirrored_pair and spreading == "face_up":
                variants = [(False, copies // 2), (True, copies // 2)]
            else:
                variants = [(False, copies)]
            for mirrored, demand in variants:
                shape = poly
                if mirrored:
                    # mirror across the grain line (now the x axis), keep it counter-clockwise
                    shape = _to_origin(
                        shapely.geometry.polygon.orient(shapely.affinity.scale(poly, 1.0, -1.0, origin=(0, 0)), 1.0)
                    )
                out.append(
                    MarkerPiece(
                        key=f"{line}:{piece.name}" + (":m" if mirrored else ""),
                        order_line=line,
                        name=piece.name,
                        label=piece.label,
                        size=pattern.size,
                        mirrored=mirrored,
                        demand=demand,
                        allowed_rotations_deg=orientations,
                        outline=_ring(shape),
                        area_mm2=float(shape.area),
                    )
                )
    return out


def engine_shape(outline: Sequence[Pt], *, gap_mm: float = 0.0, simplify_mm: float = 0.0) -> tuple[Pt, ...]:
    """The shape handed to the engine: the outline grown by ``gap_mm / 2`` and simplified.

    Simplification only ever adds area (the shape is first grown by ``simplify_mm`` then
    simplified with the same tolerance), so a layout of engine shapes keeps the real outlines
    apart by at least ``gap_mm``.

    Examples
    --------
    >>> engine_shape([(0, 0), (10, 0), (10, 10), (0, 10)])
    ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
    >>> Polygon(engine_shape([(0, 0), (10, 0), (10, 10), (0, 10)], gap_mm=2)).bounds
    (-1.0, -1.0, 11.0, 11.0)
    """
    grow = gap_mm / 2.0 + simplify_mm
    poly = Polygon(outline)
    if grow > 0:
        poly = poly.buffer(grow, join_style="mitre", mitre_limit=2.0)
        if simplify_mm > 0:
            poly = poly.simplify(simplify_mm, preserve_topology=True)
        poly = shapely.geometry.polygon.orient(poly, 1.0)
    return tuple((float(x), float(y)) for x, y in list(poly.exterior.coords)[:-1])
