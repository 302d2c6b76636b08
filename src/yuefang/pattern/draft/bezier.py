"""Cubic Bézier curves and paths made of them, sampled with numpy.

A :class:`Path` is a chain of segments (straight lines and cubic Béziers) that a draft builds the
way a pattern maker draws: ``Path((0, 0)).line_to((100, 0)).curve_to(cp1, cp2, end)``. Lengths are
measured on the sampled polyline, the same polyline that becomes the sew line, so a self-check
measures exactly what is cut.

Examples
--------
>>> p = Path((0.0, 0.0)).line_to((30.0, 40.0))
>>> round(p.length(), 6)
50.0
>>> c = Path((0.0, 0.0)).curve_to((0.0, 10.0), (10.0, 10.0), (10.0, 0.0))
>>> 15.0 < c.length() < 20.0
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "SAMPLES_PER_CURVE",
    "cubic_points",
    "cubic_split",
    "polyline_length",
    "Path",
    "point_at_length",
    "split_polyline_at_length",
    "split_polyline_at_y",
]

SAMPLES_PER_CURVE = 24
_T = np.linspace(0.0, 1.0, SAMPLES_PER_CURVE + 1)
_B = np.stack([(1 - _T) ** 3, 3 * (1 - _T) ** 2 * _T, 3 * (1 - _T) * _T**2, _T**3], axis=1)

P = Sequence[float] | np.ndarray


def cubic_points(p0: P, p1: P, p2: P, p3: P, n: int = SAMPLES_PER_CURVE) -> np.ndarray:
    """Sample a cubic Bézier at ``n + 1`` evenly spaced parameters.

    Returns
    -------
    numpy.ndarray of shape (n + 1, 2), mm.

    >>> np.round(cubic_points((0, 0), (1, 0), (2, 0), (3, 0), 3)[:, 0], 9).tolist()
    [0.0, 1.0, 2.0, 3.0]
    """
    ctrl = np.array([p0, p1, p2, p3], dtype=float)
    if n == SAMPLES_PER_CURVE:
        return _B @ ctrl
    t = np.linspace(0.0, 1.0, n + 1)
    b = np.stack([(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3], axis=1)
    return b @ ctrl


def cubic_split(p0: P, p1: P, p2: P, p3: P, t: float) -> tuple[np.ndarray, np.ndarray]:
    """De Casteljau split at ``t``: two control polygons of shape (4, 2).

    >>> a, b = cubic_split((0, 0), (1, 0), (2, 0), (3, 0), 0.5)
    >>> a[-1].tolist(), b[0].tolist()
    ([1.5, 0.0], [1.5, 0.0])
    """
    q = np.array([p0, p1, p2, p3], dtype=float)
    a = q[:-1] + t * (q[1:] - q[:-1])
    b = a[:-1] + t * (a[1:] - a[:-1])
    c = b[0] + t * (b[1] - b[0])
    return np.array([q[0], a[0], b[0], c]), np.array([c, b[1], a[2], q[3]])


def polyline_length(pts: np.ndarray) -> float:
    """Length of a polyline given as an (n, 2) array, mm.

    >>> polyline_length(np.array([[0, 0], [3, 4], [3, 10]]))
    11.0
    """
    d = np.diff(np.asarray(pts, dtype=float), axis=0)
    return float(np.hypot(d[:, 0], d[:, 1]).sum())


def point_at_length(pts: np.ndarray, dist: float) -> tuple[float, float]:
    """The point at arc length ``dist`` (mm) along a polyline (clamped to its ends).

    >>> point_at_length(np.array([[0.0, 0.0], [10.0, 0.0]]), 4.0)
    (4.0, 0.0)
    """
    pts = np.asarray(pts, dtype=float)
    seg = np.hypot(*np.diff(pts, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    d = min(max(dist, 0.0), cum[-1])
    i = int(np.searchsorted(cum, d, side="right") - 1)
    i = min(i, len(seg) - 1)
    f = 0.0 if seg[i] == 0 else (d - cum[i]) / seg[i]
    p = pts[i] + f * (pts[i + 1] - pts[i])
    return float(p[0]), float(p[1])


def split_polyline_at_length(pts: np.ndarray, dist: float) -> tuple[np.ndarray, np.ndarray]:
    """Split a polyline at arc length ``dist``: (before, after), sharing the split point."""
    pts = np.asarray(pts, dtype=float)
    seg = np.hypot(*np.diff(pts, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    d = min(max(dist, 0.0), cum[-1])
    i = min(int(np.searchsorted(cum, d, side="right") - 1), len(seg) - 1)
    f = 0.0 if seg[i] == 0 else (d - cum[i]) / seg[i]
    p = pts[i] + f * (pts[i + 1] - pts[i])
    return np.vstack([pts[: i + 1], p]), np.vstack([p, pts[i + 1 :]])


def split_polyline_at_y(pts: np.ndarray, y: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Split a polyline where it first crosses the level ``y``; None when it never does."""
    pts = np.asarray(pts, dtype=float)
    s = pts[:, 1] - y
    for i in range(len(pts) - 1):
        if s[i] == 0:
            return np.vstack([pts[: i + 1]]), pts[i:]
        if s[i] * s[i + 1] < 0:
            f = s[i] / (s[i] - s[i + 1])
            p = pts[i] + f * (pts[i + 1] - pts[i])
            return np.vstack([pts[: i + 1], p]), np.vstack([p, pts[i + 1 :]])
    return None


class Path:
    """A chain of straight and cubic segments from a start point (mm).

    Methods return ``self`` so a path is drawn in one expression; :meth:`points` gives the sampled
    polyline (each cubic sampled at :data:`SAMPLES_PER_CURVE` steps, lines kept as two points).
    """

    __slots__ = ("_parts", "_end")

    def __init__(self, start: P) -> None:
        s = np.array(start, dtype=float)
        self._parts: list[np.ndarray] = [s[None, :]]
        self._end = s

    @property
    def end(self) -> tuple[float, float]:
        return float(self._end[0]), float(self._end[1])

    def line_to(self, p: P) -> Path:
        q = np.array(p, dtype=float)
        self._parts.append(q[None, :])
        self._end = q
        return self

    def curve_to(self, cp1: P, cp2: P, p: P) -> Path:
        pts = cubic_points(self._end, cp1, cp2, p)
        self._parts.append(pts[1:])
        self._end = pts[-1]
        return self

    def points(self) -> np.ndarray:
        """The sampled polyline, shape (n, 2)."""
        return np.vstack(self._parts)

    def length(self) -> float:
        """Arc length of the sampled polyline, mm."""
        return polyline_length(self.points())
