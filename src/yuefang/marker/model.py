"""The marker as a value: pieces as nested, every placement, length and utilisation.

Coordinates (mm): x runs along the marker's length (the warp), from 0 at the marker's start;
y runs across the usable fabric width, from 0 at one selvedge line to ``width_mm`` at the other.
A placement turns its piece's ``outline`` (given in the piece's nesting frame) by
``rotation_deg`` counter-clockwise about the frame's origin, then moves it by ``(x_mm, y_mm)``.
"""

from __future__ import annotations

import json
import math

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Pt", "MarkerPiece", "Placement", "Marker", "transform_outline"]

Pt = tuple[float, float]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MarkerPiece(_Frozen):
    """One kind of piece in the marker, as prepared for nesting.

    ``outline`` is the cut line in the nesting frame: grain along +x, unfolded if cut on fold,
    mirrored if ``mirrored``, enlarged for shrinkage; counter-clockwise, first vertex not repeated.
    """

    key: str = Field(description="unique id of this kind of piece in the marker, e.g. '0:front:m'")
    order_line: int = Field(ge=0, description="index of the order line the piece belongs to")
    name: str
    label: str = ""
    size: str | None = None
    mirrored: bool = False
    demand: int = Field(ge=1, description="copies to place")
    allowed_rotations_deg: tuple[float, ...]
    outline: tuple[Pt, ...] = Field(min_length=3)
    area_mm2: float = Field(gt=0)


class Placement(_Frozen):
    """Where one copy of a piece lies in the marker."""

    piece: str = Field(description="MarkerPiece.key")
    name: str
    copy_index: int = Field(ge=0, alias="copy", serialization_alias="copy")
    x_mm: float
    y_mm: float
    rotation_deg: float
    mirrored: bool
    outline: tuple[Pt, ...] = Field(description="the piece's outline in marker coordinates, mm")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Marker(_Frozen):
    """A finished marker: the one of record once a job stores it."""

    width_mm: float = Field(gt=0, description="usable fabric width (strip height)")
    length_mm: float = Field(ge=0, description="used length along the warp")
    utilisation: float = Field(ge=0, le=1, description="piece area / (length x width)")
    gap_mm: float = 0.0
    pieces: tuple[MarkerPiece, ...]
    placements: tuple[Placement, ...]
    fabric: dict[str, object] = Field(default_factory=dict, description="the Fabric, as a dict")
    engine: str = ""
    seed: int = 0
    time_limit_s: float = 0.0
    spreading: str = "face_up"
    units: str = "mm"
    stats: dict[str, object] = Field(default_factory=dict, description="engine runs, timings")

    @property
    def piece_area_mm2(self) -> float:
        """Total area of all placed copies (mm^2)."""
        by_key = {p.key: p for p in self.pieces}
        return float(sum(by_key[pl.piece].area_mm2 for pl in self.placements))

    def to_json(self, *, indent: int | None = 1) -> str:
        """The marker as JSON (placements with ``copy``; outlines in mm)."""
        return self.model_dump_json(indent=indent, by_alias=True)

    def summary(self) -> dict[str, object]:
        """Length, width, utilisation and every placement without outlines (for ``--json``)."""
        return {
            "length_mm": round(self.length_mm, 3),
            "units": self.units,
            "width_mm": round(self.width_mm, 3),
            "utilisation": round(self.utilisation, 6),
            "pieces": sum(1 for _ in self.placements),
            "gap_mm": self.gap_mm,
            "seed": self.seed,
            "time_limit_s": self.time_limit_s,
            "engine": self.engine,
            "placements": [
                {
                    "piece": pl.piece,
                    "name": pl.name,
                    "copy": pl.copy_index,
                    "x_mm": round(pl.x_mm, 4),
                    "y_mm": round(pl.y_mm, 4),
                    "rotation_deg": pl.rotation_deg,
                    "mirrored": pl.mirrored,
                }
                for pl in self.placements
            ],
        }

    @classmethod
    def from_json(cls, text: str | bytes) -> Marker:
        """Read a marker written by :meth:`to_json`."""
        return cls.model_validate(json.loads(text))


def transform_outline(outline: tuple[Pt, ...] | list[Pt], rotation_deg: float, x_mm: float, y_mm: float) -> tuple[Pt, ...]:
    """Rotate ``outline`` counter-clockwise about the origin, then translate it.

    Examples
    --------
    >>> transform_outline([(0, 0), (2, 0), (2, 1)], 180, 2, 1)
    ((2.0, 1.0), (0.0, 1.0), (0.0, 0.0))
    """
    a = math.radians(rotation_deg)
    c, s = math.cos(a), math.sin(a)
    # snap exact quarter turns so that 180 degrees gives exact integers
    c, s = round(c, 15), round(s, 15)
    return tuple((c * x - s * y + x_mm + 0.0, s * x + c * y + y_mm + 0.0) for x, y in outline)
