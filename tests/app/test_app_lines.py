"""Factories and sewing lines (``app/api/lines.py``, ``app/services/lines.py``) and the ``planned``
step on an enterprise's registered lines: CRUD by role, 404 across tenants, 422 naming the field,
audit, migration 0003, and orders taken through ``planned`` end to end."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from yuefang.app.auth import hash_password, issue_token
from yuefang.app.db import Base, make_engine
from yuefang.app.jobs import drain
from yuefang.app.migrations import upgrade
from yuefang.app.models import ENTERPRISE_ROLES, AuditEvent, Enterprise, Order, SewingLine, User

CURTAINS = {"product_id": "curtain", "inputs": {"window_width_mm": 1800, "drop_mm": 2400},
            "options": {"heading": "pencil_pleat", "panels": 2}}  # fmt: skip


def _tenant(app, name: str) -> dict[str, dict[str, str]]:
    """A fresh enterprise with one user per role: role -> bearer headers (and ``_id``)."""
    tag = uuid.uuid4().hex[:6]
    with app.state.sessionmaker() as s:
        ent = Enterprise(name=f"{name} {tag}", city_code="440100")
        s.add(ent)
        s.flush()
        users = {}
        for role in sorted(ENTERPRISE_ROLES):
            u = User(email=f"lines-{role}-{tag}@ent.test", password_hash=hash_password("pw-12345678"),
                     role=str(role), enterprise_id=ent.id)  # fmt: skip
            s.add(u)
            users[str(role)] = u
        s.commit()
        out = {role: {"Authorization": f"Bearer {issue_token(s, user=u)}"} for role, u in users.items()}
        out["_id"] = {"id": str(ent.id)}
    return out


@pytest.fixture(scope="module")
def tenant(app):
    return _tenant(app, "Lines Garments")


@pytest.fixture(scope="module")
def other(app):
    return _tenant(app, "Other Garments")


def _factory(client, h, name=None):
    r = client.post("/api/factories", json={"name": name or f"Plant {uuid.uuid4().hex[:6]}", "city_code": "440100"},
                    headers=h)  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()


def _line(client, h, factory_id, **extra):
    body = {"factory_id": factory_id, "name": f"Line {uuid.uuid4().hex[:6]}", "operators": 20, **extra}
    r = client.post("/api/sewing-lines", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()


def _field_errors(r):
    assert r.status_code == 422, r.text
    return {d["field"] for d in r.json()["detail"]}


def test_crud_by_role(client, tenant):
    admin, planner = tenant["enterprise_admin"], tenant["planner"]
    f = _factory(client, admin, "Main plant")
    assert f["enterprise_id"] == int(tenant["_id"]["id"]) and f["city_code"] == "440100"
    ln = _line(client, planner, f["id"], operators=24, minutes_per_day=510, efficiency=0.7,
               products=["shirt", "trousers"], current_product="shirt")  # fmt: skip
    assert ln["capacity_smv_min_per_day"] == pytest.approx(24 * 510 * 0.7)
    assert ln["products"] == ["shirt", "trousers"] and ln["active"] is True
    assert (ln["learning_days"], ln["learning_start_fraction"], ln["changeover_min"]) == (3.0, 0.6, 60.0)
    # every enterprise role reads
    for role in ("order_desk", "cutting_room", "shop_floor"):
        h = tenant[role]
        assert client.get(f"/api/factories/{f['id']}", headers=h).status_code == 200
        lines = client.get(f"/api/sewing-lines?factory_id={f['id']}", headers=h).json()
        assert [x["id"] for x in lines["data"]] == [ln["id"]] and lines["count"] == 1
    # only the enterprise admin and the planner change
    for role in ("order_desk", "cutting_room", "shop_floor"):
        h = tenant[role]
        assert client.post("/api/factories", json={"name": "X"}, headers=h).status_code == 403
        assert client.patch(f"/api/sewing-lines/{ln['id']}", json={"operators": 1}, headers=h).status_code == 403
        assert client.delete(f"/api/sewing-lines/{ln['id']}", headers=h).status_code == 403
        assert client.delete(f"/api/factories/{f['id']}", headers=h).status_code == 403
    r = client.patch(f"/api/sewing-lines/{ln['id']}", json={"operators": 30, "active": False, "current_product": None},
                     headers=planner)  # fmt: skip
    assert r.status_code == 200, r.text
    assert (r.json()["operators"], r.json()["active"], r.json()["current_product"]) == (30, False, None)
    assert client.get("/api/sewing-lines?active=true", headers=planner).json()["count"] == 0
    r = client.patch(f"/api/factories/{f['id']}", json={"name": "Main plant 2"}, headers=admin)
    assert r.status_code == 200 and r.json()["name"] == "Main plant 2"
    # names are unique per enterprise (factories) and per factory (lines)
    assert client.post("/api/factories", json={"name": "Main plant 2"}, headers=admin).status_code == 409
    dup = {"factory_id": f["id"], "name": ln["name"], "operators": 3}
    assert client.post("/api/sewing-lines", json=dup, headers=admin).status_code == 409
    # removing the factory removes its lines
    assert client.delete(f"/api/factories/{f['id']}", headers=admin).status_code == 204
    assert client.get(f"/api/sewing-lines/{ln['id']}", headers=admin).status_code == 404
    assert client.get(f"/api/factories/{f['id']}", headers=admin).status_code == 404


def test_changes_are_audited(client, app, tenant):
    h = tenant["planner"]
    with app.state.sessionmaker() as s:  # SQLite may reuse a removed row's id: look only at new events
        before = s.scalar(select(func.max(AuditEvent.id))) or 0
    f = _factory(client, h)
    ln = _line(client, h, f["id"])
    client.patch(f"/api/sewing-lines/{ln['id']}", json={"efficiency": 0.8}, headers=h)
    client.delete(f"/api/sewing-lines/{ln['id']}", headers=h)
    with app.state.sessionmaker() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "sewing_line",
                                                    AuditEvent.entity_id == ln["id"], AuditEvent.id > before)
                           .order_by(AuditEvent.id)).all()  # fmt: skip
        assert [e.action for e in events] == ["register", "update", "remove"]
        assert events[1].changes["efficiency"] == {"old": 0.65, "new": 0.8}
        assert all(e.enterprise_id == int(tenant["_id"]["id"]) for e in events)
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.entity == "factory",
                                                        AuditEvent.entity_id == f["id"],
                                                        AuditEvent.id > before)) == "register"  # fmt: skip


def test_other_enterprise_gets_404(client, tenant, other):
    f = _factory(client, tenant["enterprise_admin"])
    ln = _line(client, tenant["enterprise_admin"], f["id"])
    h = other["enterprise_admin"]
    assert client.get(f"/api/factories/{f['id']}", headers=h).status_code == 404
    assert client.patch(f"/api/factories/{f['id']}", json={"name": "mine"}, headers=h).status_code == 404
    assert client.delete(f"/api/factories/{f['id']}", headers=h).status_code == 404
    assert client.get(f"/api/sewing-lines/{ln['id']}", headers=h).status_code == 404
    assert client.patch(f"/api/sewing-lines/{ln['id']}", json={"operators": 1}, headers=h).status_code == 404
    assert client.delete(f"/api/sewing-lines/{ln['id']}", headers=h).status_code == 404
    assert client.get(f"/api/sewing-lines?factory_id={f['id']}", headers=h).status_code == 404
    r = client.post("/api/sewing-lines", json={"factory_id": f["id"], "name": "in your plant", "operators": 5}, headers=h)
    assert r.status_code == 404
    assert f["id"] not in [x["id"] for x in client.get("/api/factories", headers=h).json()["data"]]
    assert ln["id"] not in [x["id"] for x in client.get("/api/sewing-lines", headers=h).json()["data"]]
    assert client.get(f"/api/sewing-lines/{ln['id']}", headers=tenant["planner"]).json()["operators"] == 20


@pytest.mark.parametrize("body,field", [
    ({"operators": 0}, "operators"),
    ({"operators": 501}, "operators"),
    ({"operators": 10, "efficiency": 2.0}, "efficiency"),
    ({"operators": 10, "minutes_per_day": 0}, "minutes_per_day"),
    ({"operators": 10, "products": ["hat"]}, "products"),
    ({"operators": 10, "current_product": "hat"}, "current_product"),
    ({"operators": 10, "learning_start_fraction": 0}, "learning_start_fraction"),
    ({"operators": 10, "changeover_min": -1}, "changeover_min"),
    ({"operators": 10, "name": ""}, "name"),
    ({"operators": 10, "speed": 3}, "speed"),
])  # fmt: skip
def test_bad_line_input_names_the_field(client, tenant, body, field):
    f = _factory(client, tenant["planner"])
    r = client.post("/api/sewing-lines", json={"factory_id": f["id"], "name": "L", **body}, headers=tenant["planner"])
    assert field in _field_errors(r)
    if field == "products":
        detail = next(d for d in r.json()["detail"] if d["field"] == "products")
        assert "hat" in detail["message"] and "curtain" in detail["message"]  # names the value and what is allowed


def test_bad_changes_name_the_field(client, tenant):
    h = tenant["planner"]
    f = _factory(client, h)
    ln = _line(client, h, f["id"])
    assert _field_errors(client.patch(f"/api/sewing-lines/{ln['id']}", json={"operators": None}, headers=h)) == {"operators"}
    assert "efficiency" in _field_errors(client.patch(f"/api/sewing-lines/{ln['id']}", json={"efficiency": -1}, headers=h))
    assert _field_errors(client.patch(f"/api/factories/{f['id']}", json={"name": None}, headers=h)) == {"name"}
    assert "city_code" in _field_errors(client.post("/api/factories", json={"name": "P", "city_code": "GZ"}, headers=h))
    assert "factory_id" in _field_errors(client.post("/api/sewing-lines", json={"name": "L", "operators": 3}, headers=h))


def test_migration_0003_matches_the_models(fresh_db_url):
    upgrade(fresh_db_url)
    engine = make_engine(fresh_db_url)
    try:
        with engine.connect() as conn:
            assert {"factory", "sewing_line"} <= set(inspect(conn).get_table_names())
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    mine = [d for d in diffs if "factory" in repr(d) or "sewing_line" in repr(d)]
    assert mine == [], f"models and migration 0003 differ: {mine}"


# --- the planned step on registered lines -------------------------------------------------------


def _place_and_run(client, app, h, *, due: str | None, quantity: int = 40) -> int:
    body = {"reference": f"PL-{uuid.uuid4().hex[:6]}", "fabric_width_mm": 2800,
            "lines": [{**CURTAINS, "quantity": quantity}]}  # fmt: skip
    if due:
        body["due_date"] = due
    oid = client.post("/api/orders", json=body, headers=h).json()["id"]
    r = client.post(f"/api/orders/{oid}/steps/measured/run?chain=true", headers=h)
    assert r.status_code == 202, r.text
    drain(app.state.sessionmaker, app.state.settings)
    return oid


def _steps(client, oid, h):
    return {s["step"]: s for s in client.get(f"/api/orders/{oid}/steps", headers=h).json()}


def _artifacts(client, oid, h):
    return {a["name"]: a for a in client.get(f"/api/orders/{oid}/artifacts", headers=h).json()}


def test_planned_runs_on_the_registered_lines(client, app):
    mine, theirs = _tenant(app, "Planned Home Textiles"), _tenant(app, "Rival Home Textiles")
    h = mine["planner"]
    # no line yet: planned stays pending, saying why
    oid0 = _place_and_run(client, app, h, due="2031-06-30")
    steps = _steps(client, oid0, h)
    if steps["nested"]["status"] != "done":
        pytest.skip(f"nesting did not finish here, so planned cannot run: {steps['nested']['reason']}")
    assert steps["planned"]["status"] == "pending" and "sewing lines" in steps["planned"]["reason"]
    # a big, fast line of another enterprise, and an inactive one of ours: neither may be used
    _line(client, theirs["planner"], _factory(client, theirs["planner"])["id"], operators=200, products=["curtain"])
    f = _factory(client, mine["enterprise_admin"], "Nanhai plant")
    _line(client, h, f["id"], operators=100, active=False)
    oid_off = _place_and_run(client, app, h, due="2031-06-30")
    assert _steps(client, oid_off, h)["planned"]["status"] == "pending"
    ln = _line(client, h, f["id"], name="Curtain line", operators=6, minutes_per_day=480, efficiency=0.6,
               products=["curtain", "duvet_cover"])  # fmt: skip
    _line(client, h, f["id"], name="Shirt line", operators=30, products=["shirt"])  # cannot make curtains

    oid = _place_and_run(client, app, h, due="2031-06-30")
    steps = _steps(client, oid, h)
    assert steps["planned"]["status"] == "done", steps["planned"]["reason"]
    summary = steps["planned"]["summary"]
    order = client.get(f"/api/orders/{oid}", headers=h).json()
    assert order["status"] == "planned"
    assert order["promised_date"] == summary["promised_date"]
    promised = dt.date.fromisoformat(summary["promised_date"])
    assert dt.date.today() <= promised <= dt.date(2031, 6, 30) and summary["meets_due_date"] is True
    assert summary["lines"] == [f"L{ln['id']} Curtain line"]
    arts = _artifacts(client, oid, h)
    assert {"plan.json", "schedule.json", "gantt.svg"} <= set(arts)
    plan = client.get(f"/api/orders/{oid}/artifacts/{arts['plan.json']['id']}", headers=h).json()
    assert [p["order_id"] for p in plan] == [f"{oid}:curtain"] and plan[0]["line_id"] == summary["lines"][0]
    assert plan[0]["enterprise_id"] == mine["_id"]["id"] and plan[0]["subcontracted"] is False
    # 40 pairs x the curtain bulletin's SMV on 6 x 480 x 0.6 SMV-min a day, with learning and changeover
    from yuefang.plan import Line, order_duration_min
    from yuefang.plan import Order as PlanOrder

    expected = order_duration_min(
        PlanOrder(order_id="x", enterprise_id="e", product_id="curtain", quantity=40, due_date=dt.date(2031, 6, 30)),
        Line(line_id="l", factory_id="f", enterprise_id="e", operators=6, minutes_per_day=480, efficiency=0.6))
    took = dt.datetime.fromisoformat(plan[0]["end"]) - dt.datetime.fromisoformat(plan[0]["start"])
    assert took == dt.timedelta(minutes=expected)
    schedule = client.get(f"/api/orders/{oid}/artifacts/{arts['schedule.json']['id']}", headers=h).json()
    assert {p["enterprise_id"] for p in schedule["planned"]} == {mine["_id"]["id"]}
    gantt = client.get(f"/api/orders/{oid}/artifacts/{arts['gantt.svg']['id']}", headers=h)
    assert gantt.headers["content-type"].startswith("image/svg+xml")
    assert gantt.text.startswith("<svg") and "Curtain line" in gantt.text

    # a second order queues behind the first on the only curtain line
    oid2 = _place_and_run(client, app, h, due="2031-06-30", quantity=10)
    assert _steps(client, oid2, h)["planned"]["status"] == "done"
    arts2 = _artifacts(client, oid2, h)
    plan2 = client.get(f"/api/orders/{oid2}/artifacts/{arts2['plan.json']['id']}", headers=h).json()
    assert plan2[0]["line_id"] == plan[0]["line_id"]
    assert dt.datetime.fromisoformat(plan2[0]["start"]) >= dt.datetime.fromisoformat(plan[0]["end"])
    schedule2 = client.get(f"/api/orders/{oid2}/artifacts/{arts2['schedule.json']['id']}", headers=h).json()
    assert f"{oid}:curtain" in {p["order_id"] for p in schedule2["planned"] if p["frozen"]}
    assert _steps(client, oid2, h)["planned"]["summary"]["other_orders_on_lines"] >= 1

    # a due date the line cannot meet: planned anyway, promised after the due date, said so
    oid3 = _place_and_run(client, app, h, due=dt.date.today().isoformat(), quantity=400)
    s3 = _steps(client, oid3, h)["planned"]
    assert s3["status"] == "done"
    assert s3["summary"]["meets_due_date"] is False and s3["summary"]["tardiness_days"] > 0
    assert dt.date.fromisoformat(s3["summary"]["promised_date"]) > dt.date.today()
    # the order page shows the promised date
    with app.state.sessionmaker() as s:
        assert s.get(Order, oid3).promised_date == dt.date.fromisoformat(s3["summary"]["promised_date"])


def test_order_without_due_date_waits_for_one(client, app):
    t = _tenant(app, "No Due Date Textiles")
    h = t["planner"]
    _line(client, h, _factory(client, h)["id"], operators=10)
    oid = _place_and_run(client, app, h, due=None)
    steps = _steps(client, oid, h)
    if steps["nested"]["status"] != "done":
        pytest.skip(f"nesting did not finish here, so planned cannot run: {steps['nested']['reason']}")
    assert steps["planned"]["status"] == "pending" and "due_date" in steps["planned"]["reason"]
    assert client.patch(f"/api/orders/{oid}", json={"due_date": "2031-01-31"}, headers=h).status_code == 200
    steps = _steps(client, oid, h)
    start = "planned" if steps["nested"]["status"] == "done" else "measured"  # a change may discard outputs
    assert client.post(f"/api/orders/{oid}/steps/{start}/run?chain=true", headers=h).status_code == 202
    drain(app.state.sessionmaker, app.state.settings)
    steps = _steps(client, oid, h)
    assert steps["planned"]["status"] == "done", steps["planned"]["reason"]
    assert client.get(f"/api/orders/{oid}", headers=h).json()["promised_date"] == steps["planned"]["summary"]["promised_date"]


def test_plan_lines_are_the_enterprise_active_lines(app, client):
    from yuefang.app.services.lines import plan_line_id, plan_lines

    t = _tenant(app, "Plan Lines")
    h = t["planner"]
    f = _factory(client, h, "East")
    on = _line(client, h, f["id"], operators=12, products=["skirt"], current_product="skirt", learning_days=0)
    _line(client, h, f["id"], operators=12, active=False)
    with app.state.sessionmaker() as s:
        got = plan_lines(s, int(t["_id"]["id"]))
        row = s.get(SewingLine, on["id"])
        assert row is not None
    assert len(got) == 1
    (line,) = got
    assert plan_line_id(line.line_id) == on["id"] and line.factory_id == f"F{f['id']} East"
    assert (line.operators, line.products, line.current_product, line.learning_days) == (12, ("skirt",), "skirt", 0)
    assert line.capacity_smv_min_per_day == pytest.approx(row.capacity_smv_min_per_day)
    json.dumps(on)
