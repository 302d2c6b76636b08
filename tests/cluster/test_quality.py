"""Tests of yuefang.cluster.quality, and its agreement with the DuckDB version over a whole table."""

from __future__ import annotations

from yuefang.cluster import analytics as A
from yuefang.cluster.codes import complete_uscc
from yuefang.cluster.model import Figure, Indicator, Period
from yuefang.cluster.quality import FlagCode, flag_figures


def make_uscc(city: str = "4401", n: int = 1, division: str | None = None) -> str:
    """A valid code registered in ``division`` (default: the city's district 06)."""
    return complete_uscc(f"91{division or city + '06'}MA{n:07d}")

U = make_uscc()
INC = Indicator.MAIN_BUSINESS_INCOME_YUAN


def _months(values, ind=INC, year=2024, start=3):
    return [Figure(U, Period.month(year, start + i), ind, v) for i, v in enumerate(values)]


def test_negative_income_flagged_negative_profit_not():
    figs = _months([-5.0]) + _months([-3.0], ind=Indicator.TOTAL_PROFIT_YUAN)
    flags = flag_figures(figs)
    assert [(f.code, f.indicator) for f in flags] == [(FlagCode.NEGATIVE, INC)]
    assert "-5.00" in flags[0].message


def test_spike_against_usual_level_including_history():
    history = _months([100.0, 105.0, 98.0, 102.0])
    new = _months([2500.0], start=7)
    flags = flag_figures(new, history)
    assert [(f.code, str(f.period)) for f in flags] == [(FlagCode.SPIKE, "2024-07")]
    assert flag_figures(_months([1900.0], start=7), history) == []  # 19x the usual: not flagged
    assert flag_figures(new, history[:2]) == []  # too little history to know the usual


def test_spike_uses_monthly_rate_of_combined_periods():
    hist = [Figure(U, Period.span(2024, 1, 2), INC, 200.0)] + _months([100.0, 100.0, 100.0])
    assert flag_figures(hist) == []  # Jan-Feb is two months, not a doubling


def test_added_value_and_export_above_output():
    p = Period.month(2024, 3)
    figs = [
        Figure(U, p, Indicator.GROSS_OUTPUT_YUAN, 100.0),
        Figure(U, p, Indicator.INDUSTRIAL_ADDED_VALUE_YUAN, 120.0),
        Figure(U, p, Indicator.EXPORT_DELIVERY_VALUE_YUAN, 90.0),
    ]
    assert [f.code for f in flag_figures(figs)] == [FlagCode.ADDED_VALUE_ABOVE_OUTPUT]


def test_python_and_duckdb_flags_agree():
    from yuefang.cluster.generator import generate_cluster

    c = generate_cluster("small", enterprises=120, years=2, seed=11, anomaly_rate=5e-3)
    ents, mon = c.enterprises, c.monthly
    ids = dict(zip(ents.column("enterprise_id").to_pylist(), ents.column("uscc").to_pylist(), strict=True))
    figs = []
    for row in mon.to_pylist():
        p = Period.span(row["year"], row["first_month"], row["last_month"])
        for ind in Indicator:
            if row[ind.value] is not None:
                figs.append(Figure(ids[row["enterprise_id"]], p, ind, row[ind.value]))
    py = {(f.uscc, f.period.year, f.period.last_month, f.indicator.value, f.code.value) for f in flag_figures(figs)}
    con = A.connect(ents, mon)
    db = {
        (ids[r["enterprise_id"]], r["year"], r["last_month"], r["indicator"], r["code"])
        for r in A.compute_flags(con).to_pylist()
    }
    assert py == db
    assert {c for *_, c in py} >= {"spike", "negative"}  # the generator plants both
