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

Stages: marker lengths estimated per garment of each size -> :func:`yuefang.marker.lays.plan_lays`
(CP-SAT: a model whose size mixes are variables, then one with every candidate mix, hinted by the
first, which bounds every plan) -> the chosen markers are nested for real and the plan's fabric is
recomputed with their true lengths.

Marker lengths are estimated from the garments' piece area and an estimated utilisation,
calibrated by a short nesting of one garment of every size together unless given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from yuefang.marker.errors import MarkerInputError
from yuefang.marker.fabric import Fabric
from yuefang.marker.lays import Lay, LayPlan, check_batch, marker_compositions, plan_lays
from yuefang.marker.lays import check_number as _check_number
from yuefang.marker.model import Marker
from yuefang.marker.nest import nest
from yuefang.marker.prepare import prepare_order
from yuefang.pattern.model import Pattern

__all__ = ["CutPlan", "Lay", "LayPlan", "PlannedMarker", "plan_cuts", "marker_compositions", "plan_lays"]


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
            "lays": [
                {"lay_id": lay.lay_id, "marker_id": lay.marker_id, "colour": lay.colour, "plies": lay.plies}
                for lay in self.lays
            ],
            "lay_count": len({lay.lay_id for lay in self.lays}),
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


def plan_cuts(
    patterns: Mapping[str, Pattern],
    demand: Mapping[str, Mapping[str, int]],
    fabric: Fabric,
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
    max_plies, min_plies : int
        Most plies in one lay (spreading height, cutter's knife); fewest worth spreading.
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
    colours_share_lays : bool
        Allow plies of several colours in one lay (rows of a lay share its ``lay_id``).
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
    _check_number("nest_time_limit_s", nest_time_limit_s, 1)
    colours = check_batch(
        demand, sizes, "pattern",
        max_plies=max_plies, min_plies=min_plies, max_marker_length_mm=max_marker_length_mm,
        end_allowance_mm=end_allowance_mm, cost_per_lay=cost_per_lay, cost_per_marker=cost_per_marker,
        fabric_cost_per_m=fabric_cost_per_m, over_cut_pct=over_cut_pct,
        max_garments_per_marker=max_garments_per_marker, time_limit_s=time_limit_s, max_garments_limit=12,
    )
    want = {c: {s: int(demand[c].get(s, 0)) for s in sizes} for c in colours}
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

    for s in sizes:
        one = area[s] / (width * u)
        if any(want[c][s] for c in colours) and one > max_marker_length_mm:
            raise MarkerInputError(
                "max_marker_length_mm",
                max_marker_length_mm,
                f"at least the length of one garment of size {s} (about {one:.0f} mm)",
            )
        lay_plan = plan_lays(
        {s: area[s] / (width * u) for s in sizes},
        want,
        max_plies=max_plies,
        min_plies=min_plies,
        max_marker_length_mm=max_marker_length_mm,
        end_allowance_mm=end_allowance_mm,
        cost_per_lay=cost_per_lay,
        cost_per_marker=cost_per_marker,
        fabric_cost_per_m=fabric_cost_per_m,
        over_cut_pct=over_cut_pct,
        max_garments_per_marker=max_garments_per_marker,
        colours_share_lays=colours_share_lays,
        time_limit_s=time_limit_s,
        seed=seed,
    )
    planned = [
        PlannedMarker(marker_id=m.marker_id, sizes=dict(m.sizes), estimated_length_mm=m.estimated_length_mm)
        for m in lay_plan.markers
    ]
    lay_list = list(lay_plan.lays)
    produced = {c: {s: lay_plan.produced[c].get(s, 0) for s in sizes} for c in colours}
    by_id = {pm.marker_id: pm for pm in planned}

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
        "lays": cost_per_lay * len({lay.lay_id for lay in lay_list}),
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
        estimated_cost=lay_plan.cost["total"],
        lower_bound_cost=lay_plan.lower_bound_cost,
        gap=lay_plan.gap,
        status=lay_plan.status,
        estimated_utilisation=u,
        warnings=tuple(warnings),
    )
