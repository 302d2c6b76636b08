"""Time of every pattern export, per format, for the shirt and the three home textiles.

The anchor is the target of issue 4: all exports of the shirt in under 300 ms. Prints the
median of ``--repeat`` runs per format and product, the total against 300 ms, and rewrites its
section of ``docs/benchmarks/pattern.md``.

Usage::

    .venv/bin/python benchmarks/pattern_exports.py [--repeat 10] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pattern_vs_freesewing import DOC, write_section  # noqa: E402

TARGET_MS = 300.0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    from yuefang.measure import body_for_designation
    from yuefang.pattern import export as E
    from yuefang.pattern.products import get_product

    cases = {
        "shirt 170/88A": lambda: get_product("shirt").draft(body_for_designation("170/88A", "male"), size="170/88A"),
        "curtain 2400 x 2500, eyelet": lambda: get_product("curtain").draft(
            {"window_width_mm": 2400, "drop_mm": 2500}, {"heading": "eyelet"}),
        "duvet cover 200x230": lambda: get_product("duvet_cover").draft({"duvet_size": "200x230"}),
        "fitted sheet 1500x2000x250": lambda: get_product("fitted_sheet").draft(
            {"mattress_width_mm": 1500, "mattress_length_mm": 2000, "mattress_depth_mm": 250}),
    }
    formats = {"SVG": E.to_svg, "A4 PDF": E.to_pdf_a4, "plot PDF": E.to_pdf_plot, "DXF-AAMA": E.to_dxf_aama,
               "HPGL": E.to_hpgl, "all 7 files": E.export_all}
    from yuefang.pattern.export.pdf import _bundled_font

    covered = _bundled_font()[1]
    rows, cpu_rows = [], []
    for name, make in cases.items():
        pattern = make()
        missing = sorted({c for p in pattern.pieces for c in p.label if ord(c) not in covered})
        if missing:
            print(f"{name}: labels use characters outside the bundled CJK font ({''.join(missing)}): "
                  "rebuild it with python -m yuefang.pattern.export.fonts.build_subset")
        E.export_all(pattern)  # warm-up (fonts, imports)
        cells, cpus = [], []
        for fn in formats.values():
            ts, cs = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                fn(pattern)
                ts.append((time.perf_counter() - t0) * 1000)
                cs.append((time.process_time() - c0) * 1000)
            cells.append(statistics.median(ts))
            cpus.append(statistics.median(cs))
        rows.append((name, cells))
        cpu_rows.append((name, cpus))
        print(f"{name}: " + ", ".join(f"{f} {c:.1f} ms" for f, c in zip(formats, cells, strict=True)))
    shirt_total, shirt_cpu = rows[0][1][-1], cpu_rows[0][1][-1]
    print(f"shirt, all exports: {shirt_total:.1f} ms wall, {shirt_cpu:.1f} ms CPU against the {TARGET_MS:.0f} ms target: "
          f"ratio {shirt_total / TARGET_MS:.2f} wall, {shirt_cpu / TARGET_MS:.2f} CPU")
    if not args.no_write:
        load = os.getloadavg()[0]
        lines = [f"Medians of {args.repeat} runs, ms; {os.cpu_count()} cores, load average {load:.1f} when measured"
                 + (" (loaded, shared machine)" if load > (os.cpu_count() or 1) else "") + ".", "",
                 "| pattern | " + " | ".join(formats) + " |", "| --- |" + " --- |" * len(formats)]
        lines += [f"| {n} | " + " | ".join(f"{c:.1f}" for c in cells) + " |" for n, cells in rows]
        lines += ["", "CPU time of the process (user + system), ms:", "",
                  "| pattern | " + " | ".join(formats) + " |", "| --- |" + " --- |" * len(formats)]
        lines += [f"| {n} | " + " | ".join(f"{c:.1f}" for c in cells) + " |" for n, cells in cpu_rows]
        lines += ["", f"Shirt, all exports: {shirt_total:.1f} ms wall, {shirt_cpu:.1f} ms CPU; target < {TARGET_MS:.0f} ms "
                  f"(ratio {shirt_total / TARGET_MS:.2f} wall, {shirt_cpu / TARGET_MS:.2f} CPU). The A4 PDF of a home "
                  "textile has a hundred pages or so: a curtain on A4 is for completeness, the plot PDF is the one to use."]
        write_section(DOC, "exports", "Exports per format (`benchmarks/pattern_exports.py`)", lines)
        print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
