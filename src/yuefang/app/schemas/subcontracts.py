"""Schemas of subcontracts: the offer, its state, and the receiver's view without personal or body data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yuefang.app.models import SubcontractStatus
from yuefang.app.schemas.common import ShortText, StrictModel

__all__ = [
    "SubcontractCreate",
    "SubcontractPublic",
    "SubcontractLineView",
    "SubcontractPlanEntry",
    "SubcontractView",
    "SubcontractList",
]


class SubcontractCreate(StrictModel):
    order_id: int = Field(ge=1, le=2_147_483_647)
    to_enterprise_id: int = Field(ge=1, le=2_147_483_647)
    scope: ShortText = ""


class SubcontractPublic(BaseModel):
    """A subcontract and its state: ``offered``, then ``accepted`` or ``declined`` by the receiver,
    or ``withdrawn`` by the offerer. Only an accepted one opens the receiver's sewing lines to the
    order's ``planned`` step."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    from_enterprise_id: int
    to_enterprise_id: int
    scope: str
    status: SubcontractStatus
    decided_at: dt.datetime | None
    created_at: dt.datetime


class SubcontractLineView(BaseModel):
    line_no: int
    product_id: str
    options: dict[str, Any]
    size: str | None
    quantity: int


class SubcontractPlanEntry(BaseModel):
    """The order's planned work on one of the receiver's sewing lines."""

    product_id: str
    line_id: str
    start: dt.datetime
    end: dt.datetime


class SubcontractView(SubcontractPublic):
    """What both sides see: no customer, wearer or body data."""

    order_reference: str
    due_date: dt.date | None
    fabric: dict[str, Any]
    lines: list[SubcontractLineView]
    planned_on_receiver_lines: list[SubcontractPlanEntry] = []


class SubcontractList(BaseModel):
    data: list[SubcontractPublic]
    count: int
