"""Flexible job shop scheduling (FJSP): the Brandimarte ``.fjs`` benchmark case.

Each job is an ordered list of operations; each operation runs on one of several machines
with a machine-dependent duration; minimise the makespan. The model is the shape of
OR-Tools' ``flexible_job_shop_sat.py``: per operation one optional interval per eligible
machine, exactly one present, no overlap per machine, precedence inside a job. A greedy
list schedule (earliest completion first) gives the hint and the fallback. Jobs, operations
and machines are numbered from 1 in every public value, as in the file.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

__all__ = ["FjspInstance", "FjspTask", "FjspSchedule", "read_fjs", "solve_fjsp", "check_fjsp", "greedy_fjsp"]


@dataclass(frozen=True)
class FjspInstance:
    """A flexible job shop.

    Attributes
    ----------
    n_machines : int
        Machines are 1..n_machines.
    jobs : tuple[tuple[tuple[tuple[int, int], ...], ...], ...]
        ``jobs[j][o]`` lists the ``(machine, duration)`` options of operation ``o`` of job ``j``
        (0-based positions, 1-based machine ids).
    name : str
        Free label.
    """

    n_machines: int
    jobs: tuple[tuple[tuple[tuple[int, int], ...], ...], ...]
    name: str = ""

    def __post_init__(self) -> None:
        if self.n_machines < 1:
            raise ValueError(f"n_machines: {self.n_machines}; allowed: >= 1")
        for j, job in enumerate(self.jobs, start=1):
            for o, opts in enumerate(job, start=1):
                if not opts:
                    raise ValueError(f"job {j} operation {o}: no machine; allowed: at least one option")
                for m, d in opts:
                    if not 1 <= m <= self.n_machines:
                        raise ValueError(f"job {j} operation {o}: machine {m}; allowed: 1..{self.n_machines}")
                    if d < 0:
                        raise ValueError(f"job {j} operation {o}: duration {d}; allowed: >= 0")


@dataclass(frozen=True)
class FjspTask:
    """One scheduled operation (1-based job, operation, machine; start and end in time units)."""

    job: int
    operation: int
    machine: int
    start: int
    end: int


@dataclass(frozen=True)
class FjspSchedule:
    """A schedule: makespan, tasks, whether proven optimal, the solver's lower bound."""

    makespan: int
    tasks: tuple[FjspTask, ...]
    optimal: bool
    lower_bound: int
    elapsed_s: float = 0.0


def read_fjs(text: str, name: str = "") -> FjspInstance:
    """Read a Brandimarte ``.fjs`` file.

    First line ``jobs machines [avg]``; then per job ``#ops`` and per operation
    ``#options (machine duration)*``.

    Examples
    --------
    >>> inst = read_fjs("2 2 1\\n2 1 1 3 2 1 2 2 4\\n1 1 2 5\\n")
    >>> inst.jobs
    ((((1, 3),), ((1, 2), (2, 4))), (((2, 5),),))
    """
    rows = [ln.split() for ln in text.splitlines() if ln.strip()]
    if not rows:
        raise ValueError("fjs: empty input; allowed: '<jobs> <machines> [avg]' then one line per job")
    try:
        n_jobs, n_mach = int(rows[0][0]), int(rows[0][1])
    except (ValueError, IndexError):
        raise ValueError(f"fjs line 1: {' '.join(rows[0])!r}; allowed: '<jobs> <machines> [avg]'") from None
    if len(rows) - 1 < n_jobs:
        raise ValueError(f"fjs: {len(rows) - 1} job lines for {n_jobs} jobs; allowed: one line per job")
    jobs = []
    for j in range(n_jobs):
        line = rows[1 + j]
        try:
            nums = [int(x) for x in line]
            k = 0
            n_ops = nums[k]
            k += 1
            ops = []
            for _ in range(n_ops):
                n_opt = nums[k]
                k += 1
                opts = []
                for _ in range(n_opt):
                    opts.append((nums[k], nums[k + 1]))
                    k += 2
                ops.append(tuple(opts))
        except (ValueError, IndexError):
            raise ValueError(f"fjs line {j + 2}: malformed job; allowed: '#ops (#options (machine duration)*)*'") from None
        jobs.append(tuple(ops))
    return FjspInstance(n_mach, tuple(jobs), name)


def greedy_fjsp(instance: FjspInstance, *, seed: int | None = None, alpha: float = 0.0) -> FjspSchedule:
    """List schedule: repeatedly the ready operation that can finish earliest, on its best machine.

    With ``seed`` the choice is randomised (GRASP): one of the candidates whose finish is within
    ``alpha`` of the best range is drawn, favouring long remaining jobs.
    """
    t0 = time.monotonic()
    rng = random.Random(seed) if seed is not None else None
    mach_free = [0] * (instance.n_machines + 1)
    job_free = [0] * len(instance.jobs)
    nxt = [0] * len(instance.jobs)
    tasks: list[FjspTask] = []
    remaining = sum(len(j) for j in instance.jobs)
    # work remaining per job (shortest option), to break ties toward long jobs
    rest = [[sum(min(d for _, d in opts) for opts in job[o:]) for o in range(len(job))] for job in instance.jobs]
    while remaining:
        cands = []
        for j, job in enumerate(instance.jobs):
            o = nxt[j]
            if o >= len(job):
                continue
            for m, d in job[o]:
                s = max(job_free[j], mach_free[m])
                cands.append(((s + d, -rest[j][o], s), j, o, m, s, d))
        cands.sort(key=lambda c: c[0])
        pick = cands[0]
        if rng is not None and alpha > 0 and len(cands) > 1:
            lo, hi = cands[0][0][0], cands[-1][0][0]
            limit = lo + alpha * (hi - lo)
            rcl = [c for c in cands if c[0][0] <= limit]
            pick = rcl[rng.randrange(len(rcl))]
        _, j, o, m, s, d = pick
        tasks.append(FjspTask(j + 1, o + 1, m, s, s + d))
        job_free[j] = mach_free[m] = s + d
        nxt[j] += 1
        remaining -= 1
    mk = max((t.end for t in tasks), default=0)
    return FjspSchedule(mk, tuple(sorted(tasks, key=lambda t: (t.job, t.operation))), False, 0, time.monotonic() - t0)


def _best_greedy(instance: FjspInstance, budget_s: float, seed: int) -> FjspSchedule:
    """The best of the deterministic rule and randomised restarts within ``budget_s``."""
    best = greedy_fjsp(instance)
    deadline = time.monotonic() + budget_s
    k = 0
    while time.monotonic() < deadline:
        cand = greedy_fjsp(instance, seed=seed * 100_003 + k, alpha=(0.05, 0.1, 0.2)[k % 3])
        if cand.makespan < best.makespan:
            best = cand
        k += 1
    return best


def _fixed_assignment_jobshop(instance: FjspInstance, start: FjspSchedule, time_limit_s: float, seed: int,
                              num_workers: int) -> FjspSchedule | None:
    """Re-sequence ``start`` with every operation kept on its machine (a job shop, CP-SAT)."""
    t0 = time.monotonic()
    horizon = start.makespan
    model = cp_model.CpModel()
    starts: dict[tuple[int, int], cp_model.IntVar] = {}
    ends: dict[tuple[int, int], cp_model.IntVar] = {}
    per_machine: dict[int, list[cp_model.IntervalVar]] = {}
    by_key = {(t.job - 1, t.operation - 1): t for t in start.tasks}
    for (j, o), t in by_key.items():
        d = t.end - t.start
        s = model.new_int_var(0, horizon - d, f"start_j{j}_t{o}")
        e = model.new_int_var(d, horizon, f"end_j{j}_t{o}")
        per_machine.setdefault(t.machine, []).append(model.new_interval_var(s, d, e, f"iv_j{j}_t{o}"))
        starts[j, o], ends[j, o] = s, e
        model.add_hint(s, t.start)
    for j, job in enumerate(instance.jobs):
        for o in range(1, len(job)):
            model.add(starts[j, o] >= ends[j, o - 1])
    for ivs in per_machine.values():
        model.add_no_overlap(ivs)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, list(ends.values()))
    model.minimize(makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.num_workers = max(1, num_workers)
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    tasks = tuple(FjspTask(j + 1, o + 1, by_key[j, o].machine, solver.value(starts[j, o]), solver.value(ends[j, o]))
                  for (j, o) in sorted(by_key))
    return FjspSchedule(round(solver.objective_value), tasks, False, 0, time.monotonic() - t0)


def solve_fjsp(instance: FjspInstance, time_limit_s: float = 60.0, seed: int = 0, *,
               num_workers: int = 2) -> FjspSchedule:
    """Minimise the makespan with CP-SAT within ``time_limit_s``.

    Parameters
    ----------
    instance : FjspInstance
    time_limit_s : float
        Wall-clock limit, seconds.
    seed : int
        Solver seed (fixed for reproducible runs).
    num_workers : int
        CP-SAT search workers (2 on the project's 2-core machines).

    Returns
    -------
    FjspSchedule
        ``optimal`` is true when the solver proved the makespan optimal.

    Examples
    --------
    >>> inst = read_fjs("2 2 1\\n2 1 1 3 2 1 2 2 4\\n1 1 2 5\\n")
    >>> s = solve_fjsp(inst, 5)
    >>> s.makespan, s.optimal
    (5, True)
    """
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: {time_limit_s!r}; allowed: > 0")
    t0 = time.monotonic()
    greedy = _best_greedy(instance, min(3.0, 0.1 * time_limit_s), seed)
    if time_limit_s >= 10:
        # stage 1: machines fixed as in the list schedule, a plain job shop converges fast;
        # its schedule is the hint of the full model
        fixed = _fixed_assignment_jobshop(instance, greedy, min(0.3 * time_limit_s, time_limit_s - 5), seed,
                                          num_workers)
        if fixed is not None and fixed.makespan < greedy.makespan:
            greedy = fixed
    # data: horizon from the greedy schedule
    horizon = greedy.makespan
    model = cp_model.CpModel()
    # variables, indexed by (job_id, task_id) and (job_id, task_id, alt_id)
    starts: dict[tuple[int, int], cp_model.IntVar] = {}
    ends: dict[tuple[int, int], cp_model.IntVar] = {}
    durs: dict[tuple[int, int], cp_model.IntVar] = {}
    presences: dict[tuple[int, int, int], cp_model.IntVar] = {}
    per_machine: dict[int, list[cp_model.IntervalVar]] = {}
    for j, job in enumerate(instance.jobs):
        for o, opts in enumerate(job):
            dmin = min(d for _, d in opts)
            dmax = max(d for _, d in opts)
            s = model.new_int_var(0, horizon, f"start_j{j}_t{o}")
            e = model.new_int_var(0, horizon, f"end_j{j}_t{o}")
            dur = model.new_int_var(dmin, dmax, f"dur_j{j}_t{o}")
            model.add(e == s + dur)
            starts[j, o], ends[j, o], durs[j, o] = s, e, dur
            if len(opts) == 1:
                m, d = opts[0]
                model.add(dur == d)
                per_machine.setdefault(m, []).append(model.new_interval_var(s, d, e, f"iv_j{j}_t{o}_m{m}"))
                presences[j, o, 0] = model.new_constant(1)
                continue
            lits = []
            for a, (m, d) in enumerate(opts):
                lit = model.new_bool_var(f"presence_j{j}_t{o}_a{a}")
                iv = model.new_optional_interval_var(s, d, e, lit, f"iv_j{j}_t{o}_a{a}")
                model.add(dur == d).only_enforce_if(lit)
                per_machine.setdefault(m, []).append(iv)
                presences[j, o, a] = lit
                lits.append(lit)
            # exactly one machine runs the operation
            model.add_exactly_one(lits)
            # precedence inside the job
        for o in range(1, len(job)):
            model.add(starts[j, o] >= ends[j, o - 1])
    # one operation at a time per machine
    for ivs in per_machine.values():
        model.add_no_overlap(ivs)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, [ends[j, len(job) - 1] for j, job in enumerate(instance.jobs) if job])
    model.minimize(makespan)
    # greedy hint
    for t in greedy.tasks:
        j, o = t.job - 1, t.operation - 1
        model.add_hint(starts[j, o], t.start)
        model.add_hint(ends[j, o], t.end)
        model.add_hint(durs[j, o], t.end - t.start)
        for a, (m, _d) in enumerate(instance.jobs[j][o]):
            if len(instance.jobs[j][o]) > 1:
                model.add_hint(presences[j, o, a], m == t.machine)
    model.add_hint(makespan, greedy.makespan)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s - (time.monotonic() - t0))
    solver.parameters.num_workers = max(1, num_workers)
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return FjspSchedule(greedy.makespan, greedy.tasks, False, 0, time.monotonic() - t0)
    tasks = []
    for j, job in enumerate(instance.jobs):
        for o, opts in enumerate(job):
            if len(opts) == 1:
                m = opts[0][0]
            else:
                m = next(opts[a][0] for a in range(len(opts)) if solver.boolean_value(presences[j, o, a]))
            tasks.append(FjspTask(j + 1, o + 1, m, solver.value(starts[j, o]), solver.value(ends[j, o])))
    return FjspSchedule(round(solver.objective_value), tuple(tasks), status == cp_model.OPTIMAL,
                        round(solver.best_objective_bound), time.monotonic() - t0)


def check_fjsp(instance: FjspInstance, schedule: FjspSchedule) -> list[str]:
    """Check a schedule independently of the solver: every operation once, eligible machine with
    its duration, job order, no overlap on a machine, makespan right. Returns the violations.

    Examples
    --------
    >>> inst = read_fjs("1 1 1\\n2 1 1 3 1 1 2\\n")
    >>> bad = FjspSchedule(4, (FjspTask(1, 1, 1, 0, 3), FjspTask(1, 2, 1, 2, 4)), False, 0)
    >>> check_fjsp(inst, bad)[0]
    'job 1: operation 2 starts at 2 before operation 1 ends at 3'
    """
    errors: list[str] = []
    by_key = {}
    for t in schedule.tasks:
        if (t.job, t.operation) in by_key:
            errors.append(f"job {t.job} operation {t.operation}: scheduled twice")
        by_key[t.job, t.operation] = t
    for j, job in enumerate(instance.jobs, start=1):
        prev = None
        for o, opts in enumerate(job, start=1):
            t = by_key.get((j, o))
            if t is None:
                errors.append(f"job {j} operation {o}: not scheduled")
                prev = None
                continue
            dur = dict(opts).get(t.machine)
            if dur is None:
                errors.append(f"job {j} operation {o}: machine {t.machine} not eligible; allowed: {[m for m, _ in opts]}")
            elif t.end - t.start != dur:
                errors.append(f"job {j} operation {o}: lasts {t.end - t.start} on machine {t.machine}, needs {dur}")
            if t.start < 0:
                errors.append(f"job {j} operation {o}: starts at {t.start} < 0")
            if prev is not None and t.start < prev.end:
                errors.append(f"job {j}: operation {o} starts at {t.start} before operation {o - 1} ends at {prev.end}")
            prev = t
    extra = [k for k in by_key if not (1 <= k[0] <= len(instance.jobs) and 1 <= k[1] <= len(instance.jobs[k[0] - 1]))]
    for k in extra:
        errors.append(f"job {k[0]} operation {k[1]}: not in the instance")
    per_m: dict[int, list[FjspTask]] = {}
    for t in schedule.tasks:
        per_m.setdefault(t.machine, []).append(t)
    for m, ts in per_m.items():
        ts.sort(key=lambda t: (t.start, t.end))
        for a, b in zip(ts, ts[1:], strict=False):
            if b.start < a.end and b.end > b.start and a.end > a.start:
                errors.append(f"machine {m}: job {a.job} op {a.operation} [{a.start},{a.end}) overlaps "
                              f"job {b.job} op {b.operation} [{b.start},{b.end})")
    mk = max((t.end for t in schedule.tasks), default=0)
    if mk != schedule.makespan:
        errors.append(f"makespan: reported {schedule.makespan}, tasks end at {mk}")
    return errors
