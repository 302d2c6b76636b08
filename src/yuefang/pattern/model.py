"""The typed pattern: pieces to cut, and ``pieces.json``, the contract with the marker.

Conventions (all lengths in millimetres):

* Each piece lives in its own frame, x to the right, y up (as drawn on the pattern table).
* ``cut`` is the cut line (seam allowance included), ``sew`` the sew line; both are closed
  rings given counter-clockwise without repeating the first vertex.
* ``grain`` is a segment whose direction is the warp (the straight grain). The marker turns
  every piece so that this direction runs along the marker's length, then applies the
  allowed rotations (``allowed_rotations_deg``, e.g. 0/180) on top.
* ``quantity`` is the number of pieces cut for one garment (one order line). When
  ``mirrored_pair`` is true the pieces come as left/right mirror images (quantity is even:
  half as drawn, half mirrored).
* ``cut_on_fold`` means ``cut`` is half the piece; ``fold_line`` is the line to unfold it
  across. The marker unfolds it; a pattern printout shows the half with a fold mark.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Pt",
    "Notch",
    "DrillHole",
    "Line",
    "Piece",
    "Pattern",
    "PIECES_SCHEMA_VERSION",
]

PIECES_SCHEMA_VERSION = 1

Pt = tuple[float, float]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Notch(_Frozen):
    """A notch on the cut line at (x, y); ``angle_deg`` points into the piece."""

    x: float
    y: float
    angle_deg: float = 0.0
    name: str = ""


class DrillHole(_Frozen):
    x: float
    y: float
    name: str = ""


class Line(_Frozen):
    """An internal line: fold, mirror, dart legs, buttonholes, placement marks."""

    kind: Literal["fold", "mirror", "internal", "dart", "buttonhole", "button", "placement"]
    points: tuple[Pt, ...] = Field(min_length=2)
    name: str = ""


class Piece(_Frozen):
    name: str = Field(description="machine name of the piece, e.g. 'front', 'sleeve'")
    label: str = Field(description="human label, e.g. 'Front 前片'")
    cut: tuple[Pt, ...] = Field(min_length=3, description="cut line, CCW, mm")
    sew: tuple[Pt, ...] | None = Field(default=None, description="sew line, CCW, mm")
    turn_points: tuple[int, ...] = Field(
        default=(), description="indices into `cut` that are corners (the rest are curve points)"
    )
    grain: tuple[Pt, Pt] = Field(description="grain line segment; its direction is the warp")
    allowed_rotations_deg: tuple[float, ...] = (0.0, 180.0)
    quantity: int = Field(default=1, ge=1)
    mirrored_pair: bool = False
    cut_on_fold: bool = False
    fold_line: tuple[Pt, Pt] | None = None
    notches: tuple[Notch, ...] = ()
    drill_holes: tuple[DrillHole, ...] = ()
    lines: tuple[Line, ...] = ()
    seam_allowance_mm: float | None = None

    @model_validator(mode="after")
    def _check(self) -> Piece:
        if self.cut_on_fold and self.fold_line is None:
            raise ValueError(f"piece {self.name!r}: cut_on_fold needs a fold_line")
        if self.mirrored_pair and self.quantity % 2:
            raise ValueError(f"piece {self.name!r}: a mirrored pair needs an even quantity, got {self.quantity}")
        return self


class Pattern(_Frozen):
    """Every piece of one product drafted for one body (or one set of dimensions)."""

    schema_version: int = PIECES_SCHEMA_VERSION
    units: Literal["mm"] = "mm"
    product: str
    size: str | None = Field(default=None, description="size label, e.g. '170/88A', or None for MTM")
    order_line: str | None = None
    inputs: dict[str, float | str] = Field(default_factory=dict)
    options: dict[str, float | str | bool] = Field(default_factory=dict)
    pieces: tuple[Piece, ...]
    report: dict[str, object] = Field(default_factory=dict, description="self-check results")

    def to_json(self) -> str:
        """``pieces.json`` text."""
        return self.model_dump_json(indent=1)

    @classmethod
    def from_json(cls, text: str | bytes) -> Pattern:
        return cls.model_validate(json.loads(text))
