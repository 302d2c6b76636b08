"""Tests of yuefang.cluster.progress and the portable SQL of yuefang.cluster.analytics."""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict

import pytest

from yuefang.cluster import analytics as A
from yuefang.cluster.codes import complete_uscc
from yuefang.cluster.model import Enterprise, Figure, Indicator, Period
from yuefang.cluster.progress import compute_progress
from yuefang.cluster.scope import get_plan, plan_from_dict

INC = Indicator.MAIN_BUSINESS_INCOME_YUAN
VA = Indicator.INDUSTRIAL_ADDED_VALUE_YUAN
PLAN = get_plan("gd-light-textile-2023-2025")


def _u(n: int, city: str = "4401") -> str:
    return complete_uscc(f"91{city}06MA{n:07d}")


def _hand_cluster():
    """Four enterprises: A and B report in both years, C only in 2024 (new), D is out of scope."""
    ents = [
        Enterprise(_u(1), "A", "4401", industry_code="1811", above_designated_size=True),
        Enterprise(_u(2, "4403"), "B", "4403", industry_code="1830", above_designated_size=True),
        Enterprise(_u(3, "4405"), "C", "4405", industry_code="1763", above_designated_size=True),
        Enterprise(_u(4), "D", "4401", industry_code="3811", above_designated_size=True),
    ]
    figs = []
    for u, y, inc in [(_u(1), 2023, 100.0), (_u(1), 2024, 110.0), (_u(2, "4403"), 2023, 200.0),
                      (_u(2, "4403"), 2024, 200.0), (_u(3, "4405"), 2024, 90.0), (_u(4), 2023, 1e6), (_u(4), 2024, 2e6)]:
        # Jan-Feb combined, then March: 1/3 and 2/3 of the year's figure up to March
        figs.append(Figure(u, Period.span(y, 1, 2), INC, inc / 3))
        figs.append(Figure(u, Period.month(y, 3), INC, 2 * inc / 3))
        figs.append(Figure(u, Period.month(y, 3), VA, inc / 4))
    return ents, figs


def test_like_for_like_growth_beside_raw_change():
    ents, figs = _hand_cluster()
    ids = A.enterprise_ids(ents)
    con = A.connect(A.enterprises_table(ents, ids), A.monthly_table(figs, ids))
    rep = compute_progress(A.duckdb_fetch(con), PLAN, 2024)
    inc = next(i for i in rep.indicators if i.indicator == INC.value)
    assert rep.through_month == 3 and rep.enterprises == 3
    assert inc.actual == pytest.approx(400.0)
    assert inc.previous == pytest.approx(300.0)
    assert inc.raw_change == pytest.approx(400 / 300 - 1)
    assert inc.like_for_like_growth == pytest.approx(310 / 300 - 1)  # A and B only
    assert inc.like_for_like_enterprises == 2
    assert inc.full_year_estimate == pytest.approx(400.0)  # last year's data stop in March: no seasonal scaling
    assert inc.target == 3e12 and inc.target_year == 2025
    assert inc.progress == pytest.approx(400 / 3e12)
    assert inc.needed_growth == pytest.approx(3e12 / 400 - 1)
    assert inc.projection == pytest.approx(400 * 310 / 300)
    assert inc.on_track is False
    cities = {g.group: g for g in rep.by_city}
    assert set(cities) == {"4401", "4403", "4405"}
    assert cities["4405"].indicators[1].like_for_like_growth is None  # C has no 2023
    assert rep.core_share[INC.value] == pytest.approx(310 / 400)
    assert {g.group for g in rep.by_industry} == {"1811", "1830", "1763"}
    assert rep.by_industry[0].label  # class names from the plan's list


def test_no_data_year_is_a_clear_error():
    ents, figs = _hand_cluster()
    ids = A.enterprise_ids(ents)
    con = A.connect(A.enterprises_table(ents, ids), A.monthly_table(figs, ids))
    with pytest.raises(ValueError, match="year=2019"):
        compute_progress(A.duckdb_fetch(con), PLAN, 2019)


def _reference(ents_rows, mon_rows, plan, year):
    """Straightforward Python over rows: the definition the SQL must follow."""
    scope = {r["enterprise_id"]: r for r in ents_rows
             if r["industry_code"] in plan.scope.industry_codes and r["above_designated_size"]}
    month = max(r["last_month"] for r in mon_rows if r["year"] == year and r["enterprise_id"] in scope)
    out = {}
    for ind in (INC, VA):
        per = defaultdict(lambda: [None, None, None])
        for r in mon_rows:
            if r["enterprise_id"] not in scope or r[ind.value] is None:
                continue
            slot = per[r["enterprise_id"]]
            def add(i, v, slot=slot):
                slot[i] = (slot[i] or 0.0) + v
            if r["year"] == year and r["last_month"] <= month:
                add(0, r[ind.value])
            if r["year"] == year - 1:
                add(2, r[ind.value])
                if r["last_month"] <= month:
                    add(1, r[ind.value])
        cur = sum(v[0] for v in per.values() if v[0] is not None)
        both = [v for v in per.values() if v[0] is not None and v[1] is not None]
        lfl = sum(v[0] for v in both) / sum(v[1] for v in both) - 1
        full = cur * sum(v[2] for v in both) / sum(v[1] for v in both) if month < 12 else cur
        out[ind.value] = (cur, lfl, full)
    return month, out


def _sqlite(ents, mon):
    con = sqlite3.connect(":memory:")
    for name, table in (("enterprises", ents), ("monthly", mon)):
        cols = table.column_names
        con.execute(f"CREATE TABLE {name} ({', '.join(cols)})")
        con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})",
                        [tuple(r.values()) for r in table.to_pylist()])
    return con


@pytest.mark.parametrize("engine", ["duckdb", "sqlite"])
def test_sql_matches_reference_on_synthetic_cluster(small_cluster, engine):
    ents, mon = small_cluster.enterprises, small_cluster.monthly
    year = small_cluster.years[-1]
    # cut the last year after May, so seasonal scaling is exercised
    mon = mon.filter([not (y == year and m > 5) for y, m in zip(mon.column("year").to_pylist(), mon.column("last_month").to_pylist(), strict=True)])
    fetch = A.duckdb_fetch(A.connect(ents, mon)) if engine == "duckdb" else A.dbapi_fetch(_sqlite(ents, mon))
    rep = compute_progress(fetch, PLAN, year)
    month, ref = _reference(ents.to_pylist(), mon.to_pylist(), PLAN, year)
    assert rep.through_month == month == 5
    for ip in rep.indicators:
        if ip.indicator in ref:
            cur, lfl, full = ref[ip.indicator]
            assert ip.actual == pytest.approx(cur, rel=1e-9)
            assert ip.like_for_like_growth == pytest.approx(lfl, rel=1e-9)
            assert ip.full_year_estimate == pytest.approx(full, rel=1e-9)
    total = next(i for i in rep.indicators if i.indicator == INC.value).actual
    assert sum(g.indicators[1].actual for g in rep.by_city) == pytest.approx(total)
    assert sum(g.share[INC.value] for g in rep.by_industry) == pytest.approx(1.0)


def test_city_scoped_plan_counts_only_its_cities(small_cluster):
    plan = plan_from_dict({"id": "gz", "name": "gz", "start_year": 2020, "end_year": 2022,
                           "targets": [{"indicator": "main_business_income_yuan", "year": 2022, "min_value": 1e9}],
                           "scope": {"industry_classes": "light_textile_classes.csv", "city_codes": ["4401"]}})
    con = A.connect(small_cluster.enterprises, small_cluster.monthly)
    rep = compute_progress(A.duckdb_fetch(con), plan, small_cluster.years[-1])
    assert [g.group for g in rep.by_city] == ["4401"]
    assert rep.indicators[0].needed_growth is not None and not math.isnan(rep.indicators[0].needed_growth)


def test_trend_sums_every_period(small_cluster):
    con = A.connect(small_cluster.enterprises, small_cluster.monthly)
    rows = A.duckdb_fetch(con)(A.sql_trend(PLAN.scope, [INC]))
    assert [r[:3] for r in rows[:2]] == [(small_cluster.years[0], 1, 2), (small_cluster.years[0], 3, 3)]
    assert len(rows) == 11 * len(small_cluster.years)
