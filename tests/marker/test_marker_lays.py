"""Lay planning on marker lengths: valid plans, bounds that hold, the public CoP examples."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yuefang.marker import MarkerInputError
from yuefang.marker.lays import LayPlan, plan_lays

YARD_MM = 914.4


def assert_valid(plan: LayPlan, consumption, demand, *, max_plies, min_plies=1, table, over_cut_pct=0.0,
                 max_garments, end=0.0, share=False) -> None:
    """Everything a cutting room would check, recomputed from the plan's rows alone."""
    markers = {m.marker_id: m for m in plan.markers}
    for m in plan.markers:
        assert 1 <= m.garments <= max_garments
        assert m.estimated_length_mm == pytest.approx(sum(n * consumption[s] for s, n in m.sizes.items()))
        assert m.estimated_length_mm <= table + 1e-6
    per_lay: dict[str, list] = defaultdict(list)
    for lay in plan.lays:
        per_lay[lay.lay_id].append(lay)
    for rows in per_lay.values():
        assert len({r.marker_id for r in rows}) == 1, "a lay is cut with one marker"
        if not share:
            assert len(rows) == 1
        assert min_plies <= sum(r.plies for r in rows) <= max_plies
    made: dict[tuple[str, str], int] = defaultdict(int)
    for lay in plan.lays:
        for s, n in markers[lay.marker_id].sizes.items():
            made[lay.colour, s] += n * lay.plies
    for c, per in demand.items():
        for s, q in per.items():
            assert q <= made[c, s] <= q + int(q * over_cut_pct / 100), (c, s, made[c, s])
            assert plan.produced[c][s] == made[c, s]
    fabric = sum(lay.plies * (markers[lay.marker_id].estimated_length_mm + end) for lay in plan.lays)
    assert plan.fabric_length_mm == pytest.approx(fabric)
    assert plan.lay_count == len(per_lay)
    assert plan.lower_bound_cost <= plan.cost["total"] + 1e-9
    assert 0 <= plan.gap < 1


def test_one_mixed_marker_when_lays_cost() -> None:
    demand = {"navy": {"S": 40, "M": 40}}
    plan = plan_lays({"S": 900.0, "M": 1000.0}, demand, max_plies=50, max_garments_per_marker=2,
                     max_marker_length_mm=3000, end_allowance_mm=10, cost_per_lay=20, cost_per_marker=5,
                     fabric_cost_per_m=1, time_limit_s=5)
    assert_valid(plan, {"S": 900.0, "M": 1000.0}, demand, max_plies=50, table=3000, max_garments=2, end=10)
    assert [m.sizes for m in plan.markers] == [{"S": 1, "M": 1}]
    assert plan.lay_count == 1 and plan.ply_count == 40
    assert plan.status == "optimal"
    assert plan.cost["total"] == pytest.approx(40 * 1.91 + 20 + 5)


def test_colours_share_a_lay_only_when_allowed() -> None:
    demand = {"red": {"M": 30}, "blue": {"M": 30}}
    kw = dict(max_plies=60, max_garments_per_marker=1, max_marker_length_mm=2000, end_allowance_mm=0,
              cost_per_lay=50, time_limit_s=5)
    apart = plan_lays({"M": 1000.0}, demand, **kw)
    shared = plan_lays({"M": 1000.0}, demand, colours_share_lays=True, **kw)
    assert apart.lay_count == 2 and shared.lay_count == 1
    assert {lay.colour for lay in shared.lays} == {"red", "blue"}
    assert len({lay.lay_id for lay in shared.lays}) == 1
    assert_valid(shared, {"M": 1000.0}, demand, max_plies=60, table=2000, max_garments=1, share=True)


def test_min_plies_and_over_cut() -> None:
    # 5 garments cannot be cut in a lay of at least 10 plies without over-cut...
    with pytest.raises(MarkerInputError, match="min_plies=10") as err:
        plan_lays({"M": 1000.0}, {"red": {"M": 5}}, max_plies=50, min_plies=10, max_garments_per_marker=1,
                  time_limit_s=2)
    assert err.value.field == "demand"
    # ...but one marker of 2 garments over 5 plies... is still 5 plies: still impossible
    with pytest.raises(MarkerInputError):
        plan_lays({"M": 1000.0}, {"red": {"M": 5}}, max_plies=50, min_plies=10, max_garments_per_marker=2,
                  time_limit_s=2)
    # with 100 % over-cut allowed, 10 plies of one garment make 10 <= 5 + 5
    plan = plan_lays({"M": 1000.0}, {"red": {"M": 5}}, max_plies=50, min_plies=10, max_garments_per_marker=1,
                     over_cut_pct=100, time_limit_s=2)
    assert plan.ply_count == 10 and plan.produced["red"]["M"] == 10


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("consumption_mm[M]", {"consumption_mm": {"M": -1.0}}),
        ("demand[red][XL]", {"demand": {"red": {"XL": 3}}}),
        ("demand[red][M]", {"demand": {"red": {"M": 2.5}}}),
        ("min_plies", {"min_plies": 0}),
        ("min_plies", {"min_plies": 81}),
        ("max_marker_length_mm", {"max_marker_length_mm": 500.0}),
        ("over_cut_pct", {"over_cut_pct": 120}),
    ],
)
def test_bad_input_names_the_field(field, kwargs) -> None:
    args = {"consumption_mm": {"M": 1000.0}, "demand": {"red": {"M": 3}}}
    args.update({k: v for k, v in kwargs.items() if k in args})
    rest = {k: v for k, v in kwargs.items() if k not in args}
    with pytest.raises(MarkerInputError) as err:
        plan_lays(args["consumption_mm"], args["demand"], time_limit_s=1, **rest)
    assert err.value.field == field


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    n_sizes=st.integers(1, 3),
    n_colours=st.integers(1, 2),
    max_plies=st.integers(5, 40),
    max_garments=st.integers(1, 4),
    over=st.sampled_from([0.0, 10.0]),
    share=st.booleans(),
)
def test_plans_are_valid_and_bounds_hold(data, n_sizes, n_colours, max_plies, max_garments, over, share) -> None:
    sizes = ["S", "M", "L"][:n_sizes]
    consumption = {s: data.draw(st.floats(600, 1600), label=f"a[{s}]") for s in sizes}
    demand = {f"c{i}": {s: data.draw(st.integers(0, 90), label=f"d{i}{s}") for s in sizes} for i in range(n_colours)}
    if not any(q for per in demand.values() for q in per.values()):
        demand["c0"][sizes[0]] = 1
    table = 4000.0
    plan = plan_lays(consumption, demand, max_plies=max_plies, max_garments_per_marker=max_garments,
                     max_marker_length_mm=table, end_allowance_mm=15, cost_per_lay=3, cost_per_marker=2,
                     fabric_cost_per_m=4, over_cut_pct=over, colours_share_lays=share, time_limit_s=2)
    demand = {c: per for c, per in demand.items() if any(per.values())}
    assert_valid(plan, consumption, demand, max_plies=max_plies, table=table, over_cut_pct=over,
                 max_garments=max_garments, end=15, share=share)


def _cop_examples(shared_dir):
    path = shared_dir / "benchmarks" / "cop" / "examples.json"
    if not path.is_file():
        pytest.skip(f"{path} not found: the public cut-order-planning examples are not available")
    return {e["id"]: e for e in json.loads(path.read_text(encoding="utf-8"))["examples"]}


def test_fantacherjoy_example_beats_the_published_plan(shared_dir) -> None:
    """5 sizes, 15,094 garments, 200 plies, 10 plies at least, 22 yd table; published: 9 lays, 17,548 yd."""
    e = _cop_examples(shared_dir)["fantacherjoy_5size"]
    consumption = {s: v * YARD_MM for s, v in e["consumption_per_garment"].items()}
    demand = {"one": e["demand"]}
    table = e["max_marker_length"] * YARD_MM
    plan = plan_lays(consumption, demand, max_plies=e["max_plies"], min_plies=e["min_plies"],
                     max_marker_length_mm=table, end_allowance_mm=0, max_garments_per_marker=100,
                     cost_per_lay=1.0, fabric_cost_per_m=0.001, time_limit_s=20)
    assert_valid(plan, consumption, demand, max_plies=e["max_plies"], min_plies=e["min_plies"], table=table,
                 max_garments=100)
    # exactly the demand, so the fabric is the no-over-cut lower bound, and fewer lays than published
    assert plan.fabric_length_mm / YARD_MM == pytest.approx(e["fabric_lower_bound_no_overcut"], abs=0.01)
    assert plan.lay_count < e["reported_solution"]["number_of_lays"]


def test_onlineclothingstudy_example_meets_the_lay_bound_or_comes_close(shared_dir) -> None:
    """3 colours x 4 sizes, 10,006 garments, 4 garments per marker, 100 plies, colours share lays."""
    e = _cop_examples(shared_dir)["onlineclothingstudy_2021_3colour_4size"]
    consumption = {s: v * 1000 for s, v in e["consumption_per_garment"].items()}
    demand = e["demand_after_rounding"]
    plan = plan_lays(consumption, demand, max_plies=e["max_plies"], max_marker_length_mm=100_000,
                     end_allowance_mm=0, max_garments_per_marker=e["max_garments_per_marker"],
                     colours_share_lays=True, cost_per_lay=1.0, fabric_cost_per_m=0.001, time_limit_s=20)
    assert_valid(plan, consumption, demand, max_plies=e["max_plies"], table=100_000,
                 max_garments=e["max_garments_per_marker"], share=True)
    assert plan.fabric_length_mm / 1000 == pytest.approx(e["fabric_lower_bound_no_overcut"], abs=0.01)
    # the lay bound is 26; a plan of at most 30 lays is within 15 % of it even on a busy machine
    assert e["lay_count_lower_bound"] <= plan.lay_count <= 30


def test_cli_plans_on_marker_lengths(tmp_path) -> None:
    from typer.testing import CliRunner

    from yuefang.cli import app

    batch = tmp_path / "batch.csv"
    batch.write_text("colour,size,quantity\nnavy,S,40\nnavy,M,40\n", encoding="utf-8")
    runner = CliRunner()
    args = ["marker", "plan", str(batch), "--consumption-mm", "S=900", "--consumption-mm", "M=1000",
            "--max-plies", "50", "--max-garments", "2", "--max-length-mm", "3000", "--cost-per-lay", "20",
            "--time-limit", "3", "--out", str(tmp_path / "out"), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["lay_count"] == 1 and data["markers"][0]["sizes"] == {"S": 1, "M": 1}
    assert data["produced"] == {"navy": {"S": 40, "M": 40}}
    assert json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))["lay_count"] == 1
    bad = runner.invoke(app, ["marker", "plan", str(batch), "--consumption-mm", "S=abc"])
    assert bad.exit_code == 2 and "--consumption-mm: 'S=abc'" in bad.output
    missing = runner.invoke(app, ["marker", "plan", str(batch), "--consumption-mm", "S=900", "--time-limit", "1"])
    assert missing.exit_code == 2 and "demand[navy][M]" in missing.output
