"""Tenancy: enterprises of the cluster, their users and roles, and login tokens."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yuefang.app.db import Base, UTCDateTime, utcnow

__all__ = ["Role", "ENTERPRISE_ROLES", "DEFAULT_TIME_ZONE", "Enterprise", "User", "ApiToken"]

#: The cluster's time zone (Guangdong), used when an enterprise names none.
DEFAULT_TIME_ZONE = "Asia/Shanghai"


class Role(StrEnum):
    """A user's role. ``cluster_admin`` belongs to the cluster office (no enterprise)."""

    cluster_admin = "cluster_admin"
    enterprise_admin = "enterprise_admin"
    order_desk = "order_desk"
    planner = "planner"
    cutting_room = "cutting_room"
    shop_floor = "shop_floor"


ENTERPRISE_ROLES = frozenset(r for r in Role if r is not Role.cluster_admin)


class Enterprise(Base):
    """An enterprise of the cluster (a tenant): every order belongs to exactly one."""

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True, default=None)
    city_code: Mapped[str] = mapped_column(String(6), index=True)
    county: Mapped[str | None] = mapped_column(String(100), default=None)
    industry_code: Mapped[str | None] = mapped_column(String(8), default=None)
    above_designated_size: Mapped[bool] = mapped_column(Boolean, default=False)
    key_tier: Mapped[str | None] = mapped_column(String(40), default=None)
    # IANA time zone the enterprise plans in (its working day and promised dates)
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="enterprise")


class User(Base):
    """A person who logs in; ``enterprise_id`` is null only for the cluster office."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    enterprise: Mapped[Enterprise | None] = relationship(back_populates="users")


class ApiToken(Base):
    """A login: the bearer token (API) or session cookie (web) is stored only as its SHA-256."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="bearer")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()
