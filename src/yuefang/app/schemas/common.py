"""Constrained field types shared by the schemas."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = ["Text", "ShortText", "ID_MAX", "Page", "StrictModel", "check_json_value"]

ID_MAX = 2_147_483_647


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain the NUL character")
    return value


def check_json_value(value: Any, depth: int = 0) -> Any:
    """Reject NUL characters and nesting deeper than 8 in free JSON (databases refuse them)."""
    if depth > 8:
        raise ValueError("nesting deeper than 8 levels is not allowed")
    if isinstance(value, str):
        _no_nul(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_nul(str(k))
            check_json_value(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            check_json_value(v, depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        raise ValueError("integers beyond 2**53 are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul), Field(max_length=2000)]
ShortText = Annotated[str, AfterValidator(_no_nul), Field(max_length=200)]


class StrictModel(BaseModel):
    """Input models refuse unknown fields."""

    model_config = ConfigDict(extra="forbid")


class Page(BaseModel):
    count: int
