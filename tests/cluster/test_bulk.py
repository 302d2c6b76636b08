"""Tests of yuefang.cluster.bulk: the vectorised import gives what the row-by-row parser gives."""

from __future__ import annotations

import pytest

from yuefang.cluster.bulk import figures_from_batch, parse_indicator_table, read_csv_as_text
from yuefang.cluster.codes import complete_uscc
from yuefang.cluster.imports import parse_indicators, rows_from_csv_text

A = complete_uscc("91440106MA0000001")
B = complete_uscc("91440305MA0000002")
HEAD = "uscc,period,main_business_income,industrial_added_value_yuan,employees,digital_maturity_level,source"


def _both(text: str, **kw):
    slow = parse_indicators(rows_from_csv_text(text), **kw)
    fast = parse_indicator_table(read_csv_as_text(text.encode()), **kw)
    return slow, fast


def _key(f):
    return (f.uscc, f.period, f.indicator, f.source)


def _assert_same(slow, fast):
    assert [(e.line, e.field) for e in fast.errors] == [(e.line, e.field) for e in slow.errors]
    assert [e.reason for e in fast.errors] == [e.reason for e in slow.errors]
    s = {_key(f): f.value for f in slow.records}
    f = {_key(x): x.value for x in figures_from_batch(fast.batch)}
    assert set(s) == set(f)
    for k, v in s.items():
        assert f[k] == pytest.approx(v, abs=0.006)
    assert (fast.rows_read, fast.rows_rejected) == (slow.rows_read, slow.rows_rejected)


def test_same_errors_and_figures_on_a_messy_file():
    text = "\n".join(
        [
            HEAD,
            f"{A},2024-03,\"1,234.5\",300,120,3,",
            f"{A.lower()},2024-04,100,,121,,estimated",
            f"{A[:-1]}X,2024-04,100,,,,",
            f"{A},2024-4,100,,,,",
            f"{A},2024-05,1_000,,,,",
            f"{A},2024-06,abc,,1.5,9,",
            "",
            f"{B},2024-06,,,,,",
            f"{B},2024-06,5,,,,maybe",
            f"{B},2024-07,5,,,,",
            f"{B},2024-07,6,,,,",
            f"{B},2024-01..02,7,,,,",
            f"{B},2024-13,7,,,,",
        ]
    )
    slow, fast = _both(text, unit="万元")
    _assert_same(slow, fast)
    assert fast.rows_rejected == 8 and fast.batch.num_rows == 4


def test_known_register():
    text = f"{HEAD}\n{A},2024-03,1,,,,\n{B},2024-03,1,,,,\n"
    _assert_same(*_both(text, known_uscc=frozenset({A})))


def test_ytd_same_as_row_parser():
    text = "\n".join(
        [HEAD] + [f"{A},2024-{m:02d},{100 * m},{20 * m},{50 + m},2," for m in (2, 3, 5, 6)]
        + [f"{B},2023-{m:02d},{10 * m},,7,," for m in (1, 2, 3)]
        + [f"{B},2024-02,30,,8,,", f"{B},2024-03,25,,8,,"]  # a decrease: warned
    )
    slow, fast = _both(text, ytd=True)
    _assert_same(slow, fast)
    assert len(fast.warnings) == len(slow.warnings) == 1
    periods = sorted({(r["uscc"], r["year"], r["first_month"], r["last_month"]) for r in fast.batch.to_pylist()})
    assert (A, 2024, 1, 2) in periods and (A, 2024, 4, 5) in periods and (B, 2023, 1, 1) in periods


def test_ytd_with_gaps_falls_back_and_agrees():
    text = "\n".join([HEAD, f"{A},2024-02,100,,10,,", f"{A},2024-03,,30,10,,", f"{A},2024-04,180,40,10,,"])
    _assert_same(*_both(text, ytd=True))
