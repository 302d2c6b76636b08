"""An enterprise's factories and their sewing lines: what the ``planned`` step schedules on.

A sewing line's daily capacity is ``operators x minutes_per_day x efficiency`` SMV-minutes, with a
learning curve on a new style and a changeover before it (see ``yuefang.plan.Line``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yuefang.app.db import Base, UTCDateTime, utcnow

__all__ = ["Factory", "SewingLine"]


class Factory(Base):
    """A factory of one enterprise (a tenant's own site)."""

    __tablename__ = "factory"
    __table_args__ = (UniqueConstraint("enterprise_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    city_code: Mapped[str] = mapped_column(String(6), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lines: Mapped[list[SewingLine]] = relationship(
        back_populates="factory", cascade="all, delete-orphan", order_by="SewingLine.id"
    )


class SewingLine(Base):
    """A sewing line of a factory: operators, working minutes a day, efficiency, products it makes.

    ``products`` empty means every product; ``enterprise_id`` repeats the factory's (tenant filter).
    """

    __tablename__ = "sewing_line"
    __table_args__ = (UniqueConstraint("factory_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    factory_id: Mapped[int] = mapped_column(ForeignKey("factory.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    operators: Mapped[int] = mapped_column(Integer)
    minutes_per_day: Mapped[float] = mapped_column(Float, default=480.0)
    efficiency: Mapped[float] = mapped_column(Float, default=0.65)
    products: Mapped[list[Any]] = mapped_column(JSON, default=list)
    current_product: Mapped[str | None] = mapped_column(String(50), default=None)
    changeover_min: Mapped[float] = mapped_column(Float, default=60.0)
    learning_days: Mapped[float] = mapped_column(Float, default=3.0)
    learning_start_fraction: Mapped[float] = mapped_column(Float, default=0.6)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    factory: Mapped[Factory] = relationship(back_populates="lines")

    @property
    def capacity_smv_min_per_day(self) -> float:
        """SMV-minutes the line produces per day at steady efficiency."""
        return self.operators * self.minutes_per_day * self.efficiency
