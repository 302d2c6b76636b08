"""``/api/plan/bulletins/{product_id}``: an enterprise's own bulletin (stored, used by the balance,
reset to the default), 422 on a bad CSV naming row and field, roles, and no leak between tenants."""

from __future__ import annotations

import pytest

from yuefang.app.jobs import drain
from yuefang.app.models import AuditEvent
from yuefang.plan import bulletin_to_csv, default_bulletin, read_bulletin_csv

PRODUCT = "duvet_cover"  # used by no other bulletin test (the app fixture is shared)
OWN = (
    "op_id,name,machine_type,smv_min,skill_grade,predecessors\n"
    "s1,join panels,overlock,2.5,2,\n"
    "s2,attach zip,lockstitch,3.0,3,s1\n"
    "s3,press,iron,1.0,1,s2\n"
)


@pytest.fixture
def own_bulletin(client, world):
    h = world.a.h("planner")
    r = client.put(f"/api/plan/bulletins/{PRODUCT}", content=OWN, headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    yield r.json()
    assert client.delete(f"/api/plan/bulletins/{PRODUCT}", headers=h).status_code == 200


def test_default_until_stored_then_own_then_reset(client, world, app):
    h = world.a.h("enterprise_admin")
    before = client.get(f"/api/plan/bulletins/{PRODUCT}", headers=h).json()
    assert before["source"] == "default"
    assert before["csv"] == bulletin_to_csv(default_bulletin(PRODUCT))
    saved = client.put(f"/api/plan/bulletins/{PRODUCT}", content=OWN, headers={**h, "Content-Type": "text/csv"})
    assert saved.status_code == 200, saved.text
    got = client.get(f"/api/plan/bulletins/{PRODUCT}", headers=world.a.h("planner")).json()
    assert got["source"] == "enterprise"
    assert [op["op_id"] for op in got["operations"]] == ["s1", "s2", "s3"]
    assert got["total_smv_min"] == pytest.approx(6.5)
    assert got["updated_by_id"] is not None
    with app.state.sessionmaker() as s:
        events = s.query(AuditEvent).filter_by(entity="enterprise_bulletin").all()
        assert any(e.action == "import" for e in events)
    reset = client.delete(f"/api/plan/bulletins/{PRODUCT}", headers=h)
    assert reset.status_code == 200 and reset.json()["source"] == "default"
    assert client.get(f"/api/plan/bulletins/{PRODUCT}", headers=h).json()["csv"] == before["csv"]


def test_multipart_upload_replaces_the_stored_one(client, world, own_bulletin):
    h = world.a.h("planner")
    text = OWN.replace("3.0,3", "4.0,3")
    files = {"file": ("bulletin.csv", text.encode(), "text/csv")}
    r = client.put(f"/api/plan/bulletins/{PRODUCT}", files=files, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["total_smv_min"] == pytest.approx(7.5)
    assert client.get(f"/api/plan/bulletins/{PRODUCT}", headers=h).json()["total_smv_min"] == pytest.approx(7.5)


def test_balance_by_product_uses_the_stored_bulletin(client, world, app, own_bulletin):
    h = world.a.h("planner")
    r = client.post("/api/plan/balance", json={"product_id": PRODUCT, "takt_s": 200, "time_limit_s": 1}, headers=h)
    assert r.status_code == 202, r.text
    drain(app.state.sessionmaker, app.state.settings)
    res = client.get(f"/api/jobs/{r.json()['id']}", headers=h).json()["result"]
    assert res["total_smv_s"] == pytest.approx(6.5 * 60)
    assert read_bulletin_csv(res["bulletin_csv"]).operations[0].op_id == "s1"
    assert res["problems"] == []
    # enterprise B balances the same product with the default, A's bulletin unseen
    hb = world.b.h("planner")
    r = client.post("/api/plan/balance", json={"product_id": PRODUCT, "operators": 6, "time_limit_s": 1}, headers=hb)
    drain(app.state.sessionmaker, app.state.settings)
    res_b = client.get(f"/api/jobs/{r.json()['id']}", headers=hb).json()["result"]
    assert res_b["total_smv_s"] == pytest.approx(default_bulletin(PRODUCT).total_smv_min * 60)
    assert "join panels" not in res_b["bulletin_csv"]


def test_other_enterprise_sees_only_its_default(client, world, own_bulletin):
    hb = world.b.h("enterprise_admin")
    got = client.get(f"/api/plan/bulletins/{PRODUCT}", headers=hb).json()
    assert got["source"] == "default" and "join panels" not in got["csv"]
    # B resetting its (absent) bulletin leaves A's in place
    assert client.delete(f"/api/plan/bulletins/{PRODUCT}", headers=hb).status_code == 200
    a = client.get(f"/api/plan/bulletins/{PRODUCT}", headers=world.a.h("planner")).json()
    assert a["source"] == "enterprise"


@pytest.mark.parametrize(
    "text,field,value",
    [
        (OWN.replace("overlock", "laser"), "bulletin_csv.row2.machine_type", "'laser'"),
        (OWN.replace("3.0,3", "fast,3"), "bulletin_csv.row3.smv_min", "'fast'"),
        ("op_id,name\ns1,seam\n", "bulletin_csv", "missing ['machine_type', 'smv_min']"),
    ],
)
def test_bad_csv_is_422_naming_row_field_value_allowed(client, world, text, field, value):
    h = world.a.h("planner")
    r = client.put(f"/api/plan/bulletins/{PRODUCT}", content=text, headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 422, r.text
    err = r.json()["detail"][0]
    assert err["field"] == field
    assert err["value"] == value
    assert err["allowed"]
    assert client.get(f"/api/plan/bulletins/{PRODUCT}", headers=h).json()["source"] == "default"


def test_unknown_product_and_undecodable_body(client, world):
    h = world.a.h("planner")
    r = client.put("/api/plan/bulletins/jacket", content=OWN, headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 422
    r = client.put(f"/api/plan/bulletins/{PRODUCT}", content=b"\xff\xfe\x00bad", headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == 422 and r.json()["detail"][0]["allowed"] == "UTF-8 text"


@pytest.mark.parametrize("role,status", [("order_desk", 403), ("enterprise_admin", 200), ("planner", 200)])
def test_roles(client, world, role, status):
    h = world.b.h(role)
    r = client.put(f"/api/plan/bulletins/{PRODUCT}", content=OWN, headers={**h, "Content-Type": "text/csv"})
    assert r.status_code == status, r.text
    assert client.delete(f"/api/plan/bulletins/{PRODUCT}", headers=h).status_code == status
    assert client.get(f"/api/plan/bulletins/{PRODUCT}", headers=h).status_code == status
    assert client.put(f"/api/plan/bulletins/{PRODUCT}", content=OWN).status_code == 401
