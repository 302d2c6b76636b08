"""Request bodies of the planning endpoints (``/api/plan``).

They mirror the models of :mod:`yuefang.plan` (``Order``, ``Line``, ``PlannedOrder``) with every
number and list bounded, and are turned into those models by the service.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from yuefang.app.schemas.common import ShortText, StrictModel

__all__ = [
    "MAX_BALANCE_TIME_S",
    "MAX_SCHEDULE_TIME_S",
    "BalanceRequest",
    "PlanOrderIn",
    "PlanLineIn",
    "FrozenIn",
    "ScheduleRequest",
    "QuoteRequest",
    "ProductId",
]

MAX_BALANCE_TIME_S = 60
MAX_SCHEDULE_TIME_S = 60
ProductId = Literal["shirt", "trousers", "bodice", "skirt", "curtain", "duvet_cover", "fitted_sheet"]
Id = ShortText
_DATE_MIN, _DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def _in_range(field: str, value: dt.date | dt.datetime | None) -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not _DATE_MIN <= day <= _DATE_MAX:
        raise ValueError(f"{field}: {value}; allowed: {_DATE_MIN} .. {_DATE_MAX}")


class BalanceRequest(StrictModel):
    """``POST /api/plan/balance``: a bulletin (CSV text or a product's default) and a takt or a crew."""

    product_id: ProductId | None = Field(default=None, description="use this product's default bulletin")
    bulletin_csv: str | None = Field(
        default=None, max_length=200_000,
        description="bulletin as CSV: op_id,name,machine_type,smv_min,skill_grade,predecessors",
    )  # fmt: skip
    takt_s: float | None = Field(default=None, gt=0, le=36_000, description="seconds per piece to reach")
    operators: int | None = Field(default=None, ge=1, le=500, description="operators available")
    time_limit_s: float = Field(default=5.0, gt=0, le=MAX_BALANCE_TIME_S)
    max_skill_spread: int = Field(default=1, ge=0, le=3)

    @model_validator(mode="after")
    def _exactly_one(self) -> BalanceRequest:
        if (self.product_id is None) == (self.bulletin_csv is None):
            raise ValueError("product_id/bulletin_csv: give exactly one (a product id or the bulletin's CSV text)")
        if (self.takt_s is None) == (self.operators is None):
            raise ValueError("takt_s/operators: give exactly one of takt_s (seconds per piece) and operators")
        return self


class PlanOrderIn(StrictModel):
    """An order to plan (:class:`yuefang.plan.Order`)."""

    order_id: Id = Field(min_length=1)
    enterprise_id: Id = Field(min_length=1)
    product_id: Id = Field(min_length=1)
    quantity: int = Field(ge=1, le=1_000_000)
    due_date: dt.date
    fabric_ready_date: dt.date | None = None
    smv_min: float | None = Field(default=None, gt=0, le=600, description="work content per piece, min")
    weight: float = Field(default=1.0, gt=0, le=100)

    @model_validator(mode="after")
    def _dates(self) -> PlanOrderIn:
        _in_range("due_date", self.due_date)
        _in_range("fabric_ready_date", self.fabric_ready_date)
        return self


class PlanLineIn(StrictModel):
    """A sewing line (:class:`yuefang.plan.Line`)."""

    line_id: Id = Field(min_length=1)
    factory_id: Id = Field(min_length=1)
    enterprise_id: Id = Field(min_length=1)
    operators: int = Field(ge=1, le=500)
    minutes_per_day: float = Field(default=480.0, gt=0, le=1440)
    efficiency: float = Field(default=0.65, gt=0, le=1.5)
    products: list[Id] = Field(default_factory=list, max_length=50)
    current_product: Id | None = None
    changeover_min: float = Field(default=60.0, ge=0, le=10_000)
    learning_days: float = Field(default=3.0, ge=0, le=365)
    learning_start_fraction: float = Field(default=0.6, gt=0, le=1)
    available_from: dt.datetime | None = None
    active: bool = True

    @model_validator(mode="after")
    def _dates(self) -> PlanLineIn:
        _in_range("available_from", self.available_from)
        return self


class FrozenIn(StrictModel):
    """An order already started, kept where it is (:class:`yuefang.plan.PlannedOrder`)."""

    order_id: Id = Field(min_length=1)
    line_id: Id = Field(min_length=1)
    factory_id: Id = Field(min_length=1)
    enterprise_id: Id = Field(min_length=1)
    start: dt.datetime
    end: dt.datetime
    due_date: dt.date
    tardiness_days: float = Field(default=0.0, ge=0, le=100_000)
    subcontracted: bool = False
    frozen: bool = True

    @model_validator(mode="after")
    def _dates(self) -> FrozenIn:
        for name in ("start", "end", "due_date"):
            _in_range(name, getattr(self, name))
        if self.end < self.start:
            raise ValueError(f"end: {self.end} before start {self.start}; allowed: end >= start")
        return self


class ScheduleRequest(StrictModel):
    """``POST /api/plan/schedule``: plan these orders on these lines from ``start``."""

    orders: list[PlanOrderIn] = Field(min_length=1, max_length=200)
    lines: list[PlanLineIn] = Field(min_length=1, max_length=100)
    start: dt.datetime
    frozen: list[FrozenIn] = Field(default_factory=list, max_length=200)
    time_limit_s: float = Field(default=10.0, gt=0, le=MAX_SCHEDULE_TIME_S)

    @model_validator(mode="after")
    def _dates(self) -> ScheduleRequest:
        _in_range("start", self.start)
        return self


class QuoteRequest(StrictModel):
    """``POST /api/plan/quote``: price one order (:func:`yuefang.plan.quote`)."""

    order: PlanOrderIn
    fabric_price_cny_per_m: float = Field(ge=0, le=100_000)
    labour_cost_cny_per_min: float = Field(default=0.5, ge=0, le=1_000)
    efficiency: float = Field(default=0.65, gt=0, le=1.5)
    marker_length_mm: float | None = Field(default=None, gt=0, le=1_000_000)
    pieces_per_marker: int = Field(default=1, ge=1, le=1_000)
    overhead_rate: float = Field(default=0.15, ge=0, le=10)
    margin_rate: float = Field(default=0.10, ge=0, le=10)
