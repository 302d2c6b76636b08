"""Nesting quality on the ESICUP instances: yuefang.marker against plain spyrrow and the records.

For every instance in ``../shared/benchmarks/nesting`` and every seed, runs in the same process
(alternating, so that both see the same machine load):

* ``plain``: one ``spyrrow`` solve with ``total_computation_time = T`` and the engine's default
  threads (all CPUs), the layout measured as placed;
* ``yuefang``: :func:`yuefang.marker.nest_instance` with ``time_limit_s = T`` (engine run,
  left compaction, independent check), everything inside the same wall-clock budget.

Both layouts go through the package's checker; length is the extent of the placed outlines and
density = item area / (strip height x length). Prints, per instance, the median length and
density of each, the record (``records/<name>.svg``, sparrow's best) and the ratios
(density / record density; yuefang density / plain density). The issue's protocol is
``--time-limit 60 --seeds 5`` on 2 cores (the default); pass less for a quick look.

Usage: ``python benchmarks/marker_nesting.py [--time-limit 60] [--seeds 5] [--instances shirts,...]
[--md docs/benchmarks/marker.md]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import spyrrow

from yuefang.marker import NestingEngineError, nest_instance
from yuefang.marker.nest import _assemble, _instance_pieces

sys.path.insert(0, str(Path(__file__).resolve().parent))
from marker_common import plain_spyrrow_result  # noqa: E402

HERE = Path(__file__).resolve().parent
NESTING = HERE.parent.parent / "shared" / "benchmarks" / "nesting"
INSTANCES = ["dagli", "fu", "jakobs1", "jakobs2", "mao", "shirts", "trousers"]
TEXTILE = {"dagli", "mao", "shirts", "trousers"}


def record_length(name: str) -> float | None:
    """Strip length of sparrow's record layout (the container path of records/<name>.svg)."""
    path = NESTING / "records" / f"{name}.svg"
    if not path.is_file():
        return None
    m = re.search(r'd="M0,0 L([0-9.]+),0', path.read_text())
    return float(m.group(1)) if m else None


def plain_spyrrow(instance: dict, time_limit_s: int, seed: int) -> tuple[float, float, float]:
    """(length, density, wall seconds) of one plain spyrrow solve, checked like ours."""
    height = float(instance["strip_height"])
    pieces = _instance_pieces(instance, height)
    items = [
        spyrrow.Item(p.key, list(p.outline), p.demand, list(p.allowed_rotations_deg) or None) for p in pieces
    ]
    sp = spyrrow.StripPackingInstance(instance["name"], height, items)
    result, wall = plain_spyrrow_result(sp, time_limit_s=time_limit_s, seed=seed)
    # _assemble slides the layout so that it starts at x = 0 and runs the checker
    marker = _assemble(
        pieces, result, {}, width=height, y_shift=0.0, gap_mm=0.0, fabric={}, seed=seed,
        time_limit_s=time_limit_s, spreading="face_up", units="instance units",
    )
    return marker.length_mm, marker.utilisation, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=int, default=60, help="seconds per run (default 60)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds per instance (default 5)")
    ap.add_argument("--instances", default=",".join(INSTANCES))
    ap.add_argument("--md", type=Path, default=None, help="write the markdown table to this file")
    ap.add_argument("--json", type=Path, default=None, help="write every run to this JSON file")
    args = ap.parse_args(argv)
    if not NESTING.is_dir():
        print(f"../shared/benchmarks/nesting not found at {NESTING}: nothing to measure")
        return 0
    names = [n for n in args.instances.split(",") if n]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"time limit {args.time_limit} s, seeds {args.seeds}, CPUs {cpus}, load {os.getloadavg()[0]:.1f}", flush=True)
    runs: list[dict] = []
    rows = []
    for name in names:
        instance = json.loads((NESTING / f"{name}.json").read_text())
        height = float(instance["strip_height"])
        area = sum(
            it["demand"] * abs(_shoelace(it["shape"]["data"])) for it in instance["items"]
        )
        rec_len = record_length(name)
        rec_dens = area / (height * rec_len) if rec_len else None
        ours, plain, gains = [], [], []
        for seed in range(args.seeds):
            try:
                pl_len, pl_dens, pl_wall = plain_spyrrow(instance, args.time_limit, seed)
            except NestingEngineError as exc:  # the checker refused plain spyrrow's layout
                print(f"{name} seed {seed}: plain spyrrow layout rejected: {exc}", flush=True)
                pl_len, pl_dens, pl_wall = float("inf"), 0.0, float("nan")
            t0 = time.perf_counter()
            mk = nest_instance(instance, time_limit_s=args.time_limit, seed=seed)
            wall = time.perf_counter() - t0
            ours.append((mk.length_mm, mk.utilisation, wall))
            plain.append((pl_len, pl_dens, pl_wall))
            gain = float(mk.stats.get("compaction_gain") or 0.0) if "compaction_rejected" not in mk.stats else 0.0
            gains.append(gain / (mk.length_mm + gain))
            runs.append({"instance": name, "seed": seed, "yuefang": ours[-1], "plain": plain[-1],
                         "compaction_gain": gain, "stats": mk.stats})
            print(f"{name:9s} seed {seed}: yuefang {mk.length_mm:10.4f} ({100 * mk.utilisation:.2f}%, {wall:.1f} s)"
                  f"  plain {pl_len:10.4f} ({100 * pl_dens:.2f}%, {pl_wall:.1f} s)", flush=True)
        med = statistics.median
        o_len, o_dens = med(r[0] for r in ours), med(r[1] for r in ours)
        p_len, p_dens = med(r[0] for r in plain), med(r[1] for r in plain)
        rows.append({
            "instance": name, "textile": name in TEXTILE, "height": height,
            "yuefang_length": o_len, "yuefang_density": o_dens,
            "plain_length": p_len, "plain_density": p_dens,
            "record_length": rec_len, "record_density": rec_dens,
            "ratio_record": o_dens / rec_dens if rec_dens else None,
            "plain_ratio_record": p_dens / rec_dens if rec_dens else None,
            "ratio_plain": o_dens / p_dens,
            "wins": sum(o[0] <= p[0] for o, p in zip(ours, plain, strict=True)),
            "compaction_gain": med(gains),
            "yuefang_wall": med(r[2] for r in ours), "plain_wall": med(r[2] for r in plain),
        })
    table = render(rows, args.time_limit, args.seeds, cpus)
    print(table)
    if args.md:
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(table)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "runs": runs}, indent=1))
    return 0


def _shoelace(points: list) -> float:
    s = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        s += x0 * y1 - x1 * y0
    return s / 2.0


def render(rows: list[dict], time_limit: int, seeds: int, cpus: int | None) -> str:
    lines = [
        f"Budget: {time_limit} s per run, {seeds} seed(s), {cpus} CPUs; medians over seeds.",
        "",
        "| instance | strip height | yuefang length | yuefang density | plain spyrrow length | plain density "
        "| record length | record density | yuefang / record | plain / record | yuefang / plain | yuefang <= plain (runs) "
        "| compaction gain | wall yuefang / plain (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        def pct(v: float | None) -> str:
            return "—" if v is None else f"{100 * v:.2f}%"

        def num(v: float | None, d: int = 3) -> str:
            return "—" if v is None else f"{v:.{d}f}"

        lines.append(
            f"| {r['instance']}{' (textile)' if r['textile'] else ''} | {r['height']:g} | {num(r['yuefang_length'])} "
            f"| {pct(r['yuefang_density'])} | {num(r['plain_length'])} | {pct(r['plain_density'])} "
            f"| {num(r['record_length'])} | {pct(r['record_density'])} | {num(r['ratio_record'])} "
            f"| {num(r['plain_ratio_record'])} | {num(r['ratio_plain'])} | {r['wins']}/{seeds} "
            f"| {100 * r['compaction_gain']:.3f}% | {r['yuefang_wall']:.1f} / {r['plain_wall']:.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
