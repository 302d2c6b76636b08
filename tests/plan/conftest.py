"""Fixtures of the plan tests: a small cluster and the shared benchmark folders."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from yuefang.plan import Line, Order


@pytest.fixture()
def salbp_dir(shared_dir: Path) -> Path:
    d = shared_dir / "benchmarks" / "salbp"
    if not d.is_dir():
        pytest.skip(f"{d} absent: SALBP instances not available")
    return d


@pytest.fixture()
def fjsp_dir(shared_dir: Path) -> Path:
    d = shared_dir / "benchmarks" / "fjsp"
    if not d.is_dir():
        pytest.skip(f"{d} absent: FJSP instances not available")
    return d


@pytest.fixture()
def plan_start() -> datetime:
    return datetime(2026, 3, 2, 0, 0)


@pytest.fixture()
def small_lines() -> list[Line]:
    """Enterprise A: two shirt lines; enterprise B: one line that makes everything."""
    return [
        Line(line_id="A1", factory_id="FA", enterprise_id="A", operators=20, efficiency=0.6,
             products=("shirt", "trousers"), current_product="shirt"),
        Line(line_id="A2", factory_id="FA", enterprise_id="A", operators=10, efficiency=0.6,
             products=("shirt", "trousers"), current_product="trousers"),
        Line(line_id="B1", factory_id="FB", enterprise_id="B", operators=30, efficiency=0.7),
    ]


@pytest.fixture()
def small_orders() -> list[Order]:
    return [
        Order(order_id=f"o{k}", enterprise_id="A", product_id="shirt" if k % 2 else "trousers",
              quantity=150 + 40 * k, due_date=date(2026, 3, 3 + k), fabric_ready_date=date(2026, 3, 2 + k % 3))
        for k in range(8)
    ]
