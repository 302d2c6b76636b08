"""Fixtures of the cluster tests: valid codes, a small register, a small synthetic cluster."""

from __future__ import annotations

import pytest

from yuefang.cluster.codes import complete_uscc
from yuefang.cluster.generator import SyntheticCluster, generate_cluster


def make_uscc(city: str = "4401", n: int = 1, division: str | None = None) -> str:
    """A valid code registered in ``division`` (default: the city's first district)."""
    div = division or f"{city}06"
    return complete_uscc(f"91{div}MA{n:07d}")


@pytest.fixture(scope="session")
def small_cluster() -> SyntheticCluster:
    return generate_cluster("small", enterprises=300, years=3, seed=7, anomaly_rate=2e-3)
