"""Line import from CSV and Excel (a uniform order of hundreds of wearers), and erasure of
personal data (PIPL) that leaves the audit trail without personal values."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select

from yuefang.app.jobs import drain
from yuefang.app.models import Artifact, AuditEvent, OrderLine

HEADER = ["wearer_ref", "product_id", "quantity", "sex", "stature", "weight_kg", "age_years", "option.fit"]


def _rows(n):
    return [[f"STAFF-{i:04d}", "shirt", 2, "male" if i % 2 else "男", 1650 + i % 300, 60 + i % 30, 30, ""]
            for i in range(n)]  # fmt: skip


def _csv(rows, header=HEADER):
    text = ",".join(header) + "\n" + "\n".join(",".join(str(c) for c in r) for r in rows) + "\n"
    return text.encode("utf-8-sig")


def _xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append([c if c != "" else None for c in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _order(client, h):
    return client.post("/api/orders", json={"reference": "UNIFORM", "customer_ref": "Metro"}, headers=h).json()["id"]


def test_import_csv_uniform_order_of_300_lines(client, world):
    h = world.a.h("order_desk")
    oid = _order(client, h)
    r = client.post(f"/api/orders/{oid}/lines/import", files={"file": ("staff.csv", _csv(_rows(300)), "text/csv")}, headers=h)
    assert r.status_code == 201, r.text[:500]
    assert r.json()["imported"] == 300
    order = client.get(f"/api/orders/{oid}", headers=h).json()
    assert order["line_count"] == 300 and order["total_quantity"] == 600
    first = order["lines"][0]
    assert first["wearer_ref"] == "STAFF-0000"
    assert first["inputs"]["sex"] == "male"  # 男 normalised
    assert order["lines"][0]["inputs"]["stature"] == 1650


def test_import_xlsx(client, world):
    h = world.a.h("order_desk")
    oid = _order(client, h)
    r = client.post(f"/api/orders/{oid}/lines/import",
                    files={"file": ("staff.xlsx", _xlsx(_rows(5)), "application/octet-stream")}, headers=h)  # fmt: skip
    assert r.status_code == 201, r.text
    lines = r.json()["lines"]
    assert [ln["line_no"] for ln in lines] == [1, 2, 3, 4, 5]
    assert lines[1]["inputs"] == {"sex": "male", "stature": 1651, "weight_kg": 61, "age_years": 30}


def test_import_errors_name_row_field_and_import_nothing(client, world):
    h = world.a.h("order_desk")
    oid = _order(client, h)
    rows = _rows(4)
    rows[2][4] = 175  # centimetres, not mm
    rows[3][1] = "jetpack"
    r = client.post(f"/api/orders/{oid}/lines/import", files={"file": ("staff.csv", _csv(rows), "text/csv")}, headers=h)
    assert r.status_code == 422
    fields = {d["field"]: d for d in r.json()["detail"]}
    assert fields["rows[2].inputs.stature"]["value"] == 175
    assert "rows[3].product_id" in fields and "shirt" in fields["rows[3].product_id"]["allowed"]
    assert client.get(f"/api/orders/{oid}", headers=h).json()["line_count"] == 0
    r = client.post(f"/api/orders/{oid}/lines/import", files={"file": ("staff.pdf", b"%PDF", "application/pdf")}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "file"
    r = client.post(f"/api/orders/{oid}/lines/import", files={"file": ("x.xlsx", b"not a zip", "application/x")}, headers=h)
    assert r.status_code == 422


def test_erasure_keeps_audit_without_personal_values(client, app, world, lines):
    h = world.a.h("order_desk")
    body = {"reference": "PIPL-1", "customer_ref": "Ms Wang Fang", "lines": [
        dict(lines["shirt"], wearer_ref="Wang Fang"), dict(lines["curtain"], wearer_ref="Bedroom 2")]}  # fmt: skip
    order = client.post("/api/orders", json=body, headers=h).json()
    oid = order["id"]
    client.patch(f"/api/orders/{oid}/lines/{order['lines'][0]['id']}",
                 json={"inputs": {"sex": "male", "stature": 1760, "weight_kg": 70}}, headers=h)  # fmt: skip
    client.post(f"/api/orders/{oid}/steps/measured/run", headers=world.a.h("planner"))
    drain(app.state.sessionmaker, app.state.settings)
    assert client.post(f"/api/orders/{oid}/erase-personal-data", headers=world.a.h("planner")).status_code == 403
    r = client.post(f"/api/orders/{oid}/erase-personal-data", headers=h)
    assert r.status_code == 200
    got = r.json()
    assert got["customer_ref"] is None and got["personal_data_erased_at"]
    shirt, curtain = got["lines"]
    assert shirt["wearer_ref"] is None and shirt["inputs"] == {} and shirt["personal_data_erased_at"]
    assert curtain["inputs"] == lines["curtain"]["inputs"]  # a window is not personal
    with app.state.sessionmaker() as s:
        assert not s.scalars(select(Artifact).where(Artifact.order_id == oid, Artifact.personal.is_(True))).all()
        events = s.scalars(select(AuditEvent).where(AuditEvent.order_id == oid)).all()
        dump = repr([(e.fields, e.changes) for e in events])
        line = s.get(OrderLine, shirt["id"])
        assert line.inputs == {}
    assert {"place", "change", "erase_personal_data"} <= {e.action for e in events}
    for secret in ("Wang Fang", "1760", "1750", "Bedroom"):
        assert secret not in dump
    erase = [e for e in events if e.action == "erase_personal_data" and e.entity == "order_line"]
    assert any("inputs" in e.fields for e in erase)


def test_erase_one_line(client, world, lines):
    h = world.a.h("enterprise_admin")
    order = client.post("/api/orders", json={"reference": "PIPL-2", "customer_ref": "keep",
                                             "lines": [lines["shirt"], lines["shirt"]]}, headers=h).json()  # fmt: skip
    r = client.post(f"/api/orders/{order['id']}/erase-personal-data?line_id={order['lines'][1]['id']}", headers=h)
    got = r.json()
    assert got["customer_ref"] == "keep"
    assert got["lines"][0]["wearer_ref"] == "W-001" and got["lines"][1]["wearer_ref"] is None
