"""Schemas for orders, lines, steps, artifacts, tickets, subcontracts and audit events."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from yuefang.app.models import Nap
from yuefang.app.schemas.common import ShortText, StrictModel, Text, check_json_value
from yuefang.app.schemas.subcontracts import (  # noqa: F401 - kept importable from here
    SubcontractCreate,
    SubcontractLineView,
    SubcontractList,
    SubcontractPublic,
    SubcontractView,
)

__all__ = [
    "FabricFields",
    "LineCreate",
    "LineUpdate",
    "LinePublic",
    "LineList",
    "OrderCreate",
    "OrderUpdate",
    "OrderSummary",
    "OrderPublic",
    "OrderList",
    "StepPublic",
    "ArtifactPublic",
    "JobPublic",
    "TicketPublic",
    "ScanRequest",
    "SubcontractCreate",
    "SubcontractPublic",
    "SubcontractView",
    "AuditPublic",
    "AuditList",
    "ImportResult",
]

FreeJson = Annotated[dict[str, Any], AfterValidator(check_json_value)]


class FabricFields(StrictModel):
    fabric_name: ShortText = ""
    fabric_colour: ShortText = ""
    fabric_width_mm: float = Field(default=1500.0, gt=100, le=5000, description="usable width, mm")
    selvedge_mm: float = Field(default=10.0, ge=0, le=100)
    nap: Nap = Nap.none
    repeat_along_mm: float = Field(default=0.0, ge=0, le=5000)
    repeat_across_mm: float = Field(default=0.0, ge=0, le=5000)
    cross_grain_allowed: bool = False
    shrinkage_warp_pct: float = Field(default=0.0, ge=-10, le=30)
    shrinkage_weft_pct: float = Field(default=0.0, ge=-10, le=30)


class LineCreate(StrictModel):
    """One wearer or one home-textile item. ``inputs`` follow the product's input schema
    (``GET /api/products``): for garments ``sex``, ``stature`` (mm), ``weight_kg``, ``age_years`` and/or
    body measurements in mm by ISO 8559-1 name; for home textiles the product's dimensions."""

    wearer_ref: ShortText | None = None
    product_id: str = Field(min_length=1, max_length=50)
    inputs: FreeJson = Field(default_factory=dict)
    options: FreeJson = Field(default_factory=dict)
    size: ShortText | None = None
    quantity: int = Field(default=1, ge=1, le=100_000)


class LineUpdate(StrictModel):
    wearer_ref: ShortText | None = None
    product_id: str | None = Field(default=None, min_length=1, max_length=50)
    inputs: FreeJson | None = None
    options: FreeJson | None = None
    size: ShortText | None = None
    quantity: int | None = Field(default=None, ge=1, le=100_000)


class LinePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    line_no: int
    wearer_ref: str | None
    product_id: str
    inputs: dict[str, Any]
    options: dict[str, Any]
    size: str | None
    quantity: int
    personal_data_erased_at: dt.datetime | None


class LineList(BaseModel):
    data: list[LinePublic]
    count: int


class OrderCreate(FabricFields):
    reference: ShortText = Field(min_length=1)
    customer_ref: ShortText | None = None
    due_date: dt.date | None = None
    notes: Text = ""
    lines: list[LineCreate] = Field(default_factory=list, max_length=5000)


class OrderUpdate(StrictModel):
    reference: ShortText | None = Field(default=None, min_length=1)
    customer_ref: ShortText | None = None
    due_date: dt.date | None = None
    notes: Text | None = None
    fabric_name: ShortText | None = None
    fabric_colour: ShortText | None = None
    fabric_width_mm: float | None = Field(default=None, gt=100, le=5000)
    selvedge_mm: float | None = Field(default=None, ge=0, le=100)
    nap: Nap | None = None
    repeat_along_mm: float | None = Field(default=None, ge=0, le=5000)
    repeat_across_mm: float | None = Field(default=None, ge=0, le=5000)
    cross_grain_allowed: bool | None = None
    shrinkage_warp_pct: float | None = Field(default=None, ge=-10, le=30)
    shrinkage_weft_pct: float | None = Field(default=None, ge=-10, le=30)


class StepPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    step: str
    status: str
    reason: str | None
    job_id: int | None
    summary: dict[str, Any] | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class OrderSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    reference: str
    customer_ref: str | None
    status: str
    due_date: dt.date | None
    promised_date: dt.date | None
    created_at: dt.datetime
    line_count: int = 0
    total_quantity: int = 0


class OrderPublic(OrderSummary):
    notes: str
    fabric_name: str
    fabric_colour: str
    fabric_width_mm: float
    selvedge_mm: float
    nap: str
    repeat_along_mm: float
    repeat_across_mm: float
    cross_grain_allowed: bool
    shrinkage_warp_pct: float
    shrinkage_weft_pct: float
    personal_data_erased_at: dt.datetime | None
    updated_at: dt.datetime
    lines: list[LinePublic] = []
    steps: list[StepPublic] = []


class OrderList(BaseModel):
    data: list[OrderSummary]
    count: int


class ArtifactPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    line_id: int | None
    step: str
    name: str
    media_type: str
    created_at: dt.datetime


class JobPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    state: str
    attempts: int
    progress: float
    message: str | None
    error: str | None
    result: dict[str, Any] | None
    order_id: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class TicketPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    line_id: int
    code: str
    status: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ScanRequest(StrictModel):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class AuditPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    actor_id: int | None
    entity: str
    entity_id: int
    order_id: int | None
    action: str
    fields: list[str]
    changes: dict[str, Any]


class AuditList(BaseModel):
    data: list[AuditPublic]
    count: int


class ImportResult(BaseModel):
    order_id: int
    imported: int
    lines: list[LinePublic]
