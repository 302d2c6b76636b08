"""Fit the shipped completion model on the ANSUR II training files.

Usage: ``.venv/bin/python tools/train_measure_model.py [--data ../shared/data/ansur2]
[--out src/yuefang/measure/data/model_default.json]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from yuefang.measure.ansur import rows_from_ansur_csv
from yuefang.measure.completion import CompletionModel

REPO = Path(__file__).resolve().parents[1]


def load_ansur(folder: Path) -> list[dict]:
    rows: list[dict] = []
    for name in ("ANSUR_II_MALE_Public.csv", "ANSUR_II_FEMALE_Public.csv"):
        rows += rows_from_ansur_csv((folder / name).read_text(encoding="utf-8"))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ansur2")
    ap.add_argument("--out", type=Path, default=REPO / "src" / "yuefang" / "measure" / "data" / "model_default.json")
    args = ap.parse_args()
    if not args.data.is_dir():
        print(f"ANSUR II folder not found at {args.data}: nothing fitted")
        return 0
    rows = load_ansur(args.data)
    model = CompletionModel(interval=0.90, n_folds=5, random_state=0).fit(rows)
    args.out.write_text(json.dumps(model.to_json(), separators=(",", ":")), encoding="utf-8")
    print(f"fitted on {model.n_samples_} rows; wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
