"""Large-neighbourhood search for the flexible job shop, CP-SAT on each neighbourhood.

The incumbent is kept as a machine per operation and a semi-active schedule (every operation as
early as its job and its machine's order allow). One step frees a subset of operations (their
machine and their place in the machines' order), keeps every other operation on its machine and
in its order on that machine (its start may still move), and lets CP-SAT re-solve that
sub-problem briefly (one worker, objective lower-bound search), with the incumbent as hint and its
makespan as upper bound. Neighbourhoods:

* ``jobs``: every operation of a few random jobs;
* ``window``: the operations whose start lies in a random time window, everything that ends
  before the window frozen in place;
* ``machines``: every operation of a few random machines (they may move to any eligible one);
* ``critical``: operations on a critical path of the incumbent and their job neighbours;
* ``sequence``: a time window twice as wide whose operations keep their machine but may be
  reordered (a plain job shop there).

Each kind adapts its size: larger after a sub-problem solved to optimality, smaller after one
that ran out of time; kinds are drawn by their recent success. ``num_workers`` threads run steps
side by side (CP-SAT releases the GIL) on a shared incumbent; a result is kept when its makespan
is no worse. After a stall the neighbourhoods also minimise the sum of the jobs' ends, to move
along a makespan plateau.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from yuefang.plan.fjsp import FjspInstance, FjspSchedule, FjspTask

__all__ = ["KINDS", "Flat", "Incumbent", "LnsStats", "best_start", "build_sub", "choose_free", "construct",
           "critical_ops", "flatten", "full_model_solve", "lns_search", "lower_bound", "semi_active", "to_incumbent",
           "to_schedule"]

KINDS = ("jobs", "window", "machines", "critical", "sequence")
SUB_LINEARIZATION = 0
SUB_DTIME = 0.05
SUB_WALL_S = 0.7
INIT_FRAC = 0.15
STALL_STEPS = 10


@dataclass(frozen=True)
class Flat:
    """The instance with operations numbered 0..n-1, job by job.

    ``head[i]`` / ``tail[i]``: shortest total duration of the job's operations before / after ``i``.
    """

    n_machines: int
    job_ops: tuple[tuple[int, ...], ...]
    job_of: tuple[int, ...]
    pos_of: tuple[int, ...]
    opts: tuple[tuple[tuple[int, int], ...], ...]
    head: tuple[int, ...]
    tail: tuple[int, ...]

    @property
    def n_ops(self) -> int:
        return len(self.opts)

    def duration(self, i: int, machine: int) -> int:
        for m, d in self.opts[i]:
            if m == machine:
                return d
        raise ValueError(f"operation {i}: machine {machine} not eligible")


@dataclass
class Incumbent:
    """A semi-active schedule: ``machine[i]``, ``start[i]``, makespan."""

    machine: list[int]
    start: list[int]
    makespan: int
    end: list[int] = field(default_factory=list)


def flatten(instance: FjspInstance) -> Flat:
    job_ops, job_of, pos_of, opts, head, tail = [], [], [], [], [], []
    for j, job in enumerate(instance.jobs):
        ids = []
        mins = [min(d for _, d in o) for o in job]
        for o, op in enumerate(job):
            ids.append(len(opts))
            job_of.append(j)
            pos_of.append(o)
            opts.append(tuple(op))
            head.append(sum(mins[:o]))
            tail.append(sum(mins[o + 1:]))
        job_ops.append(tuple(ids))
    return Flat(instance.n_machines, tuple(job_ops), tuple(job_of), tuple(pos_of), tuple(opts), tuple(head),
                tuple(tail))


def lower_bound(flat: Flat) -> int:
    """A simple bound: the longest job (shortest options), and the machine load of operations
    that have a single machine plus the average load of the rest."""
    lb_job = max((flat.head[ops[-1]] + min(d for _, d in flat.opts[ops[-1]]) for ops in flat.job_ops if ops),
                 default=0)
    fixed = [0] * (flat.n_machines + 1)
    flex = 0
    for op in flat.opts:
        if len(op) == 1:
            fixed[op[0][0]] += op[0][1]
        else:
            flex += min(d for _, d in op)
    total = sum(fixed) + flex
    lb_load = -(-total // flat.n_machines) if flat.n_machines else 0
    return max(lb_job, max(fixed), lb_load)


def semi_active(flat: Flat, machine: Sequence[int], order_key: Sequence[float]) -> Incumbent:
    """Earliest starts for the machines and the per-machine order given by ``order_key``."""
    n = flat.n_ops
    dur = [flat.duration(i, machine[i]) for i in range(n)]
    by_m: dict[int, list[int]] = {}
    for i in range(n):
        by_m.setdefault(machine[i], []).append(i)
    mnext = [-1] * n
    indeg = [0] * n
    for ops in by_m.values():
        ops.sort(key=lambda i: (order_key[i], flat.pos_of[i], i))
        for a, b in zip(ops, ops[1:], strict=False):
            mnext[a] = b
            indeg[b] += 1
    for ops in flat.job_ops:
        for b in ops[1:]:
            indeg[b] += 1
    start = [0] * n
    stack = [i for i in range(n) if indeg[i] == 0]
    done = 0
    while stack:
        i = stack.pop()
        done += 1
        e = start[i] + dur[i]
        j = flat.job_of[i]
        succ = []
        if flat.pos_of[i] + 1 < len(flat.job_ops[j]):
            succ.append(flat.job_ops[j][flat.pos_of[i] + 1])
        if mnext[i] >= 0:
            succ.append(mnext[i])
        for k in succ:
            if e > start[k]:
                start[k] = e
            indeg[k] -= 1
            if indeg[k] == 0:
                stack.append(k)
    if done != n:
        raise ValueError("machine order contradicts the job order (cycle)")
    end = [start[i] + dur[i] for i in range(n)]
    return Incumbent(list(machine), start, max(end, default=0), end)


def construct(flat: Flat, rng: random.Random, noise: float = 0.0) -> Incumbent:
    """A start schedule: machines balanced by load (each operation, in random order, to the machine
    where load + duration is least), then an active schedule (Giffler-Thompson) that serves, on the
    machine of the earliest completion, the conflicting operation with most work left in its job."""
    n = flat.n_ops
    load = [0] * (flat.n_machines + 1)
    machine = [0] * n
    order = list(range(n))
    rng.shuffle(order)
    for i in order:
        best, best_v = 0, 0.0
        for m, d in flat.opts[i]:
            v = (load[m] + d) * (1.0 + noise * rng.random())
            if best == 0 or v < best_v:
                best, best_v = m, v
        machine[i] = best
        load[best] += flat.duration(i, best)
    dur = [flat.duration(i, machine[i]) for i in range(n)]
    rest = [0] * n
    for ops in flat.job_ops:
        acc = 0
        for i in reversed(ops):
            acc += dur[i]
            rest[i] = acc
    mfree = [0] * (flat.n_machines + 1)
    jfree = [0] * len(flat.job_ops)
    nxt = [0] * len(flat.job_ops)
    start = [0] * n
    left = n
    while left:
        ready = [flat.job_ops[j][nxt[j]] for j in range(len(flat.job_ops)) if nxt[j] < len(flat.job_ops[j])]
        est = {i: max(jfree[flat.job_of[i]], mfree[machine[i]]) for i in ready}
        i_star = min(ready, key=lambda i: (est[i] + dur[i], i))
        c_star, m_star = est[i_star] + dur[i_star], machine[i_star]
        conflict = [i for i in ready if machine[i] == m_star and (est[i] < c_star or i == i_star)]
        pick = max(conflict, key=lambda i: (rest[i] * (1.0 + noise * rng.random()), -i))
        start[pick] = est[pick]
        e = est[pick] + dur[pick]
        mfree[machine[pick]] = e
        j = flat.job_of[pick]
        jfree[j] = e
        nxt[j] += 1
        left -= 1
    return semi_active(flat, machine, [float(x) for x in start])


def best_start(flat: Flat, seeds: Sequence[Incumbent], budget_s: float, seed: int) -> Incumbent:
    """The best of ``seeds`` and of :func:`construct` restarts within ``budget_s``."""
    rng = random.Random(seed)
    best = min(seeds, key=lambda x: x.makespan) if seeds else construct(flat, rng)
    deadline = time.monotonic() + budget_s
    k = 0
    while time.monotonic() < deadline:
        cand = construct(flat, rng, 0.0 if k == 0 else (0.1, 0.2, 0.4)[k % 3])
        if cand.makespan < best.makespan:
            best = cand
        k += 1
    return best


def to_incumbent(flat: Flat, schedule: FjspSchedule) -> Incumbent:
    machine = [0] * flat.n_ops
    key = [0.0] * flat.n_ops
    for t in schedule.tasks:
        i = flat.job_ops[t.job - 1][t.operation - 1]
        machine[i] = t.machine
        key[i] = t.start + 1e-6 * (t.end - t.start)
    return semi_active(flat, machine, key)


def to_schedule(flat: Flat, inc: Incumbent, *, optimal: bool, lower_bound: int, elapsed_s: float) -> FjspSchedule:
    tasks = tuple(FjspTask(flat.job_of[i] + 1, flat.pos_of[i] + 1, inc.machine[i], inc.start[i], inc.end[i])
                  for i in range(flat.n_ops))
    return FjspSchedule(inc.makespan, tasks, optimal, lower_bound, elapsed_s)


def critical_ops(flat: Flat, inc: Incumbent) -> list[int]:
    """Operations with no slack: head + own duration + longest path after = makespan."""
    n = flat.n_ops
    by_m: dict[int, list[int]] = {}
    for i in range(n):
        by_m.setdefault(inc.machine[i], []).append(i)
    mnext = [-1] * n
    for ops in by_m.values():
        ops.sort(key=lambda i: (inc.start[i], inc.end[i], i))
        for a, b in zip(ops, ops[1:], strict=False):
            mnext[a] = b
    # tails in decreasing start order (a valid reverse topological order of a semi-active schedule
    # up to ties, which the max below settles in one more pass if needed)
    q = [0] * n
    order = sorted(range(n), key=lambda i: (-inc.start[i], -inc.end[i]))
    for _ in range(2):
        for i in order:
            d = inc.end[i] - inc.start[i]
            best = 0
            j = flat.job_of[i]
            if flat.pos_of[i] + 1 < len(flat.job_ops[j]):
                best = q[flat.job_ops[j][flat.pos_of[i] + 1]]
            if mnext[i] >= 0:
                best = max(best, q[mnext[i]])
            q[i] = d + best
    return [i for i in range(n) if inc.start[i] + q[i] >= inc.makespan]


# --------------------------------------------------------------------------------------------
# sub-problem


@dataclass
class _Sub:
    model: cp_model.CpModel
    starts: list[cp_model.IntVar | int]
    lits: dict[int, list[tuple[int, cp_model.IntVar]]]
    makespan: cp_model.IntVar
    n_free: int


def build_sub(flat: Flat, inc: Incumbent, free: Sequence[bool], frozen_before: int | None, ub: int,
              lb: int, *, secondary: bool = False, reorder: Sequence[bool] | None = None) -> _Sub:
    """The model with ``free`` operations on any eligible machine in any order, the others on their
    machine in their order (only on their machine where ``reorder``); operations that end by
    ``frozen_before`` stay exactly in place."""
    model = cp_model.CpModel()
    n = flat.n_ops
    starts: list[cp_model.IntVar | int] = [0] * n
    ends: list[cp_model.LinearExprT] = [0] * n
    lits: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    per_machine: dict[int, list[cp_model.IntervalVar]] = {}
    fixed_on: dict[int, list[int]] = {}
    n_free = 0
    # variables, indexed by operation; options of free operations as optional intervals
    for i in range(n):
        lo, tail = flat.head[i], flat.tail[i]
        if free[i]:
            n_free += 1
            opts = flat.opts[i]
            dmin = min(d for _, d in opts)
            dmax = max(d for _, d in opts)
            s = model.new_int_var(lo, max(lo, ub - tail - dmin), f"s{i}")
            model.add_hint(s, inc.start[i])
            if len(opts) == 1:
                m, d = opts[0]
                per_machine.setdefault(m, []).append(model.new_fixed_size_interval_var(s, d, f"iv{i}"))
                starts[i], ends[i] = s, s + d
                continue
            e = model.new_int_var(lo + dmin, max(lo + dmin, ub - tail), f"e{i}")
            model.add_hint(e, inc.end[i])
            ls = []
            for m, d in opts:
                lit = model.new_bool_var(f"x{i}_{m}")
                model.add_hint(lit, m == inc.machine[i])
                per_machine.setdefault(m, []).append(model.new_optional_interval_var(s, d, e, lit, f"iv{i}_{m}"))
                ls.append((m, lit))
            if dmax > dmin:
                model.add(e - s >= dmin)
            model.add_exactly_one(lit for _, lit in ls)
            lits[i] = ls
            starts[i], ends[i] = s, e
        else:
            m = inc.machine[i]
            d = inc.end[i] - inc.start[i]
            if frozen_before is not None and inc.end[i] <= frozen_before:
                starts[i], ends[i] = inc.start[i], inc.end[i]
                per_machine.setdefault(m, []).append(
                    model.new_fixed_size_interval_var(model.new_constant(inc.start[i]), d, f"iv{i}"))
            else:
                s = model.new_int_var(lo, max(lo, ub - tail - d), f"s{i}")
                model.add_hint(s, inc.start[i])
                per_machine.setdefault(m, []).append(model.new_fixed_size_interval_var(s, d, f"iv{i}"))
                starts[i], ends[i] = s, s + d
            if d > 0 and not (reorder is not None and reorder[i]):
                fixed_on.setdefault(m, []).append(i)
    # precedence inside a job
    for ops in flat.job_ops:
        for a, b in zip(ops, ops[1:], strict=False):
            if not (isinstance(starts[a], int) and isinstance(starts[b], int)):
                model.add(starts[b] >= ends[a])
    # kept operations stay in their order on their machine
    for ops in fixed_on.values():
        ops.sort(key=lambda i: (inc.start[i], i))
        for a, b in zip(ops, ops[1:], strict=False):
            if not (isinstance(starts[a], int) and isinstance(starts[b], int)):
                model.add(starts[b] >= ends[a])
    # one operation at a time per machine
    for ivs in per_machine.values():
        if len(ivs) > 1:
            model.add_no_overlap(ivs)
    # makespan: at least every job's last end, at most the incumbent's
    makespan = model.new_int_var(lb, ub, "makespan")
    for ops in flat.job_ops:
        if ops:
            model.add(makespan >= ends[ops[-1]])
    model.add_hint(makespan, inc.makespan)
    if secondary and len(flat.job_ops) > 1:
        # then the sum of the jobs' ends: moves along a makespan plateau toward schedules with
        # more room, instead of stopping at the first schedule as long as the incumbent
        lasts = [ends[ops[-1]] for ops in flat.job_ops if ops]
        model.minimize(makespan * (len(lasts) * ub + 1) + sum(lasts))
    else:
        model.minimize(makespan)
    return _Sub(model, starts, lits, makespan, n_free)


def _solve_sub(sub: _Sub, flat: Flat, inc: Incumbent, seed: int, dtime: float, wall_s: float
               ) -> tuple[Incumbent | None, bool, float]:
    """Solve one sub-problem; returns (schedule or None, solved to optimality, deterministic time)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.random_seed = seed
    p.max_deterministic_time = dtime
    p.max_time_in_seconds = max(0.01, wall_s)
    p.log_search_progress = False
    # small sub-problems: loading and presolve dominate, keep them light
    p.cp_model_probing_level = 0
    p.symmetry_level = 0
    p.max_presolve_iterations = 1
    p.linearization_level = SUB_LINEARIZATION
    # branch on the makespan's lower bound first: finds the neighbourhood's best directly instead of
    # through a chain of slightly better solutions (about 3x less CPU on mk10 neighbourhoods)
    p.use_objective_lb_search = True
    status = solver.solve(sub.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE, solver.response_proto.deterministic_time
    machine = list(inc.machine)
    for i, ls in sub.lits.items():
        machine[i] = next(m for m, lit in ls if solver.boolean_value(lit))
    key = [float(solver.value(s)) if not isinstance(s, int) else float(s) for s in sub.starts]
    new = semi_active(flat, machine, key)
    return new, status == cp_model.OPTIMAL, solver.response_proto.deterministic_time


# --------------------------------------------------------------------------------------------
# neighbourhoods


def choose_free(kind: str, flat: Flat, inc: Incumbent, size: int, rng: random.Random
                ) -> tuple[list[bool], int | None, list[bool] | None]:
    """The operations a neighbourhood frees (``size`` of them, about), its frozen-before time and
    the operations it may only reorder on their machine (``sequence``: a time window, twice as
    wide as the others, machines kept: a plain job shop there, cheap to solve)."""
    n = flat.n_ops
    free = [False] * n
    reorder: list[bool] | None = None
    count = 0
    frozen: int | None = None

    def take(i: int) -> None:
        nonlocal count
        if not free[i]:
            free[i] = True
            count += 1

    if kind == "jobs":
        jobs = [j for j, ops in enumerate(flat.job_ops) if ops]
        rng.shuffle(jobs)
        for j in jobs:
            if count >= size:
                break
            for i in flat.job_ops[j]:
                take(i)
    elif kind == "window":
        order = sorted(range(n), key=lambda i: (inc.start[i], i))
        first = rng.randrange(max(1, n - size + 1))
        for i in order[first:first + size]:
            take(i)
        frozen = inc.start[order[first]]
    elif kind == "sequence":
        order = sorted(range(n), key=lambda i: (inc.start[i], i))
        k = min(n, 2 * size)
        first = rng.randrange(max(1, n - k + 1))
        reorder = [False] * n
        for i in order[first:first + k]:
            reorder[i] = True
        frozen = inc.start[order[first]]
    elif kind == "machines":
        machines = sorted(set(inc.machine))
        rng.shuffle(machines)
        by_m: dict[int, list[int]] = {}
        for i in range(n):
            by_m.setdefault(inc.machine[i], []).append(i)
        for m in machines:
            if count >= size:
                break
            ops = by_m[m]
            if count + len(ops) > size * 1.5 and count > 0:
                # part of the machine only: a random time slice of it
                ops = sorted(ops, key=lambda i: inc.start[i])
                k = max(1, size - count)
                a = rng.randrange(max(1, len(ops) - k + 1))
                ops = ops[a:a + k]
            for i in ops:
                take(i)
    else:  # critical
        crit = critical_ops(flat, inc)
        rng.shuffle(crit)
        for i in crit[: max(1, size // 2)]:
            take(i)
            # its job neighbours
            j, o = flat.job_of[i], flat.pos_of[i]
            for k in (o - 1, o + 1):
                if 0 <= k < len(flat.job_ops[j]):
                    take(flat.job_ops[j][k])
        rest = [i for i in range(n) if not free[i]]
        rng.shuffle(rest)
        for i in rest[: max(0, size - count)]:
            take(i)
    return free, frozen, reorder


@dataclass
class LnsStats:
    steps: int = 0
    improvements: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, float] = field(default_factory=dict)


def lns_search(flat: Flat, inc: Incumbent, *, lb: int, deadline: float, seed: int, num_workers: int = 2,
               max_steps: int | None = None, sub_dtime: float = SUB_DTIME, sub_wall_s: float = SUB_WALL_S,
               on_improve: Callable[[Incumbent], None] | None = None,
               memory: dict[str, dict[str, float]] | None = None) -> tuple[Incumbent, LnsStats]:
    """Improve ``inc`` until ``deadline`` (monotonic seconds), ``max_steps`` steps per worker, or
    until its makespan reaches ``lb``.

    Each of ``num_workers`` threads repeats: take the incumbent, free a neighbourhood, solve it
    (one CP-SAT worker), keep the result if its makespan is no worse than the incumbent's at that
    moment. After ``STALL_STEPS`` steps without a better makespan, neighbourhoods also minimise
    the sum of the jobs' ends (a move along the plateau). Each sub-problem stops at
    ``sub_dtime`` deterministic time or ``sub_wall_s`` seconds. With one worker, ``max_steps`` and a
    ``sub_wall_s`` that is never reached, the search depends on ``seed`` only; otherwise on the
    CPU it gets and the threads' timing too.
    """
    lock = threading.Lock()
    state: dict[str, Any] = {"inc": inc, "version": 0, "stall": 0}
    stats = LnsStats()
    n = flat.n_ops
    lo_frac, hi_frac = min(1.0, 4 / max(1, n)), 1.0
    # neighbourhood sizes and kind scores, kept across calls in ``memory``
    memory = {} if memory is None else memory
    frac = memory.setdefault("frac", {k: min(hi_frac, max(lo_frac, INIT_FRAC)) for k in KINDS})
    score = memory.setdefault("score", {k: 0.5 for k in KINDS})

    def worker(w: int) -> None:
        rng = random.Random(seed * 7919 + w)
        step = w
        done = 0
        while max_steps is None or done < max_steps:
            with lock:
                cur, version, stalled = state["inc"], state["version"], state["stall"]
                if cur.makespan <= lb:
                    return
                # kinds drawn by their recent success (improvement or accepted sideways move)
                kind = KINDS[step % len(KINDS)] if step < len(KINDS) else rng.choices(
                    KINDS, weights=[0.05 + score[k] for k in KINDS])[0]
                f = frac[kind]
            left = deadline - time.monotonic()
            if left <= 0.05:
                return
            step += 1
            done += 1
            size = max(2, min(n, round(f * n * rng.uniform(0.8, 1.2))))
            free, frozen, reorder = choose_free(kind, flat, cur, size, rng)
            # after a stall, also minimise the jobs' ends: moves along the makespan plateau
            sub = build_sub(flat, cur, free, frozen, cur.makespan, lb, secondary=stalled >= STALL_STEPS,
                            reorder=reorder)
            new, solved, _dt = _solve_sub(sub, flat, cur, rng.randrange(1 << 30), sub_dtime,
                                          min(sub_wall_s, deadline - time.monotonic()))
            with lock:
                stats.steps += 1
                state["stall"] += 1
                stats.by_kind.setdefault(kind, [0, 0])[1] += 1
                frac[kind] = min(hi_frac, frac[kind] * 1.1) if solved else max(lo_frac, frac[kind] * 0.93)
                best = state["inc"]
                gain = new is not None and (new.makespan < best.makespan or (
                    new.makespan == best.makespan and state["version"] == version and new.start != cur.start))
                score[kind] = 0.9 * score[kind] + 0.1 * (1.0 if gain else 0.0)
                if new is None:
                    continue
                if new.makespan < best.makespan or (new.makespan == best.makespan and state["version"] == version):
                    if new.makespan < best.makespan:
                        state["stall"] = -1
                        stats.improvements += 1
                        stats.by_kind.setdefault(kind, [0, 0])[0] += 1
                        if on_improve is not None:
                            on_improve(new)
                    state["inc"] = new
                    state["version"] += 1

    workers = max(1, num_workers)
    if workers == 1:
        worker(0)
    else:
        threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    stats.sizes = dict(frac)
    stats.scores = dict(score)
    return state["inc"], stats


def full_model_solve(flat: Flat, inc: Incumbent, *, lb: int, time_s: float, seed: int, num_workers: int,
                     dtime: float | None = None, machines_fixed: bool = False) -> tuple[Incumbent, int, bool]:
    """The whole flexible model (every operation free), hinted by ``inc``; with ``machines_fixed``
    the job shop of ``inc``'s machines (every operation reordered, none moved), whose bound says
    nothing of the flexible problem and is not returned.

    Returns (best schedule, lower bound, proven optimal)."""
    n = flat.n_ops
    if machines_fixed:
        sub = build_sub(flat, inc, [False] * n, None, inc.makespan, lb, reorder=[True] * n)
    else:
        sub = build_sub(flat, inc, [True] * n, None, inc.makespan, lb)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(1, num_workers)
    p.random_seed = seed
    p.max_time_in_seconds = max(0.05, time_s)
    if dtime is not None:
        p.max_deterministic_time = dtime
    status = solver.solve(sub.model)
    if status == cp_model.INFEASIBLE:  # cannot happen with the hint's makespan as bound
        return inc, lb, False
    bound = max(lb, round(solver.best_objective_bound)) if status != cp_model.UNKNOWN else lb
    if machines_fixed:
        bound = lb
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return inc, bound, False
    machine = list(inc.machine)
    for i, ls in sub.lits.items():
        machine[i] = next(m for m, lit in ls if solver.boolean_value(lit))
    key = [float(solver.value(s)) if not isinstance(s, int) else float(s) for s in sub.starts]
    new = semi_active(flat, machine, key)
    if new.makespan > inc.makespan:
        new = inc
    return new, max(bound, lb), (status == cp_model.OPTIMAL and not machines_fixed) or new.makespan <= bound
