"""Request bodies of the marker endpoints (``/api/marker``).

The pattern is a ``pieces.json`` object (:class:`yuefang.pattern.model.Pattern`); it is taken as
JSON and validated by the service, so that a bad pattern comes back as 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from yuefang.app.schemas.common import ShortText, StrictModel, check_json_value

__all__ = ["MAX_PATTERNS", "MAX_TIME_LIMIT_S", "FabricIn", "PatternQuantity", "NestRequest"]

MAX_PATTERNS = 20
MAX_TIME_LIMIT_S = 600

JsonObject = Annotated[dict[str, Any], AfterValidator(check_json_value)]


class FabricIn(StrictModel):
    """The fabric: the fields of :class:`yuefang.marker.Fabric` (see docs/marker.md)."""

    name: ShortText = "fabric"
    colour: ShortText = ""
    width_mm: float = Field(gt=0, le=10_000, description="full width, selvedge to selvedge, mm")
    selvedge_mm: float = Field(default=0.0, ge=0, le=5_000, description="taken off each side, mm")
    nap: Literal["none", "one_way"] = "none"
    repeat_along_mm: float = Field(default=0.0, ge=0, le=10_000)
    repeat_across_mm: float = Field(default=0.0, ge=0, le=10_000)
    cross_grain_allowed: bool = False
    shrinkage_warp_pct: float = Field(default=0.0, ge=0, lt=50)
    shrinkage_weft_pct: float = Field(default=0.0, ge=0, lt=50)


class PatternQuantity(StrictModel):
    """One order line of the marker: a pattern and the garments of it in the marker."""

    pattern: JsonObject = Field(description="a pieces.json Pattern (yuefang.pattern.model.Pattern)")
    quantity: int = Field(default=1, ge=1, le=100, description="garments of this pattern in the marker")


class NestRequest(StrictModel):
    """``POST /api/marker/nest``: nest these patterns on this fabric."""

    patterns: list[PatternQuantity] = Field(min_length=1, max_length=MAX_PATTERNS)
    fabric: FabricIn
    time_limit_s: int = Field(default=10, ge=1, le=MAX_TIME_LIMIT_S, description="nesting budget, s")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    gap_mm: float = Field(default=0.0, ge=0, le=100, description="minimum distance between pieces, mm")
    spreading: Literal["face_up", "face_to_face"] = "face_up"
