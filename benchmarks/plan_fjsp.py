"""Benchmark: flexible job shop (Brandimarte mk01-mk10) makespan against the best known.

Usage: ``python benchmarks/plan_fjsp.py [TIME_LIMIT_S=60] [--generated | --generated-only]``

Runs ``yuefang.plan.solve_fjsp`` (2 workers, seed 0) on each instance of
``../shared/benchmarks/fjsp/brandimarte``, checks it with ``check_fjsp`` and prints the makespan,
the best-known upper bound (the anchor), the ratio and the gap; the mean gap is the measured
claim (target: within 3 % on average). Exits 0 with a message when ../shared is absent.

``--generated`` adds three seeded random instances of the shape of mk11-mk15 (30 jobs, 5/10/15
machines, 8-12 operations per job, 1-5 machines per operation; made by
``yuefang.plan.fjsp.random_fjsp``, not the held-out files), to see that the method was not tuned to
mk01-mk10: no best known exists, so the anchors are the solver's own lower bound and the
earliest-completion list schedule (``greedy_fjsp``) in the same run. The load average is printed
before and after, since on a shared 2-core machine the result depends on the CPU the solver gets.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

from yuefang.plan.fjsp import FjspInstance, check_fjsp, greedy_fjsp, random_fjsp, read_fjs, solve_fjsp

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "fjsp"

GENERATED = (
    ("g30x05", dict(n_jobs=30, n_machines=5, ops=(8, 12), flex=(1, 5), durations=(1, 20), seed=11)),
    ("g30x10", dict(n_jobs=30, n_machines=10, ops=(8, 12), flex=(1, 5), durations=(5, 20), seed=12)),
    ("g30x15", dict(n_jobs=30, n_machines=15, ops=(8, 12), flex=(1, 5), durations=(5, 20), seed=13)),
)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def brandimarte(limit: float) -> None:
    rows = list(csv.DictReader((SHARED / "bks_brandimarte.csv").open()))
    gaps = []
    print(f"FJSP Brandimarte, {limit:g} s per instance, 2 workers; load average before: {_load()}")
    print(f"{'inst':6} {'makespan':>8} {'bks':>5} {'ratio':>6} {'gap%':>6} {'proved':>6} {'lb':>5} {'valid':>5} "
          f"{'time_s':>7}")
    for row in rows:
        inst = read_fjs((SHARED / row["file"]).read_text(), row["instance"])
        s = solve_fjsp(inst, limit, seed=0, num_workers=2)
        errs = check_fjsp(inst, s)
        bks = int(row["upper_bound"])
        gap = 100.0 * (s.makespan - bks) / bks
        gaps.append(gap)
        print(f"{row['instance']:6} {s.makespan:8d} {bks:5d} {s.makespan / bks:6.3f} {gap:6.2f} {str(s.optimal):>6} "
              f"{s.lower_bound:5d} {str(not errs):>5} {s.elapsed_s:7.1f}", flush=True)
    print()
    print(f"mean gap to best known: {sum(gaps) / len(gaps):.2f}% (target <= 3%); load average after: {_load()}")


def generated(limit: float) -> None:
    print(f"\nGenerated (mk11-15 shape), {limit:g} s per instance, 2 workers; load average before: {_load()}")
    print(f"{'inst':7} {'ops':>4} {'makespan':>8} {'lb':>5} {'gap_lb%':>7} {'greedy':>6} {'ratio':>6} {'valid':>5} "
          f"{'time_s':>7}")
    for name, kw in GENERATED:
        inst: FjspInstance = random_fjsp(name=name, **kw)  # type: ignore[arg-type]
        g = greedy_fjsp(inst)
        s = solve_fjsp(inst, limit, seed=0, num_workers=2)
        errs = check_fjsp(inst, s)
        n_ops = sum(len(j) for j in inst.jobs)
        print(f"{name:7} {n_ops:4d} {s.makespan:8d} {s.lower_bound:5d} "
              f"{100.0 * (s.makespan - s.lower_bound) / max(1, s.lower_bound):7.2f} {g.makespan:6d} "
              f"{s.makespan / g.makespan:6.3f} {str(not errs):>5} {s.elapsed_s:7.1f}", flush=True)
    print(f"load average after: {_load()}")


def main(argv: list[str]) -> int:
    flags = {a for a in argv if a.startswith("--")}
    args = [a for a in argv if not a.startswith("--")]
    unknown = flags - {"--generated", "--generated-only"}
    if unknown:
        print(f"plan_fjsp: {sorted(unknown)}; allowed: --generated, --generated-only", file=sys.stderr)
        return 2
    limit = float(args[0]) if args else 60.0
    if "--generated-only" not in flags:
        if not SHARED.is_dir():
            print(f"plan_fjsp: {SHARED} absent; nothing to measure")
            return 0
        brandimarte(limit)
    if flags & {"--generated", "--generated-only"}:
        generated(limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
