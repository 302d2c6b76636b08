"""Build a :class:`~yuefang.pattern.model.Piece` from named sew-line edges.

A draft gives each piece as a closed chain of named edges (``"side_seam"``, ``"armhole"``), each a
sampled polyline and its seam allowance in mm. :func:`build_piece` joins them into the sew line
(made counter-clockwise), adds the seam allowance with shapely (each edge buffered on its outer side
by its own allowance, corners closed with a mitre, as a pattern maker squares the allowance off at a
corner), places notches on the cut line and returns the typed piece.

Examples
--------
>>> import numpy as np
>>> sq = [Edge("bottom", np.array([[0, 0], [100, 0]]), 10), Edge("right", np.array([[100, 0], [100, 50]]), 10),
...       Edge("top", np.array([[100, 50], [0, 50]]), 10), Edge("left", np.array([[0, 50], [0, 0]]), 0)]
>>> piece = build_piece("test", "Test", sq, grain=((50, 5), (50, 45)))
>>> sorted({round(x) for x, _ in piece.cut}), sorted({round(y) for _, y in piece.cut})
([0, 110], [-10, 60])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.polygon import orient

from yuefang.pattern.draft.bezier import point_at_length, polyline_length
from yuefang.pattern.model import DrillHole, Line, Notch, Piece, Pt

__all__ = ["Edge", "NotchAt", "build_piece", "seam_allowance_outline", "edge_lengths"]


@dataclass(frozen=True)
class Edge:
    """One seam (or fold, or hem) of a piece's sew line.

    Parameters
    ----------
    name : str
        Machine name, used by the self-checks (``"side_seam"``).
    points : numpy.ndarray
        Sampled polyline (n, 2) in mm; its first point is the previous edge's last.
    sa_mm : float
        Seam allowance outside this edge, mm (0 for a fold).
    """

    name: str
    points: np.ndarray
    sa_mm: float = 10.0

    @property
    def length_mm(self) -> float:
        return polyline_length(self.points)


@dataclass(frozen=True)
class NotchAt:
    """A notch on edge ``edge`` at ``dist_mm`` from its start (negative: from its end)."""

    edge: str
    dist_mm: float
    name: str = ""


@dataclass
class _Ring:
    pts: np.ndarray
    edges: list[Edge] = field(default_factory=list)


def _unit(v: np.ndarray) -> np.ndarray:
    n = math.hypot(v[0], v[1])
    return v / n if n > 1e-12 else np.zeros(2)


def _end_dir(pts: np.ndarray, at_end: bool) -> np.ndarray:
    """Unit tangent at an end of a polyline, skipping zero-length steps."""
    n = len(pts)
    rng = range(n - 1, 0, -1) if at_end else range(n - 1)
    for i in rng:
        a, b = (pts[i - 1], pts[i]) if at_end else (pts[i], pts[i + 1])
        dx, dy = float(b[0] - a[0]), float(b[1] - a[1])
        ln = math.hypot(dx, dy)
        if ln > 1e-9:
            return np.array((dx / ln, dy / ln))
    return np.zeros(2)


def _corner_wedge(p: np.ndarray, d1: np.ndarray, sa1: float, d2: np.ndarray, sa2: float) -> Polygon | None:
    """The allowance at a convex corner: the two offset lines extended to meet (mitre)."""
    cross = d1[0] * d2[1] - d1[1] * d2[0]
    if cross <= 1e-9 or (sa1 <= 0 and sa2 <= 0):
        return None  # concave or straight: the edge strips already overlap
    n1 = np.array([d1[1], -d1[0]])
    n2 = np.array([d2[1], -d2[0]])
    a = p + sa1 * n1
    b = p + sa2 * n2
    # a + t d1 = b - u d2
    m = np.array([[d1[0], d2[0]], [d1[1], d2[1]]])
    try:
        t, u = np.linalg.solve(m, b - a)
    except np.linalg.LinAlgError:
        return None
    limit = 4.0 * max(sa1, sa2)
    if t >= 0 and u >= 0 and t <= limit and u <= limit:
        ring = [p, a, a + t * d1, b]
    else:
        ring = [p, a, b]
    poly = Polygon(ring)
    return poly if poly.is_valid and poly.area > 0 else poly.buffer(0)


def _offset_edge(pts: np.ndarray, d: float) -> np.ndarray:
    """Offset a polyline by ``d`` to its right (outside of a CCW ring), mitred at its vertices."""
    if d <= 0:
        return pts
    seg = np.diff(pts, axis=0)
    ln = np.hypot(seg[:, 0], seg[:, 1])
    keep = ln > 1e-12
    if not keep.all():
        pts = np.vstack([pts[0], pts[1:][keep]])
        seg, ln = seg[keep], ln[keep]
    if len(seg) == 0:
        return pts
    nrm = np.stack([seg[:, 1], -seg[:, 0]], axis=1) / ln[:, None]
    vn = np.empty_like(pts)
    vn[0], vn[-1] = nrm[0], nrm[-1]
    if len(nrm) > 1:
        a, b = nrm[:-1], nrm[1:]
        denom = 1.0 + np.einsum("ij,ij->i", a, b)
        vn[1:-1] = (a + b) / np.maximum(denom, 0.2)[:, None]
    return pts + d * vn


def _trim_crossing(a: np.ndarray, b: np.ndarray, k: int = 12) -> tuple[np.ndarray, np.ndarray] | None:
    """Cut the end of polyline ``a`` and the start of ``b`` where they cross (None if they don't)."""
    ka, kb = min(k, len(a) - 1), min(k, len(b) - 1)
    if ka < 1 or kb < 1:
        return None
    p, r = a[-ka - 1 : -1], np.diff(a[-ka - 1 :], axis=0)  # segments of a's tail
    q, s = b[:kb], np.diff(b[: kb + 1], axis=0)  # segments of b's head
    rxs = r[:, None, 0] * s[None, :, 1] - r[:, None, 1] * s[None, :, 0]
    qp = q[None, :, :] - p[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (qp[..., 0] * s[None, :, 1] - qp[..., 1] * s[None, :, 0]) / rxs
        u = (qp[..., 0] * r[:, None, 1] - qp[..., 1] * r[:, None, 0]) / rxs
    ok = (np.abs(rxs) > 1e-12) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
    if not ok.any():
        return None
    ii, jj = np.nonzero(ok)
    # the crossing nearest the corner: latest segment of a, earliest of b
    best = int(np.argmax(ii * (kb + 1) - jj))
    i, j = int(ii[best]), int(jj[best])
    x = p[i] + t[i, j] * r[i]
    ia = len(a) - 1 - ka + i  # index in a of segment i's start
    return np.vstack([a[: ia + 1], x]), np.vstack([x, b[j + 1 :]])


def _fast_outline(edges: Sequence[Edge]) -> np.ndarray | None:
    """Cut line by direct offsetting with mitred corners; None when that is not a simple polygon."""
    offs = [_offset_edge(e.points, e.sa_mm) for e in edges]
    n = len(edges)
    # concave corners first: the two offsets cross near the corner, trim both at the crossing
    for i, e in enumerate(edges):
        j = (i + 1) % n
        nxt = edges[j]
        if e.sa_mm <= 0 and nxt.sa_mm <= 0:
            continue
        d1, d2 = _end_dir(e.points, True), _end_dir(nxt.points, False)
        if d1[0] * d2[1] - d1[1] * d2[0] < -0.02 or (
            d1[0] * d2[1] - d1[1] * d2[0] < 0.02 and float(d1 @ d2) < 0
        ):
            hit = _trim_crossing(offs[i], offs[j])
            if hit is None:
                return None
            offs[i], offs[j] = hit
    # convex corners: the offsets extended to meet in a mitre point that replaces both ends
    mitre: list[np.ndarray | None] = [None] * n
    for i, e in enumerate(edges):
        nxt = edges[(i + 1) % n]
        if e.sa_mm <= 0 and nxt.sa_mm <= 0:
            continue
        d1, d2 = _end_dir(e.points, True), _end_dir(nxt.points, False)
        cross = d1[0] * d2[1] - d1[1] * d2[0]
        if cross < 0.02:  # straight on, or concave (trimmed above): the offsets meet end to end
            continue
        a, b = offs[i][-1], offs[(i + 1) % n][0]
        # a + t d1 = b - u d2  (Cramer's rule; cross != 0 here)
        rx, ry = float(b[0] - a[0]), float(b[1] - a[1])
        t = (rx * d2[1] - ry * d2[0]) / cross
        u = (d1[0] * ry - d1[1] * rx) / cross
        limit = 4.0 * max(e.sa_mm, nxt.sa_mm)
        if 0 <= t <= limit and 0 <= u <= limit:
            mitre[i] = a + t * d1
    out: list[np.ndarray] = []
    for i in range(n):
        o = offs[i]
        start = 1 if mitre[i - 1] is not None else 0
        body = o[start:-1] if mitre[i] is not None else o[start:]
        out.append(body)
        corner = mitre[i]
        if corner is not None:
            out.append(corner[None, :])
    ring = np.vstack(out)
    if not shapely.is_valid(shapely.polygons(ring)):
        return None
    if _area2(ring) < 0:
        ring = ring[::-1]
    return ring


def seam_allowance_outline(edges: Sequence[Edge]) -> tuple[np.ndarray, np.ndarray]:
    """Sew line and cut line of a closed chain of CCW edges.

    Each edge is offset outwards by its own allowance and neighbouring offsets meet in a mitre;
    where that does not give a simple polygon (a concave corner, a curve tighter than its
    allowance) the cut line is the union of the sew polygon, every edge's one-sided buffer and
    the corner mitres, computed with shapely.

    Returns
    -------
    (sew, cut): two (n, 2) arrays, counter-clockwise, first vertex not repeated, mm.
    """
    sew = np.vstack([e.points[:-1] for e in edges])
    sew_poly = Polygon(sew)
    if not sew_poly.is_valid:
        raise ValueError("a sew line crosses itself")
    fast = _fast_outline(edges)
    if fast is not None:
        return sew, fast
    parts: list[object] = [sew_poly]
    n = len(edges)
    for i, e in enumerate(edges):
        if e.sa_mm > 0 and polyline_length(e.points) > 1e-9:
            strip = LineString(e.points).buffer(-e.sa_mm, single_sided=True, join_style="mitre", mitre_limit=4.0)
            if not strip.is_empty:
                parts.append(strip)
        nxt = edges[(i + 1) % n]
        w = _corner_wedge(e.points[-1], _end_dir(e.points, True), e.sa_mm, _end_dir(nxt.points, False), nxt.sa_mm)
        if w is not None and not w.is_empty:
            parts.append(w)
    cut = shapely.union_all(parts, grid_size=1e-6)
    if cut.geom_type != "Polygon":
        cut = max(getattr(cut, "geoms", [cut]), key=lambda g: g.area)
    cut = Polygon(cut.exterior).simplify(0.005)
    if not cut.is_valid:
        cut = cut.buffer(0)
    cut = orient(cut, 1.0)
    return sew, np.asarray(cut.exterior.coords)[:-1]


def edge_lengths(edges: Iterable[Edge]) -> dict[str, float]:
    """Length of every named edge, mm."""
    return {e.name: e.length_mm for e in edges}


def _orient_ccw(edges: list[Edge]) -> list[Edge]:
    if _area2(np.vstack([e.points[:-1] for e in edges])) >= 0:
        return edges
    return [Edge(e.name, e.points[::-1].copy(), e.sa_mm) for e in reversed(edges)]


def _area2(ring: np.ndarray) -> float:
    """Twice the signed area of a closed ring (positive when counter-clockwise)."""
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]) + x[-1] * y[0] - x[0] * y[-1])


def _turn_indices(cut: np.ndarray, min_turn_deg: float = 25.0) -> tuple[int, ...]:
    nxt = np.empty_like(cut)
    nxt[:-1] = cut[1:] - cut[:-1]
    nxt[-1] = cut[0] - cut[-1]
    prev = np.empty_like(cut)
    prev[1:] = nxt[:-1]
    prev[0] = nxt[-1]
    a1 = np.arctan2(prev[:, 1], prev[:, 0])
    a2 = np.arctan2(nxt[:, 1], nxt[:, 0])
    turn = np.abs((a2 - a1 + np.pi) % (2 * np.pi) - np.pi)
    return tuple(int(i) for i in np.nonzero(turn > math.radians(min_turn_deg))[0])


def _r(p: Iterable[float]) -> Pt:
    x, y = p
    return (round(float(x), 3), round(float(y), 3))


def _nearest_on_ring(ring: np.ndarray, px: float, py: float) -> tuple[float, float]:
    """The point of a closed polyline nearest to (px, py)."""
    a = ring
    d = np.empty_like(ring)
    d[:-1] = ring[1:] - ring[:-1]
    d[-1] = ring[0] - ring[-1]
    dd = np.einsum("ij,ij->i", d, d)
    t = np.clip(((px - a[:, 0]) * d[:, 0] + (py - a[:, 1]) * d[:, 1]) / np.where(dd > 0, dd, 1.0), 0.0, 1.0)
    q = a + t[:, None] * d
    i = int(np.argmin((q[:, 0] - px) ** 2 + (q[:, 1] - py) ** 2))
    return float(q[i, 0]), float(q[i, 1])


def _dedupe(pts: np.ndarray) -> tuple[Pt, ...]:
    """Round to 0.001 mm and drop repeated consecutive vertices (and a closing repeat)."""
    q = np.round(np.asarray(pts, dtype=float), 3) + 0.0
    same = (q[1:, 0] == q[:-1, 0]) & (q[1:, 1] == q[:-1, 1])
    if same.any():
        q = q[np.concatenate(([True], ~same))]
    while len(q) > 1 and q[-1, 0] == q[0, 0] and q[-1, 1] == q[0, 1]:
        q = q[:-1]
    return tuple(map(tuple, q.tolist()))


def build_piece(
    name: str,
    label: str,
    edges: Sequence[Edge],
    *,
    grain: tuple[Pt, Pt],
    quantity: int = 1,
    mirrored_pair: bool = False,
    cut_on_fold: bool = False,
    fold_edge: str | None = None,
    notches: Sequence[NotchAt] = (),
    drill_holes: Sequence[DrillHole] = (),
    lines: Sequence[Line] = (),
    allowed_rotations_deg: tuple[float, ...] = (0.0, 180.0),
    seam_allowance_mm: float | None = None,
) -> Piece:
    """Join named edges into a :class:`Piece` with its cut line, notches and marks.

    Parameters
    ----------
    edges
        The sew line as a closed chain of :class:`Edge` (either orientation; made CCW here).
    fold_edge
        Name of the edge that is the fold when ``cut_on_fold`` (its allowance should be 0).
    notches
        Notches given on the sew line (edge and distance); they are placed on the cut line opposite.
    """
    es = _orient_ccw(list(edges))
    sew, cut = seam_allowance_outline(es)
    by_name = {e.name: e for e in es}
    out_notches = []
    for na in notches:
        e = by_name[na.edge]
        ln = e.length_mm
        d = na.dist_mm if na.dist_mm >= 0 else ln + na.dist_mm
        # edges may have been reversed to make the ring CCW: distances stay from the drafted start
        if e is not edges[[x.name for x in edges].index(na.edge)]:
            d = ln - d
        px, py = point_at_length(e.points, d)
        qx, qy = _nearest_on_ring(cut, px, py)
        ang = math.degrees(math.atan2(py - qy, px - qx)) if (px, py) != (qx, qy) else 0.0
        out_notches.append(Notch(x=round(qx, 3), y=round(qy, 3), angle_deg=round(ang, 2), name=na.name or na.edge))
    fold_line = None
    if cut_on_fold:
        fe = by_name[fold_edge or "fold"]
        fold_line = (_r(fe.points[0]), _r(fe.points[-1]))
    sew_t = _dedupe(sew)
    cut_t = _dedupe(cut)
    for what, ring in (("sew", sew_t), ("cut", cut_t)):
        if len(ring) < 3 or not shapely.is_valid(shapely.polygons(ring)):
            raise ValueError(f"piece {name!r}: its {what} line is not a simple polygon")
    if cut_on_fold and fold_line is None:
        raise ValueError(f"piece {name!r}: cut_on_fold needs a fold_line")
    if mirrored_pair and quantity % 2:
        raise ValueError(f"piece {name!r}: a mirrored pair needs an even quantity, got {quantity}")
    # the values are built typed above, so the model is constructed without re-validating
    # hundreds of coordinates (the JSON round trip in the tests validates the whole model)
    return Piece.model_construct(
        name=name,
        label=label,
        cut=cut_t,
        sew=sew_t,
        turn_points=_turn_indices(cut),
        grain=(_r(grain[0]), _r(grain[1])),
        allowed_rotations_deg=allowed_rotations_deg,
        quantity=quantity,
        mirrored_pair=mirrored_pair,
        cut_on_fold=cut_on_fold,
        fold_line=fold_line,
        notches=tuple(out_notches),
        drill_holes=tuple(drill_holes),
        lines=tuple(lines),
        seam_allowance_mm=seam_allowance_mm,
    )
