"""Flexible job shop solver: known optimum proven, valid schedules on random instances, the
large-neighbourhood search reproducible with a seed, its helpers."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yuefang.plan import fjsp_lns as lns
from yuefang.plan.fjsp import (
    FjspInstance,
    check_fjsp,
    greedy_fjsp,
    random_fjsp,
    read_fjs,
    solve_fjsp,
    write_fjs,
)


def packed_instance(n_machines: int, horizon: int, seed: int) -> FjspInstance:
    """An instance whose optimum is ``horizon`` and provable by the load bound: every machine is
    cut into back-to-back operations filling [0, horizon); jobs chain operations that follow in
    time; every other machine an operation may use is slower, so the least total work is
    ``n_machines * horizon``."""
    rng = random.Random(seed)
    segs = []  # (start, end, machine)
    for m in range(1, n_machines + 1):
        t = 0
        while t < horizon:
            d = min(horizon - t, rng.randint(2, 6))
            segs.append((t, t + d, m))
            t += d
    segs.sort()
    jobs: list[list[tuple[int, int, int]]] = []
    for seg in segs:
        # append to a job whose last operation ends by this start, else open a new job
        fits = [j for j in jobs if j[-1][1] <= seg[0]]
        if fits and rng.random() < 0.8:
            rng.choice(fits).append(seg)
        else:
            jobs.append([seg])
    out = []
    for job in jobs:
        ops = []
        for s, e, m in job:
            opts = [(m, e - s)]
            for other in rng.sample([k for k in range(1, n_machines + 1) if k != m], min(2, n_machines - 1)):
                opts.append((other, e - s + rng.randint(1, 4)))
            ops.append(tuple(sorted(opts)))
        out.append(tuple(ops))
    return FjspInstance(n_machines, tuple(out), "packed")


def test_known_optimum_is_found_and_proven() -> None:
    inst = packed_instance(3, 24, seed=5)
    assert sum(len(j) for j in inst.jobs) >= 12
    s = solve_fjsp(inst, 20)
    assert check_fjsp(inst, s) == []
    assert s.makespan == 24 and s.optimal and s.lower_bound == 24
    assert s.elapsed_s < 20


def test_mk_like_instance_written_and_read_back() -> None:
    inst = random_fjsp(5, 4, ops=(2, 4), seed=3)
    assert read_fjs(write_fjs(inst)) == inst


def test_random_fjsp_rejects_bad_ranges() -> None:
    with pytest.raises(ValueError, match="flex"):
        random_fjsp(3, 3, flex=(0, 2))
    with pytest.raises(ValueError, match="ops"):
        random_fjsp(3, 3, ops=(4, 2))


def test_solver_rejects_bad_arguments() -> None:
    inst = random_fjsp(2, 2, ops=(1, 2), seed=1)
    with pytest.raises(ValueError, match="time_limit_s"):
        solve_fjsp(inst, 0)
    with pytest.raises(ValueError, match="num_workers"):
        solve_fjsp(inst, 1, num_workers=0)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_jobs=st.integers(1, 5), n_machines=st.integers(1, 4), max_ops=st.integers(1, 4),
       max_flex=st.integers(1, 4), seed=st.integers(0, 10_000))
def test_small_random_instances_get_valid_schedules(n_jobs: int, n_machines: int, max_ops: int, max_flex: int,
                                                    seed: int) -> None:
    inst = random_fjsp(n_jobs, n_machines, ops=(1, max_ops), flex=(1, max_flex), durations=(0, 9), seed=seed)
    s = solve_fjsp(inst, 3, seed=seed)
    assert check_fjsp(inst, s) == []
    assert s.lower_bound <= s.makespan <= greedy_fjsp(inst).makespan
    flat = lns.flatten(inst)
    assert s.makespan >= lns.lower_bound(flat)


def test_larger_generated_instance_improves_on_the_list_schedule() -> None:
    inst = random_fjsp(30, 10, seed=12)
    g = greedy_fjsp(inst)
    s = solve_fjsp(inst, 6)
    assert check_fjsp(inst, s) == []
    assert s.makespan < g.makespan
    assert s.lower_bound <= s.makespan


def test_lns_is_reproducible_with_a_seed() -> None:
    inst = random_fjsp(8, 5, ops=(3, 6), seed=21)
    flat = lns.flatten(inst)
    start = lns.to_incumbent(flat, greedy_fjsp(inst))
    runs = []
    for _ in range(2):
        inc, stats = lns.lns_search(flat, start, lb=lns.lower_bound(flat), deadline=time.monotonic() + 120, seed=4,
                                    num_workers=1, max_steps=8, sub_wall_s=60.0)
        runs.append((inc.makespan, inc.machine, inc.start, stats.steps))
    assert runs[0] == runs[1]
    assert runs[0][0] <= start.makespan
    sched = lns.to_schedule(flat, lns.Incumbent(runs[0][1], runs[0][2], runs[0][0], [
        s + flat.duration(i, m) for i, (m, s) in enumerate(zip(runs[0][1], runs[0][2], strict=True))]),
        optimal=False, lower_bound=0, elapsed_s=0.0)
    assert check_fjsp(inst, sched) == []


def test_construct_and_semi_active_give_valid_schedules() -> None:
    inst = random_fjsp(10, 6, seed=2)
    flat = lns.flatten(inst)
    for k in range(5):
        inc = lns.construct(flat, random.Random(k), 0.2 * k)
        assert check_fjsp(inst, lns.to_schedule(flat, inc, optimal=False, lower_bound=0, elapsed_s=0)) == []
        # a semi-active schedule: re-deriving it from its own order changes nothing
        again = lns.semi_active(flat, inc.machine, [float(x) for x in inc.start])
        assert again.start == inc.start
        crit = lns.critical_ops(flat, inc)
        assert any(inc.end[i] == inc.makespan for i in crit)
        assert any(inc.start[i] == 0 for i in crit)


def test_every_neighbourhood_keeps_the_incumbent_feasible() -> None:
    inst = random_fjsp(12, 6, seed=8)
    flat = lns.flatten(inst)
    inc = lns.construct(flat, random.Random(0))
    rng = random.Random(1)
    for kind in lns.KINDS:
        free, frozen, reorder = lns.choose_free(kind, flat, inc, 20, rng)
        assert 2 <= sum(free) + sum(reorder or []) <= flat.n_ops
        sub = lns.build_sub(flat, inc, free, frozen, inc.makespan, lns.lower_bound(flat), reorder=reorder)
        new, _solved, _dt = lns._solve_sub(sub, flat, inc, seed=1, dtime=0.5, wall_s=10)
        assert new is not None and new.makespan <= inc.makespan
        assert check_fjsp(inst, lns.to_schedule(flat, new, optimal=False, lower_bound=0, elapsed_s=0)) == []
        # operations neither freed nor frozen stay on their machine
        assert all(new.machine[i] == inc.machine[i] for i in range(flat.n_ops) if not free[i])
