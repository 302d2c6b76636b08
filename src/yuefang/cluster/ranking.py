"""Key enterprises: a transparent score, each enterprise's score explained, and tiers.

Score (0–100) = 100 × Σ wₖ·cₖ / Σ wₖ over five components (weights in ``data/ranking.json`` or
given):

* ``size``: percentile rank of main business income in the year (through the latest month);
* ``growth``: percentile rank of income growth on the same months of the year before;
* ``rd_intensity``: percentile rank of R&D expenditure / income;
* ``export_share``: percentile rank of export delivery value / gross industrial output;
* ``digital_maturity``: maturity level / 5.

A percentile rank is ``(rank − 1) / (n − 1)`` among enterprises with a value (SQL's PERCENT_RANK:
ties share the lowest rank); an enterprise without a value gets 0 for that component.

Tiers: ``chain_leader`` when the year's income (annualised from the months reported) reaches the
province's threshold for a pillar cluster's chain leader (5 billion yuan, 粤工信规字〔2022〕7号);
then ``key`` for the top ``key_fraction`` of the rest by score and ``cultivate`` for the next, up to
``cultivate_fraction``.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from yuefang.cluster.model import CHAIN_LEADER_INCOME_YUAN, KeyTier

__all__ = [
    "COMPONENTS",
    "RankingConfig",
    "EnterpriseYear",
    "ScoreComponent",
    "EnterpriseScore",
    "percent_ranks",
    "score_enterprises",
    "load_ranking_config",
]

COMPONENTS = ("size", "growth", "rd_intensity", "export_share", "digital_maturity")


@dataclass(frozen=True)
class RankingConfig:
    """Weights and tier thresholds."""

    weights: Mapping[str, float] = field(
        default_factory=lambda: {"size": 0.3, "growth": 0.2, "rd_intensity": 0.2, "export_share": 0.1, "digital_maturity": 0.2}
    )
    chain_leader_income_yuan: float = CHAIN_LEADER_INCOME_YUAN
    key_fraction: float = 0.01
    cultivate_fraction: float = 0.05

    def __post_init__(self) -> None:
        for k, v in self.weights.items():
            if k not in COMPONENTS:
                raise ValueError(f"weights[{k!r}]: allowed components {', '.join(COMPONENTS)}")
            if v < 0:
                raise ValueError(f"weights[{k!r}]={v}: must be >= 0")
        if sum(self.weights.values()) <= 0:
            raise ValueError("weights: at least one must be > 0")
        if not (0 <= self.key_fraction <= self.cultivate_fraction <= 1):
            raise ValueError(
                f"key_fraction={self.key_fraction}, cultivate_fraction={self.cultivate_fraction}: need 0 <= key <= cultivate <= 1"
            )

    @classmethod
    def from_dict(cls, d: Mapping) -> RankingConfig:
        """From the JSON form of ``data/ranking.json``."""
        default = cls()
        return cls(
            weights=dict(d.get("weights", default.weights)),
            chain_leader_income_yuan=float(d.get("chain_leader_income_yuan", default.chain_leader_income_yuan)),
            key_fraction=float(d.get("key_fraction", default.key_fraction)),
            cultivate_fraction=float(d.get("cultivate_fraction", default.cultivate_fraction)),
        )


def load_ranking_config() -> RankingConfig:
    """The shipped configuration (``yuefang/cluster/data/ranking.json``)."""
    text = resources.files("yuefang.cluster").joinpath("data", "ranking.json").read_text(encoding="utf-8")
    return RankingConfig.from_dict(json.loads(text))


@dataclass(frozen=True)
class EnterpriseYear:
    """Inputs of one enterprise's score (money in yuan, through month ``through_month`` of the year)."""

    uscc: str
    name: str
    city_code: str
    industry_code: str
    income: float
    income_prev: float | None = None
    rd: float | None = None
    export: float | None = None
    output: float | None = None
    digital: float | None = None


@dataclass(frozen=True)
class ScoreComponent:
    """One component: the raw measure, its value in 0–1, weight, and points it adds to the score."""

    name: str
    raw: float | None
    value: float
    weight: float
    points: float


@dataclass(frozen=True)
class EnterpriseScore:
    """A scored enterprise: ``rank`` 1 is best; ``components`` explain ``score``."""

    uscc: str
    name: str
    city_code: str
    industry_code: str
    income: float
    score: float
    rank: int
    tier: KeyTier
    components: tuple[ScoreComponent, ...]

    def explain(self) -> str:
        """One line per component.

        >>> s = score_enterprises([EnterpriseYear("A", "a", "4401", "1811", 1.0)], 12)[0]
        >>> print(s.explain().splitlines()[0])
        a: score 0.0, rank 1, tier none
        """
        lines = [f"{self.name}: score {self.score:.1f}, rank {self.rank}, tier {self.tier.value}"]
        for c in self.components:
            raw = "n/a" if c.raw is None else f"{c.raw:.4g}"
            lines.append(f"  {c.name}: raw {raw} -> {c.value:.3f} x weight {c.weight:.3f} = {c.points:.1f} points")
        return "\n".join(lines)


def percent_ranks(values: Sequence[float | None]) -> list[float]:
    """SQL PERCENT_RANK among non-null values; None gets 0.

    >>> percent_ranks([10.0, None, 30.0, 20.0, 20.0])
    [0.0, 0.0, 1.0, 0.3333333333333333, 0.3333333333333333]
    """
    present = sorted(v for v in values if v is not None)
    n = len(present)
    out = []
    for v in values:
        if v is None or n <= 1:
            out.append(0.0)
        else:
            out.append(bisect.bisect_left(present, v) / (n - 1))
    return out


def _div(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


def score_enterprises(
    rows: Iterable[EnterpriseYear], through_month: int, config: RankingConfig | None = None
) -> list[EnterpriseScore]:
    """Score, rank and tier enterprises; best first.

    Parameters
    ----------
    rows : iterable of EnterpriseYear
    through_month : int
        Months of the year the figures cover (annualises income for the chain-leader threshold).
    config : RankingConfig, optional
        Defaults to :func:`load_ranking_config`.
    """
    cfg = config or load_ranking_config()
    rows = [r for r in rows if r.income is not None]
    total_w = sum(cfg.weights.values())
    w = {k: cfg.weights.get(k, 0.0) / total_w for k in COMPONENTS}
    ratios = [_div(r.income, r.income_prev) for r in rows]
    raws: dict[str, list[float | None]] = {
        "size": [r.income for r in rows],
        "growth": [x - 1 if x is not None else None for x in ratios],
        "rd_intensity": [_div(r.rd, r.income) for r in rows],
        "export_share": [_div(r.export, r.output) for r in rows],
        "digital_maturity": [r.digital for r in rows],
    }
    values = {k: percent_ranks(v) for k, v in raws.items() if k != "digital_maturity"}
    values["digital_maturity"] = [(d or 0.0) / 5.0 for d in raws["digital_maturity"]]
    scored = []
    for i, r in enumerate(rows):
        comps = tuple(
            ScoreComponent(k, raws[k][i], values[k][i], w[k], 100.0 * w[k] * values[k][i]) for k in COMPONENTS
        )
        scored.append((sum(c.points for c in comps), r, comps))
    scored.sort(key=lambda t: (-t[0], t[1].uscc))
    annualise = 12.0 / max(1, min(12, through_month))
    leaders = {r.uscc for _, r, _ in scored if r.income * annualise >= cfg.chain_leader_income_yuan}
    others = len(scored) - len(leaders)
    n_key = int(round(cfg.key_fraction * others))
    n_cult = int(round(cfg.cultivate_fraction * others))
    out = []
    k_other = 0
    for rank, (score, r, comps) in enumerate(scored, start=1):
        if r.uscc in leaders:
            tier = KeyTier.CHAIN_LEADER
        else:
            k_other += 1
            tier = KeyTier.KEY if k_other <= n_key else KeyTier.CULTIVATE if k_other <= n_cult else KeyTier.NONE
        out.append(EnterpriseScore(r.uscc, r.name, r.city_code, r.industry_code, r.income, score, rank, tier, comps))
    return out
