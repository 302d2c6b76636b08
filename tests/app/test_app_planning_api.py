"""``/api/plan``: line balancing and scheduling as jobs (drained here, checked), bulletins, quotes."""

from __future__ import annotations

from typing import Any

import pytest

from yuefang.app.jobs import drain
from yuefang.app.services.compute import balance_from_result
from yuefang.plan import Line, Order, PlannedOrder, Schedule, check_balance, check_schedule, read_bulletin_csv

CSV = (
    "op_id,name,machine_type,smv_min,skill_grade,predecessors\n"
    "a,join shoulders,overlock,0.6,2,\n"
    "b,set sleeves,lockstitch,1.2,3,a\n"
    "c,side seams,overlock,0.9,2,b\n"
    "d,hem,lockstitch,0.7,2,c\n"
    "e,press,iron,0.5,1,d\n"
)

ORDERS = [
    {"order_id": "o1", "enterprise_id": "E", "product_id": "shirt", "quantity": 300, "due_date": "2026-12-10"},
    {"order_id": "o2", "enterprise_id": "E", "product_id": "curtain", "quantity": 200, "due_date": "2026-12-05",
     "smv_min": 12},
    {"order_id": "o3", "enterprise_id": "E", "product_id": "shirt", "quantity": 150, "due_date": "2026-12-03"},
]  # fmt: skip
LINES = [
    {"line_id": "L1", "factory_id": "F1", "enterprise_id": "E", "operators": 20},
    {"line_id": "L2", "factory_id": "F1", "enterprise_id": "E", "operators": 12, "current_product": "shirt"},
]


def _run(client, app, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    r = client.post(path, json=body, headers=headers)
    assert r.status_code == 202, r.text
    assert r.json()["state"] == "queued"
    drain(app.state.sessionmaker, app.state.settings)
    job = client.get(f"/api/jobs/{r.json()['id']}", headers=headers).json()
    assert job["state"] == "done", job["error"]
    return job


def test_balance_of_csv_bulletin_by_takt(client, app, world):
    job = _run(client, app, "/api/plan/balance", {"bulletin_csv": CSV, "takt_s": 60, "time_limit_s": 1},
               world.a.h("planner"))  # fmt: skip
    res = job["result"]
    lb = balance_from_result(res)
    assert check_balance(lb, read_bulletin_csv(CSV)) == []
    assert res["problems"] == []
    assert all(o["load_s"] <= 60 + 1e-6 for o in res["operators"])
    assert res["n_operators"] == len(res["operators"]) >= 3  # overlock, lockstitch and iron at least
    assert res["balance_loss"] == pytest.approx(1 - res["line_efficiency"], abs=1e-6)
    assert isinstance(res["optimal"], bool)
    assert "<svg" in res["operator_load_svg"]
    svg = client.get(f"/api/plan/jobs/{job['id']}/svg", headers=world.a.h("planner"))
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    # another enterprise: 404, like a missing id
    assert client.get(f"/api/jobs/{job['id']}", headers=world.b.h("planner")).status_code == 404
    assert client.get(f"/api/plan/jobs/{job['id']}/svg", headers=world.b.h("planner")).status_code == 404


def test_balance_of_default_bulletin_by_operators(client, app, world):
    job = _run(client, app, "/api/plan/balance",
               {"product_id": "fitted_sheet", "operators": 8, "time_limit_s": 1}, world.a.h("enterprise_admin"))  # fmt: skip
    res = job["result"]
    assert res["n_operators"] <= 8
    bulletin = client.get("/api/plan/bulletins/fitted_sheet", headers=world.a.h("planner")).json()
    assert check_balance(balance_from_result(res), read_bulletin_csv(bulletin["csv"], "fitted_sheet")) == []


def test_bulletin_endpoint(client, world):
    r = client.get("/api/plan/bulletins/shirt", headers=world.a.h("planner"))
    assert r.status_code == 200
    b = r.json()
    assert b["product_id"] == "shirt" and b["total_smv_min"] == pytest.approx(19.35)
    assert len(b["operations"]) == len(read_bulletin_csv(b["csv"]).operations)
    r = client.get("/api/plan/bulletins/jacket", headers=world.a.h("planner"))
    assert r.status_code == 422
    err = r.json()["detail"][0]
    assert err["field"] == "path.product_id" and err["value"] == "jacket" and "fitted_sheet" in err["allowed"]


def test_balance_422(client, world):
    h = world.a.h("planner")
    r = client.post("/api/plan/balance", json={"bulletin_csv": CSV.replace("iron", "laser"), "takt_s": 60}, headers=h)
    assert r.status_code == 422
    err = r.json()["detail"][0]
    assert err["field"] == "bulletin_csv" and "machine_type 'laser'" in err["message"] and "lockstitch" in err["message"]
    r = client.post("/api/plan/balance", json={"product_id": "shirt", "takt_s": 60, "operators": 3}, headers=h)
    assert r.status_code == 422 and "exactly one" in r.json()["message"]
    r = client.post("/api/plan/balance", json={"product_id": "shirt", "takt_s": 60, "time_limit_s": 61}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "time_limit_s"


def test_schedule_job(client, app, world):
    body = {"orders": ORDERS, "lines": LINES, "start": "2026-12-01T08:00:00", "time_limit_s": 1}
    job = _run(client, app, "/api/plan/schedule", body, world.a.h("planner"))
    res = job["result"]
    schedule = Schedule.model_validate(res["schedule"])
    orders = [Order.model_validate(o) for o in ORDERS]
    lines = [Line.model_validate(ln) for ln in LINES]
    assert check_schedule(schedule, orders, lines) == []
    assert {p.order_id for p in schedule.planned} == {"o1", "o2", "o3"}
    assert "<svg" in res["gantt_svg"]


def test_schedule_keeps_frozen(client, app, world):
    frozen = {"order_id": "o3", "line_id": "L2", "factory_id": "F1", "enterprise_id": "E",
              "start": "2026-12-01T08:00:00", "end": "2026-12-03T08:00:00", "due_date": "2026-12-03"}  # fmt: skip
    body = {"orders": ORDERS, "lines": LINES, "start": "2026-12-01T08:00:00", "frozen": [frozen], "time_limit_s": 1}
    res = _run(client, app, "/api/plan/schedule", body, world.a.h("enterprise_admin"))["result"]
    schedule = Schedule.model_validate(res["schedule"])
    fixed = [PlannedOrder.model_validate(frozen | {"tardiness_days": 0, "frozen": True})]
    assert check_schedule(schedule, [Order.model_validate(o) for o in ORDERS],
                          [Line.model_validate(ln) for ln in LINES], frozen=fixed) == []  # fmt: skip
    kept = schedule.for_order("o3")
    assert kept is not None and kept.line_id == "L2"


def test_schedule_422(client, world):
    body = {"orders": [dict(ORDERS[0], quantity=0)], "lines": LINES, "start": "2026-12-01T08:00:00"}
    r = client.post("/api/plan/schedule", json=body, headers=world.a.h("planner"))
    assert r.status_code == 422
    err = r.json()["detail"][0]
    assert err["field"] == "orders.0.quantity" and err["value"] == 0 and "greater than or equal to 1" in err["message"]
    r = client.post("/api/plan/schedule", json={"orders": ORDERS, "lines": [], "start": "2026-12-01T08:00:00"},
                    headers=world.a.h("planner"))  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "lines"


def test_quote(client, world):
    order = {"order_id": "q", "enterprise_id": "E", "product_id": "shirt", "quantity": 10,
             "due_date": "2026-01-09", "smv_min": 20}  # fmt: skip
    body = {"order": order, "fabric_price_cny_per_m": 20, "labour_cost_cny_per_min": 0.5, "efficiency": 0.5,
            "marker_length_mm": 3000, "pieces_per_marker": 2, "overhead_rate": 0, "margin_rate": 0}  # fmt: skip
    r = client.post("/api/plan/quote", json=body, headers=world.a.h("planner"))
    assert r.status_code == 200, r.text
    q = r.json()
    assert (q["fabric_length_m"], q["fabric_cost_cny"], q["labour_cost_cny"], q["price_cny"]) == (15.0, 300.0, 200.0, 500.0)
    body = {"order": dict(order, product_id="kite"), "fabric_price_cny_per_m": 20}
    r = client.post("/api/plan/quote", json=body, headers=world.a.h("planner"))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "product_id"


@pytest.mark.parametrize("role,status", [("enterprise_admin", 200), ("planner", 200), ("cutting_room", 403),
                                         ("order_desk", 403), ("shop_floor", 403)])  # fmt: skip
def test_roles(client, world, role, status):
    assert client.get("/api/plan/bulletins/curtain", headers=world.b.h(role)).status_code == status
    r = client.post("/api/plan/balance", json={"product_id": "curtain", "takt_s": 3600, "time_limit_s": 1},
                    headers=world.b.h(role))  # fmt: skip
    assert r.status_code == (202 if status == 200 else 403)


def test_cluster_office_403_and_anonymous_401(client, world):
    for path, body in (("/api/plan/balance", {"product_id": "curtain", "takt_s": 60}),
                       ("/api/plan/schedule", {"orders": ORDERS, "lines": LINES, "start": "2026-12-01T08:00:00"})):
        assert client.post(path, json=body, headers=world.admin_headers).status_code == 403
        assert client.post(path, json=body).status_code == 401
    assert client.get("/api/plan/bulletins/shirt").status_code == 401


def test_balance_the_solver_refuses_fails_the_job_with_the_reason(client, app, world):
    h = world.a.h("planner")
    r = client.post("/api/plan/balance", json={"product_id": "shirt", "operators": 1, "time_limit_s": 1}, headers=h)
    assert r.status_code == 202
    drain(app.state.sessionmaker, app.state.settings)
    job = client.get(f"/api/jobs/{r.json()['id']}", headers=h).json()
    assert job["state"] == "failed" and job["result"] is None
    assert "operators: 1; allowed: >=" in job["error"]
    assert client.get(f"/api/plan/jobs/{job['id']}/svg", headers=h).status_code == 409
