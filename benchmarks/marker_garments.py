"""Garment markers: utilisation and time for a shirt and trousers drafted by the pattern package.

For each garment (GB/T 1335 men's bodies): one garment (170/88A shirt, 170/74A trousers) and a
4-size marker (one garment each of 165, 170, 175 and 180), on a 1500 mm fabric with 10 mm
selvedges, ordinary fabric (0/180 degrees), face-up spreading (mirrored copies explicit).

Anchor, in the same run: plain ``spyrrow`` with the same time budget on the same prepared shapes
(grain-aligned, unfolded, mirrored copies made explicit: the garment work is the package's,
the anchor shows what the engine alone gives with that budget). Both layouts are measured the
same way (extent of the placed outlines).

Usage: ``python benchmarks/marker_garments.py [--time-limit 20] [--seed 0] [--md FILE]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import spyrrow

from yuefang.marker import Fabric, nest
from yuefang.marker.nest import EXACT_FIT_SLACK_MM, _assemble
from yuefang.marker.prepare import prepare_order

sys.path.insert(0, str(Path(__file__).resolve().parent))
from marker_common import plain_spyrrow_result  # noqa: E402

SHIRT_SIZES = ["165/84A", "170/88A", "175/92A", "180/96A"]
TROUSERS_SIZES = ["165/70A", "170/74A", "175/78A", "180/82A"]


def _patterns(product: str, labels: list[str]):
    from yuefang.measure import body_for_designation
    from yuefang.pattern.products import get_product

    prod = get_product(product)
    part = "bottom" if product == "trousers" else "top"
    return [prod.draft(body_for_designation(label, "male", part)) for label in labels]


def plain(order, fabric: Fabric, time_limit_s: int, seed: int) -> tuple[float, float, float]:
    pieces = prepare_order(order, fabric)
    width = fabric.usable_width_mm
    items = [spyrrow.Item(p.key, list(p.outline), p.demand, list(p.allowed_rotations_deg)) for p in pieces]
    sp = spyrrow.StripPackingInstance("plain", width + EXACT_FIT_SLACK_MM, items)
    result, wall = plain_spyrrow_result(sp, time_limit_s=time_limit_s, seed=seed)
    mk = _assemble(
        pieces, result, {}, width=width, y_shift=-EXACT_FIT_SLACK_MM / 2, gap_mm=0.0, fabric={}, seed=seed,
        time_limit_s=time_limit_s, spreading="face_up", units="mm",
    )
    return mk.length_mm, mk.utilisation, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--md", type=Path, default=None)
    ap.add_argument("--svg-dir", type=Path, default=None, help="write each yuefang marker as SVG and JSON here")
    args = ap.parse_args(argv)
    try:
        shirts = _patterns("shirt", SHIRT_SIZES)
        trousers = _patterns("trousers", TROUSERS_SIZES)
    except ImportError as exc:
        print(f"garment patterns not available ({exc}): nothing to measure")
        return 0
    fabric = Fabric(name="poplin", width_mm=1500, selvedge_mm=10)
    cases = [
        ("shirt 170/88A x1", [(shirts[1], 1)]),
        ("shirt 4 sizes", [(p, 1) for p in shirts]),
        ("trousers 170/74A x1", [(trousers[1], 1)]),
        ("trousers 4 sizes", [(p, 1) for p in trousers]),
    ]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"Budget {args.time_limit} s per marker, seed {args.seed}, {cpus} CPUs (load {os.getloadavg()[0]:.1f}); "
        "fabric 1500 mm, 10 mm selvedges, usable 1480 mm.",
        "",
        "| marker | pieces | yuefang length (mm) | yuefang utilisation | wall (s) | plain spyrrow length (mm) "
        "| plain utilisation | wall (s) | yuefang / plain |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, order in cases:
        pl_len, pl_util, pl_wall = plain(order, fabric, args.time_limit, args.seed)
        t0 = time.perf_counter()
        mk = nest(order, fabric, time_limit_s=args.time_limit, seed=args.seed)
        wall = time.perf_counter() - t0
        if args.svg_dir:
            from yuefang.marker import marker_to_svg

            args.svg_dir.mkdir(parents=True, exist_ok=True)
            stem = name.replace(" ", "_").replace("/", "-")
            (args.svg_dir / f"{stem}.svg").write_text(marker_to_svg(mk))
            (args.svg_dir / f"{stem}.json").write_text(mk.to_json())
        row = (
            f"| {name} | {len(mk.placements)} | {mk.length_mm:.1f} | {100 * mk.utilisation:.2f}% | {wall:.1f} "
            f"| {pl_len:.1f} | {100 * pl_util:.2f}% | {pl_wall:.1f} | {mk.utilisation / pl_util:.3f} |"
        )
        print(row, flush=True)
        lines.append(row)
    table = "\n".join(lines) + "\n"
    print(table)
    if args.md:
        args.md.write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
