"""Dashboard tables for export: Excel, CSV and Parquet, as bytes (the caller writes or sends them).

Synthetic data is labelled in every export: each table gets a ``data_label`` column saying so,
Parquet files carry ``yuefang.synthetic = true`` in their metadata, and workbooks open on a notice.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yuefang.cluster.codes import CITIES
from yuefang.cluster.generator import SYNTHETIC_LABEL
from yuefang.cluster.progress import GroupProgress, ProgressReport
from yuefang.cluster.quality import ReviewFlag
from yuefang.cluster.ranking import EnterpriseScore

__all__ = ["report_tables", "to_xlsx_bytes", "to_csv_bytes", "to_parquet_bytes", "FORMATS"]

FORMATS = ("xlsx", "csv", "parquet")


def _groups_table(groups: Sequence[GroupProgress], key: str) -> pa.Table:
    rows: list[dict[str, Any]] = []
    for g in groups:
        for ip in g.indicators:
            rows.append({key: g.group, "label": g.label, "enterprises": g.enterprises, "indicator": ip.indicator,
                         "actual": ip.actual, "share": g.share.get(ip.indicator), "raw_change": ip.raw_change,
                         "like_for_like_growth": ip.like_for_like_growth})
    return pa.Table.from_pylist(rows) if rows else pa.table({key: pa.array([], pa.string())})


def report_tables(
    report: ProgressReport,
    top: Sequence[EnterpriseScore] = (),
    flags: Sequence[ReviewFlag] | pa.Table | None = None,
) -> dict[str, pa.Table]:
    """Tables of the dashboard: ``progress``, ``by_city``, ``by_industry``, ``top_enterprises``, ``flags``."""
    progress_rows = []
    for ip in report.indicators:
        d = dict(ip.__dict__)
        d = {"plan_id": report.plan_id, "year": report.year, **d, "core_share": report.core_share.get(ip.indicator)}
        progress_rows.append(d)
    tables = {
        "progress": pa.Table.from_pylist(progress_rows),
        "by_city": _groups_table(report.by_city, "city_code"),
        "by_industry": _groups_table(report.by_industry, "industry_code"),
    }
    if top:
        tables["top_enterprises"] = pa.Table.from_pylist(
            [{"rank": s.rank, "uscc": s.uscc, "name": s.name, "city_code": s.city_code,
              "city": CITIES[s.city_code].name_zh if s.city_code in CITIES else s.city_code,
              "industry_code": s.industry_code, "income_yuan": s.income, "score": s.score, "tier": s.tier.value,
              **{f"{c.name}_points": c.points for c in s.components}} for s in top]
        )
    if isinstance(flags, pa.Table):
        tables["flags"] = flags
    elif flags:
        tables["flags"] = pa.Table.from_pylist(
            [{"uscc": f.uscc, "period": str(f.period), "indicator": f.indicator.value, "code": f.code.value,
              "value": f.value, "message": f.message} for f in flags]
        )
    if report.synthetic:
        tables = {k: _label(t) for k, t in tables.items()}
    return tables


def _label(t: pa.Table) -> pa.Table:
    t = t.append_column("data_label", pa.array([SYNTHETIC_LABEL] * t.num_rows, pa.string()))
    meta = dict(t.schema.metadata or {})
    meta[b"yuefang.synthetic"] = b"true"
    meta[b"yuefang.label"] = SYNTHETIC_LABEL.encode()
    return t.replace_schema_metadata(meta)


def _synthetic(t: pa.Table) -> bool:
    return bool(t.schema.metadata and t.schema.metadata.get(b"yuefang.synthetic") == b"true")


def to_csv_bytes(table: pa.Table) -> bytes:
    """CSV (UTF-8 with BOM, so Excel shows Chinese) of one table."""
    buf = io.BytesIO()
    pacsv.write_csv(table.replace_schema_metadata(None), buf)
    return "\ufeff".encode() + buf.getvalue()


def to_parquet_bytes(table: pa.Table) -> bytes:
    """Parquet of one table (its metadata, with the synthetic label, kept)."""
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def to_xlsx_bytes(tables: Mapping[str, pa.Table], title: str = "") -> bytes:
    """An Excel workbook: a notice sheet first (title, synthetic label), then one sheet per table."""
    import openpyxl

    wb = openpyxl.Workbook()
    notice = wb.active
    notice.title = "说明 notice"
    notice.append([title or "yuefang cluster export"])
    if any(_synthetic(t) for t in tables.values()):
        notice.append([SYNTHETIC_LABEL])
    notice.append(["money in yuan; rates as fractions (0.05 = 5 %)"])
    for name, t in tables.items():
        ws = wb.create_sheet(name[:31])
        ws.append(t.column_names)
        for row in t.to_pylist():
            ws.append([row[c] for c in t.column_names])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
