"""Schemas of the measurement API: a body to complete, a batch, a size chart to fit."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yuefang.app.schemas.common import ShortText

__all__ = ["MAX_BATCH", "BodyIn", "SizeChartIn", "SizeChartFitRequest", "BatchRow", "BatchResult"]

#: most people in one batch request (JSON list or CSV upload)
MAX_BATCH = 2000

Number = Annotated[float, Field(allow_inf_nan=False)]


class BodyIn(BaseModel):
    """A body to complete: sex, stature (mm), weight (kg), optional age, and any measurements (mm)
    by ISO 8559-1 name as extra fields (``chest_girth``: 960). Plausibility is checked by
    ``yuefang.measure.validate_body``: a bad value answers 422 naming field, value and allowed range."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"example": {"sex": "male", "stature": 1750, "weight_kg": 72, "age_years": 35,
                                       "chest_girth": 960}},
    )

    sex: ShortText = Field(description="'female' or 'male' (also F/M, 女/男)")
    stature: Number = Field(description="mm")
    weight_kg: Number | None = Field(default=None, description="kg; absent: predicted (wider intervals)")
    age_years: Number | None = Field(default=None, description="years")

    def row(self) -> dict[str, Any]:
        """The body as one row for ``yuefang.measure.complete_many``."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


class ToleranceValue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Number = Field(gt=0, le=10_000, description="mm")
    tolerance: Number | None = Field(default=None, gt=0, le=1_000, description="± mm")


class SizeChartIn(BaseModel):
    """A size chart in the JSON form ``yuefang.measure.SizeChart.from_dict`` reads."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"name": "shirts", "basis": "body", "sizes": {
            "M": {"chest_girth": 960, "waist_girth": 820}, "L": {"chest_girth": 1000, "waist_girth": 860}}}},
    )

    name: ShortText = ""
    basis: Literal["body", "garment"] = "body"
    garment_type: ShortText | None = Field(default=None, description="for basis 'garment': the ease taken off")
    default_tolerance_mm: Number = Field(default=20.0, gt=0, le=1_000)
    sizes: dict[ShortText, dict[ShortText, Number | ToleranceValue]] = Field(
        max_length=200, description="size label -> measurement name -> mm or {value, tolerance}")

    def chart_dict(self) -> dict[str, Any]:
        d = self.model_dump()
        for ms in d["sizes"].values():
            for k, v in list(ms.items()):
                if isinstance(v, dict) and v.get("tolerance") is None:
                    ms[k] = {"value": v["value"]}
        return d


class SizeChartFitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chart: SizeChartIn
    body: BodyIn


class BatchRow(BaseModel):
    """One person of a batch: the completed body, or the errors that stopped it."""

    index: int = Field(description="0-based position in the batch")
    line: int | None = Field(default=None, description="line of the CSV file (header = line 1)")
    id: str | None = None
    body: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list)
    reason: str | None = None


class BatchResult(BaseModel):
    count: int
    completed: int
    failed: int
    ignored_columns: list[str] = Field(default_factory=list, description="CSV columns that are no measurement name")
    rows: list[BatchRow]
