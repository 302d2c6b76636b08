"""Request bodies of the marker endpoints (``/api/marker``).

The pattern is a ``pieces.json`` object (:class:`yuefang.pattern.model.Pattern`); it is taken as
JSON and validated by the service, so that a bad pattern comes back as 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from yuefang.app.schemas.common import ShortText, StrictModel, check_json_value

__all__ = ["MAX_PATTERNS", "MAX_TIME_LIMIT_S", "FabricIn", "PatternQuantity", "NestRequest", "CutPlanRequest"]

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


SizeName = Annotated[str, Field(min_length=1, max_length=40)]
Quantity = Annotated[int, Field(ge=0, le=1_000_000)]


class CutPlanRequest(StrictModel):
    """``POST /api/marker/plan``: markers, plies and lays for a batch (cut order planning).

    Give either ``patterns`` (a pieces.json per size, with ``fabric``: marker lengths are estimated
    from the pieces and the chosen markers nested for real) or ``consumption_mm`` (the marker length
    one garment of each size takes: the plan is made on those lengths, nothing is nested).
    """

    demand: dict[ShortText, dict[SizeName, Quantity]] = Field(
        min_length=1, max_length=50, description="garments wanted: colour -> size -> quantity"
    )
    patterns: dict[SizeName, JsonObject] | None = Field(
        default=None, max_length=MAX_PATTERNS, description="size -> pieces.json Pattern"
    )
    fabric: FabricIn | None = Field(default=None, validate_default=True)
    consumption_mm: dict[SizeName, Annotated[float, Field(gt=0, le=100_000)]] | None = Field(
        default=None, max_length=50, validate_default=True, description="size -> marker length per garment, mm"
    )
    max_plies: int = Field(default=80, ge=1, le=1000)
    min_plies: int = Field(default=1, ge=1, le=1000, validate_default=True)
    max_marker_length_mm: float = Field(default=8000.0, gt=0, le=100_000, description="cutting table, mm")
    end_allowance_mm: float = Field(default=20.0, ge=0, le=1000)
    cost_per_lay: float = Field(default=0.0, ge=0, le=1e6)
    cost_per_marker: float = Field(default=0.0, ge=0, le=1e6)
    fabric_cost_per_m: float = Field(default=1.0, ge=0, le=1e6)
    over_cut_pct: float = Field(default=0.0, ge=0, le=100)
    max_garments_per_marker: int = Field(default=6, ge=1, le=12)
    colours_share_lays: bool = False
    time_limit_s: int = Field(default=10, ge=1, le=MAX_TIME_LIMIT_S, description="planning solver budget, s")
    nest_time_limit_s: int = Field(default=5, ge=1, le=MAX_TIME_LIMIT_S, description="per chosen marker, s")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)

    @field_validator("fabric")
    @classmethod
    def _fabric_with_patterns(cls, v: FabricIn | None, info: ValidationInfo) -> FabricIn | None:
        if v is None and info.data.get("patterns") is not None:
            raise ValueError("required with patterns: the fabric the markers are nested on")
        return v

    @field_validator("consumption_mm")
    @classmethod
    def _one_source(cls, v: dict[str, float] | None, info: ValidationInfo) -> dict[str, float] | None:
        if (v is None) == (info.data.get("patterns") is None) and "patterns" in info.data:
            raise ValueError("give either patterns (with fabric) or consumption_mm (size -> mm), not both or neither")
        return v

    @field_validator("min_plies")
    @classmethod
    def _min_below_max(cls, v: int, info: ValidationInfo) -> int:
        top = info.data.get("max_plies")
        if top is not None and v > top:
            raise ValueError(f"at most max_plies ({top})")
        return v
