"""Benchmark: flexible job shop (Brandimarte mk01-mk10) makespan against the best known.

Usage: ``python benchmarks/plan_fjsp.py [TIME_LIMIT_S=60]``

Runs ``yuefang.plan.solve_fjsp`` (CP-SAT, 2 workers) on each instance of
``../shared/benchmarks/fjsp/brandimarte``, checks it with ``check_fjsp`` and prints the makespan,
the best-known upper bound (the anchor), the ratio and the gap; the mean gap is the measured
claim (target: within 3 % on average). Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from yuefang.plan.fjsp import check_fjsp, read_fjs, solve_fjsp

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "fjsp"


def main(argv: list[str]) -> int:
    if not SHARED.is_dir():
        print(f"plan_fjsp: {SHARED} absent; nothing to measure")
        return 0
    limit = float(argv[0]) if argv else 60.0
    rows = list(csv.DictReader((SHARED / "bks_brandimarte.csv").open()))
    gaps = []
    print(f"FJSP Brandimarte, {limit:g} s per instance, 2 workers")
    print(f"{'inst':6} {'makespan':>8} {'bks':>5} {'ratio':>6} {'gap%':>6} {'proved':>6} {'valid':>5} {'time_s':>7}")
    for row in rows:
        inst = read_fjs((SHARED / row["file"]).read_text(), row["instance"])
        s = solve_fjsp(inst, limit, seed=0, num_workers=2)
        errs = check_fjsp(inst, s)
        bks = int(row["upper_bound"])
        gap = 100.0 * (s.makespan - bks) / bks
        gaps.append(gap)
        print(f"{row['instance']:6} {s.makespan:8d} {bks:5d} {s.makespan / bks:6.3f} {gap:6.2f} {str(s.optimal):>6} "
              f"{str(not errs):>5} {s.elapsed_s:7.1f}", flush=True)
    print()
    print(f"mean gap to best known: {sum(gaps) / len(gaps):.2f}% (target <= 3%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
