"""A synthetic light-textile cluster at the scale of Guangdong, for demos and benchmarks.

Everything here is SYNTHETIC: every enterprise's name starts with ``合成企业`` and carries
``synthetic = true``, and every page and export that shows it says so.

Calibration: the first year's totals of the in-scope enterprises above designated size equal the
published 2019 totals of the cluster (industrial added value 6383.5亿元, main business income
26775.2亿元); each later year's like-for-like income growth is the mean yearly growth from 2019 to
the 2024 figure (28600.74亿元, secondary source), about 1.3 %; raw totals differ by entries and exits. Enterprises' sizes are log-normal with a Pareto
tail (a few chain-leader-size enterprises), spread over Guangdong's cities with the textile and
apparel centres weighted, and over the cluster's industry classes (about 6 % outside them, so the
scope filter matters); some enterprises start or stop reporting between years, so like-for-like
growth differs from the raw change; January and February are one period, as the statistics
bureau reports them; a few implausible figures (spikes, negative income) are planted for the
data-quality panel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from yuefang.cluster.analytics import ENTERPRISE_SCHEMA, MONTHLY_SCHEMA
from yuefang.cluster.codes import CITIES, USCC_CHARSET, USCC_WEIGHTS
from yuefang.cluster.model import ABOVE_SIZE_INCOME_YUAN, Indicator, KeyTier
from yuefang.cluster.scope import load_industry_classes

__all__ = ["SyntheticCluster", "generate_cluster", "SCALES", "SYNTHETIC_LABEL", "PUBLISHED"]

SYNTHETIC_LABEL = "合成数据 SYNTHETIC DATA — not official statistics"

#: Published totals used for calibration (yuan): (added value, income) by year.
PUBLISHED = {
    2019: {"industrial_added_value_yuan": 638.35e9, "main_business_income_yuan": 2677.52e9},
    2024: {"main_business_income_yuan": 2860.074e9},
}

#: Scales: number of enterprises and years.
SCALES = {
    "small": {"enterprises": 400, "years": 3},
    "medium": {"enterprises": 5_000, "years": 5},
    "province": {"enterprises": 64_000, "years": 5},
}

_CITY_WEIGHTS = {
    "4401": 14, "4402": 0.5, "4403": 12, "4404": 2, "4405": 9, "4406": 14, "4407": 4, "4408": 1,
    "4409": 0.5, "4412": 2, "4413": 4, "4414": 1, "4415": 0.5, "4416": 1, "4417": 1, "4418": 2,
    "4419": 16, "4420": 7, "4451": 4, "4452": 5, "4453": 0.5,
}  # fmt: skip
#: Share of each period in a year's flows: Jan–Feb together, then March..December.
_SEASON = np.array([0.13, 0.08, 0.08, 0.08, 0.085, 0.085, 0.085, 0.085, 0.09, 0.095, 0.105])
_SEASON = _SEASON / _SEASON.sum()
_PERIODS = [(1, 2)] + [(m, m) for m in range(3, 13)]
_OUT_OF_SCOPE = ["3811", "3856", "1491", "3670", "2710", "1520"]


@dataclass(frozen=True)
class SyntheticCluster:
    """Generated tables (:data:`~yuefang.cluster.analytics.ENTERPRISE_SCHEMA`, ``MONTHLY_SCHEMA``)."""

    enterprises: pa.Table
    monthly: pa.Table
    years: tuple[int, ...]
    label: str = SYNTHETIC_LABEL


def _usccs(rng: np.random.Generator, divisions: np.ndarray) -> list[str]:
    n = len(divisions)
    charset = np.array(list(USCC_CHARSET))
    org = rng.integers(0, len(USCC_CHARSET), size=(n, 9))
    org[:, 0] = 21  # 'M' leading char, as newer codes have
    weights = np.array(USCC_WEIGHTS)
    out = []
    seen: set[str] = set()
    for i in range(n):
        first17 = "91" + divisions[i] + "".join(charset[org[i]])
        while first17 in seen:
            first17 = "91" + divisions[i] + "".join(charset[rng.integers(0, 31, 9)])
        seen.add(first17)
        total = int(sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, weights, strict=True)))
        out.append(first17 + USCC_CHARSET[(31 - total % 31) % 31])
    return out


def generate_cluster(
    scale: str = "province",
    *,
    enterprises: int | None = None,
    first_year: int = 2020,
    years: int | None = None,
    seed: int = 2025,
    anomaly_rate: float = 2e-4,
) -> SyntheticCluster:
    """Generate a synthetic cluster.

    Parameters
    ----------
    scale : {"small", "medium", "province"}
        Preset size; ``province`` gives 64 000 enterprises over 5 years (over 3 million enterprise-period rows).
    enterprises, years : int, optional
        Override the preset.
    first_year : int
        First year generated; it is calibrated to the published 2019 totals.
    seed : int
        Random seed (same seed, same data).
    anomaly_rate : float
        Share of rows given an implausible figure.
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r}: allowed {', '.join(SCALES)}")
    n = int(enterprises or SCALES[scale]["enterprises"])
    ny = int(years or SCALES[scale]["years"])
    if n < 10 or not (1 <= ny <= 20):
        raise ValueError(f"enterprises={n}, years={ny}: need at least 10 enterprises and 1-20 years")
    rng = np.random.default_rng(seed)
    year_list = tuple(range(first_year, first_year + ny))

    # --- enterprises -------------------------------------------------------------------------
    city_codes = np.array(list(_CITY_WEIGHTS))
    cw = np.array(list(_CITY_WEIGHTS.values()), dtype=float)
    city = rng.choice(city_codes, size=n, p=cw / cw.sum())
    classes = [c.code for c in load_industry_classes()]
    major_w = {"17": 3.0, "18": 4.0, "19": 2.5, "24": 2.0, "21": 1.5, "29": 1.5, "22": 1.0, "23": 1.0}
    iw = np.array([major_w.get(c[:2], 0.5) for c in classes])
    industry = rng.choice(np.array(classes), size=n, p=iw / iw.sum())
    out_scope = rng.random(n) < 0.06
    industry[out_scope] = rng.choice(np.array(_OUT_OF_SCOPE), size=int(out_scope.sum()))
    county_no = rng.integers(1, 12, size=n)
    has_counties = np.array([CITIES[c].has_counties for c in city])
    division = np.where(
        rng.random(n) < 0.1, "440000",
        np.where(has_counties, np.char.add(city, np.char.zfill(county_no.astype(str), 2)), np.char.add(city, "00")),
    )
    usccs = _usccs(rng, division)
    names = [f"合成企业{i:05d}（{CITIES[c].name_zh}）" for i, c in enumerate(city)]
    county = [f"{CITIES[c].name_zh}{k}区" if h else "" for c, k, h in zip(city, county_no, has_counties, strict=True)]
    # annual income in the first year (before calibration): log-normal body, Pareto tail
    size = rng.lognormal(mean=0.0, sigma=1.25, size=n)
    tail = rng.random(n) < 0.004
    size[tail] *= rng.pareto(1.2, size=int(tail.sum())) * 20 + 20
    start = np.where(rng.random(n) < 0.10, rng.integers(1, max(2, ny), size=n), 0)  # first year reporting
    stop = np.where(rng.random(n) < 0.10, rng.integers(1, max(2, ny), size=n), ny)  # years reported < stop
    stop = np.maximum(stop, start + 1)

    # --- yearly income per enterprise ---------------------------------------------------------
    growth = rng.normal(0.0, 0.10, size=(n, ny))
    size = np.where(start > 0, size * 0.4, size)  # enterprises that start reporting later are smaller
    growth[:, 0] = 0.0
    income_y = size[:, None] * np.exp(np.cumsum(growth, axis=1))
    active = (np.arange(ny)[None, :] >= start[:, None]) & (np.arange(ny)[None, :] < stop[:, None])
    in_scope = ~out_scope
    base_total = income_y[:, 0][in_scope & active[:, 0]].sum()
    scale_f = PUBLISHED[2019]["main_business_income_yuan"] / base_total * 1.04  # below-size share removed later
    income_y *= scale_f
    above = income_y.max(axis=1, where=active, initial=0.0) >= ABOVE_SIZE_INCOME_YUAN
    # the first year's in-scope, above-size total is the published 2019 one; each later year's
    # like-for-like growth (same enterprises) follows the path from 2019 to 2024, so raw totals
    # differ from it by the entries and exits, as the statistics bureau's do
    last_income = PUBLISHED[2024]["main_business_income_yuan"]
    first_income = PUBLISHED[2019]["main_business_income_yuan"]
    yearly = (last_income / first_income) ** (1 / 5)
    sel = in_scope & above
    tot = income_y[sel & active[:, 0], 0].sum()
    income_y *= first_income / tot
    for y in range(1, ny):
        both = sel & active[:, y] & active[:, y - 1]
        ratio = income_y[both, y].sum() / income_y[both, y - 1].sum() if both.any() else 1.0
        income_y[:, y:] *= yearly / ratio
    va_ratio = PUBLISHED[2019]["industrial_added_value_yuan"] / first_income
    va_noise = rng.lognormal(0.0, 0.15, size=n)
    va_noise /= np.average(va_noise[sel], weights=income_y[sel, 0])
    profit_rate = rng.normal(0.045, 0.035, size=n)
    rd_rate = rng.beta(2, 80, size=n)
    export_share = rng.beta(1.2, 4.0, size=n)
    productivity = rng.lognormal(np.log(550_000), 0.3, size=n)  # income per employee, yuan a year
    digital0 = rng.integers(1, 4, size=n)

    # --- periods ------------------------------------------------------------------------------
    ei, yi = np.nonzero(active)
    order = np.lexsort((ei, yi))  # by year, then enterprise: a year's rows lie together
    ei, yi = ei[order], yi[order]
    n_rows = len(ei) * len(_PERIODS)
    e_idx = np.repeat(ei, len(_PERIODS))
    y_idx = np.repeat(yi, len(_PERIODS))
    p_idx = np.tile(np.arange(len(_PERIODS)), len(ei))
    noise = rng.lognormal(0.0, 0.06, size=n_rows)
    income = income_y[e_idx, y_idx] * _SEASON[p_idx] * noise
    output = income * rng.normal(1.01, 0.03, size=n_rows)
    va = income * va_ratio * va_noise[e_idx]
    profit = income * (profit_rate[e_idx] + rng.normal(0, 0.01, size=n_rows))
    rd = income * rd_rate[e_idx]
    export = output * export_share[e_idx]
    months = np.array([b - a + 1 for a, b in _PERIODS])[p_idx]
    employees = np.round(income_y[e_idx, y_idx] / productivity[e_idx] * rng.normal(1.0, 0.02, size=n_rows))
    digital = np.minimum(5, digital0[e_idx] + (y_idx >= ny // 2) + (y_idx >= ny - 1) * (digital0[e_idx] >= 3))
    # planted anomalies
    k = max(1, int(anomaly_rate * n_rows))
    spike = rng.choice(n_rows, size=k, replace=False)
    income[spike] *= 25.0 * months[spike]
    neg = rng.choice(n_rows, size=max(1, k // 4), replace=False)
    income[neg] = -np.abs(income[neg])

    first = np.array([a for a, _ in _PERIODS], dtype=np.int8)[p_idx]
    last = np.array([b for _, b in _PERIODS], dtype=np.int8)[p_idx]
    uscc_arr = pa.array(usccs, pa.string())
    monthly = pa.table(
        {
            "enterprise_id": pa.array((e_idx + 1).astype(np.int32)),
            "year": pa.array((np.array(year_list)[y_idx]).astype(np.int16)),
            "first_month": pa.array(first),
            "last_month": pa.array(last),
            Indicator.MAIN_BUSINESS_INCOME_YUAN.value: np.round(income, 2),
            Indicator.INDUSTRIAL_ADDED_VALUE_YUAN.value: np.round(va, 2),
            Indicator.GROSS_OUTPUT_YUAN.value: np.round(output, 2),
            Indicator.TOTAL_PROFIT_YUAN.value: np.round(profit, 2),
            Indicator.EMPLOYEES.value: employees.astype(float),
            Indicator.RD_EXPENDITURE_YUAN.value: np.round(rd, 2),
            Indicator.EXPORT_DELIVERY_VALUE_YUAN.value: np.round(export, 2),
            Indicator.DIGITAL_MATURITY_LEVEL.value: digital.astype(float),
        },
        schema=MONTHLY_SCHEMA,
    )
    tier = np.where(income_y.max(axis=1) >= 5e9, KeyTier.CHAIN_LEADER.value, KeyTier.NONE.value)
    ents = pa.table(
        {
            "enterprise_id": pa.array(np.arange(1, n + 1, dtype=np.int32)),
            "uscc": uscc_arr,
            "name": names,
            "city_code": city,
            "county": county,
            "industry_code": industry,
            "above_designated_size": above,
            "key_tier": tier,
            "synthetic": np.ones(n, dtype=bool),
        },
        schema=ENTERPRISE_SCHEMA,
    )
    return SyntheticCluster(ents, monthly, year_list)
