"""Made-to-measure orders, their lines, steps, step outputs, tickets and subcontracts."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from yuefang.app.db import Base, UTCDateTime, utcnow

__all__ = [
    "OrderStatus",
    "StepName",
    "StepStatus",
    "STEP_ORDER",
    "Nap",
    "Order",
    "OrderLine",
    "OrderStep",
    "Artifact",
    "Ticket",
    "Subcontract",
    "SubcontractStatus",
]


class OrderStatus(StrEnum):
    """An order's state: the last step done (or ``cancelled``)."""

    received = "received"
    measured = "measured"
    drafted = "drafted"
    nested = "nested"
    planned = "planned"
    in_production = "in_production"
    done = "done"
    cancelled = "cancelled"


class StepName(StrEnum):
    """The steps carried out by a domain package, as a job, in this order."""

    measured = "measured"
    drafted = "drafted"
    nested = "nested"
    planned = "planned"


STEP_ORDER: tuple[str, ...] = (
    "received",
    "measured",
    "drafted",
    "nested",
    "planned",
    "in_production",
    "done",
)


class StepStatus(StrEnum):
    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"
    skipped = "skipped"


class Nap(StrEnum):
    none = "none"
    one_way = "one_way"


class Order(Base):
    """One enterprise's made-to-measure order, with its fabric."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    reference: Mapped[str] = mapped_column(String(100))
    customer_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.received.value, index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    promised_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    fabric_name: Mapped[str] = mapped_column(String(200), default="")
    fabric_colour: Mapped[str] = mapped_column(String(100), default="")
    fabric_width_mm: Mapped[float] = mapped_column(Float, default=1500.0)
    selvedge_mm: Mapped[float] = mapped_column(Float, default=10.0)
    nap: Mapped[str] = mapped_column(String(10), default=Nap.none.value)
    repeat_along_mm: Mapped[float] = mapped_column(Float, default=0.0)
    repeat_across_mm: Mapped[float] = mapped_column(Float, default=0.0)
    cross_grain_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    shrinkage_warp_pct: Mapped[float] = mapped_column(Float, default=0.0)
    shrinkage_weft_pct: Mapped[float] = mapped_column(Float, default=0.0)
    personal_data_erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )
    steps: Mapped[list[OrderStep]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderStep.id"
    )


class OrderLine(Base):
    """One wearer or one home-textile item: product, inputs, options, size, quantity."""

    __tablename__ = "order_line"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    wearer_ref: Mapped[str | None] = mapped_column(String(200), default=None)
    product_id: Mapped[str] = mapped_column(String(50))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    size: Mapped[str | None] = mapped_column(String(50), default=None)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    personal_data_erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship(back_populates="lines")


# Line count and total quantity of an order, loaded with it (lists show them).
Order.line_count = column_property(  # type: ignore[attr-defined]
    select(func.count(OrderLine.id)).where(OrderLine.order_id == Order.id).correlate_except(OrderLine).scalar_subquery()
)
Order.total_quantity = column_property(  # type: ignore[attr-defined]
    select(func.coalesce(func.sum(OrderLine.quantity), 0))
    .where(OrderLine.order_id == Order.id)
    .correlate_except(OrderLine)
    .scalar_subquery()
)


class OrderStep(Base):
    """The status of one step of one order; its outputs are ``Artifact`` rows."""

    __tablename__ = "order_step"
    __table_args__ = (UniqueConstraint("order_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=StepStatus.pending.value)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    # the reason as a catalogue message: its key in ``steps.STEP_MESSAGES`` and the values it names,
    # so that pages show it in the reader's language (``reason`` keeps the English text for the API)
    reason_key: Mapped[str | None] = mapped_column(String(40), default=None)
    reason_params: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    job_id: Mapped[int | None] = mapped_column(Integer, default=None)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)

    order: Mapped[Order] = relationship(back_populates="steps")


class Artifact(Base):
    """A kept output of a step (JSON or SVG text), per order and optionally per line."""

    __tablename__ = "artifact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("order_line.id", ondelete="CASCADE"), default=None)
    step: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(50))
    content: Mapped[str] = mapped_column(Text)
    personal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Ticket(Base):
    """A bundle ticket for one line, with a QR code; scans move the order to production and done."""

    __tablename__ = "ticket"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="issued")
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubcontractStatus(StrEnum):
    """``offered -> accepted | declined`` (by the receiver), or ``withdrawn`` (by the offerer)."""

    offered = "offered"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"


class Subcontract(Base):
    """Work on an order shared with another enterprise (without personal or body data).

    Only an ``accepted`` subcontract lets the ``planned`` step use the receiver's sewing lines.
    """

    __tablename__ = "subcontract"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    to_enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    scope: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=SubcontractStatus.offered.value,
                                        server_default=SubcontractStatus.offered.value, index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
