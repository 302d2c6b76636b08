"""Benchmark: cut order planning (lays and fabric) on the public examples in ../shared/benchmarks/cop.

Usage: ``python benchmarks/marker_cop.py [TIME_LIMIT_S=30]``

No standard cut-order-planning benchmark exists (see that folder's README); its ``examples.json``
transcribes two public worked examples on the linear marker model (marker length = sum of the
garments' consumption). For each, ``yuefang.marker.lays.plan_lays`` plans with the example's limits
(cost: one unit per lay, fabric priced so low that it only breaks ties, since every plan that cuts
exactly the demand uses the same fabric), every plan is re-checked from its rows, and the script
prints lays and fabric next to the anchors: the published plan where there is one, and the lower
bounds (fabric of the demand; fewest lays that can hold it). Exits 0 when ../shared is absent.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from yuefang.marker.lays import LayPlan, plan_lays

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "cop"
YARD_MM = 914.4


def _check(plan: LayPlan, demand: dict[str, dict[str, int]], max_plies: int, min_plies: int, table_mm: float,
           max_garments: int) -> list[str]:
    errors = []
    markers = {m.marker_id: m for m in plan.markers}
    made: dict[tuple[str, str], int] = defaultdict(int)
    per_lay: dict[str, int] = defaultdict(int)
    for lay in plan.lays:
        per_lay[lay.lay_id] += lay.plies
        for s, n in markers[lay.marker_id].sizes.items():
            made[lay.colour, s] += n * lay.plies
    errors += [f"lay {k}: {p} plies" for k, p in per_lay.items() if not min_plies <= p <= max_plies]
    errors += [f"{m.marker_id}: {m.estimated_length_mm:.0f} mm" for m in plan.markers
               if m.estimated_length_mm > table_mm + 1e-6 or m.garments > max_garments]
    errors += [f"{c}/{s}: {made[c, s]} of {q}" for c, per in demand.items() for s, q in per.items() if made[c, s] != q]
    return errors


def main(argv: list[str]) -> int:
    path = SHARED / "examples.json"
    if not path.is_file():
        print(f"marker_cop: {path} absent; nothing to measure")
        return 0
    limit = float(argv[0]) if argv else 30.0
    examples = {e["id"]: e for e in json.loads(path.read_text(encoding="utf-8"))["examples"]}
    print(f"Cut order planning on the public examples, {limit:g} s each, CP-SAT 2 workers, exact demand (no over-cut)")
    print(f"{'example':42} {'lays':>5} {'anchor':>7} {'ratio':>6} {'lay LB':>6} {'fabric':>10} {'fabric LB':>10} "
          f"{'valid':>5} {'status':>10} {'time_s':>6}")

    e = examples["fantacherjoy_5size"]
    demand = {"one": e["demand"]}
    table = e["max_marker_length"] * YARD_MM
    t0 = time.perf_counter()
    plan = plan_lays({s: v * YARD_MM for s, v in e["consumption_per_garment"].items()}, demand,
                     max_plies=e["max_plies"], min_plies=e["min_plies"], max_marker_length_mm=table,
                     end_allowance_mm=0, max_garments_per_marker=100, cost_per_lay=1.0, fabric_cost_per_m=1e-3,
                     time_limit_s=limit)
    dt = time.perf_counter() - t0
    errs = _check(plan, demand, e["max_plies"], e["min_plies"], table, 100)
    published = e["reported_solution"]["number_of_lays"]
    lay_lb = round(plan.lower_bound_cost - plan.cost["fabric"])  # one unit per lay in the bound
    print(f"{e['id']:42} {plan.lay_count:5d} {published:7d} {plan.lay_count / published:6.3f} {lay_lb:6d} "
          f"{plan.fabric_length_mm / YARD_MM:9.2f}y {e['fabric_lower_bound_no_overcut']:9.2f}y {str(not errs):>5} "
          f"{plan.status[:10]:>10} {dt:6.1f}")
    print(f"  published plan: {published} lays, {e['reported_solution']['total_fabric']} yd (with over-cut); "
          f"markers here: " + "; ".join(f"{m.sizes}" for m in plan.markers))

    e = examples["onlineclothingstudy_2021_3colour_4size"]
    demand = e["demand_after_rounding"]
    t0 = time.perf_counter()
    plan = plan_lays({s: v * 1000 for s, v in e["consumption_per_garment"].items()}, demand,
                     max_plies=e["max_plies"], max_marker_length_mm=100_000, end_allowance_mm=0,
                     max_garments_per_marker=e["max_garments_per_marker"], colours_share_lays=True,
                     cost_per_lay=1.0, fabric_cost_per_m=1e-3, time_limit_s=limit)
    dt = time.perf_counter() - t0
    errs = _check(plan, demand, e["max_plies"], 1, 100_000, e["max_garments_per_marker"])
    lb = e["lay_count_lower_bound"]
    print(f"{e['id']:42} {plan.lay_count:5d} {lb:7d} {plan.lay_count / lb:6.3f} {lb:6d} "
          f"{plan.fabric_length_mm / 1000:9.2f}m {e['fabric_lower_bound_no_overcut']:9.2f}m {str(not errs):>5} "
          f"{plan.status[:10]:>10} {dt:6.1f}")
    print("  anchor: the lay lower bound (the source publishes no lay count); markers here: "
          + "; ".join(f"{m.sizes}" for m in plan.markers))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
