"""An enterprise's own operation bulletins: one per product, replacing the shipped default.

The bulletin is kept as the CSV text that :func:`yuefang.plan.read_bulletin_csv` reads (the same
format as the defaults and the import), validated before it is stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yuefang.app.db import Base, UTCDateTime, utcnow

__all__ = ["EnterpriseBulletin"]


class EnterpriseBulletin(Base):
    """One enterprise's bulletin of one product (its operations, SMV, machine, skill, precedence)."""

    __tablename__ = "enterprise_bulletin"
    __table_args__ = (UniqueConstraint("enterprise_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(String(50))
    csv_text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), default=None
    )
