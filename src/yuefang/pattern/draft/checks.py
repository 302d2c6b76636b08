"""Self-checks a draft runs on its own pieces and reports in ``Pattern.report``.

Each check compares a figure measured on the drafted geometry (a girth across the pieces at a level,
the two edges of a seam) with its target and tolerance.

Examples
--------
>>> c = check("chest_girth", 1080.4, 1080.0, 2.0)
>>> c["ok"], c["error_mm"]
(True, 0.4)
>>> report([c, check("side_seam", 500.0, 498.0, 1.0)])["ok"]
False
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from yuefang.pattern.model import Piece

__all__ = ["check", "report", "width_at_y", "pieces_valid", "seam_check"]

Check = dict[str, object]


def check(name: str, value_mm: float, target_mm: float, tolerance_mm: float, kind: str = "girth") -> Check:
    """One check: ``ok`` when ``|value_mm - target_mm| <= tolerance_mm``."""
    err = float(value_mm) - float(target_mm)
    return {
        "name": name,
        "kind": kind,
        "value_mm": round(float(value_mm), 3),
        "target_mm": round(float(target_mm), 3),
        "error_mm": round(err, 3),
        "tolerance_mm": float(tolerance_mm),
        "ok": bool(abs(err) <= tolerance_mm + 1e-9),
    }


def seam_check(name: str, first_mm: float, second_mm: float, ease_mm: float = 0.0, tolerance_mm: float = 1.0) -> Check:
    """Two edges sewn together: ``first - second`` should equal the seam's intended ease."""
    return check(name, first_mm - second_mm, ease_mm, tolerance_mm, kind="seam")


def report(checks: Iterable[Check], extra: dict[str, object] | None = None) -> dict[str, object]:
    """The report: every check, the overall ``ok`` and the worst girth and seam errors (mm)."""
    cs = list(checks)
    worst: dict[str, float] = {}
    for c in cs:
        k = str(c["kind"])
        worst[k] = max(worst.get(k, 0.0), abs(float(c["error_mm"])))  # type: ignore[arg-type]  # check() stores a float
    out: dict[str, object] = {
        "ok": all(bool(c["ok"]) for c in cs),
        "checks": cs,
        "worst_error_mm": {k: round(v, 3) for k, v in worst.items()},
    }
    if extra:
        out.update(extra)
    return out


def width_at_y(
    points: np.ndarray | Sequence[tuple[float, float]], y: float, x_from: float | None = None, direction: int = 1
) -> float:
    """Horizontal width of a closed outline at level ``y`` (mm).

    With ``x_from`` the width is measured from that x (a centre line) to the farthest crossing on
    its right (``direction=1``) or on its left (``direction=-1``).

    >>> width_at_y([(0, 0), (10, 0), (10, 10), (0, 10)], 5.0)
    10.0
    >>> width_at_y([(0, 0), (10, 0), (10, 10), (0, 10)], 5.0, x_from=2.0)
    8.0
    >>> width_at_y([(0, 0), (10, 0), (10, 10), (0, 10)], 5.0, x_from=2.0, direction=-1)
    2.0
    """
    pts = np.asarray(points, dtype=float)
    lo, hi = pts[:, 0].min() - 1.0, pts[:, 0].max() + 1.0
    inter = Polygon(pts).intersection(LineString([(lo, y), (hi, y)]))
    if inter.is_empty:
        return 0.0
    xs = np.asarray([c[0] for g in getattr(inter, "geoms", [inter]) for c in g.coords])
    if x_from is None:
        return float(xs.max() - xs.min())
    return float((direction * (xs - x_from)).max())


def pieces_valid(pieces: Iterable[Piece]) -> list[str]:
    """Names of pieces whose cut or sew line is not a valid simple polygon (empty when all are)."""
    names, rings = [], []
    for p in pieces:
        for ring in (p.cut, p.sew):
            if ring is not None:
                names.append(p.name)
                rings.append(shapely.polygons(ring))
    if not rings:
        return []
    arr = np.array(rings, dtype=object)
    ok = shapely.is_valid(arr) & (shapely.area(arr) > 0)
    return sorted({n for n, good in zip(names, ok, strict=True) if not good})
