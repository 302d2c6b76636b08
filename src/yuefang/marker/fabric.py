"""The fabric a marker is made for: width, selvedges, nap, repeat, shrinkage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yuefang.marker.errors import MarkerInputError

__all__ = ["Fabric", "fabric_from_dict"]


class Fabric(BaseModel):
    """A roll of fabric as the marker sees it.

    The marker's length runs along the warp (the roll's length); its width is the usable
    width, i.e. ``width_mm`` less a selvedge on each side.

    Attributes
    ----------
    name : str
        Fabric name or article number.
    colour : str
        Colour name or code (cut order planning groups lays by colour).
    width_mm : float
        Full width of the fabric, selvedge to selvedge, mm.
    selvedge_mm : float
        Width taken off on *each* side (selvedge, pin marks), mm.
    nap : {"none", "one_way"}
        ``"one_way"`` (velvet, corduroy, one-way prints): every piece must point the same way,
        so only the 0 degree orientation is allowed.
    repeat_along_mm, repeat_across_mm : float
        Pattern repeat of a print or check, mm (recorded for the cutting room; 0 = none).
    cross_grain_allowed : bool
        Whether pieces may be turned 90 degrees (grain along the weft).
    shrinkage_warp_pct, shrinkage_weft_pct : float
        Expected shrinkage in % along the warp and the weft; pieces are enlarged by
        ``1 / (1 - pct/100)`` in that direction before nesting.

    Examples
    --------
    >>> Fabric(width_mm=1500, selvedge_mm=10).usable_width_mm
    1480.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "fabric"
    colour: str = ""
    width_mm: float = Field(gt=0, le=10_000)
    selvedge_mm: float = Field(default=0.0, ge=0)
    nap: Literal["none", "one_way"] = "none"
    repeat_along_mm: float = Field(default=0.0, ge=0)
    repeat_across_mm: float = Field(default=0.0, ge=0)
    cross_grain_allowed: bool = False
    shrinkage_warp_pct: float = Field(default=0.0, ge=0, lt=50)
    shrinkage_weft_pct: float = Field(default=0.0, ge=0, lt=50)

    @model_validator(mode="after")
    def _check_width(self) -> Fabric:
        if 2 * self.selvedge_mm >= self.width_mm:
            raise ValueError(
                f"selvedge_mm: got {self.selvedge_mm}; allowed: less than half of width_mm ({self.width_mm})"
            )
        return self

    @property
    def usable_width_mm(self) -> float:
        """Width left for pieces: ``width_mm - 2 * selvedge_mm`` (mm)."""
        return self.width_mm - 2.0 * self.selvedge_mm

    @property
    def warp_scale(self) -> float:
        """Factor applied to pieces along the warp to compensate shrinkage."""
        return 1.0 / (1.0 - self.shrinkage_warp_pct / 100.0)

    @property
    def weft_scale(self) -> float:
        """Factor applied to pieces along the weft to compensate shrinkage."""
        return 1.0 / (1.0 - self.shrinkage_weft_pct / 100.0)


def fabric_from_dict(data: dict) -> Fabric:
    """Build a :class:`Fabric`, turning Pydantic's errors into :class:`MarkerInputError`.

    Examples
    --------
    >>> fabric_from_dict({"width_mm": 0})
    Traceback (most recent call last):
    ...
    yuefang.marker.errors.MarkerInputError: fabric.width_mm: got 0; allowed: Input should be greater than 0
    """
    try:
        return Fabric.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "selvedge_mm"
        msg = err["msg"].removeprefix("Value error, ")
        if msg.startswith(loc + ":"):
            raise MarkerInputError(f"fabric.{loc}", err.get("input"), msg.split("allowed: ", 1)[-1]) from None
        raise MarkerInputError(f"fabric.{loc}", err.get("input"), msg) from None
