"""Import parsing: rows of a CSV or Excel file in, typed records and row errors out.

Every bad row is reported with its line, field, value and reason; good rows are kept. Reading the
file is the caller's job (``commands/`` or ``app/``): these functions take the text or bytes.

Enterprise files: ``uscc,name,city_code,county,industry_code,above_designated_size[,key_tier]``.
Indicator files: ``uscc,period,<indicator columns>`` with ``period`` as ``YYYY-MM``; money columns
in one stated unit (yuan, 千元 or 万元). With ``ytd=True`` the figures are year-to-date cumulative
(1–N月累计) and the monthly periods are derived (:func:`derive_from_ytd`): January and February
reported together stay one period ``YYYY-01..02``; no month is invented.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from yuefang.cluster.codes import CITIES, check_industry_class, check_uscc
from yuefang.cluster.model import (
    CUMULATIVE_INDICATORS,
    MONEY_INDICATORS,
    Enterprise,
    Figure,
    Indicator,
    KeyTier,
    MoneyUnit,
    Period,
    Source,
)

__all__ = [
    "Row",
    "RowIssue",
    "ImportResult",
    "rows_from_csv_text",
    "rows_from_xlsx_bytes",
    "rows_from_bytes",
    "parse_enterprises",
    "parse_indicators",
    "derive_from_ytd",
    "ytd_from_periods",
    "DEFAULT_ESTIMATED",
]

T = TypeVar("T")

#: Indicators whose figures are taken as estimated unless the file says otherwise: an enterprise's
#: industrial added value is usually estimated by the statistics bureau.
DEFAULT_ESTIMATED = frozenset({Indicator.INDUSTRIAL_ADDED_VALUE_YUAN})

_HEADER_ALIASES = {
    "统一社会信用代码": "uscc",
    "信用代码": "uscc",
    "企业名称": "name",
    "名称": "name",
    "城市": "city_code",
    "地市": "city_code",
    "city": "city_code",
    "区县": "county",
    "行业代码": "industry_code",
    "industry": "industry_code",
    "规上": "above_designated_size",
    "规模以上": "above_designated_size",
    "期别": "period",
    "月份": "period",
    "营业收入": Indicator.MAIN_BUSINESS_INCOME_YUAN.value,
    "主营业务收入": Indicator.MAIN_BUSINESS_INCOME_YUAN.value,
    "工业增加值": Indicator.INDUSTRIAL_ADDED_VALUE_YUAN.value,
    "工业总产值": Indicator.GROSS_OUTPUT_YUAN.value,
    "利润总额": Indicator.TOTAL_PROFIT_YUAN.value,
    "从业人员": Indicator.EMPLOYEES.value,
    "研发费用": Indicator.RD_EXPENDITURE_YUAN.value,
    "出口交货值": Indicator.EXPORT_DELIVERY_VALUE_YUAN.value,
    "数字化成熟度": Indicator.DIGITAL_MATURITY_LEVEL.value,
}
# short column names (``main_business_income``) are accepted for the money indicators
for _i in MONEY_INDICATORS:
    _HEADER_ALIASES[_i.value.removesuffix("_yuan")] = _i.value


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (header is line 1) and its cells by column name."""

    line: int
    cells: Mapping[str, str]


@dataclass(frozen=True)
class RowIssue:
    """A problem with one row: ``line``, ``field``, ``value`` and the ``reason``."""

    line: int
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}={self.value!r}: {self.reason}"


@dataclass(frozen=True)
class ImportResult(Generic[T]):
    """Records parsed from the good rows, errors of the rejected rows, warnings of kept rows."""

    records: tuple[T, ...]
    errors: tuple[RowIssue, ...] = ()
    warnings: tuple[RowIssue, ...] = ()
    rows_read: int = 0
    rows_rejected: int = field(default=0)


def _norm_header(h: str) -> str:
    k = (h or "").strip().lstrip("\ufeff")
    return _HEADER_ALIASES.get(k, _HEADER_ALIASES.get(k.lower(), k.lower()))


def rows_from_csv_text(text: str) -> Iterator[Row]:
    """Rows of a CSV text (header first; header names normalised, Chinese aliases accepted)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    for cells in reader:
        if header is None:
            header = [_norm_header(h) for h in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        yield Row(reader.line_num, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)})


def rows_from_xlsx_bytes(data: bytes, sheet: str | None = None) -> Iterator[Row]:
    """Rows of the first (or named) sheet of an Excel workbook; line numbers are sheet row numbers."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    header: list[str] | None = None
    for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in values]
        if header is None:
            header = [_norm_header(h) for h in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        yield Row(n, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
    wb.close()


def rows_from_bytes(data: bytes, filename: str) -> Iterator[Row]:
    """Rows of a ``.csv`` (UTF-8 or GB18030) or ``.xlsx`` file's content, by its name."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return rows_from_xlsx_bytes(data)
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        return rows_from_csv_text(text)
    raise ValueError(f"file={filename!r}: allowed .csv or .xlsx")


_TRUE = {"1", "true", "yes", "y", "是", "t"}
_FALSE = {"0", "false", "no", "n", "否", "f", ""}
_CITY_BY_NAME = {c.name_zh: c.code for c in CITIES.values()} | {c.name_en.lower(): c.code for c in CITIES.values()}


def _parse_city(value: str) -> str:
    v = value.strip()
    if v.isdigit() and len(v) in (4, 6) and v[:4] in CITIES and (len(v) == 4 or v[4:] == "00"):
        return v[:4]
    code = _CITY_BY_NAME.get(v.removesuffix("市")) or _CITY_BY_NAME.get(v.lower())
    if code:
        return code
    raise ValueError("not one of Guangdong's 21 cities; allowed 4401 (or 440100, 广州, Guangzhou) ... 4453 (云浮)")


def parse_enterprises(rows: Iterable[Row]) -> ImportResult[Enterprise]:
    """Parse an enterprise register.

    A row is rejected when a required field is missing or wrong (uscc, name, city_code,
    industry_code) or the uscc repeats an earlier row; a registering-authority division code of
    another city than the enterprise's is a warning only.
    """
    records: list[Enterprise] = []
    errors: list[RowIssue] = []
    warnings: list[RowIssue] = []
    seen: dict[str, int] = {}
    n = 0
    rejected = 0
    for row in rows:
        n += 1
        c = row.cells
        row_errors: list[RowIssue] = []

        def err(fld: str, reason: str, _line: int = row.line, _c: Mapping[str, str] = c) -> None:
            row_errors.append(RowIssue(_line, fld, str(_c.get(fld, "")), reason))  # noqa: B023

        name = (c.get("name") or "").strip()
        if not name:
            err("name", "required")
        city = ""
        try:
            city = _parse_city(c.get("city_code", ""))
        except ValueError as e:
            err("city_code", str(e))
        uscc_raw = c.get("uscc", "")
        chk = check_uscc(uscc_raw, city_code=city or None)
        for _, reason in chk.errors:
            err("uscc", reason.split(": ", 1)[-1])
        if chk.valid and chk.code in seen:
            err("uscc", f"repeats line {seen[chk.code]}")
        industry = ""
        try:
            industry = check_industry_class(c.get("industry_code", ""))
        except ValueError as e:
            err("industry_code", str(e).split(": ", 1)[-1])
        above_raw = (c.get("above_designated_size") or "").strip().lower()
        if above_raw not in _TRUE | _FALSE:
            err("above_designated_size", "allowed true/false, 1/0, 是/否")
        tier = KeyTier.NONE
        tier_raw = (c.get("key_tier") or "").strip().lower()
        if tier_raw:
            try:
                tier = KeyTier(tier_raw)
            except ValueError:
                err("key_tier", f"allowed {', '.join(t.value for t in KeyTier)}")
        county = (c.get("county") or "").strip()
        if row_errors:
            errors.extend(row_errors)
            rejected += 1
            continue
        for _, reason in chk.warnings:
            warnings.append(RowIssue(row.line, "uscc", uscc_raw, reason.split(": ", 1)[-1]))
        if county and not CITIES[city].has_counties:
            warnings.append(RowIssue(row.line, "county", county, f"{CITIES[city].name_en} has no county level"))
        seen[chk.code] = row.line
        records.append(
            Enterprise(chk.code, name, city, county, industry, above_raw in _TRUE, tier, synthetic=False)
        )
    return ImportResult(tuple(records), tuple(errors), tuple(warnings), n, rejected)


_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _parse_number(text: str) -> float:
    t = text.strip().replace(",", "").replace("，", "")
    if not _NUMBER.fullmatch(t):
        raise ValueError("not a number")
    v = float(t)
    if not math.isfinite(v):
        raise ValueError("not a finite number")
    return v


def parse_indicators(
    rows: Iterable[Row],
    *,
    unit: MoneyUnit | str = MoneyUnit.YUAN,
    ytd: bool = False,
    estimated: frozenset[Indicator] = DEFAULT_ESTIMATED,
    known_uscc: frozenset[str] | None = None,
    prior_ytd: Iterable[Figure] = (),
    unknown_reason: str = "not in the enterprise register",
) -> ImportResult[Figure]:
    """Parse an indicator file into figures (money in yuan).

    Parameters
    ----------
    rows : iterable of Row
        ``uscc``, ``period`` and indicator columns (codes of :class:`Indicator`, or their short
        names without ``_yuan``); optional ``source`` column (reported/estimated) for the whole row.
    unit : MoneyUnit or str
        Unit of every money column: ``yuan``, ``千元`` or ``万元``.
    ytd : bool
        The figures are year-to-date cumulative; monthly periods are derived.
    estimated : frozenset of Indicator
        Indicators taken as estimated when the row has no ``source``.
    known_uscc : frozenset of str, optional
        If given, rows of enterprises not in the register are rejected.
    prior_ytd : iterable of Figure
        With ``ytd``: cumulative figures already stored (see :func:`ytd_from_periods`), so a file
        holding only March derives March from the stored January–February.
    unknown_reason : str
        The reason given for a row whose uscc is not in ``known_uscc``.
    """
    unit = MoneyUnit.parse(unit) if isinstance(unit, str) else unit
    figures: list[Figure] = []
    errors: list[RowIssue] = []
    seen: dict[tuple[str, Period], int] = {}
    n = rejected = 0
    for row in rows:
        n += 1
        c = row.cells
        row_errors: list[RowIssue] = []
        chk = check_uscc(c.get("uscc", ""))
        if not chk.valid:
            row_errors += [RowIssue(row.line, "uscc", c.get("uscc", ""), r.split(": ", 1)[-1]) for _, r in chk.errors]
        elif known_uscc is not None and chk.code not in known_uscc:
            row_errors.append(RowIssue(row.line, "uscc", c.get("uscc", ""), unknown_reason))
        period: Period | None = None
        try:
            period = Period.parse(c.get("period", ""))
            if ytd and period.months != 1:
                raise ValueError("a year-to-date file states one month per row (YYYY-MM, cumulative from January)")
        except ValueError as e:
            row_errors.append(RowIssue(row.line, "period", c.get("period", ""), str(e).split(": ", 1)[-1]))
        source_raw = (c.get("source") or "").strip().lower()
        row_source: Source | None = None
        if source_raw:
            try:
                row_source = Source(source_raw)
                if row_source is Source.DERIVED:
                    raise ValueError
            except ValueError:
                row_errors.append(RowIssue(row.line, "source", source_raw, "allowed reported, estimated"))
        values: list[tuple[Indicator, float]] = []
        for ind in Indicator:
            raw = (c.get(ind.value) or "").strip()
            if not raw:
                continue
            try:
                v = _parse_number(raw)
            except ValueError:
                row_errors.append(RowIssue(row.line, ind.value, raw, "not a number"))
                continue
            if ind is Indicator.DIGITAL_MATURITY_LEVEL and not (v.is_integer() and 1 <= v <= 5):
                row_errors.append(RowIssue(row.line, ind.value, raw, "allowed levels 1-5 (GB/T 39116)"))
                continue
            if ind is Indicator.EMPLOYEES and not v.is_integer():
                row_errors.append(RowIssue(row.line, ind.value, raw, "a whole number of persons"))
                continue
            if ind in MONEY_INDICATORS:
                v = round(v * unit.yuan, 2)
            values.append((ind, v))
        if not values and not row_errors:
            row_errors.append(RowIssue(row.line, "indicators", "", f"no indicator value; columns allowed: {', '.join(i.value for i in Indicator)}"))
        if period is not None and chk.valid and (chk.code, period) in seen:
            row_errors.append(RowIssue(row.line, "period", str(period), f"{chk.code} {period} repeats line {seen[(chk.code, period)]}"))
        if row_errors:
            errors.extend(row_errors)
            rejected += 1
            continue
        assert period is not None
        seen[(chk.code, period)] = row.line
        for ind, v in values:
            src = row_source or (Source.ESTIMATED if ind in estimated else Source.REPORTED)
            figures.append(Figure(chk.code, period, ind, v, src))
    warnings: list[RowIssue] = []
    if ytd:
        figures, warnings = derive_from_ytd(figures, prior_ytd)
    return ImportResult(tuple(figures), tuple(errors), tuple(warnings), n, rejected)


def derive_from_ytd(
    cumulative: Iterable[Figure], prior: Iterable[Figure] = ()
) -> tuple[list[Figure], list[RowIssue]]:
    """Periods from year-to-date cumulative figures.

    For each enterprise, year and flow indicator the reported months m1 < m2 < ... give the periods
    1..m1 (the reported figure itself: January and February together when the first report is
    February), then m1+1..m2 = YTD(m2) − YTD(m1) (source ``derived``), and so on. A missing month
    makes a longer period rather than an invented one. Levels (employees, digital maturity) are
    taken as they are for the same periods.

    ``prior`` holds cumulative figures already known (e.g. rebuilt from stored periods by
    :func:`ytd_from_periods`): they anchor the differences and are not returned again.

    Examples
    --------
    >>> from yuefang.cluster.model import Figure, Indicator, Period
    >>> inc = Indicator.MAIN_BUSINESS_INCOME_YUAN
    >>> u = "91350100M000100Y43"
    >>> ytd = [Figure(u, Period.month(2024, 2), inc, 30.0), Figure(u, Period.month(2024, 3), inc, 50.0)]
    >>> [(str(f.period), f.value, f.source.value) for f in derive_from_ytd(ytd)[0]]
    [('2024-01..02', 30.0, 'reported'), ('2024-03', 20.0, 'derived')]
    """
    groups: dict[tuple[str, int, Indicator], list[Figure]] = defaultdict(list)
    new_keys = set()
    for f in cumulative:
        groups[(f.uscc, f.period.year, f.indicator)].append(f)
        new_keys.add((f.uscc, f.period.last_month, f.period.year, f.indicator))
    for f in prior:
        key = (f.uscc, f.period.year, f.indicator)
        if key in groups and (f.uscc, f.period.last_month, f.period.year, f.indicator) not in new_keys:
            groups[key].append(f)
    out: list[Figure] = []
    warnings: list[RowIssue] = []
    for (uscc, year, ind), figs in groups.items():
        figs.sort(key=lambda f: f.period.last_month)
        prev_month = 0
        prev_value = 0.0
        for f in figs:
            m = f.period.last_month
            period = Period.span(year, prev_month + 1, m)
            if ind in CUMULATIVE_INDICATORS:
                value = round(f.value - prev_value, 2)
                source = f.source if prev_month == 0 else Source.DERIVED
                if value < 0 and ind is not Indicator.TOTAL_PROFIT_YUAN:
                    warnings.append(
                        RowIssue(0, ind.value, f"{f.value}", f"{uscc} {year}-{m:02d}: year-to-date figure below the previous month's ({prev_value}); derived period {period} is negative")
                    )
                prev_value = f.value
            else:
                value, source = f.value, f.source
            if (uscc, m, year, ind) in new_keys:
                out.append(Figure(uscc, period, ind, value, source))
            prev_month = m
    out.sort(key=lambda f: (f.uscc, f.period, f.indicator.value))
    return out, warnings


def ytd_from_periods(periods: Iterable[Figure]) -> list[Figure]:
    """Year-to-date cumulative figures rebuilt from stored periods (flows summed, levels as they are).

    >>> from yuefang.cluster.model import Figure, Indicator, Period
    >>> inc = Indicator.MAIN_BUSINESS_INCOME_YUAN
    >>> u = "91350100M000100Y43"
    >>> ps = [Figure(u, Period.span(2024, 1, 2), inc, 30.0), Figure(u, Period.month(2024, 3), inc, 20.0)]
    >>> [(str(f.period), f.value) for f in ytd_from_periods(ps)]
    [('2024-02', 30.0), ('2024-03', 50.0)]
    """
    groups: dict[tuple[str, int, Indicator], list[Figure]] = defaultdict(list)
    for f in periods:
        groups[(f.uscc, f.period.year, f.indicator)].append(f)
    out: list[Figure] = []
    for (uscc, year, ind), figs in groups.items():
        figs.sort(key=lambda f: f.period.last_month)
        total = 0.0
        for f in figs:
            total = round(total + f.value, 2) if ind in CUMULATIVE_INDICATORS else f.value
            out.append(Figure(uscc, Period.month(year, f.period.last_month), ind, total, f.source))
    return out
