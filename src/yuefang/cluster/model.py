"""Typed values of the cluster office: enterprises, indicators, periods, units, figures.

An indicator's code carries its unit (``main_business_income_yuan``); money is held in yuan
whatever unit it was reported in (yuan, 千元 or 万元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Indicator",
    "MONEY_INDICATORS",
    "CUMULATIVE_INDICATORS",
    "INDICATOR_LABELS_ZH",
    "MoneyUnit",
    "Source",
    "KeyTier",
    "Period",
    "Enterprise",
    "Figure",
    "ABOVE_SIZE_INCOME_YUAN",
    "CHAIN_LEADER_INCOME_YUAN",
]

#: Above designated size (规模以上): main business income of 20 million yuan or more a year.
ABOVE_SIZE_INCOME_YUAN = 20_000_000.0
#: Chain leader (链主) of a pillar cluster: at least 5 billion yuan of income (粤工信规字〔2022〕7号).
CHAIN_LEADER_INCOME_YUAN = 5_000_000_000.0


class Indicator(StrEnum):
    """The monthly indicators an enterprise reports; the code names the unit."""

    MAIN_BUSINESS_INCOME_YUAN = "main_business_income_yuan"
    INDUSTRIAL_ADDED_VALUE_YUAN = "industrial_added_value_yuan"
    GROSS_OUTPUT_YUAN = "gross_output_yuan"
    TOTAL_PROFIT_YUAN = "total_profit_yuan"
    EMPLOYEES = "employees"
    RD_EXPENDITURE_YUAN = "rd_expenditure_yuan"
    EXPORT_DELIVERY_VALUE_YUAN = "export_delivery_value_yuan"
    DIGITAL_MATURITY_LEVEL = "digital_maturity_level"


#: Indicators measured in money (scaled by the file's unit on import).
MONEY_INDICATORS = frozenset(i for i in Indicator if i.value.endswith("_yuan"))
#: Flows that a year-to-date report accumulates (employees and maturity are levels, not summed).
CUMULATIVE_INDICATORS = MONEY_INDICATORS

INDICATOR_LABELS_ZH = {
    Indicator.MAIN_BUSINESS_INCOME_YUAN: "营业收入（主营业务收入）",
    Indicator.INDUSTRIAL_ADDED_VALUE_YUAN: "工业增加值",
    Indicator.GROSS_OUTPUT_YUAN: "工业总产值",
    Indicator.TOTAL_PROFIT_YUAN: "利润总额",
    Indicator.EMPLOYEES: "从业人员",
    Indicator.RD_EXPENDITURE_YUAN: "研发费用",
    Indicator.EXPORT_DELIVERY_VALUE_YUAN: "出口交货值",
    Indicator.DIGITAL_MATURITY_LEVEL: "数字化成熟度等级",
}


class MoneyUnit(StrEnum):
    """The unit a file's money columns are stated in."""

    YUAN = "yuan"
    THOUSAND_YUAN = "千元"
    TEN_THOUSAND_YUAN = "万元"

    @property
    def yuan(self) -> float:
        """Yuan per unit.

        >>> MoneyUnit("万元").yuan
        10000.0
        """
        return {"yuan": 1.0, "千元": 1_000.0, "万元": 10_000.0}[self.value]

    @classmethod
    def parse(cls, text: str) -> MoneyUnit:
        """Accept ``yuan``/``元``, ``千元``/``thousand``, ``万元``/``ten_thousand``."""
        aliases = {
            "yuan": cls.YUAN, "元": cls.YUAN, "cny": cls.YUAN,
            "千元": cls.THOUSAND_YUAN, "thousand": cls.THOUSAND_YUAN, "kyuan": cls.THOUSAND_YUAN,
            "万元": cls.TEN_THOUSAND_YUAN, "ten_thousand": cls.TEN_THOUSAND_YUAN, "wan": cls.TEN_THOUSAND_YUAN,
        }  # fmt: skip
        try:
            return aliases[text.strip().lower()]
        except KeyError:
            raise ValueError(f"unit={text!r}: allowed yuan (元), 千元, 万元") from None


class Source(StrEnum):
    """Where a figure comes from."""

    REPORTED = "reported"
    ESTIMATED = "estimated"
    DERIVED = "derived"


class KeyTier(StrEnum):
    """Key-enterprise tiers, highest first."""

    CHAIN_LEADER = "chain_leader"
    KEY = "key"
    CULTIVATE = "cultivate"
    NONE = "none"


_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})(?:(?:\.\.|/|~)(\d{2}))?$")


@dataclass(frozen=True, order=True)
class Period:
    """Months ``first_month``..``last_month`` of ``year`` (a single month, or Jan–Feb together).

    Text form: ``2024-03`` for one month, ``2024-01..02`` for a span.

    >>> Period.parse("2024-01..02"), str(Period(2024, 3, 3))
    (Period(year=2024, last_month=2, first_month=1), '2024-03')
    """

    year: int
    last_month: int
    first_month: int

    def __post_init__(self) -> None:
        if not (1900 <= self.year <= 2100):
            raise ValueError(f"period year={self.year}: allowed 1900-2100")
        if not (1 <= self.first_month <= self.last_month <= 12):
            raise ValueError(
                f"period months {self.first_month}..{self.last_month}: need 1 <= first <= last <= 12"
            )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One month."""
        return cls(year, month, month)

    @classmethod
    def span(cls, year: int, first_month: int, last_month: int) -> Period:
        """Several months reported as one period."""
        return cls(year, last_month, first_month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM`` or ``YYYY-MM..MM``; ValueError names what is allowed."""
        m = _PERIOD_RE.match(str(text).strip())
        if not m:
            raise ValueError(f"period={text!r}: allowed YYYY-MM (e.g. 2024-03) or YYYY-MM..MM (2024-01..02)")
        year, first = int(m.group(1)), int(m.group(2))
        last = int(m.group(3)) if m.group(3) else first
        return cls(year, last, first)

    @property
    def months(self) -> int:
        """Number of months covered."""
        return self.last_month - self.first_month + 1

    def __str__(self) -> str:
        if self.first_month == self.last_month:
            return f"{self.year}-{self.last_month:02d}"
        return f"{self.year}-{self.first_month:02d}..{self.last_month:02d}"


@dataclass(frozen=True)
class Enterprise:
    """One enterprise of the register.

    Attributes
    ----------
    uscc : str
        Unified social credit code (18 characters, checked).
    name : str
    city_code : str
        4-digit prefecture-level city code (``4401`` Guangzhou ... ``4453`` Yunfu).
    county : str
        County or district name (empty for Dongguan and Zhongshan, which have none).
    industry_code : str
        GB/T 4754-2017 small class, 4 digits.
    above_designated_size : bool
        Main business income of 20 million yuan or more.
    key_tier : KeyTier
    synthetic : bool
        True for generated demo data; every page and export labels it.
    """

    uscc: str
    name: str
    city_code: str
    county: str = ""
    industry_code: str = ""
    above_designated_size: bool = False
    key_tier: KeyTier = KeyTier.NONE
    synthetic: bool = False


@dataclass(frozen=True)
class Figure:
    """One indicator value of one enterprise for one period.

    ``value`` is in the indicator's unit (yuan for money, persons, maturity level 1–5).
    """

    uscc: str
    period: Period
    indicator: Indicator
    value: float
    source: Source = Source.REPORTED
