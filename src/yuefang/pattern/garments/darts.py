"""Darts shared by the women's garments: a dart drawn as a V on an edge, legs of equal length.

Examples
--------
>>> import numpy as np
>>> edge = np.array([[0.0, 0.0], [100.0, 0.0]])
>>> d = dart_on_edge(edge, 50.0, 10.0, 80.0, inward=(0.0, -1.0))
>>> [round(v, 6) for v in d.apex], round(d.leg_a_mm - d.leg_b_mm, 9)
([50.0, -80.0], 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from yuefang.pattern.draft.bezier import point_at_length
from yuefang.pattern.model import DrillHole, Line

__all__ = ["Dart", "dart_on_edge"]


@dataclass(frozen=True)
class Dart:
    """A dart: its two leg points on the edge, its apex, and the edge distances of its legs (mm)."""

    a: tuple[float, float]
    b: tuple[float, float]
    apex: tuple[float, float]
    at_a_mm: float
    at_b_mm: float
    name: str = "dart"

    @property
    def leg_a_mm(self) -> float:
        return float(np.hypot(self.apex[0] - self.a[0], self.apex[1] - self.a[1]))

    @property
    def leg_b_mm(self) -> float:
        return float(np.hypot(self.apex[0] - self.b[0], self.apex[1] - self.b[1]))

    def line(self) -> Line:
        return Line(kind="dart", points=(self.a, self.apex, self.b), name=self.name)

    def drill_hole(self, back_off_mm: float) -> DrillHole:
        """The drill hole, ``back_off_mm`` short of the apex towards the edge (the tailor's habit)."""
        mid = (np.array(self.a) + np.array(self.b)) / 2
        v = mid - np.array(self.apex)
        n = float(np.hypot(*v)) or 1.0
        p = np.array(self.apex) + v / n * back_off_mm
        return DrillHole(x=float(p[0]), y=float(p[1]), name=f"{self.name} point")


def dart_on_edge(edge: np.ndarray, centre_mm: float, intake_mm: float, length_mm: float,
                 inward: tuple[float, float], name: str = "dart") -> Dart:
    """A dart of ``intake_mm`` centred at arc length ``centre_mm`` along ``edge``.

    The apex lies on the perpendicular bisector of the two leg points, ``length_mm`` from their
    midpoint, on the ``inward`` side, so the two legs are exactly equal.
    """
    at_a, at_b = centre_mm - intake_mm / 2, centre_mm + intake_mm / 2
    a = np.array(point_at_length(edge, at_a))
    b = np.array(point_at_length(edge, at_b))
    mid = (a + b) / 2
    t = b - a
    tn = float(np.hypot(*t))
    if tn < 1e-12:
        d = np.array(point_at_length(edge, centre_mm + 1e-3)) - np.array(point_at_length(edge, centre_mm - 1e-3))
        t, tn = d, float(np.hypot(*d))
    n = np.array([-t[1], t[0]]) / tn
    if n @ np.array(inward) < 0:
        n = -n
    apex = mid + n * length_mm
    return Dart((float(a[0]), float(a[1])), (float(b[0]), float(b[1])), (float(apex[0]), float(apex[1])), at_a, at_b, name)
