"""Flexible job shop: reader, solver on Brandimarte mk01, checker."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yuefang.plan import FjspSchedule, FjspTask, check_fjsp, greedy_fjsp, read_fjs, solve_fjsp

TOY = "2 2 1\n2 1 1 3 2 1 2 2 4\n1 1 2 5\n"


def test_reader_and_errors() -> None:
    inst = read_fjs(TOY)
    assert inst.n_machines == 2 and len(inst.jobs) == 2
    with pytest.raises(ValueError, match="fjs line 2"):
        read_fjs("1 2\n2 1 1\n")
    with pytest.raises(ValueError, match="machine 3; allowed: 1..2"):
        read_fjs("1 2\n1 1 3 4\n")


def test_toy_is_solved_optimally() -> None:
    inst = read_fjs(TOY)
    s = solve_fjsp(inst, 5)
    assert s.makespan == 5 and s.optimal
    assert check_fjsp(inst, s) == []


def test_mk01_reaches_the_best_known(fjsp_dir: Path) -> None:
    bks = {r["instance"]: int(r["upper_bound"]) for r in csv.DictReader((fjsp_dir / "bks_brandimarte.csv").open())}
    inst = read_fjs((fjsp_dir / "brandimarte" / "mk01.fjs").read_text())
    g = greedy_fjsp(inst)
    assert check_fjsp(inst, g) == []
    s = solve_fjsp(inst, 10)
    assert check_fjsp(inst, s) == []
    assert bks["mk01"] <= s.makespan <= g.makespan
    assert s.makespan <= bks["mk01"] + 2


def test_checker_finds_overlap_wrong_machine_and_duration() -> None:
    inst = read_fjs(TOY)
    good = solve_fjsp(inst, 5)
    tasks = list(good.tasks)
    t0 = tasks[0]
    wrong_machine = [FjspTask(t0.job, t0.operation, 2, t0.start, t0.end)] + tasks[1:]
    assert any("not eligible" in e for e in check_fjsp(inst, FjspSchedule(good.makespan, tuple(wrong_machine), False, 0)))
    short = [FjspTask(t0.job, t0.operation, t0.machine, t0.start, t0.end - 1)] + tasks[1:]
    assert any("lasts" in e for e in check_fjsp(inst, FjspSchedule(good.makespan, tuple(short), False, 0)))
    # put job 2 on machine 2 at the same time as job 1's second operation on machine 2
    clash = (FjspTask(1, 1, 1, 0, 3), FjspTask(1, 2, 2, 3, 7), FjspTask(2, 1, 2, 4, 9))
    assert any("overlaps" in e for e in check_fjsp(inst, FjspSchedule(9, clash, False, 0)))
    assert any("not scheduled" in e for e in check_fjsp(inst, FjspSchedule(3, clash[:1], False, 0)))
