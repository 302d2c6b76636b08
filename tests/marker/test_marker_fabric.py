"""Fabric: usable width and input errors."""

from __future__ import annotations

import pytest

from yuefang.marker import Fabric, MarkerInputError, fabric_from_dict


def test_usable_width_takes_off_both_selvedges():
    assert Fabric(width_mm=1500, selvedge_mm=12.5).usable_width_mm == 1475.0


def test_shrinkage_scale():
    f = Fabric(width_mm=1500, shrinkage_warp_pct=5)
    assert f.warp_scale == pytest.approx(1 / 0.95)
    assert f.weft_scale == 1.0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"width_mm": -1}, "fabric.width_mm"),
        ({"width_mm": 1500, "nap": "sideways"}, "fabric.nap"),
        ({"width_mm": 100, "selvedge_mm": 60}, "fabric.selvedge_mm"),
        ({"width_mm": 1500, "shrinkage_warp_pct": 80}, "fabric.shrinkage_warp_pct"),
    ],
)
def test_fabric_errors_name_field_value_and_allowed(data, field):
    with pytest.raises(MarkerInputError) as info:
        fabric_from_dict(data)
    assert info.value.field == field
    assert "allowed" in str(info.value)
