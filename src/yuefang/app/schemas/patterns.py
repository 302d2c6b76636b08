"""Schemas of the pattern API: a draft request and its answer."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from yuefang.app.schemas.common import ShortText, check_json_value

__all__ = ["DraftRequest", "DraftResult", "EXPORT_FORMATS"]

FreeJson = Annotated[dict[str, Any], AfterValidator(check_json_value)]

#: export format -> (file name, media type)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "svg": ("pattern.svg", "image/svg+xml"),
    "pdf-a4": ("pattern-a4.pdf", "application/pdf"),
    "pdf-plot": ("pattern-plot.pdf", "application/pdf"),
    "dxf": ("pattern.dxf", "image/vnd.dxf"),
    "hpgl": ("pattern.plt", "application/vnd.hp-hpgl"),
    "pieces": ("pieces.json", "application/json"),
    "report": ("report.json", "application/json"),
}


class DraftRequest(BaseModel):
    """A product's inputs and options. A garment's inputs are a body (``sex``, ``stature`` mm,
    ``weight_kg``, ``age_years`` and any measurements in mm): the rest is completed first, as the
    order's ``measured`` step does. A home textile's inputs follow its ``inputs_model``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"inputs": {"window_width_mm": 1800, "drop_mm": 2400},
                                       "options": {"heading": "pencil_pleat", "panels": 2}}},
    )

    inputs: FreeJson = Field(default_factory=dict)
    options: FreeJson = Field(default_factory=dict)
    size: ShortText | None = Field(default=None, max_length=40, description="size label printed on the pieces")
    order_line: ShortText | None = Field(default=None, max_length=40, description="order line printed on the pieces")


class DraftResult(BaseModel):
    product: str
    size: str | None
    ok: bool = Field(description="the pattern's self-checks pass")
    pieces: dict[str, Any] = Field(description="pieces.json: the Pattern JSON")
    report: dict[str, Any]
    svg: str = Field(description="pattern.svg, 1:1 in mm")
