"""SALBP: reading .IN2, lower bounds, SALBP-1/2 against known optima, the independent checker."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yuefang.plan import (
    BalanceResult,
    SalbpInstance,
    check_salbp,
    read_in2,
    salbp_lower_bound,
    solve_salbp1,
    solve_salbp2,
)


def test_read_in2_stops_at_end_mark_and_handles_dos_bytes() -> None:
    text = "3\r\n4\r\n5\r\n6\r\n1,2\r\n2,3\r\n-1,-1\r\nTransitive Pfeile gel\xf6scht\r\n1,3\r\n\x1a"
    inst = read_in2(text)
    assert inst.task_times == (4, 5, 6)
    assert inst.precedences == ((1, 2), (2, 3))


def test_read_in2_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match="in2 line 3: 'x'"):
        read_in2("2\n1\nx\n")
    with pytest.raises(ValueError, match="task 1..2|distinct tasks 1..2"):
        read_in2("2\n1\n1\n1,5\n")
    with pytest.raises(ValueError, match="cycle"):
        read_in2("2\n1\n1\n1,2\n2,1\n")


def test_cycle_shorter_than_a_task_is_rejected() -> None:
    inst = SalbpInstance((3, 9))
    with pytest.raises(ValueError, match="cycle_time: 8; allowed: an integer >= the longest task time \\(9\\)"):
        solve_salbp1(inst, 8, 1.0)


def test_lower_bound_counts_big_tasks() -> None:
    # three tasks above half the cycle need three stations though the sum fits in two
    assert salbp_lower_bound(SalbpInstance((6, 6, 6, 1)), 11) == 3


def test_chain_forces_stations() -> None:
    inst = SalbpInstance((5, 5, 5, 5), ((1, 2), (2, 3), (3, 4)))
    r = solve_salbp1(inst, 9, 1.0)
    assert r.stations == 4 and r.optimal
    assert check_salbp(inst, r) == []


def _optima(salbp_dir: Path, graphs: set[str]) -> list[dict[str, str]]:
    return [r for r in csv.DictReader((salbp_dir / "salbp1_optima.csv").open()) if r["graph"] in graphs]


def test_small_scholl_graphs_reach_and_prove_the_optimum(salbp_dir: Path) -> None:
    rows = _optima(salbp_dir, {"Mertens", "Jackson", "Mitchell", "Buxey", "Heskiaoff", "Roszieg"})
    assert len(rows) >= 30
    cache: dict[str, SalbpInstance] = {}
    for row in rows:
        f = row["file"]
        if f not in cache:
            cache[f] = read_in2((salbp_dir / "scholl1993" / f).read_text(encoding="latin-1"), f)
        r = solve_salbp1(cache[f], int(row["cycle_time"]), 5.0)  # instant when idle; slack for a loaded CI
        assert check_salbp(cache[f], r) == [], row
        assert r.stations == int(row["m_opt"]), row
        assert r.optimal, row
        assert r.lower_bound == r.stations


def test_salbp2_on_buxey(salbp_dir: Path) -> None:
    inst = read_in2((salbp_dir / "scholl1993" / "BUXEY.IN2").read_text(encoding="latin-1"))
    rows = [r for r in csv.DictReader((salbp_dir / "salbp2_optima.csv").open()) if r["graph"] == "Buxey"][:3]
    for row in rows:
        r = solve_salbp2(inst, int(row["stations"]), 3.0)
        assert check_salbp(inst, r) == []
        assert r.stations <= int(row["stations"])
        assert r.cycle_time >= int(row["c_opt"])  # never below the proven optimum
        assert r.cycle_time <= int(row["c_opt"]) * 1.05


def test_checker_finds_each_violation() -> None:
    inst = SalbpInstance((3, 4, 5), ((1, 2),))
    assert check_salbp(inst, BalanceResult(2, 8, ((1, 2), (3,)), False, 1)) == []
    over = check_salbp(inst, BalanceResult(1, 8, ((1, 2, 3),), False, 1))
    assert any("load 12 > cycle time 8" in e for e in over)
    missing = check_salbp(inst, BalanceResult(1, 8, ((1, 2),), False, 1))
    assert any("not assigned: [3]" in e for e in missing)
    twice = check_salbp(inst, BalanceResult(2, 8, ((1, 3), (2, 3)), False, 1))
    assert any("task 3: in stations 1 and 2" in e for e in twice)
