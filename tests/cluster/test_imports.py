"""Tests of yuefang.cluster.imports: row errors, units, year-to-date derivation, Excel."""

from __future__ import annotations

import io

import openpyxl
import pytest

from yuefang.cluster.codes import complete_uscc
from yuefang.cluster.imports import (
    derive_from_ytd,
    parse_enterprises,
    parse_indicators,
    rows_from_bytes,
    rows_from_csv_text,
    ytd_from_periods,
)
from yuefang.cluster.model import Figure, Indicator, KeyTier, MoneyUnit, Period, Source


def make_uscc(city: str = "4401", n: int = 1, division: str | None = None) -> str:
    """A valid code registered in ``division`` (default: the city's district 06)."""
    return complete_uscc(f"91{division or city + '06'}MA{n:07d}")

INC = Indicator.MAIN_BUSINESS_INCOME_YUAN
VA = Indicator.INDUSTRIAL_ADDED_VALUE_YUAN

GZ = make_uscc("4401", 1)
SZ = make_uscc("4403", 2)
PROV = make_uscc(n=3, division="440000")


def _enterprise_csv() -> str:
    bad_check = GZ[:-1] + ("0" if GZ[-1] != "0" else "1")
    return "\n".join(
        [
            "uscc,name,city_code,county,industry_code,above_designated_size,key_tier",
            f"{GZ},广州甲服装有限公司,4401,海珠区,1811,是,",
            f"{SZ},深圳乙服饰有限公司,440300,南山区,1830,true,key",
            f"{bad_check},坏码公司,4401,,1811,1,",
            f"{PROV},省登记公司,汕头,潮南区,1763,0,",
            f"{make_uscc('4403', 4)},登记在深圳的广州公司,Guangzhou,天河区,1819,1,",
            f"{make_uscc('4401', 5)},,4401,,18,maybe,top",
            f"{GZ},重复公司,4401,,1811,1,",
            f"{make_uscc('4419', 6)},东莞公司,4419,某镇,2452,1,",
        ]
    )


def test_enterprise_import_keeps_good_rows_and_reports_every_bad_one():
    res = parse_enterprises(rows_from_csv_text(_enterprise_csv()))
    assert [e.name for e in res.records] == ["广州甲服装有限公司", "深圳乙服饰有限公司", "省登记公司", "登记在深圳的广州公司", "东莞公司"]
    assert res.rows_read == 8 and res.rows_rejected == 3
    by_line = {}
    for e in res.errors:
        by_line.setdefault(e.line, set()).add(e.field)
    assert by_line[4] == {"uscc"}
    assert by_line[7] == {"name", "industry_code", "above_designated_size", "key_tier"}
    assert by_line[8] == {"uscc"}
    assert "repeats line 2" in next(e.reason for e in res.errors if e.line == 8)
    e0, e1, e2 = res.records[:3]
    assert (e0.city_code, e0.above_designated_size, e0.key_tier) == ("4401", True, KeyTier.NONE)
    assert (e1.city_code, e1.key_tier) == ("4403", KeyTier.KEY)
    assert (e2.city_code, e2.above_designated_size) == ("4405", False)
    warn = {(w.line, w.field) for w in res.warnings}
    assert (6, "uscc") in warn  # division of Shenzhen, city Guangzhou: warning, kept
    assert (9, "county") in warn  # Dongguan has no county level
    assert (5, "uscc") not in warn  # the province's own division code


def test_row_issue_text_names_line_field_value():
    res = parse_enterprises(rows_from_csv_text(_enterprise_csv()))
    text = str(next(e for e in res.errors if e.field == "industry_code"))
    assert text.startswith("line 7: industry_code='18':") and "4-digit" in text


def test_chinese_headers_accepted():
    csv = "统一社会信用代码,企业名称,城市,区县,行业代码,规上\n" + f"{GZ},甲,广州市,海珠区,1811,是\n"
    res = parse_enterprises(rows_from_csv_text(csv))
    assert not res.errors and res.records[0].city_code == "4401"


def test_indicator_units_and_default_sources():
    csv = f"uscc,period,main_business_income,industrial_added_value_yuan,employees\n{GZ},2024-03,1234.5,300,120\n"
    res = parse_indicators(rows_from_csv_text(csv), unit="万元")
    figs = {f.indicator: f for f in res.records}
    assert figs[INC].value == 12_345_000.0 and figs[INC].source is Source.REPORTED
    assert figs[VA].value == 3_000_000.0 and figs[VA].source is Source.ESTIMATED
    assert figs[Indicator.EMPLOYEES].value == 120  # persons: not scaled
    res_k = parse_indicators(rows_from_csv_text(csv), unit=MoneyUnit.THOUSAND_YUAN)
    assert {f.indicator: f.value for f in res_k.records}[INC] == 1_234_500.0


def test_indicator_row_errors():
    csv = "\n".join(
        [
            "uscc,period,main_business_income_yuan,digital_maturity_level,employees,source",
            f"{GZ},2024-3,100,,,",
            f"{GZ},2024-04,abc,7,1.5,",
            f"{GZ},2024-05,,,,",
            f"{SZ},2024-05,100,3,10,estimated",
            f"{SZ},2024-05,100,3,10,",
            f"{SZ},2024-06,-5,,,",
        ]
    )
    res = parse_indicators(rows_from_csv_text(csv), known_uscc=frozenset({GZ, SZ}))
    fields = {(e.line, e.field) for e in res.errors}
    assert (2, "period") in fields
    assert {(3, "main_business_income_yuan"), (3, "digital_maturity_level"), (3, "employees")} <= fields
    assert (4, "indicators") in fields
    assert (6, "period") in fields  # repeats line 5
    kept = {(f.period, f.indicator): f for f in res.records}
    assert kept[(Period.month(2024, 5), INC)].source is Source.ESTIMATED
    assert kept[(Period.month(2024, 6), INC)].value == -5  # implausible is kept (flagged elsewhere)
    unknown = parse_indicators(rows_from_csv_text(csv), known_uscc=frozenset({SZ}))
    assert any(e.field == "uscc" and "register" in e.reason for e in unknown.errors)
    with pytest.raises(ValueError, match="allowed yuan"):
        parse_indicators(rows_from_csv_text(csv), unit="美元")


def test_ytd_file_derives_periods_without_inventing_january():
    csv = "\n".join(
        [
            "uscc,period,main_business_income_yuan,employees",
            f"{GZ},2024-02,200,50",
            f"{GZ},2024-03,320,52",
            f"{GZ},2024-05,600,55",  # April missing: the derived period is April-May
            f"{SZ},2024-01,10,5",
            f"{SZ},2024-02,25,5",
        ]
    )
    res = parse_indicators(rows_from_csv_text(csv), ytd=True)
    got = {(f.uscc, str(f.period), f.indicator): (f.value, f.source) for f in res.records}
    assert got[(GZ, "2024-01..02", INC)] == (200.0, Source.REPORTED)
    assert got[(GZ, "2024-03", INC)] == (120.0, Source.DERIVED)
    assert got[(GZ, "2024-04..05", INC)] == (280.0, Source.DERIVED)
    assert got[(GZ, "2024-03", Indicator.EMPLOYEES)] == (52.0, Source.REPORTED)  # a level: not differenced
    assert not any(k[0] == GZ and k[1] in ("2024-01", "2024-02") for k in got)
    assert got[(SZ, "2024-01", INC)] == (10.0, Source.REPORTED)  # January reported alone stays alone
    assert got[(SZ, "2024-02", INC)] == (15.0, Source.DERIVED)
    # YTD rows must be single months
    bad = parse_indicators(rows_from_csv_text(f"uscc,period,main_business_income_yuan\n{GZ},2024-01..02,5\n"), ytd=True)
    assert bad.errors and bad.errors[0].field == "period"


def test_ytd_continues_from_stored_periods():
    stored = [Figure(GZ, Period.span(2024, 1, 2), INC, 200.0), Figure(GZ, Period.month(2024, 3), INC, 120.0, Source.DERIVED)]
    prior = ytd_from_periods(stored)
    assert [(str(f.period), f.value) for f in prior] == [("2024-02", 200.0), ("2024-03", 320.0)]
    res = parse_indicators(rows_from_csv_text(f"uscc,period,main_business_income_yuan\n{GZ},2024-04,400\n"), ytd=True, prior_ytd=prior)
    assert [(str(f.period), f.value, f.source) for f in res.records] == [("2024-04", 80.0, Source.DERIVED)]


def test_ytd_decrease_is_warned():
    figs = [Figure(GZ, Period.month(2024, 2), INC, 100.0), Figure(GZ, Period.month(2024, 3), INC, 90.0)]
    out, warnings = derive_from_ytd(figs)
    assert out[-1].value == -10.0 and warnings and "below the previous" in warnings[0].reason


def test_excel_import_matches_csv():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["uscc", "period", "main_business_income_yuan", "total_profit_yuan"])
    ws.append([GZ, "2024-03", 1000.0, -20])
    ws.append([SZ, "2024-03", 2000, 30])
    buf = io.BytesIO()
    wb.save(buf)
    res = parse_indicators(rows_from_bytes(buf.getvalue(), "report.xlsx"), unit="千元")
    assert not res.errors
    vals = {(f.uscc, f.indicator): f.value for f in res.records}
    assert vals[(GZ, INC)] == 1_000_000.0 and vals[(GZ, Indicator.TOTAL_PROFIT_YUAN)] == -20_000.0
    assert res.rows_read == 2
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        rows_from_bytes(b"", "x.pdf")


def test_gb18030_csv_accepted():
    text = f"uscc,name,city_code,county,industry_code,above_designated_size\n{GZ},广州甲,4401,,1811,1\n"
    res = parse_enterprises(rows_from_bytes(text.encode("gb18030"), "e.csv"))
    assert res.records[0].name == "广州甲"
