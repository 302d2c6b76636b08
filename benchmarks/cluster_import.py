"""Import of a 1-million-row indicator file: rows per second and peak memory.

Writes a SYNTHETIC indicator CSV (``uscc,period,<8 indicator columns>``, money in 万元, one row per
enterprise and month) of ``--rows`` rows, then, each in a fresh process so that peak memory is its
own: yuefang's import (read as text + every check of the row-by-row parser, vectorised: code check
characters, periods, numbers, levels, duplicates, unit conversion), yuefang's row-by-row parser on
a sample, and the anchor, DuckDB's ``read_csv`` loading the same file into a table (typed, no
checks). Prints rows/s, peak RSS and the ratio to the anchor; writes a section of
docs/benchmarks/cluster.md.

Usage: python benchmarks/cluster_import.py [--rows 1000000] [--ytd]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLS = ["main_business_income", "industrial_added_value", "gross_output", "total_profit", "employees",
        "rd_expenditure", "export_delivery_value", "digital_maturity_level"]


def write_file(path: Path, rows: int) -> None:
    import numpy as np

    from yuefang.cluster.codes import complete_uscc

    rng = np.random.default_rng(1)
    n_ent = max(1, rows // 60)
    codes = [complete_uscc(f"91440106MA{i:07d}") for i in range(n_ent)]
    with path.open("w", encoding="utf-8") as f:
        f.write("uscc,period," + ",".join(COLS) + "\n")
        k = 0
        for i in range(n_ent):
            base = rng.lognormal(7, 1.2)
            for m in range(60):
                if k == rows:
                    return
                inc = base * rng.lognormal(0, 0.05)
                f.write(f"{codes[i]},{2020 + m // 12}-{m % 12 + 1:02d},{inc:.1f},{inc * 0.24:.1f},{inc * 1.01:.1f},"
                        f"{inc * 0.05:.1f},{int(base / 5) + 1},{inc * 0.02:.1f},{inc * 0.2:.1f},{1 + m // 20}\n")
                k += 1
        # pad with more enterprises if needed
        while k < rows:
            c = complete_uscc(f"91440106MB{k:07d}")
            f.write(f"{c},2024-01,1,1,1,1,1,1,1,1\n")
            k += 1


def child(kind: str, path: str, rows: int, ytd: bool) -> None:
    t0 = time.perf_counter()
    if kind == "yuefang":
        from yuefang.cluster.bulk import parse_indicator_table, read_csv_as_text

        res = parse_indicator_table(read_csv_as_text(Path(path).read_bytes()), unit="万元", ytd=ytd)
        out = {"good_rows": res.batch.num_rows, "errors": len(res.errors), "figures": res.figures_count}
    elif kind == "row-by-row":
        from yuefang.cluster.imports import parse_indicators, rows_from_csv_text

        text = Path(path).read_text(encoding="utf-8")
        head = text.split("\n", rows + 1)
        res = parse_indicators(rows_from_csv_text("\n".join(head[: rows + 1])), unit="万元", ytd=ytd)
        out = {"good_rows": rows - res.rows_rejected, "errors": len(res.errors)}
    elif kind in ("sqlite", "postgresql"):
        out = _into_database(kind, path, ytd)
        t0 = time.perf_counter() - out.pop("seconds")
    else:
        import duckdb

        con = duckdb.connect(config={"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"})
        con.execute("SET enable_progress_bar = false")
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header = true)")
        out = {"good_rows": con.execute("SELECT COUNT(*) FROM t").fetchall()[0][0], "errors": 0}
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, **out}))


def _into_database(kind: str, path: str, ytd: bool) -> dict:
    """The app's import (service, bulk path) into a fresh database: register first, then time the indicators."""
    import uuid

    from sqlalchemy import create_engine, text

    from yuefang.app.db import make_engine, make_sessionmaker
    from yuefang.app.migrations import upgrade
    from yuefang.app.models import Role, User
    from yuefang.app.services import cluster as svc

    if kind == "sqlite":
        url = f"sqlite:///{Path(path).with_suffix('.db')}"
        drop = None
    else:
        base = os.environ.get("YUEFANG_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
        schema = f"yf_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base)
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{base}?options=-csearch_path%3D{schema}"
        drop = (admin, schema)
    try:
        upgrade(url)
        factory = make_sessionmaker(make_engine(url))
        codes = sorted({line.split(",", 1)[0] for line in Path(path).read_text(encoding="utf-8").splitlines()[1:]})
        register = "uscc,name,city_code,county,industry_code,above_designated_size\n" + "".join(
            f"{c},企业{i},4401,,1811,1\n" for i, c in enumerate(codes))
        actor = User(email="bench@localhost", role=Role.cluster_admin.value)
        with factory() as s:
            svc.import_enterprises(session=s, actor=actor, filename="r.csv", content=register.encode())
        t0 = time.perf_counter()
        with factory() as s:
            rep = svc.import_indicators(session=s, actor=actor, filename="i.csv", content=Path(path).read_bytes(),
                                        unit="万元", ytd=ytd)
        return {"seconds": time.perf_counter() - t0, "good_rows": rep.rows_read - rep.rows_rejected,
                "errors": len(rep.errors), "figures": rep.figures_new}
    finally:
        if drop is not None:
            with drop[0].begin() as c:
                c.execute(text(f'DROP SCHEMA "{drop[1]}" CASCADE'))


def run(kind: str, path: Path, rows: int, ytd: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--file", str(path), "--rows", str(rows)]
                         + (["--ytd"] if ytd else []), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=50_000, help="rows for the row-by-row parser")
    ap.add_argument("--ytd", action="store_true")
    ap.add_argument("--db-rows", type=int, default=1_000_000, help="rows for the import into the app database")
    ap.add_argument("--no-db", action="store_true", help="skip the imports into SQLite and PostgreSQL")
    ap.add_argument("--child")
    ap.add_argument("--file")
    ap.add_argument("--out", default=str(HERE.parent / "docs" / "benchmarks" / "cluster.md"))
    args = ap.parse_args()
    if args.child:
        child(args.child, args.file, args.rows, args.ytd)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "indicators.csv"
        t0 = time.perf_counter()
        write_file(path, args.rows)
        print(f"wrote {args.rows} rows ({path.stat().st_size / 1e6:.0f} MB, SYNTHETIC) in {time.perf_counter() - t0:.0f} s", flush=True)
        res = {
            "yuefang import (vectorised)": run("yuefang", path, args.rows, args.ytd),
            "DuckDB read_csv (anchor, no checks)": run("duckdb", path, args.rows, args.ytd),
            f"yuefang row-by-row parser ({args.sample} rows)": run("row-by-row", path, args.sample, args.ytd),
        }
        if not args.no_db:
            dbpath = path
            if args.db_rows < args.rows:
                dbpath = Path(tmp) / "indicators-db.csv"
                lines = path.read_text(encoding="utf-8").splitlines(keepends=True)[: args.db_rows + 1]
                dbpath.write_text("".join(lines), encoding="utf-8")
            for kind in ("sqlite", "postgresql"):
                try:
                    res[f"yuefang import into {kind} (app service, {args.db_rows} rows)"] = run(kind, dbpath, args.db_rows, args.ytd)
                except subprocess.CalledProcessError as e:
                    print(f"{kind} skipped: {e.stderr.strip().splitlines()[-1] if e.stderr else e}")
    anchor = args.rows / res["DuckDB read_csv (anchor, no checks)"]["seconds"]
    lines = ["| import | rows | seconds | rows/s | peak RSS MB | rows/s vs anchor |", "| --- | --- | --- | --- | --- | --- |"]
    for name, r in res.items():
        n = args.sample if "row-by-row" in name else args.db_rows if "app service" in name else args.rows
        rate = n / r["seconds"]
        lines.append(f"| {name} | {n} | {r['seconds']:.1f} | {rate:,.0f} | {r['peak_mb']:.0f} | {rate / anchor:.2f}x |")
        print(f"{name}: {rate:,.0f} rows/s, peak {r['peak_mb']:.0f} MB, {r['good_rows']} good rows, {r['errors']} errors", flush=True)
    table = "\n".join(lines)
    print(table)
    section = (f"## Indicator import ({dt.date.today()}, {platform.machine()}, {os.cpu_count()} CPUs)\n\n"
               f"`python benchmarks/cluster_import.py --rows {args.rows}{' --ytd' if args.ytd else ''}`: "
               f"SYNTHETIC CSV, 8 indicator columns in 万元. Each run in its own process; peak RSS includes the "
               f"interpreter and libraries. 'into sqlite/postgresql': the app's service storing every figure "
               f"(revision rows and current-figure rows) into a fresh, migrated database (bulk path), register "
               f"loaded first and not timed. Load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
               f"CPUs (shared machine: other jobs ran).\n\n{table}\n")
    sys.path.insert(0, str(HERE))
    from cluster_dashboard import _write_section

    _write_section(Path(args.out), "## Indicator import", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
