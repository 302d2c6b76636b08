"""Flexible job shop scheduling (FJSP): the Brandimarte ``.fjs`` benchmark case.

Each job is an ordered list of operations; each operation runs on one of several machines
with a machine-dependent duration; minimise the makespan. The model is the shape of
OR-Tools' ``flexible_job_shop_sat.py``: per operation one optional interval per eligible
machine, exactly one present, no overlap per machine, precedence inside a job.
:func:`solve_fjsp` runs it in stages: list schedules (earliest completion, and machines balanced
by load then an active schedule) give the start, the hint and the fallback; CP-SAT re-sequences
the start with its machines fixed; the full model runs briefly (small instances are proven there,
and it gives the lower bound); then a large-neighbourhood search (:mod:`yuefang.plan.fjsp_lns`)
alternates with the full model until the time is up or the bound is met. Jobs, operations and
machines are numbered from 1 in every public value, as in the file.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

JOB_SHOP_SHARE = 0.1
"""Share of the time limit given to re-sequencing the start schedule with its machines fixed."""
FULL_MODEL_SHARE = 0.1
"""Share of the time limit given to the full CP-SAT model before the neighbourhood search."""
SEGMENT_SHARE = 0.1
"""Length of one segment of the final stage (neighbourhood search or full model), share of the limit."""

__all__ = ["FjspInstance", "FjspTask", "FjspSchedule", "read_fjs", "solve_fjsp", "check_fjsp", "greedy_fjsp",
           "random_fjsp", "write_fjs"]


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


def write_fjs(instance: FjspInstance) -> str:
    """The ``.fjs`` text of an instance (average options per operation on the first line).

    Examples
    --------
    >>> inst = read_fjs("2 2 1\\n2 1 1 3 2 1 2 2 4\\n1 1 2 5\\n")
    >>> read_fjs(write_fjs(inst)) == inst
    True
    """
    n_ops = sum(len(j) for j in instance.jobs)
    avg = sum(len(o) for j in instance.jobs for o in j) / n_ops if n_ops else 0
    lines = [f"{len(instance.jobs)} {instance.n_machines} {avg:g}"]
    for job in instance.jobs:
        parts = [str(len(job))]
        for opts in job:
            parts.append(str(len(opts)))
            parts.extend(f"{m} {d}" for m, d in opts)
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def random_fjsp(n_jobs: int, n_machines: int, *, ops: tuple[int, int] = (8, 12), flex: tuple[int, int] = (1, 5),
                durations: tuple[int, int] = (5, 20), seed: int = 0, name: str = "") -> FjspInstance:
    """A random instance in the manner of Brandimarte's generator: per job a uniform number of
    operations in ``ops``, per operation a uniform number of distinct machines in ``flex`` (at most
    ``n_machines``), each with its own uniform duration in ``durations`` (bounds inclusive).

    Examples
    --------
    >>> inst = random_fjsp(3, 4, ops=(2, 3), seed=1)
    >>> len(inst.jobs), inst.n_machines, all(2 <= len(j) <= 3 for j in inst.jobs)
    (3, 4, True)
    """
    for label, (lo, hi), least in (("ops", ops, 1), ("flex", flex, 1), ("durations", durations, 0)):
        if not least <= lo <= hi:
            raise ValueError(f"{label}: {(lo, hi)}; allowed: {least} <= low <= high")
    if n_jobs < 1 or n_machines < 1:
        raise ValueError(f"n_jobs, n_machines: {n_jobs}, {n_machines}; allowed: >= 1 each")
    rng = random.Random(seed)
    jobs = []
    for _ in range(n_jobs):
        job = []
        for _ in range(rng.randint(*ops)):
            k = min(n_machines, rng.randint(*flex))
            machines = sorted(rng.sample(range(1, n_machines + 1), k))
            job.append(tuple((m, rng.randint(*durations)) for m in machines))
        jobs.append(tuple(job))
    return FjspInstance(n_machines, tuple(jobs), name)


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


def solve_fjsp(instance: FjspInstance, time_limit_s: float = 60.0, seed: int = 0, *,
               num_workers: int = 2) -> FjspSchedule:
    """Minimise the makespan within ``time_limit_s``: CP-SAT on the whole model, then a
    large-neighbourhood search with CP-SAT on each neighbourhood.

    Stages: the best of a few randomised list schedules; the full flexible model (one optional
    interval per eligible machine, no overlap per machine) for a short share of the time, hinted
    by it, which proves the small instances and gives a lower bound; then
    :func:`yuefang.plan.fjsp_lns.lns_search` until the time is up or the makespan meets the
    lower bound.

    Parameters
    ----------
    instance : FjspInstance
    time_limit_s : float
        Wall-clock limit, seconds.
    seed : int
        Seed of the list schedules, the neighbourhoods and CP-SAT.
    num_workers : int
        Parallel CP-SAT workers (2 on the project's 2-core machines).

    Returns
    -------
    FjspSchedule
        ``optimal`` is true when the makespan equals a proven lower bound.

    Examples
    --------
    >>> inst = read_fjs("2 2 1\\n2 1 1 3 2 1 2 2 4\\n1 1 2 5\\n")
    >>> s = solve_fjsp(inst, 5)
    >>> s.makespan, s.optimal
    (5, True)
    """
    from yuefang.plan import fjsp_lns as lns

    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: {time_limit_s!r}; allowed: > 0")
    if num_workers < 1:
        raise ValueError(f"num_workers: {num_workers!r}; allowed: >= 1")
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    flat = lns.flatten(instance)
    if flat.n_ops == 0:
        return FjspSchedule(0, (), True, 0, time.monotonic() - t0)
    # stage 1: list schedules
    budget = min(1.0, 0.02 * time_limit_s)
    greedy = _best_greedy(instance, budget / 2, seed)
    inc = lns.best_start(flat, [lns.to_incumbent(flat, greedy)], budget / 2, seed)
    lb = lns.lower_bound(flat)
    if inc.makespan <= lb:
        return lns.to_schedule(flat, inc, optimal=True, lower_bound=lb, elapsed_s=time.monotonic() - t0)
    # stage 2: the job shop of those machines (no choice of machine: CP-SAT sequences fast)
    inc, _, _ = lns.full_model_solve(flat, inc, lb=lb, time_s=min(JOB_SHOP_SHARE * time_limit_s,
                                                                  deadline - time.monotonic()),
                                     seed=seed, num_workers=num_workers, machines_fixed=True)
    if inc.makespan <= lb:
        return lns.to_schedule(flat, inc, optimal=True, lower_bound=lb, elapsed_s=time.monotonic() - t0)
    # stage 3: the full model, hinted; proves small instances, gives a lower bound
    share = FULL_MODEL_SHARE * time_limit_s
    inc, lb, proved = lns.full_model_solve(flat, inc, lb=lb, time_s=min(share, deadline - time.monotonic()),
                                           seed=seed, num_workers=num_workers)
    if proved or time.monotonic() >= deadline - 0.05:
        return lns.to_schedule(flat, inc, optimal=proved, lower_bound=lb, elapsed_s=time.monotonic() - t0)
    # stage 4: until the time is up or the bound is met, segments of either the neighbourhood
    # search or the full model hinted by the incumbent (CP-SAT's own search: strong where
    # machines are few and loaded), each chosen by the makespan it gained per second last time
    memory: dict[str, dict[str, float]] = {}
    rate = {"lns": 1.0, "full": 0.0}  # the neighbourhood search first
    last_used = {"lns": 0, "full": 0}
    k = 0
    while inc.makespan > lb and time.monotonic() < deadline - 0.05:
        k += 1
        stale = [m for m in rate if k - last_used[m] > 3]
        method = stale[0] if stale else max(rate, key=lambda m: (rate[m], m == "lns"))
        seg_end = min(deadline, time.monotonic() + max(2.0, SEGMENT_SHARE * time_limit_s))
        if deadline - seg_end < 1.0:
            seg_end = deadline
        before, t_seg = inc.makespan, time.monotonic()
        if method == "lns":
            inc, _ = lns.lns_search(flat, inc, lb=lb, deadline=seg_end, seed=seed + k, num_workers=num_workers,
                                    memory=memory)
        else:
            inc, lb, proved = lns.full_model_solve(flat, inc, lb=lb, time_s=seg_end - time.monotonic(),
                                                   seed=seed + k, num_workers=num_workers)
            if proved:
                break
        rate[method] = (before - inc.makespan) / max(1e-3, time.monotonic() - t_seg)
        last_used[method] = k
    return lns.to_schedule(flat, inc, optimal=inc.makespan <= lb, lower_bound=lb, elapsed_s=time.monotonic() - t0)


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
