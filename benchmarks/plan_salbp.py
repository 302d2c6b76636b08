"""Benchmark: SALBP-1 line balancing on the Scholl (1993) instances against their known optima.

Usage: ``python benchmarks/plan_salbp.py [TIME_LIMIT_S=10] [--graphs GRAPH,...]`` (``--only`` is the
same filter; graph names as in the table, e.g. ``--graphs Scholl,Wee-mag``);
``python benchmarks/plan_salbp.py --salbp2 [TIME_LIMIT_S=2] [EVERY=12]``: SALBP-2 on every EVERY-th row
of ``salbp2_optima.csv`` against its optimum (or its bounds where open).

For each instance of ``../shared/benchmarks/salbp/salbp1_optima.csv`` runs
``yuefang.plan.solve_salbp1`` with the time limit, checks the balance with the package's own
checker, and prints stations against the tabulated optimum (the anchor), the ratio, whether
optimality was proven, and the time. Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from yuefang.plan.salbp import check_salbp, read_in2, solve_salbp1, solve_salbp2

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "salbp"


def salbp2(argv: list[str]) -> int:
    """SALBP-2 rows: cycle time found against the tabulated optimum (or upper bound)."""
    limit = float(argv[0]) if argv else 2.0
    every = int(argv[1]) if len(argv) > 1 else 12
    rows = list(csv.DictReader((SHARED / "salbp2_optima.csv").open()))[::every]
    cache: dict[str, object] = {}
    n_opt = n_invalid = 0
    ratios = []
    print(f"SALBP-2, {limit:g} s per instance, every {every}th row")
    print(f"{'graph':10} {'m':>4} {'c':>7} {'c*':>7} {'ratio':>6} {'proved':>6} {'time_s':>7}")
    for row in rows:
        f = row["file"]
        if f not in cache:
            cache[f] = read_in2((SHARED / "scholl1993" / f).read_text(encoding="latin-1"), f)
        inst = cache[f]
        m = int(row["stations"])
        r = solve_salbp2(inst, m, limit)  # type: ignore[arg-type]
        errs = check_salbp(inst, r)  # type: ignore[arg-type]
        n_invalid += bool(errs) or r.stations > m
        ref = int(row["c_opt"] or row["c_ub"])
        ratios.append(r.cycle_time / ref)
        n_opt += r.cycle_time <= ref
        print(f"{row['graph']:10} {m:4d} {r.cycle_time:7d} {ref:7d} {r.cycle_time / ref:6.3f} {str(r.optimal):>6} "
              f"{r.elapsed_s:7.2f}")
    print()
    print(f"at the optimum (or best known upper bound): {n_opt}/{len(rows)}; mean ratio "
          f"{sum(ratios) / max(len(ratios), 1):.4f}; invalid: {n_invalid}")
    return 0


def main(argv: list[str]) -> int:
    if not SHARED.is_dir():
        print(f"plan_salbp: {SHARED} absent; nothing to measure")
        return 0
    if argv and argv[0] == "--salbp2":
        return salbp2(argv[1:])
    limit = 10.0
    only: set[str] | None = None
    args = list(argv)
    for flag in ("--graphs", "--only"):
        if flag in args:
            k = args.index(flag)
            if k + 1 >= len(args):
                print(f"plan_salbp: {flag} needs a comma-separated list of graph names, e.g. Scholl,Wee-mag")
                return 2
            only = (only or set()) | {g.strip() for g in args[k + 1].split(",")}
            del args[k : k + 2]
    if args:
        limit = float(args[0])
    rows = list(csv.DictReader((SHARED / "salbp1_optima.csv").open()))
    cache: dict[str, object] = {}
    n_known = n_hit = n_proven = n_invalid = 0
    worse = []
    t_all = time.monotonic()
    if only:
        unknown = only - {row["graph"] for row in rows}
        if unknown:
            print(f"plan_salbp: unknown graph(s) {sorted(unknown)}; allowed: {sorted({r['graph'] for r in rows})}")
            return 2
    print(f"SALBP-1, {limit:g} s per instance" + (f", graphs {','.join(sorted(only))}" if only else ""))
    print(f"{'graph':10} {'c':>6} {'m':>4} {'m*':>4} {'ratio':>6} {'proved':>6} {'time_s':>7}")
    for row in rows:
        if only and row["graph"] not in only:
            continue
        f = row["file"]
        if f not in cache:
            cache[f] = read_in2((SHARED / "scholl1993" / f).read_text(encoding="latin-1"), f)
        inst = cache[f]
        c = int(row["cycle_time"])
        r = solve_salbp1(inst, c, limit)  # type: ignore[arg-type]
        errs = check_salbp(inst, r)  # type: ignore[arg-type]
        if errs:
            n_invalid += 1
        m_opt = int(row["m_opt"]) if row["m_opt"] else None
        ratio = r.stations / m_opt if m_opt else float("nan")
        if m_opt:
            n_known += 1
            n_hit += r.stations == m_opt
            if r.stations != m_opt:
                worse.append(f"{row['graph']} c={c}: {r.stations} vs {m_opt}")
        n_proven += r.optimal
        print(f"{row['graph']:10} {c:6d} {r.stations:4d} {m_opt or '-':>4} {ratio:6.3f} {str(r.optimal):>6} "
              f"{r.elapsed_s:7.2f}{'  INVALID ' + errs[0] if errs else ''}", flush=True)
    total = time.monotonic() - t_all
    print()
    print(f"optimum reached: {n_hit}/{n_known} ({100 * n_hit / max(n_known, 1):.1f}%), target >= 95%")
    print(f"proven optimal by the solver: {n_proven}; invalid balances: {n_invalid}; total {total:.0f} s")
    if worse:
        print("missed: " + "; ".join(worse))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
