"""`yuefang cluster ...` commands: a thin caller of yuefang.cluster.

Without the application database the commands work on files: import files are checked and
normalised (``--out``), and analytics run over a data folder of Parquet files
(``enterprises.parquet``, ``monthly.parquet``, ``flags.parquet``: what ``generate`` writes) or
straight over an enterprise file and indicator files.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, NoReturn

import pyarrow as pa
import pyarrow.parquet as pq
import typer

app = typer.Typer(help="Cluster office: enterprises, indicators, progress against targets.", no_args_is_help=True)

DataOpt = Annotated[
    Path | None, typer.Option("--data", help="folder with enterprises.parquet and monthly.parquet (see `generate`)")
]
EntOpt = Annotated[Path | None, typer.Option("--enterprises", help="enterprise register (CSV/Excel) instead of --data")]
IndOpt = Annotated[list[Path] | None, typer.Option("--indicators", help="indicator file(s) with --enterprises")]
UnitOpt = Annotated[str, typer.Option("--unit", help="unit of the money columns: yuan, 千元 or 万元")]
YtdOpt = Annotated[bool, typer.Option("--ytd", help="figures are year-to-date cumulative (1-N月累计)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output on stdout")]
PlanOpt = Annotated[str, typer.Option("--plan", help="plan id")]
DbOpt = Annotated[bool, typer.Option("--db", help="use the application database (YUEFANG_DATABASE_URL)")]


def _db_session():
    """A session on the application database (migrated to head) and the command line's actor."""
    from yuefang.app.db import make_engine, make_sessionmaker
    from yuefang.app.migrations import upgrade
    from yuefang.app.models import Role, User
    from yuefang.app.settings import get_settings

    url = get_settings().database_url
    upgrade(url)
    factory = make_sessionmaker(make_engine(url))
    # the command line acts as the cluster office; the actor is not stored (audit shows no user)
    return factory(), User(email="cli@localhost", display_name="command line", role=Role.cluster_admin.value)


def _domain_fail(e: Exception) -> NoReturn:
    from yuefang.app.errors import DomainError

    if isinstance(e, DomainError):
        _fail(e.message)
    raise e


def _fail(msg: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(code)


def _rows(path: Path):
    from yuefang.cluster.imports import rows_from_bytes

    if not path.is_file():
        _fail(f"FILE={str(path)!r}: no such file")
    try:
        return list(rows_from_bytes(path.read_bytes(), path.name))
    except ValueError as e:
        _fail(str(e))
    except Exception as e:  # a broken workbook
        _fail(f"FILE={str(path)!r}: cannot be read as CSV/Excel ({e})")


def _print_issues(result: Any, json_out: bool, what: str, extra: dict | None = None) -> None:
    if json_out:
        payload = {
            "rows_read": result.rows_read,
            "rows_rejected": result.rows_rejected,
            "records": len(result.records),
            "errors": [asdict(e) for e in result.errors],
            "warnings": [asdict(w) for w in result.warnings],
            **(extra or {}),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
        return
    typer.echo(f"{result.rows_read} rows read, {len(result.records)} {what} kept, {result.rows_rejected} rows rejected")
    for e in result.errors:
        typer.echo(f"  error   {e}")
    for w in result.warnings:
        typer.echo(f"  warning {w}")
    for k, v in (extra or {}).items():
        typer.echo(f"{k}: {v}")


def _write_table(table: pa.Table, out: Path) -> None:
    from yuefang.cluster.export import to_csv_bytes

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".parquet":
        pq.write_table(table, out)
    elif out.suffix == ".csv":
        out.write_bytes(to_csv_bytes(table))
    elif out.suffix == ".json":
        out.write_text(json.dumps(table.to_pylist(), ensure_ascii=False, default=str), encoding="utf-8")
    else:
        _fail(f"--out={str(out)!r}: allowed suffixes .parquet, .csv, .json")


@app.command("validate-uscc")
def validate_uscc(
    codes: Annotated[list[str], typer.Argument(help="unified social credit code(s)")],
    city: Annotated[str | None, typer.Option("--city", help="enterprise's city (4401 ...), to check the division")] = None,
    org: Annotated[bool, typer.Option("--org", help="also check the organisation code's check character")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Check unified social credit codes (GB 32100-2015); exit 1 if any is invalid."""
    from yuefang.cluster.codes import check_uscc

    results = [check_uscc(c, city_code=city, check_org_code=org) for c in codes]
    if json_out:
        typer.echo(json.dumps([{"code": r.code, "valid": r.valid, "division": r.division,
                                "errors": [m for _, m in r.errors], "warnings": [m for _, m in r.warnings]}
                               for r in results], ensure_ascii=False))
    else:
        for r in results:
            typer.echo(f"{r.code}: {'valid' if r.valid else 'INVALID'}")
            for _, m in (*r.errors, *r.warnings):
                typer.echo(f"  {m}")
    if not all(r.valid for r in results):
        raise typer.Exit(1)


@app.command("import-enterprises")
def import_enterprises(
    file: Annotated[Path, typer.Argument(help="CSV or Excel: uscc,name,city_code,county,industry_code,above_designated_size[,key_tier]")],
    out: Annotated[Path | None, typer.Option("--out", help="write the good rows (.parquet, .csv or .json)")] = None,
    db: DbOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Check an enterprise register: every bad row reported (line, field, reason), good rows kept.

    With ``--db`` the good rows are registered in the application database (new codes added, known
    ones updated). Exit code 0 when every row is good, 2 when some rows were rejected (the good
    ones are still written/stored).
    """
    from yuefang.cluster.analytics import enterprises_table
    from yuefang.cluster.imports import parse_enterprises

    if db:
        from yuefang.app.services import cluster as svc

        if not file.is_file():
            _fail(f"FILE={str(file)!r}: no such file")
        session, actor = _db_session()
        try:
            rep = svc.import_enterprises(session=session, actor=actor, filename=file.name, content=file.read_bytes())
        except Exception as e:
            _domain_fail(e)
        finally:
            session.close()
        payload = asdict(rep)
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str) if json_out else
                   f"{rep.rows_read} rows read: {rep.created} registered, {rep.updated} updated, {rep.unchanged} unchanged, "
                   f"{rep.rows_rejected} rejected" + "".join(f"\n  error   {e}" for e in rep.errors)
                   + "".join(f"\n  warning {w}" for w in rep.warnings))
        raise typer.Exit(2 if rep.errors else 0)
    res = parse_enterprises(_rows(file))
    if out:
        _write_table(enterprises_table(res.records), out)
    _print_issues(res, json_out, "enterprises")
    if res.errors:
        raise typer.Exit(2)


def _figures_table(figures) -> pa.Table:
    return pa.Table.from_pylist(
        [{"uscc": f.uscc, "period": str(f.period), "year": f.period.year, "first_month": f.period.first_month,
          "last_month": f.period.last_month, "indicator": f.indicator.value, "value": f.value,
          "source": f.source.value} for f in figures]
    )


@app.command("import-indicators")
def import_indicators(
    file: Annotated[Path, typer.Argument(help="CSV or Excel: uscc,period,<indicator columns>; period YYYY-MM")],
    ytd: YtdOpt = False,
    unit: UnitOpt = "yuan",
    register: Annotated[Path | None, typer.Option("--register", help="enterprise register: reject unknown uscc")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="write the figures (.parquet, .csv or .json)")] = None,
    db: DbOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Check an indicator file: money converted to yuan, periods derived from YTD, implausible figures flagged.

    With ``--db`` the figures are stored in the application database: the same file again changes
    nothing, a corrected figure becomes a new revision. Exit code 0 when every row is good, 2 when
    some rows were rejected.
    """
    if db:
        from yuefang.app.services import cluster as svc

        if not file.is_file():
            _fail(f"FILE={str(file)!r}: no such file")
        session, actor = _db_session()
        try:
            rep = svc.import_indicators(session=session, actor=actor, filename=file.name, content=file.read_bytes(),
                                        unit=unit, ytd=ytd)
        except Exception as e:
            _domain_fail(e)
        finally:
            session.close()
        typer.echo(json.dumps(asdict(rep), ensure_ascii=False, default=str) if json_out else
                   f"{rep.rows_read} rows read, {rep.rows_rejected} rejected: {rep.figures_new} new, "
                   f"{rep.figures_revised} revised, {rep.figures_unchanged} unchanged figures, {rep.flags} flagged"
                   + "".join(f"\n  error   {e}" for e in rep.errors))
        raise typer.Exit(2 if rep.errors else 0)
    from yuefang.cluster.imports import parse_enterprises, parse_indicators
    from yuefang.cluster.model import MoneyUnit
    from yuefang.cluster.quality import flag_figures

    try:
        money = MoneyUnit.parse(unit)
    except ValueError as e:
        _fail(str(e))
    known = None
    if register is not None:
        known = frozenset(e.uscc for e in parse_enterprises(_rows(register)).records)
    res = parse_indicators(_rows(file), unit=money, ytd=ytd, known_uscc=known)
    flags = flag_figures(res.records)
    if out:
        _write_table(_figures_table(res.records), out)
    periods = sorted({str(f.period) for f in res.records})
    extra = {
        "figures": len(res.records),
        "periods": periods if json_out else ", ".join(periods[:13]) + (" ..." if len(periods) > 13 else ""),
        "flags": [asdict(f) for f in flags] if json_out else len(flags),
    }
    _print_issues(res, json_out, "rows' figures", extra)
    if not json_out:
        for f in flags:
            typer.echo(f"  review  {f.uscc} {f.period} {f.code.value}: {f.message}")
    if res.errors:
        raise typer.Exit(2)


def _open(data: Path | None, enterprises: Path | None, indicators: list[Path] | None, ytd: bool, unit: str):
    """A DuckDB connection over the data, and whether it is synthetic."""
    from yuefang.cluster import analytics as A
    from yuefang.cluster.imports import parse_enterprises, parse_indicators

    if data is not None:
        if not (data / "enterprises.parquet").is_file() or not (data / "monthly.parquet").is_file():
            _fail(f"--data={str(data)!r}: needs enterprises.parquet and monthly.parquet (write them with `yuefang cluster generate`)")
        con = A.connect()
        A.open_parquet(con, data)
        meta = pq.read_schema(data / "enterprises.parquet").metadata or {}
        synthetic = meta.get(b"yuefang.synthetic") == b"true" or bool(
            con.execute("SELECT COALESCE(BOOL_OR(synthetic), FALSE) FROM enterprises").fetchall()[0][0]
        )
        return con, synthetic
    if enterprises is None or not indicators:
        _fail("give --data DIR, or --enterprises FILE with --indicators FILE")
    ents = parse_enterprises(_rows(enterprises))
    ids = A.enterprise_ids(ents.records)
    figs: list = []
    for path in indicators:
        res = parse_indicators(_rows(path), unit=unit, ytd=ytd, known_uscc=frozenset(ids))
        for e in res.errors:
            typer.echo(f"skipped: {path.name} {e}", err=True)
        figs.extend(res.records)
    return A.connect(A.enterprises_table(ents.records, ids), A.monthly_table(figs, ids)), any(e.synthetic for e in ents.records)


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:+.1f}%"


def _bn(x: float | None) -> str:
    return "n/a" if x is None else f"{x / 1e8:,.1f}亿"


@app.command("progress")
def progress(
    plan: PlanOpt = "gd-light-textile-2023-2025",
    year: Annotated[int, typer.Option("--year", help="year")] = 2024,
    data: DataOpt = None,
    enterprises: EntOpt = None,
    indicators: IndOpt = None,
    ytd: YtdOpt = False,
    unit: UnitOpt = "yuan",
    db: DbOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Progress of a plan in a year: actual, target, like-for-like growth, projection; by city and class.

    Over ``--data DIR``, over ``--enterprises``/``--indicators`` files, or with ``--db`` over the
    application database.
    """
    from yuefang.cluster import analytics as A
    from yuefang.cluster.progress import compute_progress
    from yuefang.cluster.scope import get_plan

    try:
        p = get_plan(plan)
    except ValueError as e:
        _fail(str(e))
    if db:
        from yuefang.app.services import cluster as svc

        session, actor = _db_session()
        try:
            rep = svc.cluster_progress(session=session, actor=actor, plan_id=plan, year=year)
        except Exception as e:
            _domain_fail(e)
        finally:
            session.close()
        synthetic = rep.synthetic
    else:
        con, synthetic = _open(data, enterprises, indicators, ytd, unit)
        try:
            rep = compute_progress(A.duckdb_fetch(con), p, year, synthetic=synthetic)
        except ValueError as e:
            _fail(str(e))
    if json_out:
        typer.echo(json.dumps(rep.to_dict(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    con_out = Console(file=sys.stdout)
    if synthetic:
        con_out.print("[bold red]合成数据 SYNTHETIC DATA — not official statistics[/]")
    con_out.print(f"{p.name}\n{year}, months 1-{rep.through_month}, {rep.enterprises} enterprises in scope")
    t = Table("indicator", "actual", "target", "progress", "like-for-like", "raw change", "needed/yr", f"projection {p.end_year}")
    for ip in rep.indicators:
        t.add_row(ip.indicator, _bn(ip.actual), _bn(ip.target), "n/a" if ip.progress is None else f"{100 * ip.progress:.1f}%",
                  _pct(ip.like_for_like_growth), _pct(ip.raw_change), _pct(ip.needed_growth), _bn(ip.projection))
    con_out.print(t)
    inc = "main_business_income_yuan"
    con_out.print(f"Guangzhou-Shenzhen share of income: {_pct(rep.core_share.get(inc)).lstrip('+')}")
    tc = Table("city", "enterprises", "income", "share", "like-for-like")
    for g in rep.by_city:
        ip = next(i for i in g.indicators if i.indicator == inc)
        tc.add_row(g.label, str(g.enterprises), _bn(ip.actual), _pct(g.share.get(inc)).lstrip("+"), _pct(ip.like_for_like_growth))
    con_out.print(tc)


@app.command("rank")
def rank(
    plan: PlanOpt = "gd-light-textile-2023-2025",
    year: Annotated[int, typer.Option("--year")] = 2024,
    data: DataOpt = None,
    enterprises: EntOpt = None,
    indicators: IndOpt = None,
    ytd: YtdOpt = False,
    unit: UnitOpt = "yuan",
    top: Annotated[int, typer.Option("--top", help="how many to show")] = 20,
    weights: Annotated[Path | None, typer.Option("--weights", help="JSON like data/ranking.json")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="show each score's components")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Key enterprises: transparent score (weights in configuration), tiers, explanation."""
    from yuefang.cluster import analytics as A
    from yuefang.cluster.ranking import EnterpriseYear, RankingConfig, load_ranking_config, score_enterprises
    from yuefang.cluster.scope import get_plan

    try:
        p = get_plan(plan)
        cfg = RankingConfig.from_dict(json.loads(weights.read_text(encoding="utf-8"))) if weights else load_ranking_config()
    except (ValueError, OSError) as e:
        _fail(str(e))
    con, synthetic = _open(data, enterprises, indicators, ytd, unit)
    fetch = A.duckdb_fetch(con)
    month = fetch(A.sql_latest_month(p.scope, year))[0][0]
    if month is None:
        _fail(f"year={year}: no figures of in-scope enterprises")
    scores = score_enterprises([EnterpriseYear(*r) for r in fetch(A.sql_enterprise_year(p.scope, year, month))], month, cfg)
    shown = scores[:top]
    if json_out:
        typer.echo(json.dumps({"year": year, "through_month": month, "synthetic": synthetic, "scored": len(scores),
                               "tiers": {t: sum(1 for s in scores if s.tier.value == t) for t in ("chain_leader", "key", "cultivate")},
                               "top": [asdict(s) for s in shown]}, ensure_ascii=False, default=str))
        return
    if synthetic:
        typer.echo("合成数据 SYNTHETIC DATA — not official statistics")
    typer.echo(f"{len(scores)} enterprises scored ({year}, months 1-{month}); weights {dict(cfg.weights)}")
    for s in shown:
        if explain:
            typer.echo(s.explain())
        else:
            typer.echo(f"{s.rank:>4} {s.score:5.1f} {s.tier.value:<12} {s.uscc} {s.name} {_bn(s.income)}")


@app.command("generate")
def generate(
    scale: Annotated[str, typer.Option("--scale", help="small, medium or province")] = "small",
    out: Annotated[Path, typer.Option("--out", help="folder to write the Parquet files into")] = Path("var/cluster-demo"),
    seed: Annotated[int, typer.Option("--seed")] = 2025,
    json_out: JsonOpt = False,
) -> None:
    """Write a SYNTHETIC cluster (enterprises, monthly figures, review flags) as Parquet files."""
    from yuefang.cluster import analytics as A
    from yuefang.cluster.generator import generate_cluster

    try:
        c = generate_cluster(scale, seed=seed)
    except ValueError as e:
        _fail(str(e))
    con = A.connect(c.enterprises, c.monthly)
    flags = A.compute_flags(con)
    out.mkdir(parents=True, exist_ok=True)
    meta = {b"yuefang.synthetic": b"true", b"yuefang.label": c.label.encode()}
    for name, t in (("enterprises", c.enterprises), ("monthly", c.monthly), ("flags", flags)):
        pq.write_table(t.replace_schema_metadata(meta), out / f"{name}.parquet")
    summary = {"out": str(out), "enterprises": c.enterprises.num_rows, "rows": c.monthly.num_rows,
               "flags": flags.num_rows, "years": list(c.years), "label": c.label}
    typer.echo(json.dumps(summary, ensure_ascii=False) if json_out else
               f"{c.label}\n{summary['enterprises']} enterprises, {summary['rows']} enterprise-period rows, "
               f"{summary['flags']} flags, years {c.years[0]}-{c.years[-1]} -> {out}")


@app.command("load-demo")
def load_demo(
    scale: Annotated[str, typer.Option("--scale", help="small, medium or province")] = "small",
    seed: Annotated[int, typer.Option("--seed")] = 2025,
    json_out: JsonOpt = False,
) -> None:
    """Load a SYNTHETIC cluster into the application database (labelled synthetic on every page)."""
    from yuefang.app.services import cluster as svc

    session, _ = _db_session()
    try:
        done = svc.load_synthetic_cluster(session=session, scale=scale, seed=seed)
    except ValueError as e:
        _fail(str(e))
    finally:
        session.close()
    typer.echo(json.dumps(done) if json_out else
               f"合成数据 SYNTHETIC: {done['enterprises']} enterprises, {done['rows']} enterprise-period rows, "
               f"{done['flags']} flags loaded")


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="file (.xlsx) or folder (csv, parquet)")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx, csv or parquet")] = "xlsx",
    plan: PlanOpt = "gd-light-textile-2023-2025",
    year: Annotated[int, typer.Option("--year")] = 2024,
    data: DataOpt = None,
    enterprises: EntOpt = None,
    indicators: IndOpt = None,
    ytd: YtdOpt = False,
    unit: UnitOpt = "yuan",
    top: Annotated[int, typer.Option("--top")] = 50,
) -> None:
    """Export the dashboard's tables (progress, by city, by class, top enterprises, flags)."""
    from yuefang.cluster import analytics as A
    from yuefang.cluster.export import FORMATS, report_tables, to_csv_bytes, to_parquet_bytes, to_xlsx_bytes
    from yuefang.cluster.progress import compute_progress
    from yuefang.cluster.ranking import EnterpriseYear, score_enterprises
    from yuefang.cluster.scope import get_plan

    if fmt not in FORMATS:
        _fail(f"--format={fmt!r}: allowed {', '.join(FORMATS)}")
    try:
        p = get_plan(plan)
    except ValueError as e:
        _fail(str(e))
    con, synthetic = _open(data, enterprises, indicators, ytd, unit)
    fetch = A.duckdb_fetch(con)
    try:
        rep = compute_progress(fetch, p, year, synthetic=synthetic)
    except ValueError as e:
        _fail(str(e))
    rows = [EnterpriseYear(*r) for r in fetch(A.sql_enterprise_year(p.scope, year, rep.through_month))]
    scores = score_enterprises(rows, rep.through_month)[:top]
    has_flags = bool(con.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'flags'").fetchall()[0][0])
    flags = con.sql("SELECT * FROM flags").to_arrow_table() if has_flags else None
    tables = report_tables(rep, scores, flags)
    if fmt == "xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(to_xlsx_bytes(tables, f"{p.name} {year}"))
        written = [out]
    else:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, t in tables.items():
            path = out / f"{name}.{fmt}"
            path.write_bytes(to_csv_bytes(t) if fmt == "csv" else to_parquet_bytes(t))
            written.append(path)
    typer.echo("\n".join(str(w) for w in written))
