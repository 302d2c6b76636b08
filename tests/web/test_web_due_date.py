"""The order page's due-date form (validated, audited, 422/409 as the API, a plan for the old date
discarded) and step reasons shown in the reader's language (catalogue keys, not stored English)."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from yuefang.app.models import AuditEvent, Enterprise, Factory, Order, OrderStep, SewingLine, User

from .conftest import PASSWORD, session_for
from .test_web_orders import _csrf, _place, _wait_idle

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


@pytest.fixture
def planner_desk(client: TestClient, web_env) -> TestClient:
    """An order desk of a fresh enterprise with one active sewing line (so orders get planned)."""
    from yuefang.app.auth import hash_password

    tag = uuid.uuid4().hex[:6]
    with web_env.sessionmaker() as s:
        ent = Enterprise(name=f"佛山顺德制衣 {tag}", city_code="440600")
        s.add(ent)
        s.flush()
        f = Factory(enterprise_id=ent.id, name="顺德一厂")
        s.add(f)
        s.flush()
        s.add(SewingLine(enterprise_id=ent.id, factory_id=f.id, name="衬衫线", operators=30, products=[]))
        email = f"desk+{tag}@shunde.example"
        s.add(User(email=email, display_name="周敏", password_hash=hash_password(PASSWORD), role="order_desk",
                   enterprise_id=ent.id))  # fmt: skip
        s.commit()
    session_for(client, web_env, email)
    return client


def _set_due(client: TestClient, order_id: int, value: str, headers: dict[str, str] | None = None):
    return client.post(f"/orders/{order_id}/due-date", data={"csrf_token": _csrf(client), "due_date": value},
                       headers=headers or {}, follow_redirects=False)  # fmt: skip


def _step(web_env, order_id: int, step: str) -> OrderStep:
    with web_env.sessionmaker() as s:
        row = s.scalar(select(OrderStep).where(OrderStep.order_id == order_id, OrderStep.step == step))
        assert row is not None
        s.expunge(row)
        return row


def test_due_date_form_validates_audits_and_refuses_a_locked_order(planner_desk: TestClient, web_env) -> None:
    client = planner_desk
    order_id = _place(client, reference=f"DD-{uuid.uuid4().hex[:4]}")
    page = client.get(f"/orders/{order_id}", headers=ZH).text
    assert 'id="due-date-form"' in page and 'type="date"' in page and "修改交货日期" in page

    bad = _set_due(client, order_id, "2031-02-30", ZH)
    assert bad.status_code == 422
    assert "交货日期" in bad.text and "2031-02-30" in bad.text and 'aria-invalid="true"' in bad.text
    assert _set_due(client, order_id, "", EN).status_code == 422

    ok = _set_due(client, order_id, "2031-05-01")
    assert ok.status_code == 303 and "done=due_date_changed" in ok.headers["location"]
    shown = client.get(ok.headers["location"], headers=ZH).text
    assert "2031-05-01" in shown and "交货日期已修改" in shown
    with web_env.sessionmaker() as s:
        assert s.get(Order, order_id).due_date.isoformat() == "2031-05-01"
        events = s.scalars(select(AuditEvent).where(AuditEvent.order_id == order_id, AuditEvent.action == "change"))
        assert any(e.changes.get("due_date", {}).get("new") == "2031-05-01" for e in events)

    # cancelled: no form, and a forged post answers 409 in the reader's language
    client.post(f"/orders/{order_id}/cancel", data={"csrf_token": _csrf(client)})
    assert 'id="due-date-form"' not in client.get(f"/orders/{order_id}").text
    locked = _set_due(client, order_id, "2031-06-01", ZH)
    assert locked.status_code == 409 and "交货日期不能再修改" in locked.text
    with web_env.sessionmaker() as s:
        assert s.get(Order, order_id).due_date.isoformat() == "2031-05-01"


def test_due_date_form_roles_csrf_and_tenants(client: TestClient, web_env) -> None:
    session_for(client, web_env, web_env.users["desk"])
    order_id = _place(client, reference="DD-ROLES")
    token = _csrf(client)
    assert client.post(f"/orders/{order_id}/due-date", data={"csrf_token": "", "due_date": "2031-01-01"}).status_code == 403
    client.cookies.clear()
    session_for(client, web_env, web_env.users["floor"])  # shop floor reads, changes nothing
    assert 'id="due-date-form"' not in client.get(f"/orders/{order_id}").text
    assert client.post(f"/orders/{order_id}/due-date", data={"csrf_token": _csrf(client, "/orders"),
                                                            "due_date": "2031-01-01"}).status_code == 403  # fmt: skip
    client.cookies.clear()
    session_for(client, web_env, web_env.users["other"])  # another enterprise: 404 as for a missing order
    assert _set_due(client, order_id, "2031-01-01").status_code == 404
    assert _set_due(client, 987654, "2031-01-01").status_code == 404
    with web_env.sessionmaker() as s:
        assert s.get(Order, order_id).due_date is None
    assert token


def test_reasons_are_shown_in_the_readers_language(planner_desk: TestClient, web_env) -> None:
    client = planner_desk
    order_id = _place(client, reference="DD-REASON")  # no due date: planned waits for one
    assert client.post(f"/orders/{order_id}/run", data={"csrf_token": _csrf(client)}).status_code == 200
    data = _wait_idle(client, order_id)
    steps = {s["step"]: s["status"] for s in data["steps"]}
    if steps["nested"] != "done":
        pytest.skip(f"nesting did not finish here, so planned cannot run: {steps}")
    row = _step(web_env, order_id, "planned")
    assert row.status == "pending" and row.reason_key == "no_due_date" and "due_date" in (row.reason or "")
    zh = client.get(f"/orders/{order_id}", headers=ZH).text
    reason = re.search(r'data-step="planned".*?class="reason[^"]*">([^<]+)</div>', zh, re.S)
    assert reason, "the planned step's reason is shown"
    assert "交货日期" in reason.group(1) and "set the due date" not in reason.group(1)
    en = client.get(f"/orders/{order_id}", headers=EN).text
    assert "set the due date, then run this step" in en

    # with a due date the order is planned; a new due date then discards the plan, saying why
    assert _set_due(client, order_id, "2031-03-31").status_code == 303
    assert _step(web_env, order_id, "planned").reason_key == "no_due_date"  # there was no plan to discard
    assert client.post(f"/orders/{order_id}/run", data={"csrf_token": _csrf(client), "step": "planned"}).status_code == 200
    _wait_idle(client, order_id)
    with web_env.sessionmaker() as s:
        order = s.get(Order, order_id)
        assert order.status == "planned" and order.promised_date is not None
    planned_page = client.get(f"/orders/{order_id}", headers=ZH).text
    assert "新的交货日期会作废计划" in planned_page  # the form warns before it discards
    assert _set_due(client, order_id, "2031-04-30").status_code == 303
    with web_env.sessionmaker() as s:
        order = s.get(Order, order_id)
        assert order.status == "nested" and order.promised_date is None
    row = _step(web_env, order_id, "planned")
    assert row.status == "pending" and row.reason_key == "due_date_changed"
    assert row.reason_params == {"due_date": "2031-04-30"}
    zh = client.get(f"/orders/{order_id}", headers=ZH).text
    assert "交货日期已改为 2031-04-30" in zh and "the due date changed" not in zh


def test_a_step_refused_says_why_in_the_readers_language(planner_desk: TestClient) -> None:
    order_id = _place(planner_desk, reference="DD-409")
    r = planner_desk.post(f"/orders/{order_id}/run", data={"csrf_token": _csrf(planner_desk), "step": "planned"},
                          headers=ZH)  # fmt: skip
    assert r.status_code == 409
    assert "步骤“已排产”需要先完成步骤“已排料”（当前为“待处理”）" in r.text and "needs step" not in r.text
    r = planner_desk.post(f"/orders/{order_id}/run", data={"csrf_token": _csrf(planner_desk), "step": "planned"},
                          headers=EN)  # fmt: skip
    assert r.status_code == 409 and "step Planned needs step Nested done first (it is Pending)" in r.text
