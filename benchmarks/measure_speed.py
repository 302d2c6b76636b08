"""Speed of batch body completion: 100,000 people (sex, stature, weight, age; a third also give
their waist) completed with every measurement, interval and GB/T 1335 designation.

Anchor: the issue's target of 10 s for 100,000 people on 2 cores; also the bare vectorised
model (no validation, no per-person objects) for scale. Needs no data set (synthetic people).

Usage: ``.venv/bin/python benchmarks/measure_speed.py [--n 100000] [--write]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from yuefang.measure import complete_many, default_model

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 10.0


def people(n: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    male = rng.random(n) < 0.5
    stature = np.where(male, rng.normal(1720, 65, n), rng.normal(1600, 60, n)).clip(1450, 2000)
    bmi = rng.normal(23.5, 3.0, n).clip(17, 38)
    weight = bmi * (stature / 1000) ** 2
    age = rng.integers(18, 65, n)
    waist = (weight * 6.5 + 380).round()
    rows = []
    for i in range(n):
        r = {"id": str(i), "sex": "male" if male[i] else "female", "stature": f"{stature[i]:.0f}",
             "weight_kg": f"{weight[i]:.1f}", "age_years": str(age[i])}
        if i % 3 == 0:
            r["waist_girth"] = f"{waist[i]:.0f}"
        rows.append(r)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--write", action="store_true", help="write the table into docs/benchmarks/measure.md")
    args = ap.parse_args()
    rows = people(args.n)
    model = default_model()
    t0, c0 = time.perf_counter(), time.process_time()
    res = complete_many(rows, model=model)
    t_full, c_full = time.perf_counter() - t0, time.process_time() - c0
    assert not res.errors, res.errors[:3]
    sub = [r for r in rows if r["sex"] == "male" and "waist_girth" not in r]
    inputs = {k: np.array([float(r[k]) for r in sub]) for k in ("stature", "weight_kg", "age_years")}
    t0 = time.perf_counter()
    model.predict_arrays("male", inputs)
    t_bare = (time.perf_counter() - t0) * args.n / len(sub)
    load = os.getloadavg()[0]
    text = (
        "## Speed (benchmarks/measure_speed.py)\n\n"
        f"Machine: {os.cpu_count()} cores, load average {load:.1f} at the time (shared by other engineers: "
        "timings are pessimistic).\n\n"
        "| what | people | time s | people/s | anchor | ratio |\n| --- | ---: | ---: | ---: | --- | ---: |\n"
        f"| complete_many (validation, intervals, designation, objects) | {args.n:,} | {t_full:.2f} | "
        f"{args.n / t_full:,.0f} | target 10 s per 100,000 | {t_full / (TARGET_S * args.n / 100_000):.2f} |\n"
        f"| the same, CPU time of the process (what an idle machine's wall time would be) | {args.n:,} | "
        f"{c_full:.2f} | {args.n / c_full:,.0f} | target 10 s per 100,000 | {c_full / (TARGET_S * args.n / 100_000):.2f} |\n"
        f"| bare vectorised model (predict_arrays), scaled | {args.n:,} | {t_bare:.3f} | {args.n / t_bare:,.0f} | "
        f"complete_many | {t_bare / t_full:.3f} |\n"
    )
    print(text)
    if args.write:
        out = REPO / "docs" / "benchmarks" / "measure.md"
        old = out.read_text(encoding="utf-8") if out.exists() else "# measure benchmarks\n\n"
        head = old.split("## Speed")[0].rstrip() + "\n\n"
        out.write_text(head + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
