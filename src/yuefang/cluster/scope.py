"""Which enterprises count: a plan's scope and targets, as data.

The shipped plan ``gd-light-textile-2023-2025`` counts enterprises in the small classes listed in
``data/light_textile_classes.csv`` (GB/T 4754-2017, 4 digits). The province defines the cluster as
174 small classes within 57 middle classes of 17 major classes; the shipped list has those counts,
but it is a reconstruction from GB/T 4754-2017 and the plan's description of the cluster (textiles 17,
apparel 18, leather and footwear 19, wood 20, furniture 21, paper 22, printing 23, culture/sports goods
24, chemical fibres 28, rubber and plastics 29, metal products 33, ...), NOT the official list: every
row says ``confirmed=false`` until it is checked against the province's text. Whole 2-digit classes
are never counted: membership is by 4-digit class.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from yuefang.cluster.codes import CITIES, check_industry_class
from yuefang.cluster.model import Enterprise, Indicator

__all__ = [
    "IndustryClass",
    "Scope",
    "Target",
    "Plan",
    "load_industry_classes",
    "load_plans",
    "get_plan",
    "DEFAULT_PLAN_ID",
]

DEFAULT_PLAN_ID = "gd-light-textile-2023-2025"


@dataclass(frozen=True)
class IndustryClass:
    """A GB/T 4754-2017 small class; ``confirmed`` is False until checked against the official list."""

    code: str
    name_zh: str
    confirmed: bool = False

    @property
    def middle(self) -> str:
        """3-digit middle class."""
        return self.code[:3]

    @property
    def major(self) -> str:
        """2-digit major class."""
        return self.code[:2]


@dataclass(frozen=True)
class Scope:
    """Which enterprises a plan counts.

    Attributes
    ----------
    industry_codes : frozenset of str
        4-digit small classes counted.
    city_codes : frozenset of str or None
        4-digit cities counted; None counts all of Guangdong.
    above_designated_size_only : bool
        Count only enterprises above designated size (as the statistics bureau's totals do).
    """

    industry_codes: frozenset[str]
    city_codes: frozenset[str] | None = None
    above_designated_size_only: bool = True

    def __post_init__(self) -> None:
        for c in self.industry_codes:
            check_industry_class(c)
        for c in self.city_codes or ():
            if c not in CITIES:
                raise ValueError(f"scope city_code={c!r}: allowed {', '.join(CITIES)}")

    def counts(self, enterprise: Enterprise) -> bool:
        """Whether ``enterprise`` is in scope."""
        if self.above_designated_size_only and not enterprise.above_designated_size:
            return False
        if enterprise.industry_code not in self.industry_codes:
            return False
        return self.city_codes is None or enterprise.city_code in self.city_codes

    def summary(self) -> dict[str, int]:
        """Number of small, middle and major classes."""
        return {
            "small_classes": len(self.industry_codes),
            "middle_classes": len({c[:3] for c in self.industry_codes}),
            "major_classes": len({c[:2] for c in self.industry_codes}),
        }


@dataclass(frozen=True)
class Target:
    """``indicator`` at least ``min_value`` (in the indicator's unit) in ``year``."""

    indicator: Indicator
    year: int
    min_value: float


@dataclass(frozen=True)
class Plan:
    """An action plan: name, years, targets, scope."""

    id: str
    name: str
    start_year: int
    end_year: int
    targets: tuple[Target, ...]
    scope: Scope
    core_cities: tuple[str, ...] = ()
    name_en: str = ""
    source: str = ""
    classes: tuple[IndustryClass, ...] = field(default=(), repr=False)

    def target(self, indicator: Indicator | str) -> Target | None:
        """The target set for ``indicator`` (the latest year if several), or None."""
        found = [t for t in self.targets if t.indicator == Indicator(indicator)]
        return max(found, key=lambda t: t.year) if found else None


def _read_data(name: str) -> str:
    return resources.files("yuefang.cluster").joinpath("data", name).read_text(encoding="utf-8")


def parse_industry_classes(text: str) -> tuple[IndustryClass, ...]:
    """Parse a classes CSV (``industry_code,name_zh,confirmed``)."""
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        code = check_industry_class(row["industry_code"])
        out.append(IndustryClass(code, row.get("name_zh", ""), row.get("confirmed", "").lower() == "true"))
    return tuple(out)


@cache
def load_industry_classes(name: str = "light_textile_classes.csv") -> tuple[IndustryClass, ...]:
    """The small classes shipped in ``yuefang/cluster/data/<name>``.

    >>> classes = load_industry_classes()
    >>> len(classes), len({c.middle for c in classes}), len({c.major for c in classes})
    (174, 57, 17)
    """
    return parse_industry_classes(_read_data(name))


def plan_from_dict(d: dict, classes: Iterable[IndustryClass] | None = None) -> Plan:
    """Build a :class:`Plan` from its JSON form; ``scope.industry_classes`` names a shipped CSV or lists codes."""
    scope_d = d.get("scope", {})
    ic = scope_d.get("industry_classes", [])
    if classes is None:
        classes = load_industry_classes(ic) if isinstance(ic, str) else ()
    classes = tuple(classes)
    codes = frozenset(c.code for c in classes) if isinstance(ic, str) else frozenset(check_industry_class(c) for c in ic)
    cities = scope_d.get("city_codes")
    targets = tuple(Target(Indicator(t["indicator"]), int(t["year"]), float(t["min_value"])) for t in d.get("targets", []))
    return Plan(
        id=d["id"],
        name=d["name"],
        start_year=int(d["start_year"]),
        end_year=int(d["end_year"]),
        targets=targets,
        scope=Scope(codes, frozenset(cities) if cities else None, bool(scope_d.get("above_designated_size_only", True))),
        core_cities=tuple(d.get("core_cities", ())),
        name_en=d.get("name_en", ""),
        source=d.get("source", ""),
        classes=classes,
    )


@cache
def load_plans() -> dict[str, Plan]:
    """The plans shipped with yuefang, by id.

    >>> p = load_plans()["gd-light-textile-2023-2025"]
    >>> p.target("industrial_added_value_yuan").min_value
    720000000000.0
    """
    return {d["id"]: plan_from_dict(d) for d in json.loads(_read_data("plans.json"))}


def get_plan(plan_id: str) -> Plan:
    """A shipped plan by id; ValueError lists the ids allowed."""
    plans = load_plans()
    if plan_id not in plans:
        raise ValueError(f"plan={plan_id!r}: allowed {', '.join(sorted(plans))}")
    return plans[plan_id]
