"""Fixtures of the measure tests: ANSUR II rows (skip when ../shared is absent) and synthetic people."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from yuefang.measure import default_model
from yuefang.measure.ansur import rows_from_ansur_csv


@pytest.fixture(scope="session")
def ansur_rows(shared_dir: Path) -> list[dict]:
    folder = shared_dir / "data" / "ansur2"
    if not folder.is_dir():
        pytest.skip(f"ANSUR II files not found at {folder}")
    rows: list[dict] = []
    for name in ("ANSUR_II_MALE_Public.csv", "ANSUR_II_FEMALE_Public.csv"):
        rows += rows_from_ansur_csv((folder / name).read_text(encoding="utf-8"))
    return rows


def synthetic_people(n: int, sex: str = "female", seed: int = 0, drop: tuple[str, ...] = ()) -> list[dict]:
    """People drawn from the shipped model's own Gaussian (so a refit must recover it)."""
    rng = np.random.default_rng(seed)
    p = default_model().params_[sex]["stature+weight_kg+age_years"]
    stature = rng.normal(1620 if sex == "female" else 1750, 60, n)
    weight = rng.normal(23.5, 3.0, n).clip(18, 35) * (stature / 1000) ** 2
    age = rng.uniform(18, 60, n)
    from yuefang.measure.completion import _features

    mu = _features(p.inputs, stature, weight, age) @ p.coef
    y = np.exp(mu + rng.multivariate_normal(np.zeros(len(p.outputs)), p.cov, n))
    rows = []
    for i in range(n):
        r = {"sex": sex, "stature": stature[i], "weight_kg": weight[i], "age_years": age[i]}
        r.update({name: y[i, j] for j, name in enumerate(p.outputs) if name not in drop})
        rows.append(r)
    return rows


@pytest.fixture
def make_people():
    return synthetic_people
