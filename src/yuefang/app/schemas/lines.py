"""Schemas for an enterprise's factories and sewing lines."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yuefang.app.schemas.common import ID_MAX, Page, ShortText, StrictModel

__all__ = [
    "FactoryCreate",
    "FactoryUpdate",
    "FactoryPublic",
    "FactoryList",
    "SewingLineCreate",
    "SewingLineUpdate",
    "SewingLinePublic",
    "SewingLineList",
]


def _products(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    from yuefang.app.services.products import product_ids

    known = product_ids()
    bad = [p for p in value if p not in known]
    if bad:
        raise ValueError(f"unknown product {bad[0]!r}; allowed: {', '.join(known)}")
    return list(dict.fromkeys(value))


def _product(value: str | None) -> str | None:
    if value is None:
        return None
    out = _products([value])
    return out[0] if out else None


class FactoryCreate(StrictModel):
    name: ShortText = Field(min_length=1)
    city_code: str = Field(default="", pattern=r"^(\d{6})?$", description="GB/T 2260 code, 6 digits")


class FactoryUpdate(StrictModel):
    name: ShortText | None = Field(default=None, min_length=1)
    city_code: str | None = Field(default=None, pattern=r"^(\d{6})?$")


class FactoryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    name: str
    city_code: str
    created_at: dt.datetime


class FactoryList(Page):
    data: list[FactoryPublic]


class _LineFields(StrictModel):
    operators: int | None = Field(default=None, ge=1, le=500, description="sewing operators on the line")
    minutes_per_day: float | None = Field(default=None, gt=0, le=1440, description="working minutes a day")
    efficiency: float | None = Field(default=None, gt=0, le=1.5, description="steady efficiency, 0.65 = 65 %")
    products: list[str] | None = Field(default=None, max_length=50, description="products it makes; [] = all")
    current_product: str | None = Field(default=None, description="style on the line now (no changeover)")
    changeover_min: float | None = Field(default=None, ge=0, le=10_000, description="minutes per new style")
    learning_days: float | None = Field(default=None, ge=0, le=60, description="days to reach steady efficiency")
    learning_start_fraction: float | None = Field(default=None, gt=0, le=1,
                                                  description="efficiency on day one, as a fraction of steady")
    active: bool | None = None

    @field_validator("products")
    @classmethod
    def _known_products(cls, value: list[str] | None) -> list[str] | None:
        return _products(value)

    @field_validator("current_product")
    @classmethod
    def _known_product(cls, value: str | None) -> str | None:
        return _product(value)


class SewingLineCreate(_LineFields):
    factory_id: int = Field(ge=1, le=ID_MAX)
    name: ShortText = Field(min_length=1)
    operators: int = Field(ge=1, le=500, description="sewing operators on the line")  # type: ignore[assignment]
    minutes_per_day: float = Field(default=480.0, gt=0, le=1440)  # type: ignore[assignment]
    efficiency: float = Field(default=0.65, gt=0, le=1.5)  # type: ignore[assignment]
    products: list[str] = Field(default_factory=list, max_length=50)  # type: ignore[assignment]
    changeover_min: float = Field(default=60.0, ge=0, le=10_000)  # type: ignore[assignment]
    learning_days: float = Field(default=3.0, ge=0, le=60)  # type: ignore[assignment]
    learning_start_fraction: float = Field(default=0.6, gt=0, le=1)  # type: ignore[assignment]
    active: bool = True  # type: ignore[assignment]


class SewingLineUpdate(_LineFields):
    name: ShortText | None = Field(default=None, min_length=1)


class SewingLinePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    enterprise_id: int
    factory_id: int
    name: str
    operators: int
    minutes_per_day: float
    efficiency: float
    products: list[str]
    current_product: str | None
    changeover_min: float
    learning_days: float
    learning_start_fraction: float
    active: bool
    capacity_smv_min_per_day: float = Field(description="operators x minutes_per_day x efficiency")
    created_at: dt.datetime


class SewingLineList(Page):
    data: list[SewingLinePublic]
