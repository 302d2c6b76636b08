"""Which sparrow (spyrrow) settings move density within a fixed budget: paired, interleaved runs.

For each instance and seed, runs every variant named in ``--variants`` one after the other with
the same seed and the same budget (so that neighbouring runs see about the same machine load),
and prints length, density, wall time and the 1-minute load average before each run. Every
layout goes through the package's checker on the ORIGINAL shapes.

Variants (engine settings only; no compaction, no simplification):

* ``plain``: ``StripPackingConfig(total_computation_time=T, seed=s)``, spyrrow's defaults
  (early termination on, 80/20 exploration/compression, one thread per logical CPU);
* ``plainB``: ``plain`` again (same seed, same budget): the run-to-run spread of one setting;
* ``full``: the same with ``early_termination=False`` (the engine uses its whole budget);
* ``fullNN``: ``early_termination=False`` and NN % of the budget to exploration (e.g. ``full90``);
* ``wK``: ``plain`` with K collision-detection threads (e.g. ``w1``, ``w3``);
* ``yuefang``: :func:`yuefang.marker.nest_instance` as shipped;
* ``port``: ``nest_instance(..., runs=2, workers=2)``: two 1-thread engine runs in parallel, best kept.

With ``--trace``: instead, one plain run per instance and seed with spyrrow's ``ProgressQueue``,
printing when exploration last improved, how many separations failed, and the best density
reached by 25/50/80/100 % of the budget (what more CPU time would buy).

Usage: ``python benchmarks/marker_engine_options.py --instances shirts,dagli --time-limit 15
--seeds 2 --variants plain,full`` or ``... --instances shirts --time-limit 60 --seeds 1 --trace``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import spyrrow

from yuefang.marker import nest_instance
from yuefang.marker.engine import EnginePlacement, EngineResult
from yuefang.marker.nest import _assemble, _instance_pieces

HERE = Path(__file__).resolve().parent
NESTING = HERE.parent.parent / "shared" / "benchmarks" / "nesting"


def _config(variant: str, t: int, seed: int) -> spyrrow.StripPackingConfig:
    if variant in ("plain", "plainB"):  # plainB: a second plain run, to measure the A/A spread
        return spyrrow.StripPackingConfig(total_computation_time=t, seed=seed)
    if variant.startswith("full"):
        share = int(variant[4:] or 80) / 100.0
        expl = max(1, round(t * share))
        return spyrrow.StripPackingConfig(
            early_termination=False, total_computation_time=None, exploration_time=expl,
            compression_time=max(1, t - expl), seed=seed,
        )
    if variant.startswith("w"):
        return spyrrow.StripPackingConfig(total_computation_time=t, seed=seed, num_workers=int(variant[1:]))
    raise SystemExit(f"unknown variant {variant!r}")


def run_variant(instance: dict, variant: str, t: int, seed: int) -> tuple[float, float, float]:
    """(length, density, wall s) of one run, measured on the original shapes by the checker."""
    height = float(instance["strip_height"])
    t0 = time.perf_counter()
    if variant in ("yuefang", "port"):
        # port: two 1-thread engine runs in parallel (seeds s and s + 1000), the shorter kept
        mk = nest_instance(instance, time_limit_s=t, seed=seed, **({"runs": 2, "workers": 2} if variant == "port" else {}))
        return mk.length_mm, mk.utilisation, time.perf_counter() - t0
    pieces = _instance_pieces(instance, height)
    items = [spyrrow.Item(p.key, list(p.outline), p.demand, list(p.allowed_rotations_deg) or None) for p in pieces]
    sol = spyrrow.StripPackingInstance(instance["name"], height, items).solve(_config(variant, t, seed))
    wall = time.perf_counter() - t0
    result = EngineResult(
        placements=tuple(
            EnginePlacement(p.id, round(p.rotation % 360.0, 6) % 360.0, p.translation[0], p.translation[1])
            for p in sol.placed_items
        ),
        engine_length=float(sol.width),
        seed_used=seed,
    )
    mk = _assemble(pieces, result, {}, width=height, y_shift=0.0, gap_mm=0.0, fabric={}, seed=seed,
                   time_limit_s=t, spreading="face_up", units="instance units")
    return mk.length_mm, mk.utilisation, wall


def trace_plain(instance: dict, t: int, seed: int) -> str:
    """Timeline of one plain run (spyrrow's ProgressQueue): best density by elapsed fraction of t."""
    height = float(instance["strip_height"])
    pieces = _instance_pieces(instance, height)
    items = [spyrrow.Item(p.key, list(p.outline), p.demand, list(p.allowed_rotations_deg) or None) for p in pieces]
    sp = spyrrow.StripPackingInstance(instance["name"], height, items)
    queue = spyrrow.ProgressQueue()
    events: list[tuple[float, int, float]] = []  # (elapsed s, report type, density)
    t0 = time.monotonic()
    th = threading.Thread(target=sp.solve, args=(spyrrow.StripPackingConfig(total_computation_time=t, seed=seed), queue))
    th.start()
    while True:
        alive = th.is_alive()
        events += [(time.monotonic() - t0, int(rt), sol.density) for rt, sol in queue.drain()]
        if not alive:
            break
        th.join(0.2)
    wall = time.monotonic() - t0
    feasible = [e for e in events if e[1] in (0, 3, 4)]  # ExplFeas, CmprFeas, Final
    expl = [e for e in events if e[1] == 0]
    cps = []
    for frac in (0.25, 0.5, 0.8, 1.0):
        best = [e[2] for e in feasible if e[0] <= frac * t + 0.5]
        cps.append(f"{int(frac * 100)}%: {100 * max(best):.2f}" if best else f"{int(frac * 100)}%: -")
    return (f"wall {wall:.1f} s; last exploration improvement at {expl[-1][0]:.1f} s; failed separations "
            f"{sum(e[1] == 1 for e in events)}; compression improvements {sum(e[1] == 3 for e in events)}; "
            f"best density by elapsed fraction: {', '.join(cps)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", default="shirts,dagli,trousers")
    ap.add_argument("--time-limit", type=int, default=15)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--variants", default="plain,full")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--trace", action="store_true", help="timeline of one plain run per instance and seed instead")
    args = ap.parse_args(argv)
    if args.trace:
        for name in [n for n in args.instances.split(",") if n]:
            instance = json.loads((NESTING / f"{name}.json").read_text())
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                load = os.getloadavg()[0]
                print(f"{name} {args.time_limit} s seed {seed} (load {load:.1f}): "
                      f"{trace_plain(instance, args.time_limit, seed)}", flush=True)
        return 0
    variants = [v for v in args.variants.split(",") if v]
    print(f"protocol: instances {args.instances}, {args.time_limit} s per run, seeds "
          f"{args.first_seed}..{args.first_seed + args.seeds - 1}, variants {variants}, "
          f"CPUs {len(os.sched_getaffinity(0))}", flush=True)
    runs = []
    for name in [n for n in args.instances.split(",") if n]:
        instance = json.loads((NESTING / f"{name}.json").read_text())
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            # rotate the order per seed so that no variant always runs first
            order = variants[seed % len(variants):] + variants[: seed % len(variants)]
            for v in order:
                load = os.getloadavg()[0]
                length, dens, wall = run_variant(instance, v, args.time_limit, seed)
                runs.append({"instance": name, "seed": seed, "variant": v, "length": length,
                             "density": dens, "wall": wall, "load": load})
                print(f"{name:9s} seed {seed} {v:8s} length {length:10.4f} density {100 * dens:6.2f}% "
                      f"wall {wall:5.1f} s load {load:4.1f}", flush=True)
        for v in variants:
            ds = [r["density"] for r in runs if r["instance"] == name and r["variant"] == v]
            base = [r["density"] for r in runs if r["instance"] == name and r["variant"] == variants[0]]
            ratios = [a / b for a, b in zip(ds, base, strict=True)]
            print(f"{name:9s} {v:8s} median density {100 * statistics.median(ds):6.2f}%  "
                  f"paired ratio to {variants[0]}: median {statistics.median(ratios):.4f} "
                  f"(min {min(ratios):.4f}, max {max(ratios):.4f})", flush=True)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
