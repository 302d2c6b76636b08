"""ANSUR II public files -> rows in the yuefang body vocabulary (pure: text in, rows out).

ANSUR II (US Army, 2012) gives lengths in mm and ``weightkg`` in tenths of a kilogram; the
first column is ``subjectid`` in the male file and ``SubjectId`` in the female one.

Examples
--------
>>> text = "subjectid,stature,weightkg,Age,Gender,chestcircumference,waistheightomphalion,buttockheight\\n"
>>> text += "1,1776,815,30,Male,1074,1050,880\\n"
>>> row = rows_from_ansur_csv(text)[0]
>>> row["sex"], row["weight_kg"], row["chest_girth"], row["waist_to_hip_length"]
('male', 81.5, 1074.0, 170.0)
"""

from __future__ import annotations

import csv
import io
from typing import Any

from yuefang.measure.vocabulary import MEASUREMENTS, normalise_sex

__all__ = ["ANSUR_COLUMNS", "rows_from_ansur_csv"]

ANSUR_COLUMNS: dict[str, str] = {
    m.name: m.ansur for m in MEASUREMENTS.values() if not m.derived and m.ansur.isidentifier()
}
"""Measurement name -> ANSUR II column, for measurements read from one column."""


def rows_from_ansur_csv(text: str) -> list[dict[str, Any]]:
    """Rows (``id``, ``sex``, ``stature``, ``weight_kg``, ``age_years`` and measurements in mm)
    from the text of an ANSUR II public CSV file."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    out = []
    for rec in reader:
        rec = {k.strip(): v for k, v in rec.items() if k}
        sex = normalise_sex(rec["Gender"])
        row: dict[str, Any] = {
            "id": rec.get("subjectid") or rec.get("SubjectId"),
            "sex": sex,
            "weight_kg": float(rec["weightkg"]) / 10.0,
            "age_years": float(rec["Age"]) if rec.get("Age") else None,
        }
        for name, col in ANSUR_COLUMNS.items():
            if name in ("chest_girth", "bust_girth") and sex not in MEASUREMENTS[name].sexes:
                continue
            if rec.get(col) not in (None, ""):
                row[name] = float(rec[col])
        if rec.get("waistheightomphalion") and rec.get("buttockheight"):
            row["waist_to_hip_length"] = float(rec["waistheightomphalion"]) - float(rec["buttockheight"])
        out.append(row)
    return out
