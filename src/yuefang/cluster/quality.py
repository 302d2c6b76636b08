"""Plausibility flags: implausible figures are flagged for review, never dropped.

Rules (each flag names the rule, the figure and why):

* ``negative``: a negative value of an indicator that cannot be negative (every one but total profit).
* ``spike``: a period's monthly rate (value / months covered) above ``SPIKE_FACTOR`` (20) times the
  enterprise's usual rate: the median monthly rate of all its periods of that indicator (at least
  ``MIN_PERIODS`` of them, with a positive median; a median is not moved by one outlier).
* ``added_value_above_output``: industrial added value above gross industrial output of the period.
* ``export_above_output``: export delivery value above gross industrial output of the period.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from yuefang.cluster.model import Figure, Indicator, Period

__all__ = ["FlagCode", "ReviewFlag", "flag_figures", "SPIKE_FACTOR", "MIN_PERIODS"]

SPIKE_FACTOR = 20.0
MIN_PERIODS = 4


class FlagCode(StrEnum):
    """Why a figure needs review."""

    NEGATIVE = "negative"
    SPIKE = "spike"
    ADDED_VALUE_ABOVE_OUTPUT = "added_value_above_output"
    EXPORT_ABOVE_OUTPUT = "export_above_output"


@dataclass(frozen=True)
class ReviewFlag:
    """A figure flagged for review: which rule, which figure, and a message with the numbers."""

    code: FlagCode
    uscc: str
    period: Period
    indicator: Indicator
    value: float
    message: str


def flag_figures(figures: Iterable[Figure], history: Iterable[Figure] = ()) -> list[ReviewFlag]:
    """Flags for ``figures``; ``history`` (e.g. the enterprise's stored figures) sets the usual level.

    Examples
    --------
    >>> from yuefang.cluster.model import Figure, Indicator, Period
    >>> inc = Indicator.MAIN_BUSINESS_INCOME_YUAN
    >>> u = "91350100M000100Y43"
    >>> figs = [Figure(u, Period.month(2024, m), inc, 100.0) for m in range(3, 8)]
    >>> figs.append(Figure(u, Period.month(2024, 8), inc, 2500.0))
    >>> [(f.code.value, str(f.period)) for f in flag_figures(figs)]
    [('spike', '2024-08')]
    """
    figures = list(figures)
    new_keys = {(f.uscc, f.period, f.indicator) for f in figures}
    pool: dict[tuple[str, Period, Indicator], Figure] = {}
    for f in history:
        pool[(f.uscc, f.period, f.indicator)] = f
    for f in figures:
        pool[(f.uscc, f.period, f.indicator)] = f
    rates: dict[tuple[str, Indicator], list[tuple[Period, float]]] = defaultdict(list)
    by_period: dict[tuple[str, Period], dict[Indicator, float]] = defaultdict(dict)
    for (uscc, period, ind), f in pool.items():
        rates[(uscc, ind)].append((period, f.value / period.months))
        by_period[(uscc, period)][ind] = f.value
    usual_cache: dict[tuple[str, Indicator], float | None] = {}

    def usual_rate(key: tuple[str, Indicator]) -> float | None:
        if key not in usual_cache:
            all_rates = [r for _, r in rates[key]]
            usual_cache[key] = statistics.median(all_rates) if len(all_rates) >= MIN_PERIODS else None
        return usual_cache[key]

    flags: list[ReviewFlag] = []
    for f in sorted(figures, key=lambda f: (f.uscc, f.period, f.indicator.value)):
        if f.value < 0 and f.indicator is not Indicator.TOTAL_PROFIT_YUAN:
            flags.append(ReviewFlag(FlagCode.NEGATIVE, f.uscc, f.period, f.indicator, f.value,
                                    f"{f.indicator.value} is negative ({f.value:,.2f})"))
        if f.indicator is not Indicator.DIGITAL_MATURITY_LEVEL and f.value > 0:
            usual = usual_rate((f.uscc, f.indicator))
            if usual is not None:
                rate = f.value / f.period.months
                if usual > 0 and rate > SPIKE_FACTOR * usual:
                    flags.append(ReviewFlag(FlagCode.SPIKE, f.uscc, f.period, f.indicator, f.value,
                                            f"{f.indicator.value} {rate:,.0f} a month is {rate / usual:.0f}x the usual {usual:,.0f}"))
    for (uscc, period), vals in sorted(by_period.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        out = vals.get(Indicator.GROSS_OUTPUT_YUAN)
        if out is None or out <= 0:
            continue
        for ind, code in ((Indicator.INDUSTRIAL_ADDED_VALUE_YUAN, FlagCode.ADDED_VALUE_ABOVE_OUTPUT),
                          (Indicator.EXPORT_DELIVERY_VALUE_YUAN, FlagCode.EXPORT_ABOVE_OUTPUT)):
            v = vals.get(ind)
            touched = (uscc, period, ind) in new_keys or (uscc, period, Indicator.GROSS_OUTPUT_YUAN) in new_keys
            if v is not None and v > out and touched:
                flags.append(ReviewFlag(code, uscc, period, ind, v,
                                        f"{ind.value} {v:,.2f} above gross_output_yuan {out:,.2f}"))
    return flags
