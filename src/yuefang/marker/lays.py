"""Lay planning on marker lengths: which size mixes, how many plies, how many lays.

This is the optimisation at the heart of cut order planning, on the *linear marker model*: a
marker holding ``n_s`` garments of each size ``s`` is ``sum(n_s * consumption_s)`` long, where
``consumption_s`` is the marker length one garment of size ``s`` takes (from a calibrating nest,
from the cutting room's records, or from a costing sheet). :func:`yuefang.marker.planning.plan_cuts`
calls it with consumptions estimated from the pieces' area and then nests the chosen markers for
real; the public cut-order-planning examples in ``../shared/benchmarks/cop`` use it directly.

Problem. ``demand[colour][size]`` garments are wanted. A lay spreads between ``min_plies`` and
``max_plies`` plies and cuts them with one marker; the marker must fit the cutting table
(``max_marker_length_mm``) and hold at most ``max_garments_per_marker`` garments. Every ply uses
the marker's length plus an end allowance. Each (colour, size) gets at least its demand and at
most ``over_cut_pct`` more. By default a lay is one colour; with ``colours_share_lays`` plies of
several colours may be spread in one lay (one marker, colours separated by ply). Cost:

    fabric (plies x (length + end allowance) x price per metre)
    + cost_per_lay x lays + cost_per_marker x markers used

Two exact CP-SAT models, picked by size:

* **every composition** (up to ``enumeration_limit`` candidate markers): a variable per candidate
  marker and colour; the solver's bound is a bound over every possible plan.
* **marker slots** (many sizes or long tables, where the candidates run to tens of thousands): at
  most ``marker_slots`` markers whose size mix is itself a variable (``plies x mix`` as CP-SAT
  products). Its bound holds only for plans with that many markers, so the plan's lower bound is
  then the universal one below.

The universal lower bound, valid for any plan: the fabric of the demand itself (each garment's
consumption plus, per ply, the end allowance of the fewest plies that can hold it), the fewest
lays that can hold that fabric, and one marker.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from yuefang.marker.errors import MarkerInputError

__all__ = ["Lay", "LayPlan", "MarkerMix", "marker_compositions", "plan_lays"]

#: Above this many candidate markers the marker-slot model is used.
ENUMERATION_LIMIT = 4000
_SCALE = 100_000.0  # objective in 1/100,000 of a cost unit


@dataclass(frozen=True)
class MarkerMix:
    """One marker of a plan: the garments of each size it holds and its length on the linear model."""

    marker_id: str
    sizes: dict[str, int]
    estimated_length_mm: float

    @property
    def garments(self) -> int:
        return sum(self.sizes.values())


@dataclass(frozen=True)
class Lay:
    """Plies of one colour cut with one marker.

    Rows with the same ``lay_id`` are one spread (colours sharing a lay, one row per colour).
    """

    marker_id: str
    colour: str
    plies: int
    lay_id: str = ""


@dataclass(frozen=True)
class LayPlan:
    """The markers and lays chosen, what they cut, their cost and the distance from a lower bound."""

    markers: tuple[MarkerMix, ...]
    lays: tuple[Lay, ...]
    demand: dict[str, dict[str, int]]
    produced: dict[str, dict[str, int]]
    fabric_length_mm: float
    cost: dict[str, float]
    lower_bound_cost: float
    gap: float
    status: str
    model: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def lay_count(self) -> int:
        return len({lay.lay_id for lay in self.lays})

    @property
    def ply_count(self) -> int:
        return sum(lay.plies for lay in self.lays)

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "model": self.model,
            "markers": [
                {"marker_id": m.marker_id, "sizes": m.sizes, "garments": m.garments,
                 "estimated_length_mm": round(m.estimated_length_mm, 1)}
                for m in self.markers
            ],
            "lays": [{"lay_id": x.lay_id, "marker_id": x.marker_id, "colour": x.colour, "plies": x.plies}
                     for x in self.lays],
            "lay_count": self.lay_count,
            "demand": self.demand,
            "produced": self.produced,
            "fabric_length_mm": round(self.fabric_length_mm, 1),
            "cost": {k: round(v, 2) for k, v in self.cost.items()},
            "lower_bound_cost": round(self.lower_bound_cost, 2),
            "gap": round(self.gap, 4),
            "warnings": list(self.warnings),
        }


def marker_compositions(sizes: list[str], max_garments: int) -> list[dict[str, int]]:
    """Every marker composition with 1..max_garments garments over ``sizes``.

    Examples
    --------
    >>> marker_compositions(["S", "M"], 2)
    [{'S': 1}, {'M': 1}, {'S': 2}, {'S': 1, 'M': 1}, {'M': 2}]
    """
    out = []
    for total in range(1, max_garments + 1):
        for combo in itertools.combinations_with_replacement(range(len(sizes)), total):
            comp: dict[str, int] = {}
            for i in combo:
                comp[sizes[i]] = comp.get(sizes[i], 0) + 1
            out.append(comp)
    return out


def _count_compositions(n_sizes: int, max_garments: int) -> int:
    # multisets of 1..G items over n kinds: C(n + G, G) - 1
    return math.comb(n_sizes + max_garments, max_garments) - 1


def check_number(name: str, value: object, low: float, high: float = math.inf, integer: bool = False) -> None:
    """Raise MarkerInputError naming ``name`` unless ``low <= value <= high`` (and whole when ``integer``)."""
    x = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
    ok = math.isfinite(x) and low <= x <= high and (not integer or x == int(x))
    if not ok:
        kind = "an integer" if integer else "a number"
        rng = f">= {low:g}" if high == math.inf else f"in [{low:g}, {high:g}]"
        raise MarkerInputError(name, value, f"{kind} {rng}")


def check_batch(
    demand: Mapping[str, Mapping[str, int]],
    sizes: list[str],
    what: str,
    *,
    max_plies: int,
    min_plies: int,
    max_marker_length_mm: float,
    end_allowance_mm: float,
    cost_per_lay: float,
    cost_per_marker: float,
    fabric_cost_per_m: float,
    over_cut_pct: float,
    max_garments_per_marker: int,
    time_limit_s: float,
    max_garments_limit: int = 100,
) -> list[str]:
    """Check a batch and its limits (MarkerInputError naming the field); the colours with demand.

    ``what`` names what each size needs (``"pattern"``, ``"consumption"``) in the error.
    """
    if not demand:
        raise MarkerInputError("demand", {}, "quantities per colour and size")
    for colour, per_size in demand.items():
        for size, qty in per_size.items():
            if size not in sizes:
                raise MarkerInputError(f"demand[{colour}][{size}]", size, f"a size with a {what}: {', '.join(sizes)}")
            check_number(f"demand[{colour}][{size}]", qty, 0, integer=True)
    check_number("max_plies", max_plies, 1, integer=True)
    check_number("min_plies", min_plies, 1, max_plies, integer=True)
    check_number("max_marker_length_mm", max_marker_length_mm, 1)
    check_number("end_allowance_mm", end_allowance_mm, 0)
    check_number("cost_per_lay", cost_per_lay, 0)
    check_number("cost_per_marker", cost_per_marker, 0)
    check_number("fabric_cost_per_m", fabric_cost_per_m, 0)
    check_number("over_cut_pct", over_cut_pct, 0, 100)
    check_number("max_garments_per_marker", max_garments_per_marker, 1, max_garments_limit, integer=True)
    check_number("time_limit_s", time_limit_s, 0.1)
    colours = [c for c in demand if any(q > 0 for q in demand[c].values())]
    if not colours:
        raise MarkerInputError("demand", dict(demand), "at least one garment")
    return colours


def plan_lays(
    consumption_mm: Mapping[str, float],
    demand: Mapping[str, Mapping[str, int]],
    *,
    max_plies: int = 80,
    min_plies: int = 1,
    max_marker_length_mm: float = 8000.0,
    end_allowance_mm: float = 20.0,
    cost_per_lay: float = 0.0,
    cost_per_marker: float = 0.0,
    fabric_cost_per_m: float = 1.0,
    over_cut_pct: float = 0.0,
    max_garments_per_marker: int = 6,
    colours_share_lays: bool = False,
    marker_slots: int | None = None,
    enumeration_limit: int = ENUMERATION_LIMIT,
    time_limit_s: float = 10.0,
    seed: int = 0,
    num_workers: int = 2,
) -> LayPlan:
    """Choose markers (size mixes), plies and lays for a batch at least cost.

    Parameters
    ----------
    consumption_mm : mapping size -> mm
        Marker length one garment of the size takes (linear marker model).
    demand : mapping colour -> (size -> quantity)
        Garments wanted.
    max_plies, min_plies : int
        Plies in one lay, at most and at least (spreading height; a lay below ``min_plies`` is
        not worth spreading).
    max_marker_length_mm : float
        Longest marker the cutting table takes.
    end_allowance_mm : float
        Extra fabric at the ends of every ply.
    cost_per_lay, cost_per_marker, fabric_cost_per_m : float
        Costs in one currency.
    over_cut_pct : float
        Garments allowed above each (colour, size) demand, % of it (rounded down).
    max_garments_per_marker : int
        Most garments in one marker.
    colours_share_lays : bool
        Allow plies of several colours in one lay.
    marker_slots : int, optional
        Markers allowed in the marker-slot model (default: sizes + 2).
    enumeration_limit : int
        Largest number of candidate markers for the every-composition model.
    time_limit_s, seed, num_workers
        CP-SAT settings.

    Examples
    --------
    >>> plan = plan_lays({"M": 1000.0}, {"navy": {"M": 150}}, max_plies=100, max_garments_per_marker=2,
    ...                  max_marker_length_mm=2500, end_allowance_mm=0, cost_per_lay=5, time_limit_s=2)
    >>> plan.lay_count, plan.lays[0].plies, plan.markers[0].sizes, plan.fabric_length_mm, plan.status
    (1, 75, {'M': 2}, 150000.0, 'optimal')
    """
    # -- checks ---------------------------------------------------------------------------------
    if not consumption_mm:
        raise MarkerInputError("consumption_mm", {}, "a marker length per garment for each size")
    for s, mm in consumption_mm.items():
        check_number(f"consumption_mm[{s}]", mm, 1e-6)
    sizes = list(consumption_mm)
    colours = check_batch(
        demand, sizes, "consumption",
        max_plies=max_plies, min_plies=min_plies, max_marker_length_mm=max_marker_length_mm,
        end_allowance_mm=end_allowance_mm, cost_per_lay=cost_per_lay, cost_per_marker=cost_per_marker,
        fabric_cost_per_m=fabric_cost_per_m, over_cut_pct=over_cut_pct,
        max_garments_per_marker=max_garments_per_marker, time_limit_s=time_limit_s,
    )
    want = {c: {s: int(demand[c].get(s, 0)) for s in sizes} for c in colours}
    cap = {c: {s: want[c][s] + math.floor(want[c][s] * over_cut_pct / 100.0) for s in sizes} for c in colours}
    active = [s for s in sizes if any(want[c][s] for c in colours)]
    a = {s: float(consumption_mm[s]) for s in sizes}
    for s in active:
        if a[s] > max_marker_length_mm:
            raise MarkerInputError(
                "max_marker_length_mm", max_marker_length_mm,
                f"at least the length of one garment of size {s} ({a[s]:.0f} mm)",
            )
    table = float(max_marker_length_mm)
    g_max = min(max_garments_per_marker, max(int(table // a[s]) for s in active))
    per_mm = fabric_cost_per_m / 1000.0

    def length(comp: Mapping[str, int]) -> float:
        return sum(n * a[s] for s, n in comp.items())

    # -- universal lower bound ----------------------------------------------------------------
    demand_mm = sum(want[c][s] * a[s] for c in colours for s in active)
    min_plies_total = math.ceil(demand_mm / table - 1e-9)
    lays_lb = max(math.ceil(min_plies_total / max_plies - 1e-9),
                  math.ceil(sum(map(sum, (w.values() for w in want.values()))) / (max_plies * g_max) - 1e-9))
    if not colours_share_lays:
        lays_lb = max(lays_lb, len(colours))
    fabric_lb = per_mm * (demand_mm + end_allowance_mm * min_plies_total)
    universal_lb = fabric_lb + cost_per_lay * lays_lb + cost_per_marker * 1

    # -- models -------------------------------------------------------------------------------
    n_candidates = _count_compositions(len(active), g_max)
    k_slots = marker_slots if marker_slots is not None else len(active) + 2
    check_number("marker_slots", k_slots, 1, 64, integer=True)
    big_plies = {c: sum(cap[c][s] for s in active) for c in colours}
    lay_groups = [("*", colours)] if colours_share_lays else [(c, [c]) for c in colours]
    spec = _Spec(
        active=active, colours=colours, want=want, cap=cap, a=a, table=table, g_max=g_max, per_mm=per_mm,
        end_mm=end_allowance_mm, cost_per_lay=cost_per_lay, cost_per_marker=cost_per_marker,
        max_plies=max_plies, min_plies=min_plies, lay_groups=lay_groups, big_plies=big_plies,
        max_lays=sum(math.ceil(big_plies[c] / min_plies) for c in colours),
    )
    # what the models' integer objective may lose to rounding (one half-unit per ply, garment,
    # lay and marker), in cost units
    slack = 0.5 * (2 * sum(big_plies.values()) + spec.max_lays + n_candidates + k_slots) / _SCALE
    spec.objective_floor = max(0, math.floor((universal_lb - slack) * _SCALE))
    t0 = time.monotonic()
    enumerate_too = n_candidates <= enumeration_limit
    # the marker-slot model finds good plans fast; the every-composition model (where it is
    # small enough) then improves on it from that hint and bounds every plan
    best = _solve(spec, _slot_model(spec, k_slots), time_limit_s / 2 if enumerate_too else time_limit_s,
                  seed, num_workers)
    model_name = f"marker slots (at most {k_slots} markers; {n_candidates} compositions exist)"
    exact_bound: float | None = None
    # a plan with more markers than slots has at least as many lays as markers
    slot_bound = None if best is None else min(
        best.bound / _SCALE - slack, fabric_lb + (k_slots + 1) * (cost_per_lay + cost_per_marker))
    slot_optimal = best is not None and best.optimal
    if enumerate_too and not (best is not None and best.objective <= spec.objective_floor):
        left = max(0.1, time_limit_s - (time.monotonic() - t0))
        ev = _solve(spec, _enumeration_model(spec, best), left, seed, num_workers)
        if ev is not None:
            exact_bound = ev.bound
            if best is None or ev.objective < best.objective:
                best = ev
                model_name = f"every composition ({n_candidates} compositions)"
            else:
                model_name += ", bounded by the every-composition model"
    if best is None:
        raise MarkerInputError(
            "demand", {c: dict(v) for c, v in demand.items()},
            f"a batch that the limits allow (no plan found within max_plies={max_plies}, min_plies={min_plies}, "
            f"over_cut_pct={over_cut_pct:g}, max_marker_length_mm={max_marker_length_mm:g}, "
            f"max_garments_per_marker={max_garments_per_marker})",
        )

    # -- the plan -----------------------------------------------------------------------------
    markers: list[MarkerMix] = []
    lay_rows: list[Lay] = []
    lay_no = 0
    for comp, plies_by_colour, lays_by_group in best.markers:
        mid = f"M{len(markers) + 1}"
        markers.append(MarkerMix(mid, comp, length(comp)))
        for gid, group in lay_groups:
            n_lays = lays_by_group.get(gid, 0)
            stream: list[tuple[str, int]] = [(c, plies_by_colour[c]) for c in group if plies_by_colour.get(c)]
            total = sum(p for _, p in stream)
            if total == 0 or n_lays == 0:
                continue
            base, extra = divmod(total, n_lays)
            # deal the colours' plies into the lays in order (a lay may hold several colours)
            for i in range(n_lays):
                lay_no += 1
                left = base + (1 if i < extra else 0)
                while left:
                    c, p = stream[0]
                    take = min(p, left)
                    lay_rows.append(Lay(marker_id=mid, colour=c, plies=take, lay_id=f"L{lay_no}"))
                    left -= take
                    if p == take:
                        stream.pop(0)
                    else:
                        stream[0] = (c, p - take)
    produced = {c: {s: 0 for s in sizes} for c in colours}
    by_id = {mk.marker_id: mk for mk in markers}
    for lay in lay_rows:
        for s, n in by_id[lay.marker_id].sizes.items():
            produced[lay.colour][s] += n * lay.plies
    fabric_mm = sum(lay.plies * (by_id[lay.marker_id].estimated_length_mm + end_allowance_mm) for lay in lay_rows)
    n_lays_total = len({lay.lay_id for lay in lay_rows})
    cost = {
        "fabric": fabric_mm / 1000.0 * fabric_cost_per_m,
        "lays": cost_per_lay * n_lays_total,
        "markers": cost_per_marker * len(markers),
    }
    cost["total"] = cost["fabric"] + cost["lays"] + cost["markers"]
    # the every-composition model's bound holds for every plan (less the objective's rounding);
    # the slot model's for plans with at most that many markers, and more markers mean more lays
    bound = universal_lb
    if exact_bound is not None:
        bound = max(bound, exact_bound / _SCALE - slack)
    if slot_bound is not None:
        bound = max(bound, slot_bound)
    bound = min(bound, cost["total"])
    gap = (cost["total"] - bound) / cost["total"] if cost["total"] > 0 else 0.0
    if gap < 1e-6 or (exact_bound is not None and best.objective <= exact_bound):
        status = "optimal"
    elif slot_optimal and best.source == "slots":
        status = f"optimal among plans with at most {k_slots} markers"
    else:
        status = "feasible"
    return LayPlan(
        markers=tuple(markers),
        lays=tuple(lay_rows),
        demand=want,
        produced=produced,
        fabric_length_mm=fabric_mm,
        cost=cost,
        lower_bound_cost=bound,
        gap=gap,
        status=status,
        model=model_name,
    )


# -- the two CP-SAT models ----------------------------------------------------------------------


@dataclass
class _Spec:
    active: list[str]
    colours: list[str]
    want: dict[str, dict[str, int]]
    cap: dict[str, dict[str, int]]
    a: dict[str, float]
    table: float
    g_max: int
    per_mm: float
    end_mm: float
    cost_per_lay: float
    cost_per_marker: float
    max_plies: int
    min_plies: int
    lay_groups: list[tuple[str, list[str]]]
    big_plies: dict[str, int]
    max_lays: int
    objective_floor: int = 0


@dataclass
class _Built:
    """A model and how to read a plan back: per marker its mix, plies per colour, lays per group."""

    source: str
    model: cp_model.CpModel
    used: list[cp_model.IntVar]
    mixes: list[dict[str, int | cp_model.IntVar]]
    plies: dict[tuple[int, str], cp_model.IntVar]
    lays: dict[tuple[int, str], cp_model.IntVar]


@dataclass
class _Solution:
    source: str
    objective: float
    bound: float
    optimal: bool
    markers: list[tuple[dict[str, int], dict[str, int], dict[str, int]]]


def _finish(spec: _Spec, b: _Built, made_terms: dict[tuple[str, str], list], fabric_terms: list) -> _Built:
    """Lays, demand and the objective: the part both models share."""
    model = b.model
    for m in range(len(b.mixes)):
        for gid, group in spec.lay_groups:
            group_plies = [b.plies[m, c] for c in group if (m, c) in b.plies]
            if not group_plies:
                continue
            n = b.lays[m, gid] = model.new_int_var(0, spec.max_lays, f"l{m}_{gid}")
            total = sum(group_plies)
            model.add(total <= spec.max_plies * n)
            model.add(total >= spec.min_plies * n)
            model.add(n == 0).only_enforce_if(b.used[m].Not())
        mine = [v for (mm, _), v in b.lays.items() if mm == m]
        if mine:
            model.add(sum(mine) >= b.used[m])
        else:
            model.add(b.used[m] == 0)
    for c in spec.colours:
        for s in spec.active:
            made = sum(made_terms[c, s])
            model.add(made >= spec.want[c][s])
            model.add(made <= spec.cap[c][s])
    objective = (
        sum(fabric_terms)
        + int(round(_SCALE * spec.cost_per_lay)) * sum(b.lays.values())
        + int(round(_SCALE * spec.cost_per_marker)) * sum(b.used)
    )
    # the universal lower bound: lets the solver stop as soon as a plan reaches it
    model.add(objective >= spec.objective_floor)
    model.minimize(objective)
    return b


def _slot_model(spec: _Spec, k_slots: int) -> _Built:
    """At most ``k_slots`` markers whose size mix is a variable (plies x mix as CP-SAT products)."""
    b = _Built("slots", cp_model.CpModel(), [], [], {}, {})
    model = b.model
    made_terms: dict[tuple[str, str], list] = {(c, s): [] for c in spec.colours for s in spec.active}
    fabric_terms: list = []
    hundredths = {s: int(round(spec.a[s] * 100)) for s in spec.active}
    for k in range(k_slots):
        mix = {s: model.new_int_var(0, min(spec.g_max, int(spec.table // spec.a[s])), f"r{k}_{s}")
               for s in spec.active}
        b.mixes.append(dict(mix))
        used = model.new_bool_var(f"used{k}")
        b.used.append(used)
        model.add(sum(mix.values()) <= spec.g_max)
        model.add(sum(mix.values()) >= used)
        model.add(sum(hundredths[s] * v for s, v in mix.items()) <= int(math.floor(spec.table * 100 + 1e-6)))
        for v in mix.values():
            model.add(v == 0).only_enforce_if(used.Not())
        if k:
            model.add(b.used[k] <= b.used[k - 1])  # symmetry: slots are used in order
        for c in spec.colours:
            p = b.plies[k, c] = model.new_int_var(0, spec.big_plies[c], f"p{k}_{c}")
            model.add(p == 0).only_enforce_if(used.Not())
            for s in spec.active:
                x = model.new_int_var(0, spec.cap[c][s], f"x{k}_{c}_{s}")
                model.add_multiplication_equality(x, [mix[s], p])
                made_terms[c, s].append(x)
            fabric_terms.append(int(round(_SCALE * spec.per_mm * spec.end_mm)) * p)
    for c in spec.colours:
        for s in spec.active:
            fabric_terms.append(int(round(_SCALE * spec.per_mm * spec.a[s])) * sum(made_terms[c, s]))
    return _finish(spec, b, made_terms, fabric_terms)


def _enumeration_model(spec: _Spec, hint: _Solution | None) -> _Built:
    """A variable per candidate marker (every mix that fits) and colour; hinted by ``hint``."""
    b = _Built("every composition", cp_model.CpModel(), [], [], {}, {})
    model = b.model
    made_terms: dict[tuple[str, str], list] = {(c, s): [] for c in spec.colours for s in spec.active}
    fabric_terms: list = []
    for m, comp in enumerate(marker_compositions(spec.active, spec.g_max)):
        length = sum(n * spec.a[s] for s, n in comp.items())
        if length > spec.table + 1e-9:
            continue
        idx = len(b.mixes)
        b.mixes.append(dict(comp))
        b.used.append(model.new_bool_var(f"used{m}"))
        for c in spec.colours:
            top = min(spec.cap[c][s] // n for s, n in comp.items())
            if top == 0:
                continue
            p = b.plies[idx, c] = model.new_int_var(0, top, f"p{m}_{c}")
            for s, n in comp.items():
                made_terms[c, s].append(n * p)
            fabric_terms.append(int(round(_SCALE * spec.per_mm * (length + spec.end_mm))) * p)
    _finish(spec, b, made_terms, fabric_terms)
    if hint is not None:
        where = {tuple(sorted(mx.items())): i for i, mx in enumerate(b.mixes)}
        hinted: dict[int, tuple[dict[str, int], dict[str, int]]] = {}
        for comp, plies_by_colour, lays_by_group in hint.markers:
            i = where.get(tuple(sorted(comp.items())))
            if i is not None:
                hinted[i] = (plies_by_colour, lays_by_group)
        for i, used in enumerate(b.used):
            plies_by_colour, lays_by_group = hinted.get(i, ({}, {}))
            model.add_hint(used, 1 if i in hinted else 0)
            for c in spec.colours:
                if (i, c) in b.plies:
                    model.add_hint(b.plies[i, c], plies_by_colour.get(c, 0))
            for gid, _ in spec.lay_groups:
                if (i, gid) in b.lays:
                    model.add_hint(b.lays[i, gid], lays_by_group.get(gid, 0))
    return b


def _solve(spec: _Spec, b: _Built, time_limit_s: float, seed: int, num_workers: int) -> _Solution | None:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, float(time_limit_s))
    solver.parameters.random_seed = int(seed)
    solver.parameters.num_workers = max(1, int(num_workers))
    status = solver.solve(b.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out = []
    for m, used in enumerate(b.used):
        if not solver.value(used):
            continue
        comp = {s: int(v) if isinstance(v, int) else int(solver.value(v)) for s, v in b.mixes[m].items()}
        comp = {s: n for s, n in comp.items() if n}
        plies = {c: int(solver.value(b.plies[m, c])) for c in spec.colours if (m, c) in b.plies}
        lays = {gid: int(solver.value(b.lays[m, gid])) for gid, _ in spec.lay_groups if (m, gid) in b.lays}
        if comp and sum(plies.values()):
            out.append((comp, plies, lays))
    return _Solution(b.source, solver.objective_value, solver.best_objective_bound, status == cp_model.OPTIMAL, out)
