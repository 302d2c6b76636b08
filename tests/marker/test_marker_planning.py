"""Cut order planning: demand met within the over-cut limit, plies and table respected."""

from __future__ import annotations

import pytest

from yuefang.marker import Fabric, MarkerInputError, check_marker
from yuefang.marker.planning import marker_compositions, plan_cuts


@pytest.fixture(scope="module")
def patterns(make_pattern):
    return {"S": make_pattern(0.9, "S"), "M": make_pattern(1.0, "M"), "L": make_pattern(1.1, "L")}


def test_compositions_count():
    comps = marker_compositions(["S", "M", "L"], 3)
    assert len(comps) == 3 + 6 + 10
    assert {"S": 1, "M": 1, "L": 1} in comps


def test_plan_meets_demand_and_limits(patterns):
    demand = {"navy": {"S": 30, "M": 50, "L": 20}, "white": {"M": 24, "L": 12}}
    plan = plan_cuts(
        patterns,
        demand,
        Fabric(width_mm=700),
        max_plies=20,
        max_marker_length_mm=2500,
        end_allowance_mm=20,
        cost_per_lay=5.0,
        cost_per_marker=10.0,
        fabric_cost_per_m=8.0,
        over_cut_pct=5,
        max_garments_per_marker=4,
        estimated_utilisation=0.8,
        time_limit_s=5,
        nest_time_limit_s=1,
    )
    for colour, per_size in demand.items():
        for size, qty in per_size.items():
            made = plan.produced[colour][size]
            assert qty <= made <= qty + int(qty * 0.05), (colour, size, made)
    assert all(1 <= lay.plies <= 20 for lay in plan.lays)
    ids = {m.marker_id for m in plan.markers}
    assert {lay.marker_id for lay in plan.lays} == ids
    for m in plan.markers:
        assert 1 <= m.garments <= 4
        assert m.estimated_length_mm <= 2500
        assert m.marker is not None and check_marker(m.marker) == []
        assert m.length_mm == m.marker.length_mm
    # fabric from the real marker lengths
    by_id = {m.marker_id: m for m in plan.markers}
    fabric = sum(lay.plies * (by_id[lay.marker_id].length_mm + 20) for lay in plan.lays)
    assert plan.fabric_length_mm == pytest.approx(fabric)
    assert plan.lower_bound_cost <= plan.estimated_cost + 1e-6
    assert 0 <= plan.gap < 1
    # with lay and marker costs, mixing sizes beats one single-size marker per size and colour
    assert any(m.garments > 1 for m in plan.markers)
    assert plan.to_dict()["lays"]


def test_plan_input_errors(patterns):
    with pytest.raises(MarkerInputError, match=r"demand\[red\]\[XXL\]"):
        plan_cuts(patterns, {"red": {"XXL": 3}}, Fabric(width_mm=700), nest_markers=False, estimated_utilisation=0.8)
    with pytest.raises(MarkerInputError, match="max_plies"):
        plan_cuts(patterns, {"red": {"M": 3}}, Fabric(width_mm=700), max_plies=0, estimated_utilisation=0.8)
    with pytest.raises(MarkerInputError, match="max_marker_length_mm"):
        plan_cuts(
            patterns, {"red": {"M": 3}}, Fabric(width_mm=700), max_marker_length_mm=100, estimated_utilisation=0.8
        )
