"""Cut order planning: which markers, how many plies, how many lays, for a batch.

Problem. A batch asks for ``demand[colour][size]`` garments. A *marker* holds ``n_s`` garments
of each size ``s`` (a few garments in all); a *lay* spreads up to ``max_plies`` plies of one
colour and cuts them with one marker, so a lay of ``p`` plies cuts ``p * n_s`` garments of size
``s``. Each ply uses the marker's length plus an end allowance. Choose the markers, and for each
marker and colour the number of lays and plies, so that every (colour, size) gets at least its
demand and at most ``over_cut_pct`` more, every marker fits the cutting table, and the cost

    fabric (plies x (length + end allowance) x price per metre)
    + cost_per_lay x lays + cost_per_marker x markers used

is least.

Stages (as in OR-Tools' examples): data (candidate markers with estimated lengths) ->
variables keyed by (marker, colour) -> constraints -> objective -> CP-SAT solve (time limit,
fixed seed, hint: one single-size marker per size) -> the chosen markers are nested for real and
the plan's fabric is recomputed with their true lengths.

Marker lengths are estimated from the garments' piece area and an estimated utilisation,
calibrated by a short nesting of one garment of every size together unless given.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from yuefang.marker.errors import MarkerInputError
from yuefang.marker.fabric import Fabric
from yuefang.marker.model import Marker
from yuefang.marker.nest import nest
from yuefang.marker.prepare import prepare_order
from yuefang.pattern.model import Pattern

__all__ = ["CutPlan", "Lay", "PlannedMarker", "plan_cuts", "marker_compositions"]


@dataclass(frozen=True)
class PlannedMarker:
    """A marker of the plan: garments per size, its estimated and (once nested) real length."""

    marker_id: str
    sizes: dict[str, int]
    estimated_length_mm: float
    length_mm: float | None = None
    utilisation: float | None = None
    marker: Marker | None = field(default=None, repr=False)

    @property
    def garments(self) -> int:
        return sum(self.sizes.values())

    @property
    def planned_length_mm(self) -> float:
        """Real length when nested, else the estimate."""
        return self.length_mm if self.length_mm is not None else self.estimated_length_mm


@dataclass(frozen=True)
class Lay:
    """One lay: a marker cut through ``plies`` plies of one colour."""

    marker_id: str
    colour: str
    plies: int


@dataclass(frozen=True)
class CutPlan:
    """The chosen markers and lays, their cost, and the solver's lower bound."""

    markers: tuple[PlannedMarker, ...]
    lays: tuple[Lay, ...]
    demand: dict[str, dict[str, int]]
    produced: dict[str, dict[str, int]]
    fabric_length_mm: float
    estimated_fabric_length_mm: float
    cost: dict[str, float]
    estimated_cost: float
    lower_bound_cost: float
    gap: float
    status: str
    estimated_utilisation: float
    warnings: tuple[str, ...] = ()

    def to_dict(self, *, with_markers: bool = False) -> dict[str, object]:
        """Plain data for JSON (markers' placements only with ``with_markers``)."""
        return {
            "status": self.status,
            "markers": [
                {
                    "marker_id": m.marker_id,
                    "sizes": m.sizes,
                    "garments": m.garments,
                    "estimated_length_mm": round(m.estimated_length_mm, 1),
                    "length_mm": None if m.length_mm is None else round(m.length_mm, 1),
                    "utilisation": None if m.utilisation is None else round(m.utilisation, 4),
                    **({"marker": m.marker.summary()} if with_markers and m.marker is not None else {}),
                }
                for m in self.markers
            ],
            "lays": [{"marker_id": lay.marker_id, "colour": lay.colour, "plies": lay.plies} for lay in self.lays],
            "demand": self.demand,
            "produced": self.produced,
            "fabric_length_mm": round(self.fabric_length_mm, 1),
            "estimated_fabric_length_mm": round(self.estimated_fabric_length_mm, 1),
            "cost": {k: round(v, 2) for k, v in self.cost.items()},
            "estimated_cost": round(self.estimated_cost, 2),
            "lower_bound_cost": round(self.lower_bound_cost, 2),
            "gap": round(self.gap, 4),
            "estimated_utilisation": round(self.estimated_utilisation, 4),
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


def _check_number(name: str, value: object, low: float, high: float = math.inf, integer: bool = False) -> None:
    x = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
    ok = math.isfinite(x) and (not integer or x.is_integer()) and low <= x <= high
    if not ok:
        kind = "an integer" if integer else "a number"
        upper = "" if high == math.inf else f" and <= {high:g}"
        raise MarkerInputError(name, value, f"{kind} >= {low:g}{upper}")


def plan_cuts(
    patterns: Mapping[str, Pattern],
    demand: Mapping[str, Mapping[str, int]],
    fabric: Fabric,
    *,
    max_plies: int = 80,
    max_marker_length_mm: float = 8000.0,
    end_allowance_mm: float = 20.0,
    cost_per_lay: float = 0.0,
    cost_per_marker: float = 0.0,
    fabric_cost_per_m: float = 1.0,
    over_cut_pct: float = 0.0,
    max_garments_per_marker: int = 6,
    estimated_utilisation: float | None = None,
    time_limit_s: float = 10.0,
    nest_time_limit_s: float = 5.0,
    nest_markers: bool = True,
    seed: int = 0,
    gap_mm: float = 0.0,
    spreading: str = "face_up",
    progress: Callable[[str, float], None] | None = None,
) -> CutPlan:
    """Plan markers, plies and lays for a batch at least cost.

    Parameters
    ----------
    patterns : mapping size -> Pattern
        The pieces of one garment of each size.
    demand : mapping colour -> (size -> quantity)
        Garments wanted per colour and size.
    fabric : Fabric
        Width, selvedges, nap... (one fabric for every colour).
    max_plies : int
        Most plies in one lay (spreading height, cutter's knife).
    max_marker_length_mm : float
        Longest marker the cutting table takes, mm.
    end_allowance_mm : float
        Extra fabric at the ends of every ply, mm.
    cost_per_lay, cost_per_marker : float
        Cost of spreading and cutting one lay; of making one marker (same currency as the fabric).
    fabric_cost_per_m : float
        Price of one metre of fabric.
    over_cut_pct : float
        Garments allowed above the demand of each (colour, size), in % of that demand
        (rounded down). 0 means exactly the demand.
    max_garments_per_marker : int
        Largest number of garments in one marker.
    estimated_utilisation : float, optional
        Utilisation used to estimate marker lengths; by default calibrated by nesting one garment
        of every size together for ``nest_time_limit_s``.
    time_limit_s : float
        Time limit of the CP-SAT solve, s.
    nest_time_limit_s : float
        Time limit of nesting each chosen marker, s.
    nest_markers : bool
        Nest the chosen markers for real (else the plan keeps the estimates).
    seed, gap_mm, spreading
        Passed to :func:`yuefang.marker.nest.nest`.
    progress : callable, optional
        Called with (stage, fraction).

    Returns
    -------
    CutPlan
    """
    # -- data ---------------------------------------------------------------------------
    if not patterns:
        raise MarkerInputError("patterns", {}, "one Pattern per size")
    sizes = list(patterns)
    if not demand:
        raise MarkerInputError("demand", {}, "quantities per colour and size")
    for colour, per_size in demand.items():
        for size, qty in per_size.items():
            if size not in patterns:
                raise MarkerInputError(f"demand[{colour}][{size}]", size, f"a size with a pattern: {', '.join(sizes)}")
            _check_number(f"demand[{colour}][{size}]", qty, 0, integer=True)
    _check_number("max_plies", max_plies, 1, integer=True)
    _check_number("max_marker_length_mm", max_marker_length_mm, 1)
    _check_number("end_allowance_mm", end_allowance_mm, 0)
    _check_number("cost_per_lay", cost_per_lay, 0)
    _check_number("cost_per_marker", cost_per_marker, 0)
    _check_number("fabric_cost_per_m", fabric_cost_per_m, 0)
    _check_number("over_cut_pct", over_cut_pct, 0, 100)
    _check_number("max_garments_per_marker", max_garments_per_marker, 1, 12, integer=True)
    _check_number("time_limit_s", time_limit_s, 0.1)
    _check_number("nest_time_limit_s", nest_time_limit_s, 1)
    colours = [c for c in demand if any(q > 0 for q in demand[c].values())]
    want = {c: {s: int(demand[c].get(s, 0)) for s in sizes} for c in colours}
    if not colours:
        raise MarkerInputError("demand", dict(demand), "at least one garment")
    width = fabric.usable_width_mm

    area = {}
    for s in sizes:
        pieces = prepare_order([(patterns[s], 1)], fabric, spreading=spreading)
        area[s] = sum(p.area_mm2 * p.demand for p in pieces)
    if estimated_utilisation is None:
        if progress:
            progress("calibrating", 0.0)
        calib = nest(
            [(patterns[s], 1) for s in sizes],
            fabric,
            time_limit_s=nest_time_limit_s,
            seed=seed,
            gap_mm=gap_mm,
            spreading=spreading,
        )
        estimated_utilisation = calib.utilisation
    _check_number("estimated_utilisation", estimated_utilisation, 0.05, 1.0)
    u = float(estimated_utilisation)

    def est_length(comp: Mapping[str, int]) -> float:
        return sum(n * area[s] for s, n in comp.items()) / (width * u)

    active = [s for s in sizes if any(want[c][s] for c in colours)]
    candidates = [
        comp for comp in marker_compositions(active, max_garments_per_marker) if est_length(comp) <= max_marker_length_mm
    ]
    for s in active:
        if est_length({s: 1}) > max_marker_length_mm:
            raise MarkerInputError(
                "max_marker_length_mm",
                max_marker_length_mm,
                f"at least the length of one garment of size {s} (about {est_length({s: 1}):.0f} mm)",
            )
    cap = {c: {s: want[c][s] + math.floor(want[c][s] * over_cut_pct / 100.0) for s in sizes} for c in colours}

    # -- variables, indexed by (marker index, colour) -------------------------------------
    model = cp_model.CpModel()
    max_lays = {c: sum(math.ceil(want[c][s] / max_plies) for s in active) + len(active) for c in colours}
    used = {m: model.new_bool_var(f"used_m{m}") for m in range(len(candidates))}
    lays: dict[tuple[int, str], cp_model.IntVar] = {}
    plies: dict[tuple[int, str], cp_model.IntVar] = {}
    for m, comp in enumerate(candidates):
        for c in colours:
            # a marker with a size this colour does not need cannot be used for that colour
            top = min(cap[c][s] // n for s, n in comp.items())
            if top == 0:
                continue
            lays[m, c] = model.new_int_var(0, max_lays[c], f"lays_m{m}_{c}")
            plies[m, c] = model.new_int_var(0, top, f"plies_m{m}_{c}")

    # -- constraints ------------------------------------------------------------------------
    for (m, c), p in plies.items():
        # a lay holds 1..max_plies plies
        model.add(p <= max_plies * lays[m, c])
        model.add(p >= lays[m, c])
        # a marker is made (and paid for) once, whatever the colours it cuts
        model.add(lays[m, c] == 0).only_enforce_if(used[m].Not())
    for m in range(len(candidates)):
        # a marker counts as made only if some lay uses it
        model.add(sum(lays[mm, c] for (mm, c) in lays if mm == m) >= used[m])
    for c in colours:
        for s in active:
            made = sum(candidates[m][s] * p for (m, cc), p in plies.items() if cc == c and s in candidates[m])
            # every garment ordered is cut, and at most the over-cut allowance more
            model.add(made >= want[c][s])
            model.add(made <= cap[c][s])

    # -- objective (integer: tenths of a cost unit) -------------------------------------------
    per_mm = fabric_cost_per_m / 1000.0
    scale = 10.0
    fabric_cost_terms = [
        int(round(scale * per_mm * (est_length(candidates[m]) + end_allowance_mm))) * p for (m, _), p in plies.items()
    ]
    model.minimize(
        sum(fabric_cost_terms)
        + int(round(scale * cost_per_lay)) * sum(lays.values())
        + int(round(scale * cost_per_marker)) * sum(used.values())
    )
    # hint: one single-size marker per size and colour
    for (m, c), p in plies.items():
        comp = candidates[m]
        if len(comp) == 1 and sum(comp.values()) == 1:
            (s,) = comp
            model.add_hint(p, want[c][s])
            model.add_hint(lays[m, c], math.ceil(want[c][s] / max_plies))

    # -- solve ----------------------------------------------------------------------------------
    if progress:
        progress("planning", 0.0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.random_seed = int(seed)
    solver.parameters.num_workers = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise MarkerInputError(
            "demand", dict(demand), "a batch that the limits allow (check max_plies, over_cut_pct, table length)"
        )
    estimated_cost = solver.objective_value / scale
    bound = solver.best_objective_bound / scale

    # -- the plan: markers, lays (plies shared evenly among a marker's lays) ---------------------
    chosen = [m for m in range(len(candidates)) if solver.value(used[m])]
    planned: list[PlannedMarker] = []
    lay_list: list[Lay] = []
    ids = {}
    for k, m in enumerate(chosen):
        ids[m] = f"M{k + 1}"
        planned.append(
            PlannedMarker(marker_id=ids[m], sizes=dict(candidates[m]), estimated_length_mm=est_length(candidates[m]))
        )
    for (m, c), p in plies.items():
        n_lays, n_plies = solver.value(lays[m, c]), solver.value(p)
        if n_plies == 0:
            continue
        base, extra = divmod(n_plies, n_lays)
        for i in range(n_lays):
            lay_list.append(Lay(marker_id=ids[m], colour=c, plies=base + (1 if i < extra else 0)))
    produced = {c: {s: 0 for s in sizes} for c in colours}
    by_id = {pm.marker_id: pm for pm in planned}
    for lay in lay_list:
        for s, n in by_id[lay.marker_id].sizes.items():
            produced[lay.colour][s] += n * lay.plies

    # -- nest the chosen markers for real ---------------------------------------------------------
    warnings: list[str] = []
    if nest_markers:
        real = []
        for k, pm in enumerate(planned):
            if progress:
                progress("nesting", k / max(len(planned), 1))
            mk = nest(
                [(patterns[s], n) for s, n in pm.sizes.items()],
                fabric,
                time_limit_s=nest_time_limit_s,
                seed=seed,
                gap_mm=gap_mm,
                spreading=spreading,
            )
            if mk.length_mm > max_marker_length_mm:
                warnings.append(
                    f"marker {pm.marker_id}: nested length {mk.length_mm:.0f} mm exceeds the table "
                    f"({max_marker_length_mm:.0f} mm); the estimate was {pm.estimated_length_mm:.0f} mm"
                )
            real.append(
                PlannedMarker(
                    marker_id=pm.marker_id,
                    sizes=pm.sizes,
                    estimated_length_mm=pm.estimated_length_mm,
                    length_mm=mk.length_mm,
                    utilisation=mk.utilisation,
                    marker=mk,
                )
            )
        planned = real
        by_id = {pm.marker_id: pm for pm in planned}
    if progress:
        progress("done", 1.0)

    fabric_mm = sum(lay.plies * (by_id[lay.marker_id].planned_length_mm + end_allowance_mm) for lay in lay_list)
    est_fabric_mm = sum(
        lay.plies * (by_id[lay.marker_id].estimated_length_mm + end_allowance_mm) for lay in lay_list
    )
    cost = {
        "fabric": fabric_mm / 1000.0 * fabric_cost_per_m,
        "lays": cost_per_lay * len(lay_list),
        "markers": cost_per_marker * len(planned),
    }
    cost["total"] = cost["fabric"] + cost["lays"] + cost["markers"]
    return CutPlan(
        markers=tuple(planned),
        lays=tuple(lay_list),
        demand=want,
        produced=produced,
        fabric_length_mm=fabric_mm,
        estimated_fabric_length_mm=est_fabric_mm,
        cost=cost,
        estimated_cost=estimated_cost,
        lower_bound_cost=bound,
        gap=(estimated_cost - bound) / estimated_cost if estimated_cost > 0 else 0.0,
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        estimated_utilisation=u,
        warnings=tuple(warnings),
    )
