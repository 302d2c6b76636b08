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

The two runs of a pair use the same seed and budget and run back to back (plain first on even
seeds, yuefang first on odd seeds), so that they see about the same machine load; the 1-minute
load average is recorded before every run and printed with the table.

Usage: ``python benchmarks/marker_nesting.py [--time-limit 60] [--seeds 5] [--first-seed 0]
[--instances all|textile|shirts,trousers,...] [--md FILE] [--json FILE]``. Anything less than the
issue's protocol (60 s, 5 seeds, every instance) is printed as a REDUCED protocol, e.g.
``--instances textile --time-limit 60 --seeds 2``.
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
from typing import Any

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


def _run_plain(instance: dict, time_limit_s: int, seed: int) -> tuple[float, float, float]:
    try:
        return plain_spyrrow(instance, time_limit_s, seed)
    except NestingEngineError as exc:  # the checker refused plain spyrrow's layout
        print(f"{instance['name']} seed {seed}: plain spyrrow layout rejected: {exc}", flush=True)
        return float("inf"), 0.0, float("nan")


def _run_ours(instance: dict, time_limit_s: int, seed: int) -> tuple[Any, float]:
    t0 = time.perf_counter()
    mk = nest_instance(instance, time_limit_s=time_limit_s, seed=seed)
    return mk, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=int, default=60, help="seconds per run (default 60)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds per instance (default 5)")
    ap.add_argument("--first-seed", type=int, default=0, help="first seed (default 0)")
    ap.add_argument("--instances", default="all", help="all, textile, or a comma-separated list of names")
    ap.add_argument("--md", type=Path, default=None, help="write the markdown table to this file")
    ap.add_argument("--json", type=Path, default=None, help="write every run to this JSON file")
    args = ap.parse_args(argv)
    if not NESTING.is_dir():
        print(f"../shared/benchmarks/nesting not found at {NESTING}: nothing to measure")
        return 0
    names = parse_instances(args.instances)
    if args.time_limit < 1 or args.seeds < 1 or args.first_seed < 0:
        ap.error("--time-limit and --seeds must be >= 1, --first-seed >= 0")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    proto = protocol_line(names, args.time_limit, seeds, cpus)
    load_start = os.getloadavg()
    print(proto, flush=True)
    print(f"load average at start (1/5/15 min): {load_start[0]:.1f} / {load_start[1]:.1f} / {load_start[2]:.1f}",
          flush=True)
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
        ours, plain, gains, loads = [], [], [], []
        for seed in seeds:
            loads.append(os.getloadavg()[0])
            if seed % 2 == 0:
                pl_len, pl_dens, pl_wall = _run_plain(instance, args.time_limit, seed)
                loads.append(os.getloadavg()[0])
                mk, wall = _run_ours(instance, args.time_limit, seed)
            else:
                mk, wall = _run_ours(instance, args.time_limit, seed)
                loads.append(os.getloadavg()[0])
                pl_len, pl_dens, pl_wall = _run_plain(instance, args.time_limit, seed)
            ours.append((mk.length_mm, mk.utilisation, wall))
            plain.append((pl_len, pl_dens, pl_wall))
            gain = float(mk.stats.get("compaction_gain") or 0.0) if "compaction_rejected" not in mk.stats else 0.0
            gains.append(gain / (mk.length_mm + gain))
            runs.append({"instance": name, "seed": seed, "yuefang": ours[-1], "plain": plain[-1],
                         "compaction_gain": gain, "load": loads[-2:], "stats": mk.stats})
            print(f"{name:9s} seed {seed}: yuefang {mk.length_mm:10.4f} ({100 * mk.utilisation:.2f}%, {wall:.1f} s)"
                  f"  plain {pl_len:10.4f} ({100 * pl_dens:.2f}%, {pl_wall:.1f} s)"
                  f"  ratio {mk.utilisation / pl_dens if pl_dens else float('inf'):.4f}"
                  f"  load {loads[-2]:.1f}/{loads[-1]:.1f}", flush=True)
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
            "paired_ratios": [o[1] / p[1] if p[1] else float("inf") for o, p in zip(ours, plain, strict=True)],
            "load_min": min(loads), "load_max": max(loads),
            "wins": sum(o[0] <= p[0] for o, p in zip(ours, plain, strict=True)),
            "compaction_gain": med(gains),
            "yuefang_wall": med(r[2] for r in ours), "plain_wall": med(r[2] for r in plain),
        })
    load_end = os.getloadavg()
    table = render(rows, args.time_limit, args.seeds, cpus, protocol=proto, load=(load_start[0], load_end[0]))
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


def parse_instances(spec: str) -> list[str]:
    """``all``, ``textile`` or a comma-separated list of instance names (checked)."""
    if spec == "all":
        return list(INSTANCES)
    if spec == "textile":
        return [n for n in INSTANCES if n in TEXTILE]
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in INSTANCES]
    if unknown or not names:
        raise SystemExit(f"--instances: unknown {unknown or spec!r}; allowed: all, textile or some of {INSTANCES}")
    return names


def protocol_line(names: list[str], time_limit: int, seeds: list[int], cpus: int | None) -> str:
    """One line saying which protocol runs: the issue's, or a reduced one and how."""
    full = names == INSTANCES and time_limit == 60 and len(seeds) >= 5
    what = "FULL protocol of the issue" if full else "REDUCED protocol (the issue's is 60 s x 5 seeds x 7 instances)"
    return (f"{what}: {time_limit} s per run, seeds {seeds[0]}..{seeds[-1]} ({len(seeds)}), "
            f"instances {','.join(names)}, {cpus} CPUs")


def render(
    rows: list[dict], time_limit: int, seeds: int, cpus: int | None, *, protocol: str = "",
    load: tuple[float, float] | None = None,
) -> str:
    lines = [
        protocol or f"Budget: {time_limit} s per run, {seeds} seed(s), {cpus} CPUs.",
        "",
        "Medians over seeds. *yuefang / plain (paired)*: median and minimum over seeds of the ratio of the two "
        "densities of one pair (same seed, same budget, run back to back)."
        + ("" if load is None else f" 1-minute load average {load[0]:.1f} at start, {load[1]:.1f} at the end; "
           "per instance the range seen before the runs is in the last column."),
        "",
        "| instance | strip height | yuefang length | yuefang density | plain spyrrow length | plain density "
        "| record length | record density | yuefang / record | plain / record | yuefang / plain (medians) "
        "| yuefang / plain (paired: median, min) | yuefang <= plain (runs) "
        "| compaction gain | wall yuefang / plain (s) | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
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
            f"| {num(r['plain_ratio_record'])} | {num(r['ratio_plain'])} "
            f"| {statistics.median(r['paired_ratios']):.4f}, {min(r['paired_ratios']):.4f} | {r['wins']}/{seeds} "
            f"| {100 * r['compaction_gain']:.3f}% | {r['yuefang_wall']:.1f} / {r['plain_wall']:.1f} "
            f"| {r['load_min']:.1f}–{r['load_max']:.1f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
