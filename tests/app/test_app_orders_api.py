"""Orders and lines through the API: placing, reading, changing, validation errors, roles, audit."""

from __future__ import annotations


def test_place_and_read_order(client, world, order_body, lines):
    h = world.a.h("order_desk")
    r = client.post("/api/orders", json=order_body(lines=[lines["curtain"], lines["shirt"]]), headers=h)
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "received"
    assert order["enterprise_id"] == world.a.enterprise_id
    assert [ln["line_no"] for ln in order["lines"]] == [1, 2]
    assert order["lines"][1]["inputs"]["sex"] == "male"
    assert order["line_count"] == 2 and order["total_quantity"] == 2
    assert {s["step"]: s["status"] for s in order["steps"]} == {
        "measured": "pending", "drafted": "pending", "nested": "pending", "planned": "pending"
    }
    got = client.get(f"/api/orders/{order['id']}", headers=world.a.h("shop_floor")).json()
    assert got["reference"] == order["reference"]
    listed = client.get("/api/orders", headers=h).json()
    assert order["id"] in [o["id"] for o in listed["data"]]
    assert listed["count"] >= 1


def test_bad_body_measurement_names_field_value_allowed(client, world, order_body, lines):
    bad = dict(lines["shirt"], inputs={"sex": "male", "stature": 175, "weight_kg": 70})
    r = client.post("/api/orders", json=order_body(lines=[bad]), headers=world.a.h("order_desk"))
    assert r.status_code == 422
    err = r.json()["detail"][0]
    assert err["field"] == "lines[0].inputs.stature"
    assert err["value"] == 175
    assert "mm" in err["allowed"]


def test_unknown_product_and_bad_fabric_are_422(client, world, order_body, lines):
    r = client.post("/api/orders", json=order_body(lines=[dict(lines["curtain"], product_id="spacesuit")]),
                    headers=world.a.h("order_desk"))  # fmt: skip
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "lines[0].product_id"
    assert "curtain" in r.json()["detail"][0]["allowed"]
    r = client.post("/api/orders", json=order_body(fabric_width_mm=-3), headers=world.a.h("order_desk"))
    assert r.status_code == 422
    d = r.json()["detail"][0]
    assert d["field"] == "fabric_width_mm" and d["value"] == -3 and d["allowed"] == "> 100 mm"
    r = client.post("/api/orders", json=order_body(nap="sideways"), headers=world.a.h("order_desk"))
    assert r.status_code == 422 and "one_way" in r.json()["detail"][0]["allowed"]


def test_roles(client, world, order_body):
    assert client.post("/api/orders", json=order_body(), headers=world.a.h("shop_floor")).status_code == 403
    assert client.post("/api/orders", json=order_body(), headers=world.a.h("cutting_room")).status_code == 403
    # the cluster office sees no orders
    assert client.get("/api/orders", headers=world.admin_headers).status_code == 403
    assert client.get("/api/orders").status_code == 401
    assert client.get("/api/orders", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_change_order_and_lines_is_audited(client, world, order_body, lines):
    h = world.a.h("order_desk")
    order = client.post("/api/orders", json=order_body(), headers=h).json()
    oid = order["id"]
    r = client.patch(f"/api/orders/{oid}", json={"fabric_colour": "navy", "customer_ref": "Customer Li"}, headers=h)
    assert r.status_code == 200 and r.json()["fabric_colour"] == "navy"
    r = client.post(f"/api/orders/{oid}/lines", json=lines["curtain"], headers=h)
    assert r.status_code == 201 and r.json()["line_no"] == 2
    line_id = r.json()["id"]
    r = client.patch(f"/api/orders/{oid}/lines/{line_id}", json={"quantity": 3}, headers=world.a.h("planner"))
    assert r.status_code == 200 and r.json()["quantity"] == 3
    assert client.delete(f"/api/orders/{oid}/lines/{line_id}", headers=h).status_code == 204
    audit = client.get(f"/api/orders/{oid}/audit", headers=h).json()["data"]
    actions = [(e["entity"], e["action"]) for e in audit]
    assert ("order", "place") in actions and ("order", "change") in actions
    assert ("order_line", "add") in actions and ("order_line", "change") in actions
    assert ("order_line", "remove") in actions
    change = next(e for e in audit if e["action"] == "change" and e["entity"] == "order")
    assert change["fields"] == ["customer_ref", "fabric_colour"]
    assert change["changes"]["fabric_colour"] == {"old": "white", "new": "navy"}
    assert change["changes"]["customer_ref"] == {"personal": True}  # personal values never kept
    assert change["actor_id"] == world.a.users["order_desk"].id
    assert all("Customer" not in str(e["changes"]) for e in audit)


def test_cancel(client, world, order_body):
    h = world.a.h("order_desk")
    oid = client.post("/api/orders", json=order_body(), headers=h).json()["id"]
    assert client.post(f"/api/orders/{oid}/cancel", headers=h).json()["status"] == "cancelled"
    assert client.post(f"/api/orders/{oid}/cancel", headers=h).status_code == 409
    assert client.patch(f"/api/orders/{oid}", json={"notes": "x"}, headers=h).status_code == 409
    assert client.post(f"/api/orders/{oid}/steps/measured/run", headers=h).status_code == 409


def test_login_logout_and_cookie(client, world):
    user = world.b.users["planner"]
    r = client.post("/api/auth/login", json={"email": user.email, "password": "wrong-password"})
    assert r.status_code == 401
    r = client.post("/api/auth/login", json={"email": user.email, "password": world.password})
    assert r.status_code == 200
    token = r.json()["access_token"]
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).json()["id"] == user.id
    # the same login works as the web session cookie
    client.cookies.clear()
    assert client.get("/api/auth/me", cookies={"yuefang_session": token}).json()["id"] == user.id
    assert client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    client.cookies.clear()
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
