"""Shared API dependencies and parameter types (``Annotated`` aliases)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from yuefang.app.auth import ClusterAdmin, CurrentUser, EnterpriseUser, SessionDep, SettingsDep
from yuefang.app.schemas.common import ID_MAX

__all__ = [
    "IdPath",
    "Limit",
    "Offset",
    "SessionDep",
    "SettingsDep",
    "CurrentUser",
    "EnterpriseUser",
    "ClusterAdmin",
]

IdPath = Annotated[int, Path(ge=1, le=ID_MAX, description="id")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
