"""Fixtures for the marker tests: small hand-made patterns and fabrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from yuefang.marker import Fabric
from yuefang.pattern.model import Pattern, Piece


def rect(w: float, h: float, x0: float = 0.0, y0: float = 0.0) -> tuple[tuple[float, float], ...]:
    return ((x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h))


def make_pattern(scale: float = 1.0, size: str = "M") -> Pattern:
    """A small garment: a back cut on fold, an asymmetric mirrored front pair, a sleeve pair
    drawn with its grain vertical, a pocket that must keep its orientation."""
    s = scale
    back_half = ((0, 0), (150 * s, 0), (140 * s, 300 * s), (0, 320 * s))  # fold on x = 0
    front = ((0, 0), (160 * s, 0), (150 * s, 300 * s), (40 * s, 320 * s), (0, 250 * s))
    sleeve = ((0, 0), (200 * s, 0), (170 * s, 250 * s), (30 * s, 250 * s))
    return Pattern(
        product="test_garment",
        size=size,
        pieces=(
            Piece(
                name="back",
                label="Back",
                cut=back_half,
                grain=((50 * s, 0), (50 * s, 100 * s)),
                cut_on_fold=True,
                fold_line=((0, 0), (0, 320 * s)),
            ),
            Piece(name="front", label="Front", cut=front, grain=((80 * s, 50), (80 * s, 250)), quantity=2, mirrored_pair=True),
            Piece(name="sleeve", label="Sleeve", cut=sleeve, grain=((100 * s, 0), (100 * s, 200)), quantity=2, mirrored_pair=True),
            Piece(name="pocket", label="Pocket", cut=rect(80 * s, 90 * s), grain=((10, 0), (10, 50)), allowed_rotations_deg=(0.0,)),
        ),
    )


@pytest.fixture(scope="session", name="make_pattern")
def make_pattern_fixture():
    """The pattern factory: ``make_pattern(scale, size)``."""
    return make_pattern


@pytest.fixture(scope="session", name="rect")
def rect_fixture():
    """``rect(w, h)``: a rectangle ring."""
    return rect


@pytest.fixture(scope="session")
def pattern() -> Pattern:
    return make_pattern()


@pytest.fixture(scope="session")
def fabric() -> Fabric:
    return Fabric(name="poplin", width_mm=700, selvedge_mm=10)


@pytest.fixture(scope="session")
def small_marker(pattern, fabric):
    """One garment nested for 1 s (shared by the checker and export tests)."""
    from yuefang.marker import nest

    return nest([(pattern, 1)], fabric, time_limit_s=1, seed=3)


@pytest.fixture(scope="session")
def nesting_dir(shared_dir) -> Path:
    path = shared_dir / "benchmarks" / "nesting"
    if not path.is_dir():
        pytest.skip(f"{path} not found: nesting benchmark instances are not available")
    return path


@pytest.fixture(scope="session")
def shirts_instance(nesting_dir) -> dict:
    return json.loads((nesting_dir / "shirts.json").read_text())
