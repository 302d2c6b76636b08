"""Benchmark: 2,000 orders over 50 factories and 300 lines, scheduled in under 60 s on 2 cores.

Usage: ``python benchmarks/plan_scale.py [TIME_LIMIT_S=55] [N_ORDERS=2000] [N_FACTORIES=50] [N_LINES=300]``

Builds a seeded synthetic cluster (``yuefang.plan.synthetic``), runs the earliest-due-date
dispatching rule (the anchor) and ``schedule_orders`` (CP-SAT, 2 workers) in the same run,
checks both with ``check_schedule`` and prints wall time, total tardiness (days), late orders,
makespan and the ratio of tardiness CP-SAT / EDD.
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime

from yuefang.plan.schedule import check_schedule, edd_schedule, schedule_orders
from yuefang.plan.synthetic import synthetic_cluster


def main(argv: list[str]) -> int:
    limit = float(argv[0]) if len(argv) > 0 else 55.0
    n_orders = int(argv[1]) if len(argv) > 1 else 2000
    n_fact = int(argv[2]) if len(argv) > 2 else 50
    n_lines = int(argv[3]) if len(argv) > 3 else 300
    start = datetime(2026, 1, 5, 8, 0)
    factories, lines, orders, subs = synthetic_cluster(n_orders, n_fact, n_lines, start_day=date(2026, 1, 5), seed=1)
    print(f"{n_orders} orders, {len(factories)} factories, {len(lines)} lines, "
          f"{sum(s.accepted for s in subs)} accepted subcontracts; CP-SAT limit {limit:g} s, 2 workers")
    t = time.monotonic()
    edd = edd_schedule(orders, lines, start=start, subcontracts=subs)
    t_edd = time.monotonic() - t
    t = time.monotonic()
    cp = schedule_orders(orders, lines, start=start, time_limit_s=limit, subcontracts=subs, num_workers=2)
    t_cp = time.monotonic() - t
    for name, s, tt in (("EDD rule (anchor)", edd, t_edd), ("schedule_orders", cp, t_cp)):
        errs = check_schedule(s, orders, lines, subcontracts=subs)
        span_days = (s.makespan_end - start).total_seconds() / 86400
        print(f"{name:18} method={s.method:6} time={tt:6.1f} s  tardiness={s.total_tardiness_days:10.1f} d  "
              f"late={s.late_orders:5d}  makespan={span_days:6.1f} d  planned={len(s.planned)}  "
              f"unscheduled={len(s.unscheduled)}  valid={not errs}")
        if errs:
            print("   first violation:", errs[0])
    ratio = cp.total_tardiness_days / edd.total_tardiness_days if edd.total_tardiness_days else float("nan")
    print(f"tardiness ratio schedule_orders / EDD: {ratio:.3f}; wall time {t_cp:.1f} s (target < 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
