"""The cluster office's pages: the dashboard (progress against each target, trend, city and industry
breakdown, top enterprises, data-quality flags), imports, and each enterprise's own figures.

Charts are inline SVG drawn here on the server: nothing is fetched, no JavaScript library is used.
Only the cluster office sees the cluster; an enterprise user sees and submits only its own figures.
Synthetic demo data is labelled on every page it appears in.

Every word on these pages, charts included, goes through the message catalogue (``N_`` marks
strings here, ``page.gettext`` translates them per request), so a page is wholly in Simplified
Chinese or wholly in English; names from the data (enterprises, industry classes, plans) stay
as stored. Money is shown in 亿元 (10^8 yuan) in Chinese and in billions of yuan in English.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from yuefang.app.auth import get_session, optional_user
from yuefang.app.errors import DomainError
from yuefang.app.i18n import N_, Gettext
from yuefang.app.models import Enterprise, User
from yuefang.app.models.cluster import ClusterMonthly
from yuefang.app.services import cluster as svc
from yuefang.app.web.guard import csrf_ok, forbidden_page, guard
from yuefang.app.web.routes import chrome
from yuefang.app.web.templating import PageContext, page_context, render
from yuefang.cluster.codes import CITIES
from yuefang.cluster.model import Indicator, KeyTier, Period
from yuefang.cluster.quality import FlagCode
from yuefang.cluster.scope import DEFAULT_PLAN_ID, load_plans

__all__ = [
    "COMPONENT_NAMES",
    "FLAG_NAMES",
    "INDICATOR_NAMES",
    "SYNTHETIC_NOTICE",
    "TIER_NAMES",
    "bar_chart",
    "line_chart",
    "money_formatter",
    "router",
    "target_chart",
]

router = APIRouter(include_in_schema=False)
WebUser = Annotated[User | None, Depends(optional_user)]
DbSession = Annotated[Session, Depends(get_session)]

INK, MUTED, ACCENT, GOOD, BAD, GRID = "#1f2933", "#616e7c", "#0f766e", "#15803d", "#b91c1c", "#e4e7eb"
PALETTE = ["#0f766e", "#b45309", "#1d4ed8", "#7c3aed", "#be123c"]


#: Shown on every page holding synthetic data (translated; both languages keep the word SYNTHETIC).
SYNTHETIC_NOTICE = N_("SYNTHETIC DATA — not official statistics")

#: Each indicator's name (msgid; the Chinese catalogue gives the statistical names of
#: :data:`yuefang.cluster.model.INDICATOR_LABELS_ZH`).
INDICATOR_NAMES: dict[str, str] = {
    Indicator.MAIN_BUSINESS_INCOME_YUAN.value: N_("Main business income"),
    Indicator.INDUSTRIAL_ADDED_VALUE_YUAN.value: N_("Industrial added value"),
    Indicator.GROSS_OUTPUT_YUAN.value: N_("Gross industrial output"),
    Indicator.TOTAL_PROFIT_YUAN.value: N_("Total profit"),
    Indicator.EMPLOYEES.value: N_("Persons employed"),
    Indicator.RD_EXPENDITURE_YUAN.value: N_("R&D expenditure"),
    Indicator.EXPORT_DELIVERY_VALUE_YUAN.value: N_("Export delivery value"),
    Indicator.DIGITAL_MATURITY_LEVEL.value: N_("Digital maturity level"),
}

#: Key-enterprise tiers.
TIER_NAMES: dict[str, str] = {
    KeyTier.CHAIN_LEADER.value: N_("Chain leader"),
    KeyTier.KEY.value: N_("Key enterprise"),
    KeyTier.CULTIVATE.value: N_("To cultivate"),
    KeyTier.NONE.value: N_("Other"),
}

#: Components of the key-enterprise score (see ``yuefang.cluster.ranking``).
COMPONENT_NAMES: dict[str, str] = {
    "size": N_("Scale"),
    "growth": N_("Growth"),
    "rd_intensity": N_("R&D intensity"),
    "export_share": N_("Export share"),
    "digital_maturity": N_("Digital maturity"),
}

#: Data-quality rules that flag a figure for review.
FLAG_NAMES: dict[str, str] = {
    FlagCode.NEGATIVE.value: N_("Negative value"),
    FlagCode.SPIKE.value: N_("Sudden jump"),
    FlagCode.ADDED_VALUE_ABOVE_OUTPUT.value: N_("Added value above gross output"),
    FlagCode.EXPORT_ABOVE_OUTPUT.value: N_("Export delivery above gross output"),
}

#: Where a figure comes from.
SOURCE_NAMES: dict[str, str] = {"reported": N_("reported"), "estimated": N_("estimated"), "derived": N_("derived")}


def _name(names: dict[str, str], code: Any, gettext: Gettext) -> str:
    """``code``'s name in the page's language; an unknown code is shown as it is."""
    key = getattr(code, "value", code)
    return gettext(names[key]) if key in names else str(key)


def _yi(x: float | None) -> str:
    """Yuan as 亿元 text (Chinese pages)."""
    return "–" if x is None else f"{x / 1e8:,.0f}亿"


def _bn(x: float | None) -> str:
    """Yuan as billions (English pages): ``¥1,234bn``, ``¥12.3bn``, ``¥0.45bn``."""
    if x is None:
        return "–"
    v = x / 1e9
    if v == 0:
        return "¥0"
    digits = 0 if abs(v) >= 100 else 1 if abs(v) >= 1 else 2
    return f"¥{v:,.{digits}f}bn"


def money_formatter(locale: str) -> Callable[[float | None], str]:
    """How a page in ``locale`` writes an amount of yuan.

    Examples
    --------
    >>> money_formatter("zh_CN")(3e12), money_formatter("en")(3e12), money_formatter("en")(4.5e8)
    ('30,000亿', '¥3,000bn', '¥0.45bn')
    """
    return _yi if locale.startswith("zh") else _bn


def _identity(message: str, **variables: Any) -> str:
    return message % variables if variables else message


def _pct(x: float | None, signed: bool = True) -> str:
    if x is None:
        return "–"
    return f"{100 * x:+.1f}%" if signed else f"{100 * x:.1f}%"


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" style="max-width:{width}px;font-family:sans-serif">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def bar_chart(items: list[tuple[str, float]], *, title: str, fmt=_yi, width: int = 560, bar_h: int = 18,
              highlight: set[str] | None = None, label_w: int = 150) -> Markup:
    """Horizontal bars, largest first: (label, value) pairs; ``highlight`` labels in the accent colour.

    ``label_w`` is the width (px) kept left of the bars for the labels.
    """
    items = items[:25]
    pad = 6
    h = pad * 2 + len(items) * (bar_h + 6)
    vmax = max([v for _, v in items] + [1e-9])
    body = []
    for i, (label, v) in enumerate(items):
        y = pad + i * (bar_h + 6)
        w = max(0.0, (width - label_w - 80) * v / vmax)
        colour = ACCENT if not highlight or label in highlight else "#94a3b8"
        body.append(f'<text x="{label_w - 6}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" font-size="12" fill="{INK}">{escape(label)}</text>')
        body.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="2" fill="{colour}"/>')
        body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h * 0.72:.1f}" font-size="11" fill="{MUTED}">{escape(fmt(v))}</text>')
    return _svg(width, h, body, title)


def target_chart(actual: float, estimate: float, projection: float | None, target: float, *, title: str,
                 width: int = 560, fmt=_yi, gettext: Gettext = _identity) -> Markup:
    """One target: bar of this year's (estimated full-year) value, marker of the projection, line at the target.

    ``gettext`` translates the chart's words (identity: English), ``fmt`` writes the amounts.
    """
    top = max(target, estimate, projection or 0.0) * 1.08
    x0, x1, y, h = 10, width - 10, 22, 24

    def sx(v: float) -> float:
        return x0 + (x1 - x0) * v / top

    target_text = gettext("target %(value)s", value=fmt(target))
    body = [f'<rect x="{x0}" y="{y}" width="{x1 - x0}" height="{h}" fill="#edf1f4" rx="3"/>',
            f'<rect x="{x0}" y="{y}" width="{sx(estimate) - x0:.1f}" height="{h}" fill="#99d5cf" rx="3"/>',
            f'<rect x="{x0}" y="{y}" width="{sx(actual) - x0:.1f}" height="{h}" fill="{ACCENT}" rx="3"/>',
            f'<line x1="{sx(target):.1f}" x2="{sx(target):.1f}" y1="{y - 8}" y2="{y + h + 8}" stroke="{INK}" stroke-width="2"/>',
            f'<text x="{sx(target):.1f}" y="{y - 10}" text-anchor="middle" font-size="11" fill="{INK}">{escape(target_text)}</text>']
    if projection is not None:
        colour = GOOD if projection >= target else BAD
        projection_text = gettext("projection %(value)s", value=fmt(projection))
        body.append(f'<path d="M{sx(projection):.1f} {y + h + 2} l-6 10 h12 z" fill="{colour}"/>')
        body.append(f'<text x="{sx(projection):.1f}" y="{y + h + 24}" text-anchor="middle" font-size="11" fill="{colour}">{escape(projection_text)}</text>')
    return _svg(width, 84, body, title)


def line_chart(series: dict[str, list[tuple[float, float]]], *, title: str, x_labels: dict[float, str],
               width: int = 720, height: int = 240, fmt=_yi, gettext: Gettext = _identity) -> Markup:
    """Lines over x (e.g. year + month/12); y from 0; a few gridlines; ``gettext`` translates "no data"."""
    pts = [p for s in series.values() for p in s]
    if not pts:
        empty = escape(gettext("no data"))
        return _svg(width, 40, [f'<text x="10" y="24" font-size="12" fill="{MUTED}">{empty}</text>'], title)
    left, right, top, bottom = 64, 12, 12, 28
    xs = [p[0] for p in pts]
    xmin, xmax = min(xs), max(xs)
    ymax = max(p[1] for p in pts) * 1.1 or 1.0
    step = 10 ** math.floor(math.log10(ymax / 4)) if ymax > 0 else 1
    step *= 1 if ymax / step <= 8 else 2 if ymax / step <= 16 else 5

    def sx(x: float) -> float:
        return left + (width - left - right) * ((x - xmin) / ((xmax - xmin) or 1))

    def sy(v: float) -> float:
        return height - bottom - (height - top - bottom) * v / ymax

    body = []
    v = 0.0
    while v <= ymax:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(v):.1f}" y2="{sy(v):.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 4}" y="{sy(v) + 4:.1f}" text-anchor="end" font-size="10" fill="{MUTED}">{escape(fmt(v))}</text>')
        v += step
    for x, label in x_labels.items():
        body.append(f'<text x="{sx(x):.1f}" y="{height - 8}" text-anchor="middle" font-size="10" fill="{MUTED}">{escape(label)}</text>')
    for k, (name, s) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        d = " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f} {sy(y):.1f}" for i, (x, y) in enumerate(sorted(s)))
        body.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.8"/>')
        body.append(f'<text x="{left + 8 + 200 * k}" y="{top + 10}" font-size="11" fill="{colour}">■ {escape(name)}</text>')
    return _svg(width, height, body, title)


def _city_name(code: str, locale: str) -> str:
    city = CITIES.get(code)
    if city is None:
        return code
    return city.name_zh if locale.startswith("zh") else city.name_en


def _charts(d: svc.Dashboard, page: PageContext) -> dict[str, Any]:
    rep, _ = d.report, page.gettext
    fmt = money_formatter(page.locale)
    targets = []
    for ip in rep.indicators:
        if ip.target is None:
            continue
        label = _name(INDICATOR_NAMES, ip.indicator, _)
        targets.append({"ip": ip, "label": label, "code": ip.indicator,
                        "svg": target_chart(ip.actual, ip.full_year_estimate, ip.projection, ip.target, title=label,
                                            fmt=fmt, gettext=_)})
    inc = Indicator.MAIN_BUSINESS_INCOME_YUAN.value
    income, added = _("Income per month"), _("Added value per month")
    series: dict[str, list[tuple[float, float]]] = {income: [], added: []}
    for r in d.trend:
        x = r["year"] + (r["last_month"] - 0.5) / 12
        months = r["last_month"] - r["first_month"] + 1
        series[income].append((x, r["income"] / months))
        series[added].append((x, r["added_value"] / months))
    labels = {y + 0.0: str(y) for y in sorted({r["year"] for r in d.trend})}
    core = {_city_name(c, page.locale) for c in load_plans()[rep.plan_id].core_cities}
    city_items = [(_city_name(g.group, page.locale), next(i.actual for i in g.indicators if i.indicator == inc))
                  for g in rep.by_city]
    class_items = [(f"{g.group} {g.label}"[:22], next(i.actual for i in g.indicators if i.indicator == inc))
                   for g in rep.by_industry]
    return {
        "targets": targets,
        "trend_svg": line_chart(series, title=_("Monthly income and added value"), x_labels=labels, fmt=fmt,
                                gettext=_),
        "city_svg": bar_chart(sorted(city_items, key=lambda t: -t[1]), title=_("Income by city"), highlight=core,
                              fmt=fmt),
        "class_svg": bar_chart(sorted(class_items, key=lambda t: -t[1])[:15], title=_("Income by industry class"),
                               fmt=fmt, label_w=230),
    }


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


@router.get("/cluster", name="cluster_dashboard")
def dashboard_page(request: Request, user: WebUser, session: DbSession) -> Response:
    """The cluster office's dashboard; an enterprise user is sent to its own figures."""
    if user is not None and user.role != "cluster_admin":
        return Response(status_code=303, headers={"Location": "/cluster/figures"})
    if (denied := guard(request, user, {"cluster_admin"})) is not None:
        return denied
    assert user is not None
    page = page_context(request)
    plan_id = request.query_params.get("plan", DEFAULT_PLAN_ID)
    year = _int(request.query_params.get("year"))
    plans = load_plans()
    ctx: dict[str, Any] = {**chrome(request, user, active="cluster", page=page), "plans": list(plans.values()),
                           "plan_id": plan_id, "synthetic_label": page.gettext(SYNTHETIC_NOTICE), "pct": _pct,
                           "money": money_formatter(page.locale),
                           "city_name": lambda code: _city_name(code, page.locale),
                           "tier_name": lambda code: _name(TIER_NAMES, code, page.gettext),
                           "component_name": lambda code: _name(COMPONENT_NAMES, code, page.gettext),
                           "flag_name": lambda code: _name(FLAG_NAMES, code, page.gettext)}
    try:
        d = svc.dashboard(session=session, actor=user, plan_id=plan_id, year=year)
    except DomainError as e:
        ctx.update({"error": e.message, "d": None})
        return render(request, "cluster/dashboard.html", ctx, page=page)
    plan = plans.get(d.report.plan_id)
    plan_name = plan.name_en if plan is not None and plan.name_en and page.locale == "en" else d.report.plan_name
    ctx.update({"d": d, "rep": d.report, "year": d.report.year, "plan_name": plan_name, **_charts(d, page)})
    return render(request, "cluster/dashboard.html", ctx, page=page)


@router.get("/cluster/export", name="cluster_export")
def export_download(request: Request, user: WebUser, session: DbSession) -> Response:
    """Download the dashboard's tables (xlsx, csv zip or parquet zip)."""
    if (denied := guard(request, user, {"cluster_admin"})) is not None:
        return denied
    assert user is not None
    fmt = request.query_params.get("format", "xlsx")
    plan_id = request.query_params.get("plan", DEFAULT_PLAN_ID)
    year = _int(request.query_params.get("year"), 0) or 0
    try:
        content, filename, media = svc.export_dashboard(session=session, actor=user, plan_id=plan_id, year=year, fmt=fmt)
    except DomainError as e:
        return Response(e.message, status_code=e.status_code, media_type="text/plain; charset=utf-8")
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/cluster/import", name="cluster_import")
def import_page(request: Request, user: WebUser) -> Response:
    """The import form: the register (cluster office) or indicators (cluster office, enterprise admin)."""
    if (denied := guard(request, user, svc.IMPORTERS)) is not None:
        return denied
    page = page_context(request)
    return render(request, "cluster/import.html", {**chrome(request, user, active="cluster", page=page), "result": None,
                                                   "kind": request.query_params.get("kind", "indicators")}, page=page)


@router.post("/cluster/import", name="cluster_import_submit")
async def import_submit(
    request: Request, user: WebUser, session: DbSession,
    kind: Annotated[str, Form()] = "indicators", unit: Annotated[str, Form()] = "yuan",
    ytd: Annotated[str | None, Form()] = None, csrf_token: Annotated[str, Form()] = "",
    file: UploadFile = File(...),
) -> Response:
    """Run an import and show its report: every bad row with line, field and reason."""
    if (denied := guard(request, user, svc.IMPORTERS)) is not None:
        return denied
    assert user is not None
    page = page_context(request)
    if not csrf_ok(request, csrf_token):
        return forbidden_page(request, user, page.gettext("The form has expired: reload the page and try again."))
    content = await file.read(50 * 1024 * 1024 + 1)
    ctx: dict[str, Any] = {**chrome(request, user, active="cluster", page=page), "kind": kind, "result": None,
                           "error": None}
    try:
        if kind == "enterprises":
            ctx["result"] = svc.import_enterprises(session=session, actor=user, filename=file.filename or "", content=content)
        else:
            ctx["result"] = svc.import_indicators(session=session, actor=user, filename=file.filename or "",
                                                  content=content, unit=unit, ytd=bool(ytd))
    except DomainError as e:
        ctx["error"] = e.message
    return render(request, "cluster/import.html", ctx, status_code=200 if ctx["error"] is None else 422, page=page)


_SOURCE_LETTERS = {"r": "reported", "e": "estimated", "d": "derived"}


def _register_figures(session: Session, enterprise_id: int, year: int | None) -> list[svc.FigureRevision]:
    """The enterprise's current figures as the monthly register holds them (one row per indicator).

    The caller has already checked that the user may read this enterprise's figures.
    """
    q = select(ClusterMonthly).where(ClusterMonthly.enterprise_id == enterprise_id)
    if year is not None:
        q = q.where(ClusterMonthly.year == year)
    q = q.order_by(ClusterMonthly.year, ClusterMonthly.last_month, ClusterMonthly.first_month)
    out = []
    for row in session.scalars(q):
        period = str(Period(int(row.year), int(row.last_month), int(row.first_month)))
        for k, indicator in enumerate(Indicator):
            value = getattr(row, indicator.value, None)
            letter = row.sources[k] if k < len(row.sources) else "-"
            if value is None or letter == "-":
                continue
            out.append(svc.FigureRevision(enterprise_id, period, indicator.value, 1, float(value),
                                          _SOURCE_LETTERS.get(letter, letter), True, None, ""))  # fmt: skip
    return out


@router.get("/cluster/figures", name="cluster_figures")
def figures_page(request: Request, user: WebUser, session: DbSession) -> Response:
    """An enterprise's figures with every revision (its own for an enterprise user)."""
    if (denied := guard(request, user)) is not None:
        return denied
    assert user is not None
    eid = _int(request.query_params.get("enterprise_id")) if user.role == "cluster_admin" else user.enterprise_id
    ent = session.get(Enterprise, eid) if eid else None
    year = _int(request.query_params.get("year"))
    rows = []
    error = None
    if eid:
        try:
            rows = svc.figure_history(session=session, actor=user, enterprise_id=eid, year=year)
        except DomainError as e:
            error = e.message
    register_only = False
    if eid and not rows and error is None:
        # figures loaded into the register without revisions (the SYNTHETIC cluster's, a bulk load)
        # live only in the monthly table: show them as the current figures rather than "none yet"
        rows = _register_figures(session, eid, year)
        register_only = bool(rows)
    page = page_context(request)
    labels = {i.value: page.gettext(INDICATOR_NAMES[i.value]) for i in Indicator}
    sources = {k: page.gettext(v) for k, v in SOURCE_NAMES.items()}
    return render(request, "cluster/figures.html", {**chrome(request, user, active="cluster", page=page), "ent": ent,
                                                    "rows": rows, "labels": labels, "sources": sources,
                                                    "register_only": register_only,
                                                    "error": error, "year": year,
                                                    "can_submit": user.role in svc.IMPORTERS,
                                                    "synthetic_label": page.gettext(SYNTHETIC_NOTICE),
                                                    "synthetic": svc.is_synthetic(session, eid)}, page=page)
