"""Progress against a plan's targets: actual, target, progress, like-for-like growth, projection.

Growth is like-for-like (同口径), as the statistics bureau computes it: the same enterprises in
both years, over the same months. The raw change of the two totals is shown beside it. The
figures come from the enterprises' reports; the platform's order service does not feed them.

Definitions for plan ``P``, year ``Y`` and indicator ``I`` (months 1..M reported so far in ``Y``):

* ``actual``: total of ``I`` over in-scope enterprises, months 1..M of ``Y``.
* ``raw_change``: ``actual / previous − 1``, ``previous`` being the total for months 1..M of ``Y−1``.
* ``like_for_like_growth``: the same ratio over enterprises with figures in both years.
* ``full_year_estimate``: ``actual`` when M = 12; otherwise ``actual`` scaled by last year's
  full-year/through-M ratio of the like-for-like enterprises (seasonality).
* ``progress``: ``full_year_estimate / target``.
* ``needed_growth``: the yearly growth that takes ``full_year_estimate`` to the target in the target
  year: ``(target / estimate) ** (1 / (target_year − Y)) − 1`` (when Y = target year: ``target / estimate − 1``).
* ``projection``: ``full_year_estimate × (1 + like_for_like_growth) ** (target_year − Y)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from yuefang.cluster.analytics import (
    Fetch,
    Tables,
    sql_latest_month,
    sql_progress,
)
from yuefang.cluster.codes import CITIES
from yuefang.cluster.model import MONEY_INDICATORS, Indicator
from yuefang.cluster.scope import Plan

__all__ = ["IndicatorProgress", "GroupProgress", "ProgressReport", "compute_progress", "indicator_progress"]


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's standing. Money in yuan; rates as fractions (0.05 = 5 %); None when not computable."""

    indicator: str
    actual: float
    through_month: int
    previous: float | None
    raw_change: float | None
    like_for_like_growth: float | None
    like_for_like_enterprises: int
    full_year_estimate: float
    target: float | None = None
    target_year: int | None = None
    progress: float | None = None
    needed_growth: float | None = None
    projection: float | None = None
    on_track: bool | None = None


@dataclass(frozen=True)
class GroupProgress:
    """Standing of one city or industry class: ``share`` is of the whole plan's actual."""

    group: str
    label: str
    enterprises: int
    indicators: tuple[IndicatorProgress, ...]
    share: dict[str, float | None]


@dataclass(frozen=True)
class ProgressReport:
    """Progress of a plan in a year, overall, by city and by industry class."""

    plan_id: str
    plan_name: str
    year: int
    through_month: int
    enterprises: int
    indicators: tuple[IndicatorProgress, ...]
    by_city: tuple[GroupProgress, ...]
    by_industry: tuple[GroupProgress, ...]
    core_share: dict[str, float | None]
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def indicator_progress(
    indicator: Indicator | str,
    sums: Sequence[Any],
    through_month: int,
    year: int,
    target: float | None = None,
    target_year: int | None = None,
) -> IndicatorProgress:
    """One indicator's standing from the six sums of :func:`~yuefang.cluster.analytics.sql_progress`.

    Examples
    --------
    >>> p = indicator_progress("main_business_income_yuan", (110.0, 100.0, 105.0, 100.0, 100.0, 3), 12, 2024, 200.0, 2025)
    >>> round(p.like_for_like_growth, 3), round(p.raw_change, 3), round(p.needed_growth, 3), round(p.projection, 1)
    (0.05, 0.1, 0.818, 115.5)
    """
    cur, prev, lc, lp, lf, ln = (float(x) if x is not None else None for x in sums)
    actual = cur or 0.0
    lfl = _ratio(lc, lp)
    growth = lfl - 1 if lfl is not None else None
    raw = _ratio(cur, prev)
    estimate = actual
    if through_month < 12:
        season = _ratio(lf, lp)
        if season is not None:
            estimate = actual * season
    prog = needed = proj = None
    on_track = None
    if target is not None and target_year is not None:
        prog = estimate / target if target else None
        years_left = target_year - year
        if years_left > 0 and estimate > 0:
            needed = (target / estimate) ** (1 / years_left) - 1
            if growth is not None:
                proj = estimate * (1 + growth) ** years_left
                on_track = proj >= target
        elif years_left == 0 and estimate > 0:
            needed = target / estimate - 1
            proj = estimate
            on_track = estimate >= target
    return IndicatorProgress(
        indicator=Indicator(indicator).value,
        actual=actual,
        through_month=through_month,
        previous=prev,
        raw_change=raw - 1 if raw is not None else None,
        like_for_like_growth=growth,
        like_for_like_enterprises=int(ln or 0),
        full_year_estimate=estimate,
        target=target,
        target_year=target_year,
        progress=prog,
        needed_growth=needed,
        projection=proj,
        on_track=on_track,
    )


def _indicators(plan: Plan, extra: Sequence[Indicator] = ()) -> list[Indicator]:
    out = [t.indicator for t in plan.targets]
    for i in (*extra, Indicator.TOTAL_PROFIT_YUAN):
        if i not in out and i in MONEY_INDICATORS:
            out.append(i)
    return out


def _groups(rows: list[tuple[Any, ...]], inds: list[Indicator], totals: dict[str, float], year: int,
            through_month: int, label: dict[str, str]) -> tuple[GroupProgress, ...]:
    out = []
    for row in rows:
        grp = str(row[0])
        ips = tuple(
            indicator_progress(ind, row[2 + 6 * k: 8 + 6 * k], through_month, year) for k, ind in enumerate(inds)
        )
        share = {ip.indicator: _ratio(ip.actual, totals.get(ip.indicator)) for ip in ips}
        out.append(GroupProgress(grp, label.get(grp, grp), int(row[1] or 0), ips, share))
    inc = Indicator.MAIN_BUSINESS_INCOME_YUAN.value
    return tuple(sorted(out, key=lambda g: -(g.share.get(inc) or 0.0)))


def compute_progress(
    fetch: Fetch,
    plan: Plan,
    year: int,
    *,
    tables: Tables = Tables(),
    extra_indicators: Sequence[Indicator] = (),
    synthetic: bool = False,
    class_names: dict[str, str] | None = None,
) -> ProgressReport:
    """Progress of ``plan`` in ``year`` from the figures behind ``fetch`` (DuckDB, PostgreSQL or SQLite).

    Raises
    ------
    ValueError
        When no in-scope enterprise has figures in ``year``.
    """
    latest = fetch(sql_latest_month(plan.scope, year, tables))[0][0]
    if latest is None:
        raise ValueError(f"year={year}: no figures of in-scope enterprises of plan {plan.id!r} in that year")
    month = int(latest)
    inds = _indicators(plan, extra_indicators)
    total_row = fetch(sql_progress(plan.scope, year, month, inds, "all", tables))[0]
    overall = []
    for k, ind in enumerate(inds):
        tgt = plan.target(ind)
        overall.append(
            indicator_progress(ind, total_row[2 + 6 * k: 8 + 6 * k], month, year,
                               tgt.min_value if tgt else None, tgt.year if tgt else None)
        )
    totals = {ip.indicator: ip.actual for ip in overall}
    city_labels = {c.code: f"{c.name_zh} {c.name_en}" for c in CITIES.values()}
    names = class_names if class_names is not None else {c.code: c.name_zh for c in plan.classes}
    by_city = _groups(fetch(sql_progress(plan.scope, year, month, inds, "city", tables)), inds, totals, year, month, city_labels)
    by_ind = _groups(fetch(sql_progress(plan.scope, year, month, inds, "industry_class", tables)), inds, totals, year, month, names)
    core = {}
    for ind in inds:
        shares = [g.share.get(ind.value) or 0.0 for g in by_city if g.group in plan.core_cities]
        core[ind.value] = sum(shares) if totals.get(ind.value) else None
    return ProgressReport(
        plan_id=plan.id,
        plan_name=plan.name,
        year=year,
        through_month=month,
        enterprises=int(total_row[1] or 0),
        indicators=tuple(overall),
        by_city=by_city,
        by_industry=by_ind,
        core_share=core,
        synthetic=synthetic,
    )
