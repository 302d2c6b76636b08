"""The home textiles' shared self-checks and input validation."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, Field

from yuefang.pattern.errors import OptionError
from yuefang.pattern.home._common import parse_model, self_checks
from yuefang.pattern.model import DrillHole, Piece


def _by_name(checks):
    return {c["name"]: c for c in checks}


def test_good_piece_passes_every_check() -> None:
    p = Piece(name="p", label="p", cut=((0, 0), (100, 0), (100, 50), (0, 50)), sew=((10, 10), (90, 10), (90, 40), (10, 40)),
              grain=((50, 10), (50, 40)))
    assert all(c["ok"] and c["kind"] == "geometry" for c in self_checks([p]))


def test_bow_tie_clockwise_and_stray_marks_fail() -> None:
    bow = Piece(name="bow", label="", cut=((0, 0), (100, 100), (100, 0), (0, 100)), grain=((10, 50), (20, 50)))
    cw = Piece(name="cw", label="", cut=((0, 0), (0, 50), (100, 50), (100, 0)), grain=((50, 10), (50, 40)),
               sew=((-5, -5), (0, 60), (100, 60), (100, 0)), drill_holes=(DrillHole(x=500, y=500),))
    checks = _by_name(self_checks([bow, cw]))
    assert not checks["valid_polygons"]["ok"] and "bow" in checks["valid_polygons"]["detail"]
    assert "cw" in checks["valid_polygons"]["detail"]
    assert not checks["sew_inside_cut"]["ok"] and not checks["marks_inside"]["ok"]


def test_parse_model_names_field_value_and_range() -> None:
    class M(BaseModel):
        model_config = ConfigDict(extra="forbid")
        width_mm: float = Field(ge=10, le=20)

    with pytest.raises(OptionError) as exc:
        parse_model(M, {"width_mm": 25}, OptionError)
    assert (exc.value.field, exc.value.value) == ("width_mm", 25) and "<= 20" in exc.value.allowed
    with pytest.raises(OptionError) as exc:
        parse_model(M, {"width_mm": 15, "depth_mm": 3}, OptionError)
    assert exc.value.field == "depth_mm" and "width_mm" in exc.value.allowed
