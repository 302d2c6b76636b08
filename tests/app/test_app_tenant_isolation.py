"""One enterprise never reads, lists or changes another's data: every endpoint answers 404 for
another enterprise's id, exactly as for an id that does not exist."""

from __future__ import annotations

import io
import re

import pytest

from yuefang.app.jobs import drain
from yuefang.app.models import Artifact, Enterprise, Job, Ticket

MISSING = 987654


@pytest.fixture(scope="module")
def a_data(app, world):
    """Enterprise A's order (steps run), its line, artifact, job, ticket, a subcontract to C, and a
    factory with a sewing line (switched off, so that the other modules' orders of A stay unplanned)."""
    from fastapi.testclient import TestClient

    h = world.a.h("enterprise_admin")
    with TestClient(app) as c:
        body = {
            "reference": "A-SECRET", "customer_ref": "A's customer",
            "lines": [{"product_id": "curtain", "wearer_ref": "A-wearer",
                       "inputs": {"window_width_mm": 1200, "drop_mm": 1500}, "options": {}}],
        }  # fmt: skip
        order = c.post("/api/orders", json=body, headers=h).json()
        job = c.post(f"/api/orders/{order['id']}/steps/measured/run?chain=true", headers=h).json()
        drain(app.state.sessionmaker, app.state.settings)
        with app.state.sessionmaker() as s:
            art = s.query(Artifact).filter_by(order_id=order["id"]).first()
            assert art is not None, "drafting the curtain kept no output"
            ticket = Ticket(order_id=order["id"], line_id=order["lines"][0]["id"], code=f"A-TICKET-{order['id']}")
            s.add(ticket)
            third = Enterprise(name="Third", city_code="440500")
            s.add(third)
            s.commit()
            art_id, code, third_id = art.id, ticket.code, third.id
            assert s.get(Job, job["id"]).enterprise_id == world.a.enterprise_id
        sub = c.post("/api/subcontracts", json={"order_id": order["id"], "to_enterprise_id": third_id}, headers=h)
        assert sub.status_code == 201, sub.text
        factory = c.post("/api/factories", json={"name": "A-SECRET-PLANT"}, headers=h)
        assert factory.status_code == 201, factory.text
        sewing = c.post("/api/sewing-lines", json={"factory_id": factory.json()["id"], "name": "A-LINE-1",
                                                   "operators": 11, "active": False}, headers=h)  # fmt: skip
        assert sewing.status_code == 201, sewing.text
    return {
        "enterprise_id": world.a.enterprise_id,
        "order_id": order["id"],
        "line_id": order["lines"][0]["id"],
        "artifact_id": art_id,
        "job_id": job["id"],
        "code": code,
        "subcontract_id": sub.json()["id"],
        "factory_id": factory.json()["id"],
        "sewing_line_id": sewing.json()["id"],
    }


# (method, path, json body or None, files or None): every id is enterprise A's
CASES = [
    ("GET", "/api/enterprises/{enterprise_id}", None),
    ("PATCH", "/api/enterprises/{enterprise_id}", {"name": "hijacked"}),
    ("GET", "/api/orders/{order_id}", None),
    ("PATCH", "/api/orders/{order_id}", {"notes": "hijacked"}),
    ("POST", "/api/orders/{order_id}/cancel", None),
    ("GET", "/api/orders/{order_id}/lines", None),
    ("POST", "/api/orders/{order_id}/lines", {"product_id": "curtain", "inputs": {"window_width_mm": 1000, "drop_mm": 1000}}),
    ("PATCH", "/api/orders/{order_id}/lines/{line_id}", {"quantity": 9}),
    ("DELETE", "/api/orders/{order_id}/lines/{line_id}", None),
    ("POST", "/api/orders/{order_id}/lines/import", "FILE"),
    ("POST", "/api/orders/{order_id}/erase-personal-data", None),
    ("GET", "/api/orders/{order_id}/steps", None),
    ("POST", "/api/orders/{order_id}/steps/{step}/run", None),
    ("GET", "/api/orders/{order_id}/artifacts", None),
    ("GET", "/api/orders/{order_id}/artifacts/{artifact_id}", None),
    ("GET", "/api/orders/{order_id}/audit", None),
    ("POST", "/api/orders/{order_id}/tickets", None),
    ("GET", "/api/orders/{order_id}/tickets", None),
    ("GET", "/api/tickets/{code}/qr.svg", None),
    ("POST", "/api/tickets/scan", {"code": "{code}"}),
    ("GET", "/api/jobs/{job_id}", None),
    ("GET", "/api/marker/jobs/{job_id}/svg", None),
    ("GET", "/api/plan/jobs/{job_id}/svg", None),
    ("POST", "/api/subcontracts", {"order_id": "{order_id}", "to_enterprise_id": "{enterprise_id}"}),
    ("GET", "/api/subcontracts/{subcontract_id}", None),
    ("POST", "/api/subcontracts/{subcontract_id}/accept", None),
    ("POST", "/api/subcontracts/{subcontract_id}/decline", None),
    ("POST", "/api/subcontracts/{subcontract_id}/withdraw", None),
    ("GET", "/api/factories/{factory_id}", None),
    ("PATCH", "/api/factories/{factory_id}", {"name": "hijacked"}),
    ("DELETE", "/api/factories/{factory_id}", None),
    ("GET", "/api/sewing-lines?factory_id={factory_id}", None),
    ("POST", "/api/sewing-lines", {"factory_id": "{factory_id}", "name": "hijacked", "operators": 5}),
    ("GET", "/api/sewing-lines/{sewing_line_id}", None),
    ("PATCH", "/api/sewing-lines/{sewing_line_id}", {"operators": 1, "active": True}),
    ("DELETE", "/api/sewing-lines/{sewing_line_id}", None),
]  # fmt: skip

# Endpoints that take no id of another enterprise: checked by the listing test below.
NO_ID = {
    ("POST", "/api/auth/login"), ("POST", "/api/auth/logout"), ("GET", "/api/auth/me"),
    ("GET", "/api/enterprises"), ("POST", "/api/enterprises"), ("GET", "/api/users"), ("POST", "/api/users"),
    ("GET", "/api/products"), ("GET", "/api/orders"), ("POST", "/api/orders"), ("GET", "/api/subcontracts"),
    ("GET", "/api/factories"), ("POST", "/api/factories"), ("GET", "/api/sewing-lines"),
    # measure and patterns: computations on the request's values, no tenant data read or kept
    ("POST", "/api/measure/complete"), ("POST", "/api/measure/complete-batch"), ("POST", "/api/measure/complete-batch/csv"), ("GET", "/api/measure/designations/{label:path}"), ("POST", "/api/measure/size-chart-fit"), ("GET", "/api/measure/vocabulary"), ("POST", "/api/patterns/{product}/draft"), ("POST", "/api/patterns/{product}/export"),
    ("POST", "/api/marker/nest"), ("POST", "/api/marker/plan"), ("POST", "/api/plan/balance"), ("POST", "/api/plan/schedule"), ("POST", "/api/plan/quote"), ("GET", "/api/plan/bulletins/{product_id}"),
    # bulletins are keyed by product id, read and written in the caller's own enterprise only
    # (tests/app/test_app_bulletins.py: B sees its default, B's reset leaves A's in place)
    ("PUT", "/api/plan/bulletins/{product_id}"), ("DELETE", "/api/plan/bulletins/{product_id}"),
}  # fmt: skip


def test_every_endpoint_is_covered(app):
    # From the OpenAPI spec: included routers are not flattened into ``app.routes`` in this FastAPI,
    # so walking ``app.routes`` would find nothing and pass vacuously.
    def shape(path: str) -> str:  # placeholders by position, not by name ({line_id} vs {sewing_line_id})
        return re.sub(r"\{[^}]+\}", "{}", path.split("?", 1)[0])

    routes = {
        (m.upper(), shape(path)) for path, ops in app.openapi()["paths"].items()
        if path.startswith("/api") and not path.startswith("/api/cluster") for m in ops
    }  # fmt: skip
    assert len(routes) > 40, f"the route listing looks broken: {sorted(routes)}"
    covered = {(m, shape(p)) for m, p, _ in CASES} | {(m, shape(p)) for m, p in NO_ID}
    assert routes - covered == set(), "new endpoints need a tenant-isolation case"


def _fill(template, ids, missing=False):
    values = {k: (MISSING if missing and k != "step" else v) for k, v in ids.items()}
    if missing:
        values["code"] = "NO-SUCH-TICKET"
    values["step"] = "measured"
    if isinstance(template, str):
        return template.format(**values)
    out = {}
    for k, v in template.items():
        out[k] = int(_fill(v, ids, missing)) if isinstance(v, str) and v.endswith("_id}") else (
            _fill(v, ids, missing) if isinstance(v, str) else v)  # fmt: skip
    return out


def _call(client, method, path, body, headers):
    if body == "FILE":
        files = {"file": ("lines.csv", io.BytesIO(b"product_id,window_width_mm,drop_mm\ncurtain,900,900\n"), "text/csv")}
        return client.request(method, path, files=files, headers=headers)
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("method,path,body", CASES, ids=[f"{m} {p}" for m, p, _ in CASES])
@pytest.mark.parametrize("role", ["enterprise_admin", "order_desk"])
def test_other_enterprise_gets_404_like_missing(client, world, a_data, method, path, body, role):
    h = world.b.h(role)
    other = _call(client, method, _fill(path, a_data), _fill(body, a_data) if isinstance(body, dict) else body, h)
    missing = _call(client, method, _fill(path, a_data, True), _fill(body, a_data, True) if isinstance(body, dict) else body, h)
    assert other.status_code == 404, other.text
    assert missing.status_code == 404, missing.text
    strip = lambda j: {k: v for k, v in j.items() if k not in ("message", "detail")}  # noqa: E731
    assert strip(other.json()) == strip(missing.json())


def test_mixed_ids_do_not_leak(client, world, a_data, lines):
    h = world.b.h("enterprise_admin")
    mine = client.post("/api/orders", json={"reference": "B-1", "lines": [lines["curtain"]]}, headers=h).json()
    r = client.patch(f"/api/orders/{mine['id']}/lines/{a_data['line_id']}", json={"quantity": 2}, headers=h)
    assert r.status_code == 404
    r = client.get(f"/api/orders/{mine['id']}/artifacts/{a_data['artifact_id']}", headers=h)
    assert r.status_code == 404
    r = client.post(f"/api/orders/{mine['id']}/erase-personal-data?line_id={a_data['line_id']}", headers=h)
    assert r.status_code == 404


def test_lists_show_only_own_data(client, world, a_data):
    h = world.b.h("enterprise_admin")
    assert a_data["order_id"] not in [o["id"] for o in client.get("/api/orders?limit=500", headers=h).json()["data"]]
    ents = client.get("/api/enterprises", headers=h).json()
    assert [e["id"] for e in ents["data"]] == [world.b.enterprise_id]
    users = client.get("/api/users", headers=h).json()["data"]
    assert {u["enterprise_id"] for u in users} == {world.b.enterprise_id}
    assert client.get("/api/subcontracts", headers=h).json()["count"] == 0
    assert a_data["factory_id"] not in [f["id"] for f in client.get("/api/factories", headers=h).json()["data"]]
    assert a_data["sewing_line_id"] not in [ln["id"] for ln in client.get("/api/sewing-lines", headers=h).json()["data"]]
    # B cannot create users in A, nor an order desk list users
    r = client.post("/api/users", json={"email": "x@y.cn", "password": "12345678", "role": "planner",
                                        "enterprise_id": world.a.enterprise_id}, headers=h)  # fmt: skip
    assert r.status_code == 404
    assert client.get("/api/users", headers=world.b.h("order_desk")).status_code == 403


def test_a_data_unchanged(client, world, a_data):
    order = client.get(f"/api/orders/{a_data['order_id']}", headers=world.a.h("enterprise_admin")).json()
    assert order["status"] != "cancelled"
    assert order["notes"] == ""
    assert order["customer_ref"] == "A's customer"
    assert [ln["quantity"] for ln in order["lines"]] == [1]
    h = world.a.h("enterprise_admin")
    assert client.get(f"/api/factories/{a_data['factory_id']}", headers=h).json()["name"] == "A-SECRET-PLANT"
    line = client.get(f"/api/sewing-lines/{a_data['sewing_line_id']}", headers=h).json()
    assert (line["name"], line["operators"], line["active"]) == ("A-LINE-1", 11, False)
    # B's accept, decline and withdraw all answered 404 and changed nothing
    assert client.get(f"/api/subcontracts/{a_data['subcontract_id']}", headers=h).json()["status"] == "offered"


def test_subcontract_view_has_no_personal_or_body_data(client, world, a_data, app):
    from yuefang.app.auth import issue_token
    from yuefang.app.models import Role, User

    with app.state.sessionmaker() as s:
        sub = client.get(f"/api/subcontracts/{a_data['subcontract_id']}", headers=world.a.h()).json()
        u = User(email=f"third-{sub['to_enterprise_id']}@ent.test", password_hash="x", role=Role.planner.value,
                 enterprise_id=sub["to_enterprise_id"])  # fmt: skip
        s.add(u)
        s.commit()
        h = {"Authorization": f"Bearer {issue_token(s, user=u)}"}
    view = client.get(f"/api/subcontracts/{a_data['subcontract_id']}", headers=h)
    assert view.status_code == 200
    text = view.text
    assert "A's customer" not in text and "A-wearer" not in text and "window_width_mm" not in text
    assert view.json()["lines"][0]["product_id"] == "curtain"
    # the receiving enterprise still cannot open the order itself
    assert client.get(f"/api/orders/{a_data['order_id']}", headers=h).status_code == 404
