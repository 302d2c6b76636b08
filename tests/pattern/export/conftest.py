"""Fixtures for the export tests: a hand-made pattern with curves and every kind of marking."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Polygon

from yuefang.pattern.model import DrillHole, Line, Notch, Pattern, Piece


def _cubic(p0, p1, p2, p3, n=16):
    t = np.linspace(0.0, 1.0, n + 1)[:, None]
    pts = (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3
    return [tuple(map(float, p)) for p in pts]


def curved_pattern() -> Pattern:
    """A front with an armhole and a neckline as cubic Béziers, a sleeve, and a collar on the fold."""
    a = np.array
    # front: straight hem, side seam, curved armhole, shoulder, curved neckline, centre front
    arm = _cubic(a([250.0, 400.0]), a([230.0, 460.0]), a([200.0, 500.0]), a([190.0, 560.0]))
    neck = _cubic(a([80.0, 600.0]), a([70.0, 560.0]), a([40.0, 540.0]), a([0.0, 535.0]))
    cut = [(0.0, 0.0), (250.0, 0.0), *arm, *neck]
    turns = (0, 1, 2, 2 + len(arm) - 1, 2 + len(arm), len(cut) - 1)
    inner = Polygon(cut).buffer(-10.0, join_style="mitre").exterior
    sew = list(inner.coords)[:-1] if inner.is_ccw else list(inner.coords)[-2::-1]
    front = Piece(
        name="front",
        label="Front 前片",
        cut=tuple(cut),
        sew=tuple(sew),
        turn_points=turns,
        grain=((120.0, 100.0), (120.0, 400.0)),
        quantity=2,
        mirrored_pair=True,
        notches=(Notch(x=250.0, y=200.0, angle_deg=180.0, name="side"), Notch(x=0.0, y=300.0, angle_deg=0.0)),
        drill_holes=(DrillHole(x=120.0, y=250.0, name="pocket"),),
        lines=(
            Line(kind="dart", points=((100.0, 0.0), (110.0, 150.0), (120.0, 0.0)), name="waist_dart"),
            Line(kind="buttonhole", points=((20.0, 450.0), (20.0, 470.0)), name="bh1"),
        ),
        seam_allowance_mm=10.0,
    )
    cap = _cubic(a([0.0, 0.0]), a([60.0, 120.0]), a([240.0, 120.0]), a([300.0, 0.0]))
    sleeve = Piece(
        name="sleeve",
        label="Sleeve 袖片",
        cut=((40.0, -500.0), (260.0, -500.0), *cap[::-1]),
        grain=((150.0, -400.0), (150.0, 0.0)),
        quantity=2,
        mirrored_pair=True,
        notches=(Notch(x=150.0, y=90.0, angle_deg=-90.0, name="cap"),),
    )
    collar = Piece(
        name="collar",
        label="Collar 翻领",
        cut=((0.0, 0.0), (200.0, 0.0), (210.0, 60.0), (0.0, 60.0)),
        grain=((20.0, 30.0), (150.0, 30.0)),
        quantity=1,
        cut_on_fold=True,
        fold_line=((0.0, 0.0), (0.0, 60.0)),
    )
    return Pattern(product="test_shirt", size="170/88A", pieces=(front, sleeve, collar), report={"ok": True})


@pytest.fixture
def curvy() -> Pattern:
    return curved_pattern()
