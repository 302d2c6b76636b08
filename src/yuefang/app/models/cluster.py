"""Tables of the cluster office: indicator figures (every revision kept), the current figures per
enterprise and period (what the dashboard reads), import batches, review flags, and a label for
synthetic enterprises. The enterprise register itself is the platform's ``enterprise`` table.

The view ``cluster_enterprise_v`` (created by migration ``0002_cluster``) gives the register in
the shape :mod:`yuefang.cluster.analytics` reads (``enterprise_id``, 4-digit ``city_code``,
``synthetic``), so the dashboard's SQL runs unchanged on PostgreSQL, SQLite and DuckDB.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yuefang.app.db import Base, UTCDateTime, utcnow

__all__ = [
    "ClusterImportBatch",
    "ClusterFigure",
    "ClusterMonthly",
    "ClusterReviewFlag",
    "ClusterEnterpriseMeta",
    "ENTERPRISE_VIEW",
]

#: The register as the analytics SQL reads it (see :class:`yuefang.cluster.analytics.Tables`).
ENTERPRISE_VIEW = "cluster_enterprise_v"


class ClusterImportBatch(Base):
    """One import (enterprise register or indicator file): who, what file, what it changed."""

    __tablename__ = "cluster_import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # enterprises | indicators | synthetic
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    unit: Mapped[str] = mapped_column(String(10), default="yuan")
    ytd: Mapped[bool] = mapped_column(Boolean, default=False)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    figures_new: Mapped[int] = mapped_column(Integer, default=0)
    figures_revised: Mapped[int] = mapped_column(Integer, default=0)
    figures_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), default=None, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClusterFigure(Base):
    """One revision of one figure: revision 1 is the first value; a correction adds revision 2 ..."""

    __tablename__ = "cluster_figure"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "year", "first_month", "last_month", "indicator", "revision",
                         name="uq_cluster_figure_key_revision"),
        Index("ix_cluster_figure_key", "enterprise_id", "year", "last_month", "indicator"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(SmallInteger)
    first_month: Mapped[int] = mapped_column(SmallInteger)
    last_month: Mapped[int] = mapped_column(SmallInteger)
    indicator: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10))  # reported | estimated | derived
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("cluster_import_batch.id"), default=None, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClusterMonthly(Base):
    """The current figures of one enterprise and period, one column per indicator (money in yuan).

    ``sources`` holds one letter per indicator in :class:`yuefang.cluster.model.Indicator` order:
    ``r`` reported, ``e`` estimated, ``d`` derived, ``-`` none.
    """

    __tablename__ = "cluster_monthly"
    __table_args__ = (Index("ix_cluster_monthly_year_enterprise", "year", "enterprise_id"),)

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    first_month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    last_month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    main_business_income_yuan: Mapped[float | None] = mapped_column(Float, default=None)
    industrial_added_value_yuan: Mapped[float | None] = mapped_column(Float, default=None)
    gross_output_yuan: Mapped[float | None] = mapped_column(Float, default=None)
    total_profit_yuan: Mapped[float | None] = mapped_column(Float, default=None)
    employees: Mapped[float | None] = mapped_column(Float, default=None)
    rd_expenditure_yuan: Mapped[float | None] = mapped_column(Float, default=None)
    export_delivery_value_yuan: Mapped[float | None] = mapped_column(Float, default=None)
    digital_maturity_level: Mapped[float | None] = mapped_column(Float, default=None)
    sources: Mapped[str] = mapped_column(String(8), default="--------")


class ClusterReviewFlag(Base):
    """An implausible figure flagged for review (kept, never dropped)."""

    __tablename__ = "cluster_review_flag"
    __table_args__ = (Index("ix_cluster_review_flag_enterprise", "enterprise_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(SmallInteger)
    first_month: Mapped[int] = mapped_column(SmallInteger)
    last_month: Mapped[int] = mapped_column(SmallInteger)
    indicator: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | accepted | corrected
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("cluster_import_batch.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClusterEnterpriseMeta(Base):
    """What the cluster office adds to a register entry: whether the enterprise is synthetic demo data."""

    __tablename__ = "cluster_enterprise_meta"

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
