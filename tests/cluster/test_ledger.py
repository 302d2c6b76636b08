"""Tests of yuefang.cluster.ledger: idempotent re-import, revisions kept."""

from __future__ import annotations

from yuefang.cluster.codes import complete_uscc
from yuefang.cluster.imports import parse_indicators, rows_from_csv_text
from yuefang.cluster.ledger import ChangeKind, Ledger
from yuefang.cluster.model import Indicator, Period, Source


def make_uscc(city: str = "4401", n: int = 1, division: str | None = None) -> str:
    """A valid code registered in ``division`` (default: the city's district 06)."""
    return complete_uscc(f"91{division or city + '06'}MA{n:07d}")

U = make_uscc()
FILE = f"uscc,period,main_business_income_yuan,total_profit_yuan\n{U},2024-03,100,5\n{U},2024-04,110,6\n"


def _figs(text: str):
    return parse_indicators(rows_from_csv_text(text)).records


def test_reimport_changes_nothing():
    led = Ledger()
    first = led.apply(_figs(FILE), batch="1")
    assert {c.kind for c in first} == {ChangeKind.NEW}
    again = led.apply(_figs(FILE), batch="2")
    assert {c.kind for c in again} == {ChangeKind.UNCHANGED}
    assert all(len(led.history(U, Period.month(2024, m), Indicator.MAIN_BUSINESS_INCOME_YUAN)) == 1 for m in (3, 4))


def test_correction_becomes_a_new_revision_and_keeps_the_old():
    led = Ledger()
    led.apply(_figs(FILE), batch="1")
    corrected = FILE.replace("2024-04,110,6", "2024-04,111,6")
    changes = {(str(c.figure.period), c.figure.indicator): c for c in led.apply(_figs(corrected), batch="2")}
    c = changes[("2024-04", Indicator.MAIN_BUSINESS_INCOME_YUAN)]
    assert c.kind is ChangeKind.REVISED and c.revision == 2 and c.previous.value == 110.0
    assert changes[("2024-04", Indicator.TOTAL_PROFIT_YUAN)].kind is ChangeKind.UNCHANGED
    hist = led.history(U, Period.month(2024, 4), "main_business_income_yuan")
    assert [(r.revision, r.figure.value, r.batch) for r in hist] == [(1, 110.0, "1"), (2, 111.0, "2")]
    current = {f.period: f.value for f in led.figures() if f.indicator is Indicator.MAIN_BUSINESS_INCOME_YUAN}
    assert current[Period.month(2024, 4)] == 111.0


def test_source_change_is_a_revision():
    led = Ledger()
    led.apply(_figs(FILE))
    est = _figs(FILE.replace("total_profit_yuan\n", "total_profit_yuan,source\n").replace(",5\n", ",5,estimated\n").replace(",6\n", ",6,reported\n"))
    kinds = {(str(c.figure.period), c.figure.indicator): c.kind for c in led.apply(est)}
    assert kinds[("2024-03", Indicator.MAIN_BUSINESS_INCOME_YUAN)] is ChangeKind.REVISED
    assert kinds[("2024-04", Indicator.MAIN_BUSINESS_INCOME_YUAN)] is ChangeKind.UNCHANGED
    assert led.current()[(U, Period.month(2024, 3), Indicator.MAIN_BUSINESS_INCOME_YUAN)].figure.source is Source.ESTIMATED
