"""Balancing a sewing line: operations of a bulletin to operators, as a sewing line works.

Rules of the model (industry practice for progressive bundle and one-piece flow lines):

* each workstation (operator) has one machine type; an operator may take several
  operations on that machine type, also when they are not adjacent in the bulletin (work
  moves back and forth on the line);
* an operation longer than the takt gets parallel operators: ``floor(smv / takt)``
  operators do it full time and the remainder is a share (a fraction of the pieces) that
  is packed with other work like any operation;
* skills are respected: an operator's skill grade is the highest grade of her operations,
  and the grades on one workstation differ by at most ``max_skill_spread`` (an expert is
  not spent on trimming threads);
* operators are found by an exact bin-packing model per machine type (OR-Tools CP-SAT),
  started from first-fit-decreasing; ``optimal`` says whether every packing was proven.

Line efficiency is ``sum of SMV / (operators x cycle time)`` with the cycle time the
highest operator load (the bottleneck); balance loss is ``1 - efficiency``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from yuefang.plan.models import Bulletin, MachineType
from yuefang.plan.salbp import BalanceResult, SalbpInstance, check_salbp

__all__ = [
    "OperationShare",
    "OperatorLoad",
    "LineBalance",
    "balance_line",
    "check_balance",
    "takt_from_output",
    "bulletin_to_salbp",
]

_SCALE = 10  # CP-SAT works in tenths of a second


@dataclass(frozen=True)
class OperationShare:
    """Part of an operation done by one operator: ``share`` of the pieces (0 < share <= 1)."""

    op_id: str
    share: float
    load_s: float


@dataclass(frozen=True)
class OperatorLoad:
    """One operator (workstation) of the balanced line."""

    operator_no: int
    machine_type: MachineType
    skill_grade: int
    operations: tuple[OperationShare, ...]
    load_s: float

    @property
    def op_ids(self) -> tuple[str, ...]:
        """The operation ids this operator works on."""
        return tuple(s.op_id for s in self.operations)


@dataclass(frozen=True)
class LineBalance:
    """A balanced sewing line.

    Attributes
    ----------
    product_id : str
        The bulletin's product.
    takt_s : float
        The takt the line was balanced for (seconds per piece); for a balance by number
        of operators, the shortest takt found.
    operators : tuple[OperatorLoad, ...]
        Workstations in line order (by the earliest operation in precedence order).
    cycle_time_s : float
        Highest operator load, seconds per piece (the bottleneck).
    total_smv_s : float
        Work content, seconds per piece.
    optimal : bool
        Whether the number of operators (or the takt) was proven optimal.
    lower_bound : float
        Proven bound: operators (takt mode) or takt in seconds (operators mode).
    """

    product_id: str
    takt_s: float
    operators: tuple[OperatorLoad, ...]
    cycle_time_s: float
    total_smv_s: float
    optimal: bool
    lower_bound: float
    max_skill_spread: int = 1

    @property
    def n_operators(self) -> int:
        """Number of operators."""
        return len(self.operators)

    @property
    def line_efficiency(self) -> float:
        """Work content / (operators x cycle time), in [0, 1]."""
        if not self.operators or self.cycle_time_s <= 0:
            return 0.0
        return self.total_smv_s / (self.n_operators * self.cycle_time_s)

    @property
    def balance_loss(self) -> float:
        """1 - line efficiency."""
        return 1.0 - self.line_efficiency

    @property
    def output_per_hour(self) -> float:
        """Pieces per hour at the bottleneck's pace (100 % performance)."""
        return 3600.0 / self.cycle_time_s if self.cycle_time_s > 0 else 0.0


def takt_from_output(pieces_per_shift: float, shift_min: float = 480.0) -> float:
    """Takt in seconds for a target output per shift.

    Examples
    --------
    >>> takt_from_output(480, 480)
    60.0
    """
    if pieces_per_shift <= 0:
        raise ValueError(f"pieces_per_shift: {pieces_per_shift!r}; allowed: > 0")
    if shift_min <= 0:
        raise ValueError(f"shift_min: {shift_min!r}; allowed: > 0")
    return shift_min * 60.0 / pieces_per_shift


def bulletin_to_salbp(bulletin: Bulletin) -> SalbpInstance:
    """The bulletin as a SALBP instance (task times in whole seconds, tasks in bulletin order)."""
    index = {op.op_id: i for i, op in enumerate(bulletin.operations, start=1)}
    times = tuple(max(1, round(op.smv_s)) for op in bulletin.operations)
    prec = tuple((index[p], index[op.op_id]) for op in bulletin.operations for p in op.predecessors)
    return SalbpInstance(times, prec, bulletin.product_id)


@dataclass
class _Piece:
    op_id: str
    share: float
    time_u: int  # tenths of a second
    skill: int


def _pieces(bulletin: Bulletin, takt_u: int) -> tuple[dict[MachineType, list[_Piece]], list[OperatorLoad]]:
    """Split operations longer than the takt; return packable pieces and full-time operators."""
    groups: dict[MachineType, list[_Piece]] = {}
    full: list[OperatorLoad] = []
    for op in bulletin.operations:
        t_u = max(1, round(op.smv_s * _SCALE))
        k = t_u // takt_u if t_u > takt_u else 0
        rest = t_u - k * takt_u
        for _ in range(k):
            share = takt_u / t_u
            full.append(OperatorLoad(0, op.machine_type, op.skill_grade,
                                     (OperationShare(op.op_id, share, takt_u / _SCALE),), takt_u / _SCALE))
        if rest > 0:
            groups.setdefault(op.machine_type, []).append(_Piece(op.op_id, rest / t_u, rest, op.skill_grade))
    return groups, full


def _ffd(pieces: list[_Piece], cap: int, spread: int) -> list[list[int]]:
    order = sorted(range(len(pieces)), key=lambda i: -pieces[i].time_u)
    bins: list[list[int]] = []
    loads: list[int] = []
    for i in order:
        p = pieces[i]
        for b, items in enumerate(bins):
            skills = [pieces[j].skill for j in items] + [p.skill]
            if loads[b] + p.time_u <= cap and max(skills) - min(skills) <= spread:
                items.append(i)
                loads[b] += p.time_u
                break
        else:
            bins.append([i])
            loads.append(p.time_u)
    return bins


def _pack(pieces: list[_Piece], cap: int, spread: int, time_limit_s: float) -> tuple[list[list[int]], bool, int]:
    """Fewest bins of capacity ``cap``, then the smallest highest load; returns bins, proven, bound."""
    ffd = _ffd(pieces, cap, spread)
    lb = max(1, math.ceil(sum(p.time_u for p in pieces) / cap))
    if len(ffd) == lb and len(ffd) == 1:
        return ffd, True, lb
    n_bins = len(ffd)
    model = cp_model.CpModel()
    # variables: x[i, b] piece i on operator b; used[b]; low[b] the lowest skill on b
    x = {(i, b): model.new_bool_var(f"x_{i}_{b}") for i in range(len(pieces)) for b in range(n_bins)}
    used = [model.new_bool_var(f"used_{b}") for b in range(n_bins)]
    low = [model.new_int_var(1, 4, f"low_{b}") for b in range(n_bins)]
    peak = model.new_int_var(0, cap, "peak")
    for i in range(len(pieces)):
        model.add_exactly_one(x[i, b] for b in range(n_bins))
    for b in range(n_bins):
        load = sum(pieces[i].time_u * x[i, b] for i in range(len(pieces)))
        # capacity: the takt
        model.add(load <= cap * used[b])
        model.add(load <= peak)
        # skills on one workstation within the allowed spread
        for i, p in enumerate(pieces):
            model.add(low[b] <= p.skill).only_enforce_if(x[i, b])
            model.add(low[b] >= p.skill - spread).only_enforce_if(x[i, b])
    # symmetry: used operators first
    for b in range(n_bins - 1):
        model.add(used[b] >= used[b + 1])
    # stage 1: fewest operators
    model.minimize(sum(used))
    for b, items in enumerate(ffd):
        model.add_hint(used[b], 1)
        for i in range(len(pieces)):
            model.add_hint(x[i, b], i in items)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s / 2)
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ffd, len(ffd) == lb, lb
    n_used = round(solver.objective_value)
    bound = max(lb, math.ceil(solver.best_objective_bound - 1e-9))
    # stage 2: with that many operators, the lowest bottleneck (a smoother line)
    model.clear_hints()
    for b in range(n_bins):
        model.add_hint(used[b], solver.value(used[b]))
        for i in range(len(pieces)):
            model.add_hint(x[i, b], solver.value(x[i, b]))
    first = [[i for i in range(len(pieces)) if solver.value(x[i, b])] for b in range(n_bins)]
    model.add(sum(used) <= n_used)
    model.minimize(peak)
    solver2 = cp_model.CpSolver()
    solver2.parameters.max_time_in_seconds = max(0.05, time_limit_s / 2)
    solver2.parameters.num_workers = 2
    solver2.parameters.random_seed = 0
    status2 = solver2.solve(model)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bins = [[i for i in range(len(pieces)) if solver2.value(x[i, b])] for b in range(n_bins)]
    else:
        bins = first
    bins = [b for b in bins if b]
    return bins, bound >= len(bins), min(bound, len(bins))


def _balance_for_takt(bulletin: Bulletin, takt_u: int, spread: int, time_limit_s: float
                      ) -> tuple[list[OperatorLoad], bool, int]:
    groups, full = _pieces(bulletin, takt_u)
    ops: list[OperatorLoad] = list(full)
    proven = True
    bound = len(full)
    per_group = time_limit_s / max(1, len(groups))
    for mt, pieces in groups.items():
        bins, ok, lb = _pack(pieces, takt_u, spread, per_group)
        proven &= ok
        bound += lb
        for items in bins:
            shares = tuple(OperationShare(pieces[i].op_id, pieces[i].share, pieces[i].time_u / _SCALE) for i in items)
            ops.append(OperatorLoad(0, mt, max(pieces[i].skill for i in items), shares,
                                    sum(pieces[i].time_u for i in items) / _SCALE))
    return ops, proven, bound


def _line_order(bulletin: Bulletin, ops: list[OperatorLoad]) -> tuple[OperatorLoad, ...]:
    rank = _topo_rank(bulletin)
    ops.sort(key=lambda o: (min(rank[s.op_id] for s in o.operations), o.machine_type.value, -o.load_s))
    return tuple(OperatorLoad(k, o.machine_type, o.skill_grade, o.operations, round(o.load_s, 3))
                 for k, o in enumerate(ops, start=1))


def _topo_rank(bulletin: Bulletin) -> dict[str, int]:
    done: dict[str, int] = {}
    remaining = list(bulletin.operations)
    while remaining:
        nxt = []
        for op in remaining:
            if all(p in done for p in op.predecessors):
                done[op.op_id] = len(done)
            else:
                nxt.append(op)
        remaining = nxt
    return done


def balance_line(bulletin: Bulletin, *, takt_s: float | None = None, operators: int | None = None,
                 time_limit_s: float = 5.0, max_skill_spread: int = 1) -> LineBalance:
    """Assign the bulletin's operations to operators.

    Parameters
    ----------
    bulletin : Bulletin
        Operations with SMV, machine type, skill grade.
    takt_s : float, optional
        Seconds per piece the line must reach (minimise operators). Give exactly one of
        ``takt_s`` and ``operators``.
    operators : int, optional
        Number of operators available (minimise the takt).
    time_limit_s : float
        Wall-clock limit in seconds.
    max_skill_spread : int
        Largest difference of skill grades on one workstation (0..3).

    Returns
    -------
    LineBalance

    Examples
    --------
    >>> from yuefang.plan.bulletins import default_bulletin
    >>> lb = balance_line(default_bulletin("fitted_sheet"), takt_s=60, time_limit_s=2)
    >>> lb.n_operators, round(lb.line_efficiency, 2)
    (8, 0.75)
    """
    if (takt_s is None) == (operators is None):
        raise ValueError("takt_s/operators: give exactly one of takt_s (seconds per piece) and operators")
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: {time_limit_s!r}; allowed: > 0")
    if not 0 <= max_skill_spread <= 3:
        raise ValueError(f"max_skill_spread: {max_skill_spread!r}; allowed: 0..3")
    t0 = time.monotonic()
    total_s = sum(op.smv_s for op in bulletin.operations)
    if takt_s is not None:
        if not takt_s > 0:
            raise ValueError(f"takt_s: {takt_s!r}; allowed: seconds per piece > 0")
        takt_u = max(1, round(takt_s * _SCALE))
        ops, proven, bound = _balance_for_takt(bulletin, takt_u, max_skill_spread, time_limit_s)
        ordered = _line_order(bulletin, ops)
        return LineBalance(bulletin.product_id, takt_u / _SCALE, ordered, max(o.load_s for o in ordered),
                           round(total_s, 3), proven, float(bound), max_skill_spread)
    assert operators is not None
    if not isinstance(operators, int) or operators < 1:
        raise ValueError(f"operators: {operators!r}; allowed: an integer >= 1")
    # every machine type (and skill band) needs at least one workstation
    need = _min_stations(bulletin, max_skill_spread)
    if operators < need:
        raise ValueError(f"operators: {operators}; allowed: >= {need} (one per machine type and skill band)")
    total_u = sum(max(1, round(op.smv_s * _SCALE)) for op in bulletin.operations)
    lo = max(1, math.ceil(total_u / operators))
    hi = total_u
    best: tuple[list[OperatorLoad], int] | None = None
    proven_lo = lo
    while lo <= hi:
        remaining = time_limit_s - (time.monotonic() - t0)
        mid = (lo + hi) // 2
        ops, proven, bound = _balance_for_takt(bulletin, mid, max_skill_spread, max(0.05, remaining / 8))
        if len(ops) <= operators:
            best = (ops, mid)
            hi = mid - 1
        else:
            if bound > operators:
                proven_lo = mid + 1
            lo = mid + 1
        if remaining <= 0 and best is not None:
            break
    assert best is not None
    ops, takt_u = best
    ordered = _line_order(bulletin, ops)
    return LineBalance(bulletin.product_id, takt_u / _SCALE, ordered, max(o.load_s for o in ordered),
                       round(total_s, 3), proven_lo >= takt_u, proven_lo / _SCALE, max_skill_spread)


def _min_stations(bulletin: Bulletin, spread: int) -> int:
    n = 0
    for mt in MachineType:
        skills = sorted({op.skill_grade for op in bulletin.operations if op.machine_type == mt})
        while skills:
            n += 1
            first = skills[0]
            skills = [s for s in skills if s > first + spread]
    return n


def check_balance(balance: LineBalance | BalanceResult, source: Bulletin | SalbpInstance,
                  *, takt_s: float | None = None) -> list[str]:
    """Check a balance independently of the solver; returns the violations (empty: valid).

    For a :class:`LineBalance` against its :class:`Bulletin`: every operation fully assigned
    (shares sum to 1), one machine type per workstation, the operator's load is the sum of
    her shares and within the takt, skill grades respected. For a SALBP
    :class:`BalanceResult` against its :class:`SalbpInstance`: see ``check_salbp``.
    """
    if isinstance(balance, BalanceResult):
        if not isinstance(source, SalbpInstance):
            return ["source: a SALBP result is checked against a SalbpInstance"]
        c = round(takt_s) if takt_s is not None else None
        return check_salbp(source, balance, c)
    if not isinstance(source, Bulletin):
        return ["source: a LineBalance is checked against its Bulletin"]
    errors: list[str] = []
    ops = {op.op_id: op for op in source.operations}
    limit = balance.takt_s if takt_s is None else takt_s
    shares: dict[str, float] = dict.fromkeys(ops, 0.0)
    for o in balance.operators:
        load = 0.0
        grades = []
        for s in o.operations:
            op = ops.get(s.op_id)
            if op is None:
                errors.append(f"operator {o.operator_no}: unknown operation {s.op_id!r}")
                continue
            if op.machine_type != o.machine_type:
                errors.append(f"operator {o.operator_no}: operation {s.op_id} needs {op.machine_type}, "
                              f"workstation has {o.machine_type}")
            if not 0 < s.share <= 1 + 1e-9:
                errors.append(f"operator {o.operator_no}: share {s.share} of {s.op_id} outside (0, 1]")
            expected = s.share * op.smv_s
            if abs(expected - s.load_s) > 0.06:
                errors.append(f"operator {o.operator_no}: load of {s.op_id} {s.load_s} s, SMV share gives {expected:.2f} s")
            shares[s.op_id] += s.share
            load += s.load_s
            grades.append(op.skill_grade)
            if op.skill_grade > o.skill_grade:
                errors.append(f"operator {o.operator_no}: skill grade {o.skill_grade} below {s.op_id}'s {op.skill_grade}")
        if grades and max(grades) - min(grades) > balance.max_skill_spread:
            errors.append(f"operator {o.operator_no}: skill grades {sorted(set(grades))} spread more than "
                          f"{balance.max_skill_spread}")
        if abs(load - o.load_s) > 0.06:
            errors.append(f"operator {o.operator_no}: reported load {o.load_s} s, operations sum to {load:.2f} s")
        if load > limit + 0.06:
            errors.append(f"operator {o.operator_no}: load {load:.1f} s above takt {limit} s")
        if load > balance.cycle_time_s + 0.06:
            errors.append(f"operator {o.operator_no}: load {load:.1f} s above cycle time {balance.cycle_time_s} s")
    for op_id, total in shares.items():
        if abs(total - 1.0) > 1e-6:
            errors.append(f"operation {op_id}: shares sum to {total:.4f}, must be 1")
    return errors
