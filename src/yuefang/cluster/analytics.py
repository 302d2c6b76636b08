"""Analytics over the cluster's figures: portable SQL, run on DuckDB (Parquet or Arrow), PostgreSQL or SQLite.

The queries read two relations (names configurable with :class:`Tables`):

* ``enterprises(enterprise_id, uscc, name, city_code, county, industry_code, above_designated_size,
  key_tier, synthetic)``
* ``monthly(enterprise_id, year, first_month, last_month, <one column per Indicator code>)``: one
  row per enterprise and period (current revision), money in yuan.

and, for the data-quality panel, ``flags(enterprise_id, year, first_month, last_month, indicator, code, value)``.
Enterprises are joined on the integer ``enterprise_id`` (the application database's key): on
millions of rows that is about twice as fast as joining on the 18-character code.

The SQL is written once in the subset DuckDB, PostgreSQL and SQLite share (CTEs, CASE, window
functions); :func:`compute_flags` alone is DuckDB's (MEDIAN). DuckDB never downloads anything:
:func:`connect` turns off extension auto-install and auto-load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from yuefang.cluster.model import Enterprise, Figure, Indicator
from yuefang.cluster.quality import MIN_PERIODS, SPIKE_FACTOR
from yuefang.cluster.scope import Scope

__all__ = [
    "Tables",
    "Fetch",
    "ENTERPRISE_SCHEMA",
    "MONTHLY_SCHEMA",
    "FLAG_SCHEMA",
    "enterprise_ids",
    "enterprises_table",
    "monthly_table",
    "connect",
    "duckdb_fetch",
    "dbapi_fetch",
    "open_parquet",
    "scope_where",
    "sql_latest_month",
    "sql_progress",
    "sql_trend",
    "sql_enterprise_year",
    "sql_top_enterprises",
    "sql_flag_summary",
    "compute_flags",
    "DUCKDB_CONFIG",
]

#: DuckDB settings: nothing is fetched at run time.
DUCKDB_CONFIG = {
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
}

Fetch = Callable[[str], list[tuple[Any, ...]]]

ENTERPRISE_SCHEMA = pa.schema(
    [
        ("enterprise_id", pa.int32()),
        ("uscc", pa.string()),
        ("name", pa.string()),
        ("city_code", pa.string()),
        ("county", pa.string()),
        ("industry_code", pa.string()),
        ("above_designated_size", pa.bool_()),
        ("key_tier", pa.string()),
        ("synthetic", pa.bool_()),
    ]
)
MONTHLY_SCHEMA = pa.schema(
    [("enterprise_id", pa.int32()), ("year", pa.int16()), ("first_month", pa.int8()), ("last_month", pa.int8())]
    + [(i.value, pa.float64()) for i in Indicator]
)
FLAG_SCHEMA = pa.schema(
    [
        ("enterprise_id", pa.int32()),
        ("year", pa.int16()),
        ("first_month", pa.int8()),
        ("last_month", pa.int8()),
        ("indicator", pa.string()),
        ("code", pa.string()),
        ("value", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Tables:
    """Names of the relations the queries read."""

    enterprises: str = "enterprises"
    monthly: str = "monthly"
    flags: str = "flags"


def enterprise_ids(enterprises: Iterable[Enterprise]) -> dict[str, int]:
    """Ids 1, 2, ... in the given order, by uscc (for data that has no database ids)."""
    return {e.uscc: i for i, e in enumerate(enterprises, start=1)}


def enterprises_table(enterprises: Iterable[Enterprise], ids: dict[str, int] | None = None) -> pa.Table:
    """Arrow table of enterprises (:data:`ENTERPRISE_SCHEMA`); ``ids`` by uscc default to 1, 2, ..."""
    es = list(enterprises)
    ids = ids if ids is not None else enterprise_ids(es)
    return pa.table(
        {
            "enterprise_id": [ids[e.uscc] for e in es],
            "uscc": [e.uscc for e in es],
            "name": [e.name for e in es],
            "city_code": [e.city_code for e in es],
            "county": [e.county for e in es],
            "industry_code": [e.industry_code for e in es],
            "above_designated_size": [e.above_designated_size for e in es],
            "key_tier": [e.key_tier.value for e in es],
            "synthetic": [e.synthetic for e in es],
        },
        schema=ENTERPRISE_SCHEMA,
    )


def monthly_table(figures: Iterable[Figure], ids: dict[str, int]) -> pa.Table:
    """Arrow table of figures, one row per enterprise and period (:data:`MONTHLY_SCHEMA`).

    ``ids`` maps uscc to enterprise id; a figure of an enterprise not in it raises ValueError.
    """
    rows: dict[tuple[int, int, int, int], dict[str, float]] = {}
    for f in figures:
        if f.uscc not in ids:
            raise ValueError(f"uscc={f.uscc!r}: not in the enterprise register")
        key = (ids[f.uscc], f.period.year, f.period.first_month, f.period.last_month)
        rows.setdefault(key, {})[f.indicator.value] = f.value
    keys = sorted(rows, key=lambda k: (k[1], k[0], k[3]))
    cols: dict[str, list[Any]] = {
        "enterprise_id": [k[0] for k in keys],
        "year": [k[1] for k in keys],
        "first_month": [k[2] for k in keys],
        "last_month": [k[3] for k in keys],
    }
    for i in Indicator:
        cols[i.value] = [rows[k].get(i.value) for k in keys]
    return pa.table(cols, schema=MONTHLY_SCHEMA)


def connect(
    enterprises: pa.Table | None = None, monthly: pa.Table | None = None, flags: pa.Table | None = None
) -> Any:
    """An in-memory DuckDB connection (no extension downloads) with the given Arrow tables as views."""
    import duckdb

    con = duckdb.connect(":memory:", config=dict(DUCKDB_CONFIG))
    con.execute("SET enable_progress_bar = false")
    for name, table in (("enterprises", enterprises), ("monthly", monthly), ("flags", flags)):
        if table is not None:
            con.register(name, table)
    return con


def open_parquet(con: Any, directory: str | Path, *, load: bool = True) -> list[str]:
    """Make ``enterprises``, ``monthly`` and ``flags`` of ``<directory>/<name>.parquet`` queryable.

    With ``load`` (the default) the files are read once into DuckDB's memory (a dashboard serves
    many queries from one export: 1.5-4 times faster than reading the files each time in
    benchmarks/cluster_dashboard.py);
    otherwise views read the files on every query. Returns the names made (absent files are skipped).
    """
    made = []
    kind = "TABLE" if load else "VIEW"
    for name in ("enterprises", "monthly", "flags"):
        path = Path(directory) / f"{name}.parquet"
        if path.exists():
            con.execute(f"CREATE OR REPLACE {kind} {name} AS SELECT * FROM read_parquet('{_sql_str(str(path))}')")
            made.append(name)
    return made


def duckdb_fetch(con: Any) -> Fetch:
    """A :data:`Fetch` over a DuckDB connection."""
    return lambda sql: con.execute(sql).fetchall()


def dbapi_fetch(con: Any) -> Fetch:
    """A :data:`Fetch` over a DB-API connection (sqlite3, psycopg)."""

    def fetch(sql: str) -> list[tuple[Any, ...]]:
        cur = con.cursor()
        try:
            cur.execute(sql)
            return list(cur.fetchall())
        finally:
            cur.close()

    return fetch


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def _in_list(values: Iterable[str]) -> str:
    return ", ".join(f"'{_sql_str(v)}'" for v in sorted(values))


def scope_where(scope: Scope, alias: str = "e") -> str:
    """SQL condition selecting in-scope enterprises (codes are validated digits, inlined)."""
    parts = [f"{alias}.industry_code IN ({_in_list(scope.industry_codes)})"]
    if scope.above_designated_size_only:
        parts.append(f"{alias}.above_designated_size = TRUE")
    if scope.city_codes is not None:
        parts.append(f"{alias}.city_code IN ({_in_list(scope.city_codes)})")
    return " AND ".join(parts)


def _col(indicator: Indicator | str) -> str:
    return Indicator(indicator).value  # validated: a known column name


GROUPS = {
    "all": "'all'",
    "city": "e.city_code",
    "industry_class": "e.industry_code",
    "industry_major": "SUBSTR(e.industry_code, 1, 2)",
}


def sql_latest_month(scope: Scope, year: int, t: Tables = Tables()) -> str:
    """Latest month with figures in ``year`` for in-scope enterprises."""
    return (
        f"SELECT MAX(m.last_month) FROM {t.monthly} m JOIN {t.enterprises} e ON e.enterprise_id = m.enterprise_id "
        f"WHERE m.year = {int(year)} AND {scope_where(scope)}"
    )


def sql_progress(
    scope: Scope, year: int, through_month: int, indicators: Sequence[Indicator], group: str = "all", t: Tables = Tables()
) -> str:
    """Per group: enterprises, then per indicator the sums needed for progress and growth.

    Columns: ``grp, n`` and, for each indicator in order, ``cur, prev, lfl_cur, lfl_prev, lfl_prev_full, lfl_n``:
    the year's total through ``through_month``, the previous year's total through the same month,
    and the same over enterprises with figures in both years (like-for-like), with the previous
    year's full-year total of those enterprises.
    """
    if group not in GROUPS:
        raise ValueError(f"group={group!r}: allowed {', '.join(GROUPS)}")
    y, py, mth = int(year), int(year) - 1, int(through_month)
    by = "" if group == "all" else f", {GROUPS[group]}"  # PostgreSQL refuses a constant in GROUP BY
    per_ent = []
    agg = []
    for k, ind in enumerate(indicators):
        c = _col(ind)
        per_ent += [
            f"SUM(CASE WHEN m.year = {y} AND m.last_month <= {mth} THEN m.{c} END) AS c{k}",
            f"SUM(CASE WHEN m.year = {py} AND m.last_month <= {mth} THEN m.{c} END) AS p{k}",
            f"SUM(CASE WHEN m.year = {py} THEN m.{c} END) AS f{k}",
        ]
        both = f"c{k} IS NOT NULL AND p{k} IS NOT NULL"
        agg += [
            f"SUM(c{k})",
            f"SUM(p{k})",
            f"SUM(CASE WHEN {both} THEN c{k} END)",
            f"SUM(CASE WHEN {both} THEN p{k} END)",
            f"SUM(CASE WHEN {both} THEN f{k} END)",
            f"SUM(CASE WHEN {both} THEN 1 ELSE 0 END)",
        ]
    return (
        f"WITH pe AS (SELECT m.enterprise_id, {GROUPS[group]} AS grp, {', '.join(per_ent)} "
        f"FROM {t.monthly} m JOIN {t.enterprises} e ON e.enterprise_id = m.enterprise_id "
        f"WHERE m.year IN ({y}, {py}) AND {scope_where(scope)} GROUP BY m.enterprise_id{by}) "
        f"SELECT grp, SUM(CASE WHEN {' OR '.join(f'c{k} IS NOT NULL' for k in range(len(indicators)))} THEN 1 ELSE 0 END) AS n, "
        f"{', '.join(agg)} FROM pe GROUP BY grp ORDER BY grp"
    )


def sql_trend(scope: Scope, indicators: Sequence[Indicator], t: Tables = Tables()) -> str:
    """Totals per year and period of the in-scope enterprises: ``year, first_month, last_month, <sums>``."""
    sums = ", ".join(f"SUM(m.{_col(i)})" for i in indicators)
    return (
        f"SELECT m.year, m.first_month, m.last_month, {sums} FROM {t.monthly} m "
        f"JOIN {t.enterprises} e ON e.enterprise_id = m.enterprise_id WHERE {scope_where(scope)} "
        f"GROUP BY m.year, m.first_month, m.last_month ORDER BY m.year, m.last_month"
    )


def _enterprise_year_cte(scope: Scope, year: int, through_month: int, t: Tables) -> str:
    y, py, mth = int(year), int(year) - 1, int(through_month)
    inc = Indicator.MAIN_BUSINESS_INCOME_YUAN.value
    return (
        f"ey AS (SELECT m.enterprise_id, "
        f"SUM(CASE WHEN m.year = {y} AND m.last_month <= {mth} THEN m.{inc} END) AS income, "
        f"SUM(CASE WHEN m.year = {py} AND m.last_month <= {mth} THEN m.{inc} END) AS income_prev, "
        f"SUM(CASE WHEN m.year = {y} AND m.last_month <= {mth} THEN m.{Indicator.RD_EXPENDITURE_YUAN.value} END) AS rd, "
        f"SUM(CASE WHEN m.year = {y} AND m.last_month <= {mth} THEN m.{Indicator.EXPORT_DELIVERY_VALUE_YUAN.value} END) AS export, "
        f"SUM(CASE WHEN m.year = {y} AND m.last_month <= {mth} THEN m.{Indicator.GROSS_OUTPUT_YUAN.value} END) AS output, "
        f"MAX(CASE WHEN m.year = {y} AND m.last_month <= {mth} THEN m.{Indicator.DIGITAL_MATURITY_LEVEL.value} END) AS digital "
        f"FROM {t.monthly} m JOIN {t.enterprises} e ON e.enterprise_id = m.enterprise_id "
        f"WHERE m.year IN ({y}, {py}) AND {scope_where(scope)} GROUP BY m.enterprise_id)"
    )


def sql_enterprise_year(scope: Scope, year: int, through_month: int, t: Tables = Tables()) -> str:
    """Per in-scope enterprise with income in ``year``: the inputs of the key-enterprise score.

    Columns: ``uscc, name, city_code, industry_code, income, income_prev, rd, export, output, digital``.
    """
    return (
        f"WITH {_enterprise_year_cte(scope, year, through_month, t)} "
        f"SELECT e.uscc, e.name, e.city_code, e.industry_code, ey.income, ey.income_prev, ey.rd, "
        f"ey.export, ey.output, ey.digital FROM ey JOIN {t.enterprises} e ON e.enterprise_id = ey.enterprise_id "
        f"WHERE ey.income IS NOT NULL ORDER BY e.uscc"
    )


def _pr(expr: str) -> str:
    """Percentile rank among non-null values (0 for null), the same in DuckDB, PostgreSQL, SQLite."""
    nul = f"CASE WHEN {expr} IS NULL THEN 1 ELSE 0 END"
    return f"CASE WHEN {expr} IS NULL THEN 0.0 ELSE PERCENT_RANK() OVER (PARTITION BY {nul} ORDER BY {expr}) END"


def sql_top_enterprises(
    scope: Scope, year: int, through_month: int, weights: dict[str, float], limit: int = 20, t: Tables = Tables()
) -> str:
    """The ``limit`` best-scored enterprises (same score as :func:`yuefang.cluster.ranking.score_enterprises`).

    Columns: ``uscc, name, city_code, industry_code, income, score``.
    """
    total = sum(weights.values()) or 1.0
    w = {k: float(v) / total for k, v in weights.items()}
    growth = "CASE WHEN income_prev > 0 THEN income / income_prev - 1 END"
    rd = "CASE WHEN income > 0 THEN rd / income END"
    exp = "CASE WHEN output > 0 THEN export / output END"
    return (
        f"WITH {_enterprise_year_cte(scope, year, through_month, t)}, "
        f"x AS (SELECT enterprise_id, income, {growth} AS growth, {rd} AS rd_intensity, {exp} AS export_share, digital FROM ey "
        f"WHERE income IS NOT NULL), "
        f"s AS (SELECT enterprise_id, income, "
        f"100.0 * ({w.get('size', 0)} * {_pr('income')} + {w.get('growth', 0)} * {_pr('growth')} + "
        f"{w.get('rd_intensity', 0)} * {_pr('rd_intensity')} + {w.get('export_share', 0)} * {_pr('export_share')} + "
        f"{w.get('digital_maturity', 0)} * COALESCE(digital, 0) / 5.0) AS score FROM x) "
        f"SELECT e.uscc, e.name, e.city_code, e.industry_code, s.income, s.score FROM s "
        f"JOIN {t.enterprises} e ON e.enterprise_id = s.enterprise_id ORDER BY s.score DESC, e.uscc LIMIT {int(limit)}"
    )


def sql_flag_summary(scope: Scope, t: Tables = Tables()) -> str:
    """Flags per code and city of in-scope enterprises: ``code, city_code, n``."""
    return (
        f"SELECT f.code, e.city_code, COUNT(*) FROM {t.flags} f JOIN {t.enterprises} e ON e.enterprise_id = f.enterprise_id "
        f"WHERE {scope_where(scope)} GROUP BY f.code, e.city_code ORDER BY f.code, e.city_code"
    )


def compute_flags(con: Any, t: Tables = Tables()) -> pa.Table:
    """The rules of :mod:`yuefang.cluster.quality` over a whole ``monthly`` relation, in DuckDB.

    Returns an Arrow table (:data:`FLAG_SCHEMA`). Agrees with :func:`~yuefang.cluster.quality.flag_figures`
    run over the same figures.
    """
    months = "(last_month - first_month + 1)"
    spiky = [i.value for i in Indicator if i is not Indicator.DIGITAL_MATURITY_LEVEL]
    stats = ", ".join(f"MEDIAN({c} / {months}) AS u_{c}, COUNT({c}) AS n_{c}" for c in spiky)
    parts = []
    for ind in Indicator:
        c = ind.value
        if ind is not Indicator.TOTAL_PROFIT_YUAN:
            parts.append(
                f"SELECT enterprise_id, year, first_month, last_month, '{c}' AS indicator, 'negative' AS code, {c} AS value "
                f"FROM {t.monthly} WHERE {c} < 0"
            )
        if c in spiky:
            parts.append(
                f"SELECT enterprise_id, year, first_month, last_month, '{c}', 'spike', {c} FROM j "
                f"WHERE n_{c} >= {MIN_PERIODS} AND u_{c} > 0 AND {c} > 0 AND {c} / {months} > {SPIKE_FACTOR} * u_{c}"
            )
    sql = (
        f"WITH s AS (SELECT enterprise_id, {stats} FROM {t.monthly} GROUP BY enterprise_id), "
        f"j AS MATERIALIZED (SELECT m.* EXCLUDE (enterprise_id), s.* FROM {t.monthly} m JOIN s ON s.enterprise_id = m.enterprise_id) "
        + " UNION ALL ".join(parts)
        + " ORDER BY enterprise_id, year, last_month, indicator, code"
    )
    return con.sql(sql).to_arrow_table().cast(FLAG_SCHEMA)
