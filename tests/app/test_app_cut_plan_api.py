"""``POST /api/marker/plan``: cut order planning as a job, on patterns (nested) or on marker lengths."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from yuefang.app.jobs import drain
from yuefang.pattern.model import Pattern, Piece


def _pattern(size: str, scale: float) -> dict[str, Any]:
    w, h = 200.0 * scale, 150.0 * scale
    square = ((0.0, 0.0), (w, 0.0), (w, h), (0.0, h))
    p = Pattern(product="api_test", size=size, pieces=(
        Piece(name="panel", label="Panel", cut=square, grain=((10, 0), (10, 100)), quantity=2),
    ))  # fmt: skip
    return p.model_dump(mode="json")


def _run(client, app, world, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/marker/plan", json=body, headers=world.a.h("planner"))
    assert r.status_code == 202, r.text
    assert r.json()["kind"] == "marker.plan"
    drain(app.state.sessionmaker, app.state.settings)
    return client.get(f"/api/jobs/{r.json()['id']}", headers=world.a.h("planner")).json()


def test_plan_on_marker_lengths(client, app, world):
    body = {"demand": {"navy": {"S": 40, "M": 40}}, "consumption_mm": {"S": 900, "M": 1000}, "max_plies": 50,
            "max_garments_per_marker": 2, "max_marker_length_mm": 3000, "cost_per_lay": 20, "time_limit_s": 3}
    job = _run(client, app, world, body)
    assert job["state"] == "done", job["error"]
    plan = job["result"]["plan"]
    assert plan["lay_count"] == 1 and plan["markers"][0]["sizes"] == {"S": 1, "M": 1}
    assert plan["produced"] == {"navy": {"S": 40, "M": 40}}
    assert plan["status"] == "optimal"


def test_plan_on_patterns_nests_the_markers(client, app, world):
    body = {"demand": {"navy": {"S": 12, "M": 8}},
            "patterns": {"S": _pattern("S", 0.9), "M": _pattern("M", 1.0)},
            "fabric": {"name": "poplin", "width_mm": 600, "selvedge_mm": 10},
            "max_plies": 10, "max_marker_length_mm": 3000, "cost_per_lay": 5, "max_garments_per_marker": 3,
            "time_limit_s": 2, "nest_time_limit_s": 1}
    job = _run(client, app, world, body)
    assert job["state"] == "done", job["error"]
    result = job["result"]
    plan = result["plan"]
    made: dict[tuple[str, str], int] = defaultdict(int)
    sizes = {m["marker_id"]: m["sizes"] for m in plan["markers"]}
    for lay in plan["lays"]:
        assert 1 <= lay["plies"] <= 10
        for s, n in sizes[lay["marker_id"]].items():
            made[lay["colour"], s] += n * lay["plies"]
    assert made == {("navy", "S"): 12, ("navy", "M"): 8}
    assert set(result["svgs"]) == set(sizes) and all(v.lstrip().startswith("<") for v in result["svgs"].values())
    assert all(problems == [] for problems in result["problems"].values())
    for m in plan["markers"]:
        assert m["length_mm"] is not None and m["length_mm"] > 0


def test_a_batch_the_limits_forbid_fails_the_job_with_the_reason(client, app, world):
    body = {"demand": {"navy": {"M": 5}}, "consumption_mm": {"M": 1000}, "max_plies": 50, "min_plies": 10,
            "max_garments_per_marker": 1, "time_limit_s": 1}
    job = _run(client, app, world, body)
    assert job["state"] == "failed"
    assert "min_plies=10" in job["error"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consumption_mm": None}, "consumption_mm"),  # neither source
        ({"demand": {"navy": {"XL": 3}}}, "demand.navy.XL"),  # a size with no length
        ({"demand": {"navy": {"S": -3}}}, "demand.navy.S"),
        ({"min_plies": 60}, "min_plies"),  # more than max_plies
        ({"max_plies": 0}, "max_plies"),
        ({"consumption_mm": {"S": -900}}, "consumption_mm.S"),
        ({"patterns": {"S": {}}}, "fabric"),  # patterns without a fabric (and with consumption_mm)
    ],
)
def test_bad_requests_are_422_naming_the_field(client, world, change, field):
    body = {"demand": {"navy": {"S": 4}}, "consumption_mm": {"S": 900}, "max_plies": 50, "time_limit_s": 1}
    body.update(change)
    if body["consumption_mm"] is None:
        del body["consumption_mm"]
    r = client.post("/api/marker/plan", json=body, headers=world.a.h("planner"))
    assert r.status_code == 422, r.text
    fields = [d["field"] for d in r.json()["detail"]]
    assert field in fields, fields


def test_roles_and_anonymous(client, world):
    body = {"demand": {"navy": {"S": 4}}, "consumption_mm": {"S": 900}, "time_limit_s": 1}
    assert client.post("/api/marker/plan", json=body, headers=world.b.h("order_desk")).status_code == 403
    assert client.post("/api/marker/plan", json=body, headers=world.admin_headers).status_code == 403
    assert client.post("/api/marker/plan", json=body).status_code == 401


def test_marker_of_the_plan_is_valid(client, app, world):
    """The nested markers stored in the result pass the independent checker."""
    body = {"demand": {"red": {"M": 6}}, "patterns": {"M": _pattern("M", 1.0)},
            "fabric": {"width_mm": 500}, "max_plies": 6, "max_marker_length_mm": 2000, "time_limit_s": 2,
            "nest_time_limit_s": 1}
    job = _run(client, app, world, body)
    assert job["state"] == "done", job["error"]
    assert job["result"]["problems"] and all(p == [] for p in job["result"]["problems"].values())
    for mk in job["result"]["plan"]["markers"]:
        assert mk["utilisation"] is not None and 0 < mk["utilisation"] <= 1
