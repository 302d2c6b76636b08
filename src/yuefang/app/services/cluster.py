"""Cluster office services: import the register and the indicators, and read progress, rankings,
flags and exports. Keyword-only functions named by business event, one transaction each.

Who may do what: the cluster office (``cluster_admin``) imports the register, imports anyone's
figures and reads the whole cluster; an enterprise's admin submits its own enterprise's figures
(rows of other enterprises are rejected); every enterprise user reads only its own figures.
The official figures are the imported reports: nothing from the order service feeds them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, text, update
from sqlalchemy.orm import Session

from yuefang.app.db import utcnow
from yuefang.app.errors import Forbidden, InvalidInput, NotFound, field_error
from yuefang.app.models import Enterprise, Role, User
from yuefang.app.models.cluster import (
    ENTERPRISE_VIEW,
    ClusterEnterpriseMeta,
    ClusterFigure,
    ClusterImportBatch,
    ClusterMonthly,
    ClusterReviewFlag,
)
from yuefang.app.services.audit import record_change
from yuefang.cluster import analytics as A
from yuefang.cluster.codes import CITIES
from yuefang.cluster.imports import (
    RowIssue,
    parse_enterprises,
    parse_indicators,
    rows_from_bytes,
    ytd_from_periods,
)
from yuefang.cluster.ledger import ChangeKind, Revision, plan_changes
from yuefang.cluster.model import Figure, Indicator, MoneyUnit, Period, Source
from yuefang.cluster.progress import ProgressReport, compute_progress
from yuefang.cluster.quality import flag_figures
from yuefang.cluster.ranking import (
    EnterpriseScore,
    EnterpriseYear,
    RankingConfig,
    load_ranking_config,
    score_enterprises,
)
from yuefang.cluster.scope import get_plan

__all__ = [
    "TABLES",
    "IMPORTERS",
    "EnterpriseImport",
    "IndicatorImport",
    "FigureRevision",
    "Dashboard",
    "import_enterprises",
    "import_indicators",
    "figure_history",
    "cluster_progress",
    "rank_enterprises",
    "list_flags",
    "dashboard",
    "export_dashboard",
    "load_synthetic_cluster",
    "has_synthetic",
    "is_synthetic",
]

#: The relations the analytics SQL reads in the application database.
TABLES = A.Tables(enterprises=ENTERPRISE_VIEW, monthly="cluster_monthly", flags="cluster_review_flag")
#: Roles that may submit indicator files.
IMPORTERS = frozenset({Role.cluster_admin.value, Role.enterprise_admin.value})
_SOURCE_LETTER = {Source.REPORTED: "r", Source.ESTIMATED: "e", Source.DERIVED: "d"}
_INDICATORS = list(Indicator)


@dataclass(frozen=True)
class EnterpriseImport:
    """What an enterprise-register import did."""

    batch_id: int
    rows_read: int
    rows_rejected: int
    created: int
    updated: int
    unchanged: int
    errors: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]


@dataclass(frozen=True)
class IndicatorImport:
    """What an indicator import did: figures new, revised (old revision kept) and unchanged, and flags raised."""

    batch_id: int
    rows_read: int
    rows_rejected: int
    figures_new: int
    figures_revised: int
    figures_unchanged: int
    flags: int
    periods: tuple[str, ...]
    errors: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]


@dataclass(frozen=True)
class FigureRevision:
    """One revision of one figure, as the history shows it."""

    enterprise_id: int
    period: str
    indicator: str
    revision: int
    value: float
    source: str
    current: bool
    batch_id: int | None
    created_at: str


@dataclass(frozen=True)
class Dashboard:
    """Everything the cluster office's dashboard shows for a plan and a year."""

    report: ProgressReport
    trend: list[dict[str, Any]]
    top: list[EnterpriseScore]
    flag_summary: list[dict[str, Any]]
    flags_open: int
    synthetic: bool
    years: list[int] = field(default_factory=list)


def _require_admin(actor: User) -> None:
    if actor.role != Role.cluster_admin.value:
        raise Forbidden("only the cluster office sees the cluster", role=actor.role, allowed="cluster_admin")


def _fetch(session: Session) -> A.Fetch:
    return lambda sql: [tuple(r) for r in session.execute(text(sql)).all()]


def _rows(filename: str, content: bytes) -> list:
    try:
        return list(rows_from_bytes(content, filename))
    except ValueError as e:
        raise InvalidInput([field_error("file", filename, ".csv or .xlsx", str(e))]) from e
    except Exception as e:  # a broken workbook
        raise InvalidInput([field_error("file", filename, "a readable CSV or Excel file", f"{filename}: {e}")]) from e


def _batch(session: Session, *, kind: str, actor: User | None, filename: str, content: bytes, **kw: Any) -> ClusterImportBatch:
    b = ClusterImportBatch(kind=kind, filename=filename[:255], sha256=hashlib.sha256(content).hexdigest(),
                           actor_id=actor.id if actor else None, **kw)
    session.add(b)
    session.flush()
    return b


def import_enterprises(*, session: Session, actor: User, filename: str, content: bytes) -> EnterpriseImport:
    """The cluster office imports the register: new codes are registered, known ones updated; bad rows reported."""
    _require_admin(actor)
    res = parse_enterprises(_rows(filename, content))
    batch = _batch(session, kind="enterprises", actor=actor, filename=filename, content=content,
                   rows_read=res.rows_read, rows_rejected=res.rows_rejected)
    existing = {e.uscc: e for e in session.scalars(select(Enterprise).where(Enterprise.uscc.in_([r.uscc for r in res.records])))}
    created = updated = unchanged = 0
    for r in res.records:
        values = {"name": r.name, "city_code": r.city_code + "00", "county": r.county or None,
                  "industry_code": r.industry_code, "above_designated_size": r.above_designated_size,
                  "key_tier": None if r.key_tier.value == "none" else r.key_tier.value}
        ent = existing.get(r.uscc)
        if ent is None:
            ent = Enterprise(uscc=r.uscc, **values)
            session.add(ent)
            session.flush()
            record_change(session, actor=actor, entity="enterprise", entity_id=ent.id, action="import",
                          changes={k: {"old": None, "new": v} for k, v in values.items()}, enterprise_id=ent.id)
            created += 1
            continue
        changes = {k: {"old": getattr(ent, k), "new": v} for k, v in values.items() if getattr(ent, k) != v}
        if changes:
            for k, v in values.items():
                setattr(ent, k, v)
            record_change(session, actor=actor, entity="enterprise", entity_id=ent.id, action="import",
                          changes=changes, enterprise_id=ent.id)
            updated += 1
        else:
            unchanged += 1
    session.commit()
    return EnterpriseImport(batch.id, res.rows_read, res.rows_rejected, created, updated, unchanged, res.errors, res.warnings)


def _period(row: Any) -> Period:
    return Period(int(row.year), int(row.last_month), int(row.first_month))


def import_indicators(
    *, session: Session, actor: User, filename: str, content: bytes, unit: str = "yuan", ytd: bool = False
) -> IndicatorImport:
    """Import an indicator file: same file again changes nothing; a changed figure becomes a new revision.

    Implausible figures are stored and flagged for review. An enterprise admin's file may hold only
    its own enterprise's rows.
    """
    if actor.role not in IMPORTERS:
        raise Forbidden("only the cluster office or an enterprise admin submits figures", role=actor.role,
                        allowed=", ".join(sorted(IMPORTERS)))
    try:
        money = MoneyUnit.parse(unit)
    except ValueError as e:
        raise InvalidInput([field_error("unit", unit, "yuan, 千元, 万元")]) from e
    if actor.role == Role.cluster_admin.value:
        ids: dict[str, int] = {u: i for u, i in session.execute(
            select(Enterprise.uscc, Enterprise.id).where(Enterprise.uscc.is_not(None))).all() if u}
        reason = "not in the enterprise register"
    else:
        ent = session.get(Enterprise, actor.enterprise_id)
        ids = {ent.uscc: ent.id} if ent is not None and ent.uscc else {}
        reason = "not your enterprise: you may submit only your own enterprise's figures"
    bulk = _bulk_import(session, actor=actor, filename=filename, content=content, money=money, ytd=ytd, ids=ids,
                        reason=reason)
    if bulk is not None:
        return bulk
    rows = _rows(filename, content)
    prior: list[Figure] = []
    if ytd:
        keys = {(r.cells.get("uscc", "").strip().upper(), r.cells.get("period", "")[:4]) for r in rows}
        years = {int(y) for _, y in keys if y.isdigit()}
        ents = {ids[u] for u, _ in keys if u in ids}
        prior = ytd_from_periods(f for f, _ in _current_figures(session, ents, years))
    res = parse_indicators(rows, unit=money, ytd=ytd, known_uscc=frozenset(ids), prior_ytd=prior, unknown_reason=reason)
    batch = _batch(session, kind="indicators", actor=actor, filename=filename, content=content, unit=money.value,
                   ytd=ytd, rows_read=res.rows_read, rows_rejected=res.rows_rejected,
                   enterprise_id=None if actor.role == Role.cluster_admin.value else actor.enterprise_id)
    ent_ids = {ids[f.uscc] for f in res.records}
    years = {f.period.year for f in res.records}
    stored = _current_figures(session, ent_ids, years | {y - 1 for y in years})
    current = {(f.uscc, f.period, f.indicator): Revision(f, rev) for f, rev in stored}
    current_figs = [f for f, _ in stored]
    changes = plan_changes(current, res.records)
    counts: dict[ChangeKind, int] = defaultdict(int)
    changed: list[Figure] = []
    for c in changes:
        counts[c.kind] += 1
        if c.kind is ChangeKind.UNCHANGED:
            continue
        f = c.figure
        eid = ids[f.uscc]
        if c.kind is ChangeKind.REVISED:
            session.execute(update(ClusterFigure).where(
                ClusterFigure.enterprise_id == eid, ClusterFigure.year == f.period.year,
                ClusterFigure.first_month == f.period.first_month, ClusterFigure.last_month == f.period.last_month,
                ClusterFigure.indicator == f.indicator.value, ClusterFigure.current.is_(True)).values(current=False))
        session.add(ClusterFigure(enterprise_id=eid, year=f.period.year, first_month=f.period.first_month,
                                  last_month=f.period.last_month, indicator=f.indicator.value, revision=c.revision,
                                  value=f.value, source=f.source.value, current=True, batch_id=batch.id))
        changed.append(f)
    session.flush()
    _refresh_monthly(session, {(ids[f.uscc], f.period) for f in changed})
    flags = flag_figures(changed, current_figs)
    for fl in flags:
        session.add(ClusterReviewFlag(enterprise_id=ids[fl.uscc], year=fl.period.year, first_month=fl.period.first_month,
                                      last_month=fl.period.last_month, indicator=fl.indicator.value, code=fl.code.value,
                                      value=fl.value, message=fl.message, batch_id=batch.id))
    batch.figures_new = counts[ChangeKind.NEW]
    batch.figures_revised = counts[ChangeKind.REVISED]
    batch.figures_unchanged = counts[ChangeKind.UNCHANGED]
    record_change(session, actor=actor, entity="cluster_import_batch", entity_id=batch.id, action="import",
                  changes={"figures": {"old": None, "new": {k.value: v for k, v in counts.items()}}},
                  enterprise_id=batch.enterprise_id)
    session.commit()
    return IndicatorImport(batch.id, res.rows_read, res.rows_rejected, batch.figures_new, batch.figures_revised,
                           batch.figures_unchanged, len(flags), tuple(sorted({str(f.period) for f in res.records})),
                           res.errors, res.warnings)


#: Files of at least this many rows, into years with no figures yet, are stored in bulk.
BULK_MIN_ROWS = 20_000


def _bulk_import(
    session: Session, *, actor: User, filename: str, content: bytes, money: MoneyUnit, ytd: bool,
    ids: dict[str, int], reason: str, min_rows: int | None = None,
) -> IndicatorImport | None:
    """Store a large CSV file with the vectorised checks, when its years hold no figures yet; else None.

    Same checks, messages and stored rows as the row-by-row path (every figure a revision 1, since
    nothing was there); review flags from the DuckDB version of the same rules over the new rows.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from yuefang.cluster.bulk import batch_sources, parse_indicator_table, read_csv_as_text

    min_rows = BULK_MIN_ROWS if min_rows is None else min_rows
    if not filename.lower().endswith(".csv") or content.count(b"\n") < min_rows:
        return None
    try:
        table = read_csv_as_text(content)
    except (UnicodeDecodeError, pa.ArrowInvalid):
        return None
    if "period" not in table.column_names:
        return None
    years = sorted({int(p[:4]) for p in pc.unique(table.column("period")).to_pylist() if p and p[:4].isdigit()})
    stored = session.scalar(select(func.count()).select_from(ClusterMonthly).where(ClusterMonthly.year.in_(years)))
    stored_figs = session.scalar(select(func.count()).select_from(ClusterFigure).where(ClusterFigure.year.in_(years)))
    if stored or stored_figs:
        return None
    res = parse_indicator_table(table, unit=money, ytd=ytd, known_uscc=frozenset(ids), unknown_reason=reason)
    b = res.batch
    batch = _batch(session, kind="indicators", actor=actor, filename=filename, content=content, unit=money.value,
                   ytd=ytd, rows_read=res.rows_read, rows_rejected=res.rows_rejected,
                   enterprise_id=None if actor.role == Role.cluster_admin.value else actor.enterprise_id)
    keys = pa.array(list(ids), pa.string())
    id_of = np.array(list(ids.values()), dtype=np.int64)
    eid = id_of[np.asarray(pc.index_in(b.column("uscc"), value_set=keys).to_numpy(zero_copy_only=False), dtype=np.int64)]
    sources = batch_sources(b)
    letters = {"reported": "r", "estimated": "e", "derived": "d"}
    year = b.column("year").to_numpy()
    first = b.column("first_month").to_numpy()
    last = b.column("last_month").to_numpy()
    now = utcnow()
    # long rows (one per figure), built column-wise
    parts = []
    for ind in _INDICATORS:
        col = b.column(ind.value).combine_chunks()
        keep = pc.is_valid(col)
        sel = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)
        if not sel.any():
            continue
        parts.append(pa.table({
            "enterprise_id": pa.array(eid[sel]), "year": pa.array(year[sel].astype(np.int64)),
            "first_month": pa.array(first[sel].astype(np.int64)), "last_month": pa.array(last[sel].astype(np.int64)),
            "indicator": pa.array([ind.value] * int(sel.sum()), pa.string()), "revision": pa.array(np.ones(int(sel.sum()), dtype=np.int64)),
            "value": pc.filter(col, keep), "source": pc.filter(sources[ind], keep),
        }))
    long = pa.concat_tables(parts) if parts else None
    new = long.num_rows if long is not None else 0
    # current-figure rows (one per enterprise and period) with their source letters
    letter_cols = []
    for ind in _INDICATORS:
        src = pc.fill_null(sources[ind], "")
        letter = pc.if_else(pc.is_valid(b.column(ind.value).combine_chunks()),
                            pc.replace_substring_regex(pc.replace_substring_regex(pc.replace_substring_regex(
                                src, "^reported$", "r"), "^estimated$", "e"), "^derived$", "d"), pa.scalar("-"))
        letter_cols.append(letter)
    del letters
    source_str = pc.binary_join_element_wise(*letter_cols, "")
    month_cols = {"enterprise_id": pa.array(eid), "year": pa.array(year.astype(np.int64)),
                  "first_month": pa.array(first.astype(np.int64)), "last_month": pa.array(last.astype(np.int64)),
                  **{i.value: b.column(i.value) for i in _INDICATORS}, "sources": source_str}
    _copy_rows(session, "cluster_monthly", pa.table(month_cols))
    if long is not None:
        long = long.append_column("current", pa.array(np.ones(new, dtype=bool)))
        long = long.append_column("batch_id", pa.array(np.full(new, batch.id, dtype=np.int64)))
        if session.get_bind().dialect.name == "postgresql":
            long = long.append_column("created_at", pa.array([now] * new, pa.timestamp("us", tz="UTC")))
        else:  # as SQLAlchemy writes a DateTime into SQLite
            long = long.append_column("created_at", pa.array([now.strftime("%Y-%m-%d %H:%M:%S.%f")] * new))
        _copy_rows(session, "cluster_figure", long)
    conn = session.connection()
    monthly = pa.table({"enterprise_id": pa.array(eid.astype(np.int32)), "year": b.column("year"),
                        "first_month": b.column("first_month"), "last_month": b.column("last_month"),
                        **{i.value: b.column(i.value) for i in _INDICATORS}}, schema=A.MONTHLY_SCHEMA)
    flags = A.compute_flags(A.connect(monthly=monthly)).to_pylist()
    if flags:
        conn.execute(insert(ClusterReviewFlag), [
            {"enterprise_id": f["enterprise_id"], "year": f["year"], "first_month": f["first_month"],
             "last_month": f["last_month"], "indicator": f["indicator"], "code": f["code"], "value": f["value"],
             "message": f"{f['code']}: {f['indicator']} {f['value']:,.2f}", "status": "open", "batch_id": batch.id}
            for f in flags])
    batch.figures_new = new
    record_change(session, actor=actor, entity="cluster_import_batch", entity_id=batch.id, action="import",
                  changes={"figures": {"old": None, "new": {"new": new}}}, enterprise_id=batch.enterprise_id)
    session.commit()
    periods = sorted({str(Period(int(y), int(m2), int(m1))) for y, m1, m2 in
                      set(zip(year.tolist(), first.tolist(), last.tolist(), strict=True))})
    return IndicatorImport(batch.id, res.rows_read, res.rows_rejected, new, 0, 0, len(flags), tuple(periods),
                           res.errors, res.warnings)


def _copy_rows(session: Session, table: str, data: Any) -> None:
    """Append an Arrow table's rows to ``table`` in the session's transaction: COPY on PostgreSQL,
    ``executemany`` of tuples elsewhere (tens of times faster than one ORM object a row)."""
    cols = data.column_names
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    chunk = 100_000
    pg = session.get_bind().dialect.name == "postgresql"
    cur = raw.cursor()
    try:
        for batch in data.to_batches(chunk):
            if pg:  # Arrow writes the CSV (in C++), PostgreSQL reads it: unquoted empty fields are NULL
                import io

                import pyarrow.csv as pacsv

                buf = io.BytesIO()
                pacsv.write_csv(batch, buf, pacsv.WriteOptions(include_header=False))
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)") as cp:
                    cp.write(buf.getvalue())
            else:
                rows = zip(*[c.to_pylist() for c in batch.columns], strict=True)
                cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                list(rows))
    finally:
        cur.close()


def _current_figures(
    session: Session, enterprise_ids: Iterable[int], years: Iterable[int]
) -> list[tuple[Figure, int]]:
    """Current figures of the enterprises in the years, with their revision numbers."""
    ids, ys = list(enterprise_ids), list(years)
    if not ids or not ys:
        return []
    uscc = dict(session.execute(select(Enterprise.id, Enterprise.uscc).where(Enterprise.id.in_(ids))).all())
    rows = session.execute(select(ClusterFigure).where(ClusterFigure.enterprise_id.in_(ids), ClusterFigure.year.in_(ys),
                                                       ClusterFigure.current.is_(True))).scalars()
    return [(Figure(str(uscc[r.enterprise_id]), _period(r), Indicator(r.indicator), r.value, Source(r.source)), r.revision)
            for r in rows]


def _refresh_monthly(session: Session, keys: set[tuple[int, Period]]) -> None:
    """Rewrite the current-figures rows of the given enterprises and periods from the figure table."""
    for eid, p in keys:
        figs = session.execute(select(ClusterFigure.indicator, ClusterFigure.value, ClusterFigure.source).where(
            ClusterFigure.enterprise_id == eid, ClusterFigure.year == p.year, ClusterFigure.first_month == p.first_month,
            ClusterFigure.last_month == p.last_month, ClusterFigure.current.is_(True))).all()
        values: dict[str, Any] = {i.value: None for i in _INDICATORS}
        letters = ["-"] * len(_INDICATORS)
        for ind, value, source in figs:
            values[ind] = value
            letters[_INDICATORS.index(Indicator(ind))] = _SOURCE_LETTER[Source(source)]
        session.execute(delete(ClusterMonthly).where(
            ClusterMonthly.enterprise_id == eid, ClusterMonthly.year == p.year,
            ClusterMonthly.first_month == p.first_month, ClusterMonthly.last_month == p.last_month))
        session.add(ClusterMonthly(enterprise_id=eid, year=p.year, first_month=p.first_month, last_month=p.last_month,
                                   sources="".join(letters), **values))
    session.flush()


def figure_history(
    *, session: Session, actor: User, enterprise_id: int, year: int | None = None
) -> list[FigureRevision]:
    """Every revision of an enterprise's figures (the cluster office: any enterprise; others: their own)."""
    if actor.role != Role.cluster_admin.value and actor.enterprise_id != enterprise_id:
        raise NotFound("enterprise", enterprise_id)
    if session.get(Enterprise, enterprise_id) is None:
        raise NotFound("enterprise", enterprise_id)
    q = select(ClusterFigure).where(ClusterFigure.enterprise_id == enterprise_id)
    if year is not None:
        q = q.where(ClusterFigure.year == year)
    q = q.order_by(ClusterFigure.year, ClusterFigure.last_month, ClusterFigure.indicator, ClusterFigure.revision)
    return [FigureRevision(r.enterprise_id, str(_period(r)), r.indicator, r.revision, r.value, r.source, r.current,
                           r.batch_id, r.created_at.isoformat()) for r in session.scalars(q)]


def has_synthetic(session: Session) -> bool:
    """True when the register holds synthetic (demo) enterprises."""
    return bool(session.scalar(select(exists().where(ClusterEnterpriseMeta.synthetic.is_(True)))))


def is_synthetic(session: Session, enterprise_id: int | None) -> bool:
    """True when the enterprise is synthetic demo data."""
    if not enterprise_id:
        return False
    meta = session.get(ClusterEnterpriseMeta, enterprise_id)
    return bool(meta and meta.synthetic)


def _plan(plan_id: str):
    try:
        return get_plan(plan_id)
    except ValueError as e:
        raise InvalidInput([field_error("plan", plan_id, str(e).split("allowed ")[-1])]) from e


def cluster_progress(*, session: Session, actor: User, plan_id: str, year: int) -> ProgressReport:
    """Progress of a plan in a year (cluster office only)."""
    _require_admin(actor)
    plan = _plan(plan_id)
    try:
        return compute_progress(_fetch(session), plan, year, tables=TABLES, synthetic=has_synthetic(session))
    except ValueError as e:
        raise InvalidInput([field_error("year", year, "a year with figures", str(e))]) from e


def rank_enterprises(
    *, session: Session, actor: User, plan_id: str, year: int, config: RankingConfig | None = None
) -> list[EnterpriseScore]:
    """Every in-scope enterprise scored, ranked and tiered, best first (cluster office only)."""
    _require_admin(actor)
    plan = _plan(plan_id)
    fetch = _fetch(session)
    month = fetch(A.sql_latest_month(plan.scope, year, TABLES))[0][0]
    if month is None:
        return []
    rows = [EnterpriseYear(*r) for r in fetch(A.sql_enterprise_year(plan.scope, year, int(month), TABLES))]
    return score_enterprises(rows, int(month), config or load_ranking_config())


def list_flags(*, session: Session, actor: User, status: str | None = "open", limit: int = 100) -> list[dict[str, Any]]:
    """Review flags, newest first (cluster office only)."""
    _require_admin(actor)
    q = select(ClusterReviewFlag, Enterprise.name, Enterprise.uscc).join(Enterprise, Enterprise.id == ClusterReviewFlag.enterprise_id)
    if status:
        q = q.where(ClusterReviewFlag.status == status)
    q = q.order_by(ClusterReviewFlag.id.desc()).limit(limit)
    return [{"id": f.id, "enterprise_id": f.enterprise_id, "name": name, "uscc": uscc, "period": str(_period(f)),
             "indicator": f.indicator, "code": f.code, "value": f.value, "message": f.message, "status": f.status}
            for f, name, uscc in session.execute(q).all()]


def dashboard(*, session: Session, actor: User, plan_id: str, year: int | None = None, top: int = 10) -> Dashboard:
    """The cluster office's dashboard: progress, trend, city and class breakdown, top enterprises, flags."""
    _require_admin(actor)
    plan = _plan(plan_id)
    years = [int(y) for (y,) in session.execute(select(ClusterMonthly.year).distinct().order_by(ClusterMonthly.year)).all()]
    if not years:
        raise InvalidInput([field_error("year", year, "a year with figures", "no figures imported yet")])
    year = year if year is not None else years[-1]
    report = cluster_progress(session=session, actor=actor, plan_id=plan_id, year=year)
    fetch = _fetch(session)
    inds = [Indicator.MAIN_BUSINESS_INCOME_YUAN, Indicator.INDUSTRIAL_ADDED_VALUE_YUAN]
    trend = [{"year": int(r[0]), "first_month": int(r[1]), "last_month": int(r[2]),
              "income": float(r[3] or 0), "added_value": float(r[4] or 0)}
             for r in fetch(A.sql_trend(plan.scope, inds, TABLES))]
    scores = rank_enterprises(session=session, actor=actor, plan_id=plan_id, year=year)[:top]
    summary = [{"code": r[0], "city_code": r[1], "city": CITIES[r[1]].name_zh if r[1] in CITIES else r[1], "n": int(r[2])}
               for r in fetch(A.sql_flag_summary(plan.scope, TABLES))]
    open_n = session.scalar(select(func.count()).select_from(ClusterReviewFlag).where(ClusterReviewFlag.status == "open")) or 0
    return Dashboard(report, trend, scores, summary, int(open_n), report.synthetic, years)


def export_dashboard(
    *, session: Session, actor: User, plan_id: str, year: int, fmt: str
) -> tuple[bytes, str, str]:
    """The dashboard's tables as ``xlsx`` (a workbook), ``csv`` or ``parquet`` (a zip of one file per table).

    Returns (content, filename, media type).
    """
    import io
    import zipfile

    from yuefang.cluster.export import FORMATS, report_tables, to_csv_bytes, to_parquet_bytes, to_xlsx_bytes

    if fmt not in FORMATS:
        raise InvalidInput([field_error("format", fmt, ", ".join(FORMATS))])
    d = dashboard(session=session, actor=actor, plan_id=plan_id, year=year, top=100)
    flags = list_flags(session=session, actor=actor, status=None, limit=10_000)
    import pyarrow as pa

    tables = report_tables(d.report, d.top, pa.Table.from_pylist(flags) if flags else None)
    stem = f"cluster-{plan_id}-{year}"
    if fmt == "xlsx":
        return (to_xlsx_bytes(tables, f"{d.report.plan_name} {year}"), f"{stem}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, t in tables.items():
            z.writestr(f"{name}.{fmt}", to_csv_bytes(t) if fmt == "csv" else to_parquet_bytes(t))
    return buf.getvalue(), f"{stem}-{fmt}.zip", "application/zip"


def load_synthetic_cluster(
    *, session: Session, scale: str = "small", seed: int = 2025, enterprises: int | None = None, years: int | None = None
) -> dict[str, int]:
    """Load a SYNTHETIC cluster (labelled so everywhere) into the database, in bulk.

    The generated enterprises join the register (marked synthetic), their figures go straight into
    the current-figures table (one revision, no history rows: they were never imported), and the
    review flags of :func:`yuefang.cluster.analytics.compute_flags` into the flag table. For
    ``yuefang demo-data --scale province``.
    """
    from yuefang.cluster.generator import generate_cluster

    c = generate_cluster(scale, seed=seed, enterprises=enterprises, years=years)
    batch = ClusterImportBatch(kind="synthetic", filename=f"synthetic-{scale}-{seed}", sha256="", unit="yuan",
                               ytd=False, rows_read=c.monthly.num_rows)
    session.add(batch)
    session.flush()
    base = int(session.scalar(select(func.coalesce(func.max(Enterprise.id), 0))) or 0)
    ents = c.enterprises.to_pylist()
    taken = {u for (u,) in session.execute(select(Enterprise.uscc).where(Enterprise.uscc.is_not(None))).all()}
    keep = [e for e in ents if e["uscc"] not in taken]
    new_id = {e["enterprise_id"]: base + k + 1 for k, e in enumerate(keep)}
    chunk = 20_000
    for i in range(0, len(keep), chunk):
        part = keep[i:i + chunk]
        session.execute(insert(Enterprise), [
            {"id": new_id[e["enterprise_id"]], "name": e["name"], "uscc": e["uscc"], "city_code": e["city_code"] + "00",
             "county": e["county"] or None, "industry_code": e["industry_code"],
             "above_designated_size": e["above_designated_size"],
             "key_tier": None if e["key_tier"] == "none" else e["key_tier"]} for e in part])
        session.execute(insert(ClusterEnterpriseMeta), [{"enterprise_id": new_id[e["enterprise_id"]], "synthetic": True} for e in part])
    letters = "".join("e" if i is Indicator.INDUSTRIAL_ADDED_VALUE_YUAN else "r" for i in _INDICATORS)
    cols = ["enterprise_id", "year", "first_month", "last_month"] + [i.value for i in _INDICATORS]
    n_rows = 0
    for rb in c.monthly.to_batches(50_000):
        data = rb.to_pydict()
        rows = []
        for k in range(rb.num_rows):
            eid = new_id.get(data["enterprise_id"][k])
            if eid is None:
                continue
            r = {col: data[col][k] for col in cols}
            r["enterprise_id"] = eid
            r["sources"] = letters
            rows.append(r)
        if rows:
            session.execute(insert(ClusterMonthly), rows)
            n_rows += len(rows)
    flags = A.compute_flags(A.connect(c.enterprises, c.monthly)).to_pylist()
    fl_rows = [{"enterprise_id": new_id[f["enterprise_id"]], "year": f["year"], "first_month": f["first_month"],
                "last_month": f["last_month"], "indicator": f["indicator"], "code": f["code"], "value": f["value"],
                "message": f"{f['code']}: {f['indicator']} {f['value']:,.2f} (synthetic, planted)", "status": "open",
                "batch_id": batch.id} for f in flags if f["enterprise_id"] in new_id]
    for i in range(0, len(fl_rows), chunk):
        session.execute(insert(ClusterReviewFlag), fl_rows[i:i + chunk])
    batch.figures_new = n_rows
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(text("SELECT setval(pg_get_serial_sequence('enterprise', 'id'), (SELECT MAX(id) FROM enterprise))"))
    session.commit()
    return {"enterprises": len(keep), "rows": n_rows, "flags": len(fl_rows), "batch_id": batch.id}
