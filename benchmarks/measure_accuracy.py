"""Accuracy of the body completion model by k-fold cross-validation on the ANSUR II training files.

For each sex and each predicted measurement: mean absolute error (mm) of the model, of the sex
mean and of ordinary least squares (OLS) on stature and weight (with chest or bust and waist also
given: OLS on stature, weight and those two), with a paired bootstrap 95% interval of the
difference model − OLS, and the coverage of the 90% prediction intervals with the binomial 95%
band. Prints a Markdown report; ``--write`` stores it in docs/benchmarks/measure.md.

Usage: ``.venv/bin/python benchmarks/measure_accuracy.py [--folds 5] [--boot 1000] [--write]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from yuefang.measure.ansur import rows_from_ansur_csv
from yuefang.measure.completion import CompletionModel
from yuefang.measure.vocabulary import DERIVED, measurement_names

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "ansur2"


def load() -> list[dict]:
    rows: list[dict] = []
    for name in ("ANSUR_II_MALE_Public.csv", "ANSUR_II_FEMALE_Public.csv"):
        rows += rows_from_ansur_csv((DATA / name).read_text(encoding="utf-8"))
    return rows


def ols(train_X: np.ndarray, train_y: np.ndarray, test_X: np.ndarray) -> np.ndarray:
    A = np.column_stack([np.ones(len(train_X)), train_X])
    coef = np.linalg.lstsq(A, train_y, rcond=None)[0]
    return np.column_stack([np.ones(len(test_X)), test_X]) @ coef


def run(folds: int, n_boot: int, seed: int = 0) -> tuple[str, dict]:
    rows = load()
    rng = np.random.default_rng(seed)
    report = []
    summary: dict = {}
    for sex in ("male", "female"):
        srows = [r for r in rows if r["sex"] == sex]
        chest = "chest_girth" if sex == "male" else "bust_girth"
        names = [n for n in measurement_names(sex) if n != "stature" and n not in DERIVED]
        Y = np.array([[r[n] for n in names] for r in srows])
        S = np.array([r["stature"] for r in srows])
        W = np.array([r["weight_kg"] for r in srows])
        A = np.array([r["age_years"] for r in srows])
        n = len(srows)
        fold = rng.permutation(n) % folds
        for scen, given in (("sex, stature, weight, age", []), (f"+ {chest} and waist_girth", [chest, "waist_girth"])):
            pred = {m: np.zeros_like(Y) for m in ("model", "mean", "ols")}
            lo = np.zeros_like(Y)
            hi = np.zeros_like(Y)
            gi = [names.index(g) for g in given]
            for k in range(folds):
                tr, te = fold != k, fold == k
                model = CompletionModel(n_folds=5, random_state=seed).fit([srows[i] for i in np.flatnonzero(tr)])
                known = {g: Y[te, names.index(g)] for g in given}
                v, lw, hg = model.predict_arrays(sex, {"stature": S[te], "weight_kg": W[te], "age_years": A[te]}, known)
                pred["model"][te] = np.column_stack([v[nm] for nm in names])
                lo[te] = np.column_stack([lw[nm] for nm in names])
                hi[te] = np.column_stack([hg[nm] for nm in names])
                pred["mean"][te] = Y[tr].mean(axis=0)
                Xtr = np.column_stack([S[tr], W[tr], *(Y[tr][:, j] for j in gi)])
                Xte = np.column_stack([S[te], W[te], *(Y[te][:, j] for j in gi)])
                pred["ols"][te] = ols(Xtr, Y[tr], Xte)
            err = {m: np.abs(p - Y) for m, p in pred.items()}
            cover = (lo <= Y) & (hi >= Y)
            band = 1.96 * np.sqrt(0.9 * 0.1 / n)
            report.append(f"\n### {sex}: from {scen} (n = {n}, {folds}-fold CV)\n")
            report.append("| measurement | model MAE mm | OLS MAE mm | sex mean MAE mm | model − OLS (95% CI) | "
                          "90% interval coverage |")
            report.append("| --- | ---: | ---: | ---: | --- | ---: |")
            worse = []
            for j, nm in enumerate(names):
                if j in gi:
                    continue
                d = err["model"][:, j] - err["ols"][:, j]
                idx = rng.integers(0, n, size=(n_boot, n))
                boots = d[idx].mean(axis=1)
                clo, chi = np.quantile(boots, [0.025, 0.975])
                cov = cover[:, j].mean()
                flag = "" if abs(cov - 0.9) <= band else " ⚠"
                if clo > 0:
                    worse.append(nm)
                report.append(f"| {nm} | {err['model'][:, j].mean():.1f} | {err['ols'][:, j].mean():.1f} | "
                              f"{err['mean'][:, j].mean():.1f} | {d.mean():+.2f} ({clo:+.2f}, {chi:+.2f}) | "
                              f"{cov:.3f}{flag} |")
            keep = [j for j in range(len(names)) if j not in gi]
            rel = np.mean(err["model"][:, keep].mean(axis=0) / err["ols"][:, keep].mean(axis=0))
            # average over measurements of the relative per-person difference, paired bootstrap
            drel = ((err["model"][:, keep] - err["ols"][:, keep]) / err["ols"][:, keep].mean(axis=0)).mean(axis=1)
            idx = rng.integers(0, n, size=(n_boot, n))
            alo, ahi = np.quantile(drel[idx].mean(axis=1), [0.025, 0.975])
            in_band = sum(abs(cover[:, j].mean() - 0.9) <= band for j in keep)
            report.append(f"\nMean ratio model/OLS MAE: **{rel:.3f}** (average relative difference "
                          f"{100 * drel.mean():+.1f}%, 95% CI {100 * alo:+.1f}% to {100 * ahi:+.1f}%); measurements significantly worse than OLS: "
                          f"**{', '.join(worse) or 'none'}**; coverage within the binomial band "
                          f"(0.9 ± {band:.3f}): **{in_band}/{len(keep)}** (overall {cover[:, keep].mean():.3f}).")
            summary[(sex, scen)] = {"ratio": rel, "worse": worse, "in_band": in_band, "n": len(keep),
                                    "coverage": float(cover[:, keep].mean())}
    return "\n".join(report), summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--write", action="store_true", help="write the report into docs/benchmarks/measure.md")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"ANSUR II data not found at {DATA}: accuracy benchmark skipped")
        return 0
    t0 = time.perf_counter()
    text, _summary = run(args.folds, args.boot)
    text = (f"## Accuracy (benchmarks/measure_accuracy.py, {args.folds}-fold CV on the ANSUR II training files, "
            f"{args.boot} bootstrap resamples; anchor: OLS on stature and weight)\n" + text +
            f"\n\n_Run time {time.perf_counter() - t0:.0f} s._\n")
    print(text)
    if args.write:
        out = REPO / "docs" / "benchmarks" / "measure.md"
        old = out.read_text(encoding="utf-8") if out.exists() else "# measure benchmarks\n"
        head = old.split("## Accuracy")[0].rstrip() + "\n\n"
        tail = ""
        if "## Speed" in old:
            tail = "\n" + "## Speed" + old.split("## Speed", 1)[1]
        out.write_text(head + text + tail, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
