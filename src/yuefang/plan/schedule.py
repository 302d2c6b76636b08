"""Scheduling orders on the sewing lines of the cluster's factories.

Orders (product, quantity, due date, fabric-ready date) go to the lines of the enterprise's
own factories, and to another enterprise's lines only where that enterprise accepted the
order as a subcontract. A sewing line is a flow line with a daily capacity of
``operators x minutes_per_day x efficiency`` SMV-minutes, a learning curve on a style new to
the line (efficiency ramps linearly from ``learning_start_fraction`` of its steady value over
``learning_days``) and a changeover before a new style. The plan minimises the total
(weighted) tardiness, then the makespan, with OR-Tools CP-SAT: each order has one optional
interval per candidate line, exactly one present, and the lines take one order at a time.
An earliest-due-date (EDD) list schedule gives the hint, the fallback and the baseline.

Time runs in calendar minutes from ``start``; a line delivers its daily capacity spread over
the day, so durations are planning durations, accurate to the day. Re-planning keeps the
orders in ``frozen`` (already started) exactly where they are.

Modelling simplification (stated, not hidden): a new style is any product other than the
line's ``current_product``; the changeover and learning loss are charged once per order of
another style, whatever order precedes it on the line.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as dtime

from ortools.sat.python import cp_model
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Factory",
    "Line",
    "Order",
    "Subcontract",
    "PlannedOrder",
    "Schedule",
    "order_smv_min",
    "order_duration_min",
    "eligible_lines",
    "schedule_orders",
    "edd_schedule",
    "check_schedule",
    "planned_step",
]

_DAY_MIN = 1440


class Factory(BaseModel):
    """A factory of an enterprise."""

    model_config = ConfigDict(frozen=True)

    factory_id: str = Field(min_length=1)
    enterprise_id: str = Field(min_length=1)
    name: str = ""
    city_code: str = ""


class Line(BaseModel):
    """A sewing line: a flow line with capacity, learning curve and changeover.

    ``products`` empty means the line can make every product.
    """

    model_config = ConfigDict(frozen=True)

    line_id: str = Field(min_length=1)
    factory_id: str = Field(min_length=1)
    enterprise_id: str = Field(min_length=1)
    operators: int = Field(ge=1, le=500)
    minutes_per_day: float = Field(default=480.0, gt=0, le=1440)
    efficiency: float = Field(default=0.65, gt=0, le=1.5)
    products: tuple[str, ...] = ()
    current_product: str | None = None
    changeover_min: float = Field(default=60.0, ge=0)
    learning_days: float = Field(default=3.0, ge=0)
    learning_start_fraction: float = Field(default=0.6, gt=0, le=1)
    available_from: datetime | None = None
    active: bool = True

    @property
    def capacity_smv_min_per_day(self) -> float:
        """SMV-minutes the line produces per day at steady efficiency."""
        return self.operators * self.minutes_per_day * self.efficiency


class Order(BaseModel):
    """A production order for one product."""

    model_config = ConfigDict(frozen=True)

    order_id: str = Field(min_length=1)
    enterprise_id: str = Field(min_length=1)
    product_id: str = Field(min_length=1)
    quantity: int = Field(ge=1, le=1_000_000)
    due_date: date
    fabric_ready_date: date | None = None
    smv_min: float | None = Field(default=None, gt=0, description="work content per piece, minutes")
    weight: float = Field(default=1.0, gt=0, le=100)


class Subcontract(BaseModel):
    """An order offered to another enterprise; only ``accepted`` ones open its lines."""

    model_config = ConfigDict(frozen=True)

    order_id: str
    enterprise_id: str
    accepted: bool = False


class PlannedOrder(BaseModel):
    """An order's place in the schedule."""

    model_config = ConfigDict(frozen=True)

    order_id: str
    line_id: str
    factory_id: str
    enterprise_id: str
    start: datetime
    end: datetime
    due_date: date
    tardiness_days: float = Field(ge=0)
    subcontracted: bool = False
    frozen: bool = False

    @model_validator(mode="after")
    def _order(self) -> PlannedOrder:
        if self.end < self.start:
            raise ValueError(f"end: {self.end} before start {self.start}")
        return self


class Schedule(BaseModel):
    """A plan of orders on lines.

    ``unscheduled`` maps an order id to the reason it has no line (no eligible line).
    """

    model_config = ConfigDict(frozen=True)

    start: datetime
    planned: tuple[PlannedOrder, ...]
    unscheduled: dict[str, str] = Field(default_factory=dict)
    total_tardiness_days: float
    makespan_end: datetime
    method: str
    optimal: bool = False
    elapsed_s: float = 0.0

    def for_order(self, order_id: str) -> PlannedOrder | None:
        """The planned order with ``order_id``, if planned."""
        for p in self.planned:
            if p.order_id == order_id:
                return p
        return None

    @property
    def late_orders(self) -> int:
        """Number of orders finishing after their due date."""
        return sum(1 for p in self.planned if p.tardiness_days > 0)


# ---------------------------------------------------------------------------
# durations and eligibility


def order_smv_min(order: Order) -> float:
    """Work content per piece in minutes: the order's own SMV, or its product's default bulletin."""
    if order.smv_min is not None:
        return order.smv_min
    from yuefang.plan.bulletins import DEFAULT_PRODUCTS

    if order.product_id not in DEFAULT_PRODUCTS:
        raise ValueError(f"order {order.order_id}: product_id {order.product_id!r} has no default bulletin; "
                         f"give smv_min or use one of {', '.join(DEFAULT_PRODUCTS)}")
    return _default_smv(order.product_id)


_SMV_CACHE: dict[str, float] = {}


def _default_smv(product_id: str) -> float:
    if product_id not in _SMV_CACHE:
        from yuefang.plan.bulletins import default_bulletin

        _SMV_CACHE[product_id] = default_bulletin(product_id).total_smv_min
    return _SMV_CACHE[product_id]


def order_duration_min(order: Order, line: Line, *, new_style: bool | None = None) -> int:
    """Calendar minutes the line needs for the order, with changeover and learning curve.

    Examples
    --------
    >>> ln = Line(line_id="L", factory_id="F", enterprise_id="E", operators=20, minutes_per_day=480,
    ...           efficiency=0.5, current_product="shirt")
    >>> o = Order(order_id="o", enterprise_id="E", product_id="shirt", quantity=240, due_date=date(2026, 1, 9),
    ...           smv_min=20)
    >>> order_duration_min(o, ln)  # 4800 SMV-min at 4800 per day: one day
    1440
    """
    if new_style is None:
        new_style = order.product_id != line.current_product
    work = order.quantity * order_smv_min(order)
    cap = line.capacity_smv_min_per_day
    days = work / cap
    if new_style and line.learning_days > 0 and line.learning_start_fraction < 1:
        s, big_l = line.learning_start_fraction, line.learning_days
        ramp_output = big_l * (1 + s) / 2  # steady-days of output during the ramp
        if days <= ramp_output:
            # solve s t + (1 - s) t^2 / (2 L) = days
            a = (1 - s) / (2 * big_l)
            days = (-s + math.sqrt(s * s + 4 * a * days)) / (2 * a)
        else:
            days = big_l + (days - ramp_output)
    minutes = days * _DAY_MIN
    if new_style:
        minutes += line.changeover_min * _DAY_MIN / line.minutes_per_day
    return max(1, math.ceil(minutes - 1e-9))


def eligible_lines(order: Order, lines: Sequence[Line], subcontracts: Iterable[Subcontract] = ()) -> list[Line]:
    """Active lines that can make the product, of the order's enterprise or of an enterprise
    that accepted the order as a subcontract."""
    partners = {s.enterprise_id for s in subcontracts if s.order_id == order.order_id and s.accepted}
    return [ln for ln in lines if ln.active and (not ln.products or order.product_id in ln.products)
            and (ln.enterprise_id == order.enterprise_id or ln.enterprise_id in partners)]


def _minutes(start: datetime, when: datetime | date | None) -> int:
    if when is None:
        return 0
    if not isinstance(when, datetime):
        when = datetime.combine(when, dtime(0), tzinfo=start.tzinfo)
    return max(0, math.ceil((when - start).total_seconds() / 60 - 1e-9))


def _due_minute(start: datetime, due: date) -> int:
    end_of_day = datetime.combine(due, dtime(0), tzinfo=start.tzinfo) + timedelta(days=1)
    return math.floor((end_of_day - start).total_seconds() / 60 + 1e-9)


class _Prep:
    """Orders, lines and durations in minutes, shared by CP-SAT and EDD."""

    def __init__(self, orders: Sequence[Order], lines: Sequence[Line], start: datetime,
                 frozen: Sequence[PlannedOrder], subcontracts: Sequence[Subcontract]) -> None:
        ids = [o.order_id for o in orders]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise ValueError(f"orders.order_id: {dup!r} appears twice; allowed: unique ids")
        lids = [ln.line_id for ln in lines]
        if len(set(lids)) != len(lids):
            dup = next(i for i in lids if lids.count(i) > 1)
            raise ValueError(f"lines.line_id: {dup!r} appears twice; allowed: unique ids")
        self.start = start
        self.lines = {ln.line_id: ln for ln in lines}
        self.frozen = {f.order_id: f for f in frozen}
        for f in frozen:
            if f.line_id not in self.lines:
                raise ValueError(f"frozen[{f.order_id}].line_id: {f.line_id!r} is not a line")
        self.orders = [o for o in orders if o.order_id not in self.frozen]
        self.order_by_id = {o.order_id: o for o in orders}
        self.release = {o.order_id: _minutes(start, o.fabric_ready_date) for o in self.orders}
        self.due = {o.order_id: _due_minute(start, o.due_date) for o in orders}
        self.line_ready = {ln.line_id: _minutes(start, ln.available_from) for ln in lines}
        self.frozen_iv: dict[str, list[tuple[int, int]]] = {}
        for f in frozen:
            self.frozen_iv.setdefault(f.line_id, []).append(
                (math.floor((f.start - start).total_seconds() / 60), math.ceil((f.end - start).total_seconds() / 60)))
        self.cands: dict[str, dict[str, int]] = {}
        self.unscheduled: dict[str, str] = {}
        subs = list(subcontracts)
        for o in self.orders:
            el = eligible_lines(o, lines, subs)
            if not el:
                self.unscheduled[o.order_id] = (
                    f"no active line of enterprise {o.enterprise_id} (or an accepted subcontractor) makes "
                    f"{o.product_id}")
                continue
            self.cands[o.order_id] = {ln.line_id: order_duration_min(o, ln) for ln in el}


def _to_schedule(p: _Prep, placed: dict[str, tuple[str, int, int]], method: str, optimal: bool,
                 t0: float) -> Schedule:
    out = []
    for oid, f in p.frozen.items():
        o = p.order_by_id.get(oid)
        due = o.due_date if o else f.due_date
        tard = max(0.0, (f.end - p.start).total_seconds() / 60 - _due_minute(p.start, due)) / _DAY_MIN
        out.append(f.model_copy(update={"frozen": True, "tardiness_days": round(tard, 4)}))
    for oid, (lid, s, e) in placed.items():
        o = p.order_by_id[oid]
        ln = p.lines[lid]
        tard = max(0, e - p.due[oid]) / _DAY_MIN
        out.append(PlannedOrder(order_id=oid, line_id=lid, factory_id=ln.factory_id, enterprise_id=ln.enterprise_id,
                                start=p.start + timedelta(minutes=s), end=p.start + timedelta(minutes=e),
                                due_date=o.due_date, tardiness_days=round(tard, 4),
                                subcontracted=ln.enterprise_id != o.enterprise_id))
    out.sort(key=lambda x: (x.factory_id, x.line_id, x.start))
    total = round(sum(x.tardiness_days * (p.order_by_id[x.order_id].weight if x.order_id in p.order_by_id else 1)
                      for x in out), 4)
    end = max((x.end for x in out), default=p.start)
    return Schedule(start=p.start, planned=tuple(out), unscheduled=dict(p.unscheduled), total_tardiness_days=total,
                    makespan_end=end, method=method, optimal=optimal, elapsed_s=round(time.monotonic() - t0, 3))


def _edd(p: _Prep) -> dict[str, tuple[str, int, int]]:
    """Earliest due date first, each order on the eligible line that finishes it earliest."""
    free = {lid: max([p.line_ready[lid]] + [e for _, e in p.frozen_iv.get(lid, [])]) for lid in p.lines}
    placed: dict[str, tuple[str, int, int]] = {}
    order = sorted(p.cands, key=lambda oid: (p.due[oid], p.release[oid], oid))
    for oid in order:
        best = None
        for lid, d in p.cands[oid].items():
            s = max(free[lid], p.release[oid])
            key = (s + d, d, lid)
            if best is None or key < best[0]:
                best = (key, lid, s, d)
        assert best is not None
        _, lid, s, d = best
        placed[oid] = (lid, s, s + d)
        free[lid] = s + d
    return placed


def edd_schedule(orders: Sequence[Order], lines: Sequence[Line], *, start: datetime,
                 frozen: Sequence[PlannedOrder] = (), subcontracts: Sequence[Subcontract] = ()) -> Schedule:
    """The earliest-due-date dispatching rule (the baseline): orders by due date, each appended
    to the eligible line where it finishes earliest."""
    t0 = time.monotonic()
    p = _Prep(orders, lines, start, frozen, subcontracts)
    return _to_schedule(p, _edd(p), "edd", False, t0)


def schedule_orders(orders: Sequence[Order], lines: Sequence[Line], *, start: datetime, time_limit_s: float = 30.0,
                    frozen: Sequence[PlannedOrder] = (), subcontracts: Sequence[Subcontract] = (),
                    max_lines_per_order: int = 6, num_workers: int = 2, seed: int = 0) -> Schedule:
    """Plan orders on lines: minimise total weighted tardiness, then makespan (CP-SAT).

    Parameters
    ----------
    orders : sequence of Order
        Orders to plan (those in ``frozen`` keep their place).
    lines : sequence of Line
        Lines of the cluster (all enterprises); eligibility per order is computed.
    start : datetime
        Time zero of the plan (now); nothing new starts before it.
    time_limit_s : float
        Wall-clock limit, seconds (model building included).
    frozen : sequence of PlannedOrder
        Started orders from the previous plan, kept exactly (re-planning).
    subcontracts : sequence of Subcontract
        Offers; an accepted one lets the order use that enterprise's lines.
    max_lines_per_order : int
        Candidate lines per order in the model (the EDD line plus the fastest others).
    num_workers, seed : int
        CP-SAT workers and seed.

    Returns
    -------
    Schedule
        ``method`` is ``"cp-sat"``, or ``"edd"`` when the solver found nothing better in time.
    """
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: {time_limit_s!r}; allowed: > 0")
    if max_lines_per_order < 1:
        raise ValueError(f"max_lines_per_order: {max_lines_per_order!r}; allowed: >= 1")
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    p = _Prep(orders, lines, start, frozen, subcontracts)
    edd = _edd(p)
    if not p.cands:
        return _to_schedule(p, {}, "cp-sat", True, t0)
    n_iv = sum(min(len(c), max_lines_per_order) for c in p.cands.values())
    if n_iv <= 4000:
        # one model for everything: the solver can prove optimality
        placed, optimal = _cp_solve(p, set(p.cands), set(p.lines), edd, deadline, num_workers, seed,
                                    max_lines_per_order)
        if placed is None or _cost(p, placed) > _cost(p, edd):
            return _to_schedule(p, edd, "edd", False, t0)
        return _to_schedule(p, placed, "cp-sat", optimal, t0)
    # large: large-neighbourhood search; a neighbourhood is the lines of one enterprise (plus
    # its subcontractors' lines) with every order on them, the rest of the plan fixed
    current = dict(edd)
    ent_lines: dict[str, set[str]] = {}
    for lid, ln in p.lines.items():
        ent_lines.setdefault(ln.enterprise_id, set()).add(lid)
    hoods = []
    for ent, lids in ent_lines.items():
        extra = {lid for oid, c in p.cands.items() if p.order_by_id[oid].enterprise_id == ent for lid in c}
        hoods.append(lids | extra)
    improved_any = False
    while time.monotonic() < deadline - 0.3:
        # worst neighbourhoods first
        def hood_tard(lids: set[str], plan: dict[str, tuple[str, int, int]] = current) -> int:
            return sum(max(0, e - p.due[o]) for o, (lid, _, e) in plan.items() if lid in lids)

        order = sorted(hoods, key=hood_tard, reverse=True)
        todo = [h for h in order if hood_tard(h) > 0] or order[:1]
        changed = False
        for k, lids in enumerate(todo):
            left = deadline - time.monotonic()
            if left < 0.3:
                break
            oids = {o for o, (lid, _, _) in current.items() if lid in lids}
            if not oids:
                continue
            slice_s = max(0.3, left / max(1, len(todo) - k))
            placed, _ = _cp_solve(p, oids, lids, current, min(deadline, time.monotonic() + slice_s), num_workers,
                                  seed, max_lines_per_order)
            if placed is None:
                continue
            trial = dict(current)
            trial.update(placed)
            if _cost(p, trial) < _cost(p, current):
                current = trial
                changed = improved_any = True
        if not changed:
            break
    return _to_schedule(p, current, "cp-sat" if improved_any else "edd", False, t0)


def _cost(p: _Prep, placed: dict[str, tuple[str, int, int]]) -> tuple[float, int]:
    tard = sum(max(0, e - p.due[o]) * p.order_by_id[o].weight for o, (_, _, e) in placed.items())
    return (round(tard, 6), max((e for _, _, e in placed.values()), default=0))


def _cp_solve(p: _Prep, order_ids: set[str], line_ids: set[str], hint: dict[str, tuple[str, int, int]],
              deadline: float, num_workers: int, seed: int, max_lines_per_order: int
              ) -> tuple[dict[str, tuple[str, int, int]] | None, bool]:
    """CP-SAT over the orders ``order_ids`` on the lines ``line_ids`` (the rest stays fixed)."""
    fixed: dict[str, list[tuple[int, int]]] = {lid: list(p.frozen_iv.get(lid, [])) for lid in line_ids}
    for oid, (lid, s0, e0) in hint.items():
        if oid not in order_ids and lid in line_ids:
            fixed[lid].append((s0, e0))
    horizon = max([e for _, _, e in hint.values()] + [e for ivs in fixed.values() for _, e in ivs]) + 1
    load: dict[str, int] = {}
    for lid, s0, e0 in hint.values():
        load[lid] = load.get(lid, 0) + e0 - s0
    model = cp_model.CpModel()
    # variables, indexed by order id and (order id, line id)
    starts: dict[str, cp_model.IntVar] = {}
    ends: dict[str, cp_model.IntVar] = {}
    lits_of: dict[str, list[tuple[str, cp_model.IntVar]]] = {}
    per_line: dict[str, list[cp_model.IntervalVar]] = {lid: [] for lid in line_ids}
    terms = []
    dmax_all = 1
    for oid in sorted(order_ids):
        cands = {lid: d for lid, d in p.cands[oid].items() if lid in line_ids}
        chosen = hint[oid][0]
        # candidate lines: the hinted line plus the fastest others (ties: least loaded)
        others = sorted((lid for lid in cands if lid != chosen), key=lambda lid: (cands[lid], load.get(lid, 0), lid))
        keep = [chosen] + others[: max_lines_per_order - 1]
        dmin = min(cands[lid] for lid in keep)
        dmax = max(cands[lid] for lid in keep)
        dmax_all = max(dmax_all, dmax)
        s = model.new_int_var(p.release[oid], horizon, f"start_{oid}")
        e = model.new_int_var(p.release[oid] + dmin, horizon + dmax, f"end_{oid}")
        starts[oid], ends[oid] = s, e
        lits = []
        for lid in keep:
            lit = model.new_bool_var(f"on_{oid}_{lid}")
            iv = model.new_optional_interval_var(s, cands[lid], e, lit, f"iv_{oid}_{lid}")
            per_line[lid].append(iv)
            # a stopped or not yet available line takes nothing before it is ready
            if p.line_ready[lid] > p.release[oid]:
                model.add(s >= p.line_ready[lid]).only_enforce_if(lit)
            lits.append((lid, lit))
        # exactly one line makes the order
        model.add_exactly_one(lit for _, lit in lits)
        lits_of[oid] = lits
        # tardiness: minutes past the end of the due day
        t = model.new_int_var(0, horizon + dmax, f"tard_{oid}")
        model.add(t >= e - p.due[oid])
        terms.append((max(1, round(p.order_by_id[oid].weight * 100)), t))
    # frozen and fixed orders occupy their lines
    for lid, ivs in fixed.items():
        for k, (s0, e0) in enumerate(ivs):
            per_line[lid].append(model.new_fixed_size_interval_var(s0, max(0, e0 - s0), f"fixed_{lid}_{k}"))
    # one order at a time on a line
    for ivs in per_line.values():
        if len(ivs) > 1:
            model.add_no_overlap(ivs)
    makespan = model.new_int_var(0, horizon + dmax_all, "makespan")
    model.add_max_equality(makespan, list(ends.values()))
    # objective: total weighted tardiness first, then makespan
    big = horizon + dmax_all + 1
    model.minimize(big * sum(w * t for w, t in terms) + makespan)
    # the current plan as the hint
    for oid in order_ids:
        lid0, s0, e0 = hint[oid]
        model.add_hint(starts[oid], s0)
        model.add_hint(ends[oid], e0)
        for lid, lit in lits_of[oid]:
            model.add_hint(lit, lid == lid0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    solver.parameters.num_workers = max(1, num_workers)
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    placed = {}
    for oid in order_ids:
        lid = next(lid for lid, lit in lits_of[oid] if solver.boolean_value(lit))
        placed[oid] = (lid, solver.value(starts[oid]), solver.value(ends[oid]))
    return placed, status == cp_model.OPTIMAL


def check_schedule(schedule: Schedule, orders: Sequence[Order], lines: Sequence[Line], *,
                   frozen: Sequence[PlannedOrder] = (), subcontracts: Sequence[Subcontract] = ()) -> list[str]:
    """Check a schedule independently of the solver; returns the violations (empty: valid).

    Every order planned once (or reported unscheduled with no eligible line); on an eligible,
    active line (own enterprise or accepted subcontract, product allowed); not before the
    plan start, its fabric, or the line's availability; long enough for the line's capacity;
    no overlap on a line; frozen orders unchanged; tardiness as reported.
    """
    errors: list[str] = []
    by_line = {ln.line_id: ln for ln in lines}
    subs = list(subcontracts)
    planned: dict[str, PlannedOrder] = {}
    for x in schedule.planned:
        if x.order_id in planned:
            errors.append(f"order {x.order_id}: planned twice")
        planned[x.order_id] = x
    frozen_by = {f.order_id: f for f in frozen}
    for f in frozen:
        x = planned.get(f.order_id)
        if x is None:
            errors.append(f"order {f.order_id}: frozen but not in the schedule")
        elif (x.line_id, x.start, x.end) != (f.line_id, f.start, f.end):
            errors.append(f"order {f.order_id}: frozen on {f.line_id} {f.start}..{f.end}, moved to "
                          f"{x.line_id} {x.start}..{x.end}")
    for o in orders:
        x = planned.get(o.order_id)
        if x is None:
            if o.order_id not in schedule.unscheduled:
                errors.append(f"order {o.order_id}: neither planned nor reported unscheduled")
            elif eligible_lines(o, lines, subs):
                errors.append(f"order {o.order_id}: reported unscheduled but has eligible lines")
            continue
        due = _due_minute(schedule.start, o.due_date)
        end_min = (x.end - schedule.start).total_seconds() / 60
        tard = max(0.0, end_min - due) / _DAY_MIN
        if abs(tard - x.tardiness_days) > 1e-3:
            errors.append(f"order {o.order_id}: tardiness {x.tardiness_days} d reported, {tard:.4f} d computed")
        if o.order_id in frozen_by:
            continue
        ln = by_line.get(x.line_id)
        if ln is None:
            errors.append(f"order {o.order_id}: unknown line {x.line_id}")
            continue
        if ln not in eligible_lines(o, lines, subs):
            errors.append(f"order {o.order_id}: line {x.line_id} not eligible (enterprise {ln.enterprise_id}, "
                          f"products {list(ln.products) or 'all'}, active {ln.active})")
        if x.factory_id != ln.factory_id:
            errors.append(f"order {o.order_id}: factory {x.factory_id} but line {ln.line_id} is in {ln.factory_id}")
        if x.start < schedule.start:
            errors.append(f"order {o.order_id}: starts {x.start} before the plan start {schedule.start}")
        if o.fabric_ready_date and x.start < datetime.combine(o.fabric_ready_date, dtime(0), tzinfo=schedule.start.tzinfo):
            errors.append(f"order {o.order_id}: starts {x.start} before its fabric is ready {o.fabric_ready_date}")
        if ln.available_from and x.start < ln.available_from:
            errors.append(f"order {o.order_id}: starts {x.start} before line {ln.line_id} is available {ln.available_from}")
        need = order_duration_min(o, ln)
        have = (x.end - x.start).total_seconds() / 60
        if have + 1e-6 < need:
            errors.append(f"order {o.order_id}: {have:.0f} min on {ln.line_id}, capacity needs {need} min")
    for x in schedule.planned:
        if x.order_id not in {o.order_id for o in orders} and x.order_id not in frozen_by:
            errors.append(f"order {x.order_id}: planned but not ordered")
    per_line: dict[str, list[PlannedOrder]] = {}
    for x in schedule.planned:
        per_line.setdefault(x.line_id, []).append(x)
    for lid, xs in per_line.items():
        xs.sort(key=lambda x: (x.start, x.end))
        for a, b in zip(xs, xs[1:], strict=False):
            if b.start < a.end:
                errors.append(f"line {lid}: {a.order_id} ({a.start}..{a.end}) overlaps {b.order_id} ({b.start}..{b.end})")
    return errors


def planned_step(schedule: Schedule, order_id: str) -> dict[str, object]:
    """The ``planned`` step of an order for the order record (JSON-ready values).

    Keys: ``step`` ("planned"), ``order_id``, ``factory_id``, ``line_id``, ``enterprise_id``,
    ``start``, ``end`` (ISO 8601), ``due_date``, ``tardiness_days``, ``subcontracted``.
    Raises ``KeyError`` naming the order when it is not planned.
    """
    x = schedule.for_order(order_id)
    if x is None:
        reason = schedule.unscheduled.get(order_id, "not in the schedule")
        raise KeyError(f"order_id: {order_id!r} is not planned ({reason})")
    return {"step": "planned", "order_id": x.order_id, "factory_id": x.factory_id, "line_id": x.line_id,
            "enterprise_id": x.enterprise_id, "start": x.start.isoformat(), "end": x.end.isoformat(),
            "due_date": x.due_date.isoformat(), "tardiness_days": x.tardiness_days,
            "subcontracted": x.subcontracted}
