"""The nesting benchmark says which protocol it ran and accepts a reduced one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "marker_nesting.py"


@pytest.fixture(scope="module", name="bench")
def bench_module():
    sys.path.insert(0, str(BENCH.parent))
    spec = importlib.util.spec_from_file_location("marker_nesting_under_test", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_instance_selection(bench):
    assert bench.parse_instances("all") == bench.INSTANCES
    assert bench.parse_instances("textile") == ["dagli", "mao", "shirts", "trousers"]
    assert bench.parse_instances("shirts, fu") == ["shirts", "fu"]
    with pytest.raises(SystemExit, match="unknown.*bogus"):
        bench.parse_instances("shirts,bogus")


def test_protocol_line_names_a_reduced_run(bench):
    full = bench.protocol_line(bench.INSTANCES, 60, [0, 1, 2, 3, 4], 2)
    assert full.startswith("FULL protocol")
    for names, t, seeds in [
        (bench.INSTANCES, 60, [0, 1]),
        (["shirts"], 60, [0, 1, 2, 3, 4]),
        (bench.INSTANCES, 15, [0, 1, 2, 3, 4]),
    ]:
        line = bench.protocol_line(names, t, seeds, 2)
        assert line.startswith("REDUCED protocol")
        assert f"{t} s per run" in line and f"({len(seeds)})" in line and ",".join(names) in line
