"""Dashboard queries on the province-scale synthetic cluster: DuckDB over Parquet, PostgreSQL, SQLite.

Generates the SYNTHETIC province (64 000 enterprises, 5 years, over 3 million enterprise-period
rows), writes it as Parquet, and times each dashboard query (progress overall, by city, by
industry class, monthly trend, top enterprises, data-quality flags) with DuckDB reading the Parquet
files (extension auto-install and auto-load off: nothing is downloaded), then the same SQL on
PostgreSQL (when reachable) and SQLite loaded with the same rows, as ratios to DuckDB.

Usage: python benchmarks/cluster_dashboard.py [--scale province] [--repeat 5] [--no-postgres] [--no-sqlite]
       [--out docs/benchmarks/cluster.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from yuefang.cluster import analytics as A
from yuefang.cluster.generator import generate_cluster
from yuefang.cluster.model import Indicator
from yuefang.cluster.ranking import load_ranking_config
from yuefang.cluster.scope import get_plan

PG_URL = os.environ.get("YUEFANG_BENCH_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
SCHEMA = "cluster_bench"
LIMIT_MS = 300.0


def queries(year: int, month: int) -> dict[str, str]:
    plan = get_plan("gd-light-textile-2023-2025")
    inds = [Indicator.INDUSTRIAL_ADDED_VALUE_YUAN, Indicator.MAIN_BUSINESS_INCOME_YUAN, Indicator.TOTAL_PROFIT_YUAN]
    s = plan.scope
    return {
        "latest month": A.sql_latest_month(s, year),
        "progress (all)": A.sql_progress(s, year, month, inds, "all"),
        "progress by city": A.sql_progress(s, year, month, inds, "city"),
        "progress by class": A.sql_progress(s, year, month, inds, "industry_class"),
        "monthly trend": A.sql_trend(s, inds[:2]),
        "top enterprises": A.sql_top_enterprises(s, year, month, dict(load_ranking_config().weights), 20),
        "data-quality flags": A.sql_flag_summary(s),
    }


def time_all(fetch, qs: dict[str, str], repeat: int) -> dict[str, float]:
    out = {}
    for name, sql in qs.items():
        fetch(sql)  # warm-up
        ts = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fetch(sql)
            ts.append((time.perf_counter() - t0) * 1000)
        out[name] = statistics.median(ts)
        print(f"  {name:<20} {out[name]:9.1f} ms", flush=True)
    return out


def load_sqlite(tables) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    for name, t in tables.items():
        cols = t.column_names
        con.execute(f"CREATE TABLE {name} ({', '.join(cols)})")
        for batch in t.to_batches(200_000):
            con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})",
                            zip(*[c.to_pylist() for c in batch.columns], strict=True))
    con.execute("CREATE INDEX ix_m ON monthly (year, enterprise_id)")
    con.execute("CREATE UNIQUE INDEX ix_e ON enterprises (enterprise_id)")
    con.execute("ANALYZE")
    return con


def load_postgres(tables):
    import psycopg

    con = psycopg.connect(PG_URL, autocommit=True)
    con.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    con.execute(f"CREATE SCHEMA {SCHEMA}")
    con.execute(f"SET search_path TO {SCHEMA}")
    pgtype = {"int8": "SMALLINT", "int16": "SMALLINT", "int32": "INTEGER", "double": "DOUBLE PRECISION",
              "string": "TEXT", "bool": "BOOLEAN"}
    for name, t in tables.items():
        cols = ", ".join(f"{f.name} {pgtype[str(f.type)]}" for f in t.schema)
        con.execute(f"CREATE TABLE {name} ({cols})")
        with con.cursor().copy(f"COPY {name} FROM STDIN") as cp:
            for batch in t.to_batches(200_000):
                for row in zip(*[c.to_pylist() for c in batch.columns], strict=True):
                    cp.write_row(row)
    con.execute("CREATE INDEX ix_m ON monthly (year, enterprise_id)")
    con.execute("CREATE UNIQUE INDEX ix_e ON enterprises (enterprise_id)")
    con.execute("ANALYZE")
    return con


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="province")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "benchmarks" / "cluster.md"))
    args = ap.parse_args()

    t0 = time.perf_counter()
    c = generate_cluster(args.scale)
    gen_s = time.perf_counter() - t0
    print(f"generated {c.enterprises.num_rows} enterprises, {c.monthly.num_rows} enterprise-period rows "
          f"({args.scale}, SYNTHETIC) in {gen_s:.1f} s", flush=True)
    con0 = A.connect(c.enterprises, c.monthly)
    flags = A.compute_flags(con0)
    tables = {"enterprises": c.enterprises, "monthly": c.monthly, "flags": flags}
    year = c.years[-1]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, t in tables.items():
            pq.write_table(t, Path(tmp) / f"{name}.parquet")
        con = A.connect()
        t0 = time.perf_counter()
        A.open_parquet(con, tmp, load=True)
        load_s = time.perf_counter() - t0
        fetch = A.duckdb_fetch(con)
        month = fetch(A.sql_latest_month(get_plan("gd-light-textile-2023-2025").scope, year))[0][0]
        qs = queries(year, month)
        print(f"DuckDB, Parquet export loaded into memory ({load_s:.1f} s):")
        results["DuckDB"] = time_all(fetch, qs, args.repeat)
        views = A.connect()
        A.open_parquet(views, tmp, load=False)
        print("DuckDB, views reading the Parquet files on every query:")
        results["DuckDB (Parquet views)"] = time_all(A.duckdb_fetch(views), qs, args.repeat)
    if not args.no_postgres:
        try:
            t0 = time.perf_counter()
            pg = load_postgres(tables)
            print(f"PostgreSQL (loaded in {time.perf_counter() - t0:.0f} s):", flush=True)
            results["PostgreSQL"] = time_all(A.dbapi_fetch(pg), qs, max(1, args.repeat // 2))
            pg.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
            pg.close()
        except Exception as e:  # not reachable: say so, go on
            print(f"PostgreSQL skipped: {e}")
    if not args.no_sqlite:
        t0 = time.perf_counter()
        lite = load_sqlite(tables)
        print(f"SQLite (loaded in {time.perf_counter() - t0:.0f} s):", flush=True)
        results["SQLite"] = time_all(A.dbapi_fetch(lite), qs, max(1, args.repeat // 2))

    duck = results["DuckDB"]
    worst = max(duck.values())
    print(f"\nslowest DuckDB query {worst:.1f} ms (limit {LIMIT_MS:.0f} ms): {'PASS' if worst < LIMIT_MS else 'FAIL'}")
    engines = list(results)
    head = "| query | " + " | ".join(f"{e} ms" for e in engines) + " | " + " | ".join(f"{e} / DuckDB" for e in engines[1:]) + " |"
    lines = [head, "|" + " --- |" * (1 + 2 * len(engines) - 1)]
    for q in duck:
        cells = [f"{results[e][q]:.1f}" for e in engines] + [f"{results[e][q] / duck[q]:.1f}x" for e in engines[1:]]
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table)
    md = Path(args.out)
    section = (
        f"## Dashboard queries ({dt.date.today()}, {platform.machine()}, {os.cpu_count()} CPUs)\n\n"
        f"`python benchmarks/cluster_dashboard.py --scale {args.scale}`: SYNTHETIC province, "
        f"{c.enterprises.num_rows} enterprises, {c.monthly.num_rows} enterprise-period rows, year {year}. "
        f"DuckDB: the Parquet export read once into memory ({load_s:.1f} s); PostgreSQL and SQLite: the same "
        f"rows loaded, indexed on (year, enterprise_id), ANALYZEd. "
        f"Median of {args.repeat} runs for DuckDB (of {max(1, args.repeat // 2)} for the others) after one warm-up. "
        f"Limit {LIMIT_MS:.0f} ms per DuckDB query: slowest {worst:.1f} ms, {'PASS' if worst < LIMIT_MS else 'FAIL'}. "
        f"Load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine: other jobs ran).\n\n"
        f"{table}\n"
    )
    _write_section(md, "## Dashboard queries", section)
    return 0 if worst < LIMIT_MS else 1


def _write_section(md: Path, marker: str, section: str) -> None:
    md.parent.mkdir(parents=True, exist_ok=True)
    text = md.read_text(encoding="utf-8") if md.exists() else "# Cluster benchmarks\n\n"
    if marker in text:
        start = text.index(marker)
        nxt = text.find("\n## ", start + 1)
        text = text[:start] + section.rstrip("\n") + "\n\n" + (text[nxt + 1:] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    md.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
