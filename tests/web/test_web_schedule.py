"""The enterprise's schedule page ``/plan/schedule``: the Gantt chart of the latest planned step's
stored schedule, by factory and line, own lines only; roles; and a screenshot in Chromium."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from yuefang.app.models import Artifact, User

from .conftest import PASSWORD, login, session_for

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


@pytest.fixture(scope="module")
def planner(web_env) -> str:
    from yuefang.app.auth import hash_password

    email = f"planner+{uuid.uuid4().hex[:6]}@huanan.example"
    with web_env.sessionmaker() as s:
        s.add(User(email=email, display_name="周planner", password_hash=hash_password(PASSWORD), role="planner",
                   enterprise_id=web_env.enterprise_a))  # fmt: skip
        s.commit()
    return email


def _store_plan(web_env, reference: str) -> int:
    """Plan an order of enterprise A with the scheduler on two of its factories' lines (and a line of
    enterprise B that the order may use), and store the schedule as its planned step does."""
    from yuefang.app.schemas.orders import OrderCreate
    from yuefang.app.services.orders import place_order
    from yuefang.plan import Order as PlanOrder
    from yuefang.plan import schedule_orders
    from yuefang.plan.schedule import Line, Subcontract

    a, b = str(web_env.enterprise_a), str(web_env.enterprise_b)
    with web_env.sessionmaker() as s:
        admin = s.scalar(select(User).where(User.email == web_env.users["admin"]))
        order = place_order(session=s, actor=admin, data=OrderCreate(
            reference=reference, fabric_name="府绸", fabric_width_mm=1500, due_date=dt.date.today() + dt.timedelta(days=20),
            lines=[{"product_id": "shirt", "inputs": {"sex": "male", "stature": 1750}, "quantity": 400}]))  # fmt: skip
        lines = [Line(line_id="L1 衬衫一线", factory_id="F1 一厂", enterprise_id=a, operators=20),
                 Line(line_id="L2 衬衫二线", factory_id="F1 一厂", enterprise_id=a, operators=18),
                 Line(line_id="L3 综合线", factory_id="F2 二厂", enterprise_id=a, operators=12),
                 Line(line_id="L9 SECRET-PARTNER-LINE", factory_id="F9 partner", enterprise_id=b, operators=30)]  # fmt: skip
        today = dt.date.today()
        orders = [PlanOrder(order_id=f"{order.id}:shirt", enterprise_id=a, product_id="shirt", quantity=600,
                            due_date=today + dt.timedelta(days=2)),
                  PlanOrder(order_id="77:trousers", enterprise_id=a, product_id="trousers", quantity=500,
                            due_date=today + dt.timedelta(days=2)),
                  PlanOrder(order_id="78:shirt", enterprise_id=a, product_id="shirt", quantity=300,
                            due_date=today + dt.timedelta(days=1))]  # fmt: skip
        subs = [Subcontract(order_id=o.order_id, enterprise_id=b, accepted=True) for o in orders]
        start = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0)
        schedule = schedule_orders(orders, lines, start=start, time_limit_s=2.0, subcontracts=subs)
        assert {p.factory_id for p in schedule.planned if p.enterprise_id == a} >= {"F1 一厂"}
        s.add(Artifact(order_id=order.id, step="planned", name="schedule.json", media_type="application/json",
                       content=schedule.model_dump_json()))  # fmt: skip
        s.commit()
        return order.id


def test_schedule_page_roles_and_empty_state(client: TestClient, web_env, planner) -> None:
    session_for(client, web_env, web_env.users["desk"])
    assert client.get("/plan/schedule").status_code == 403
    assert "/plan/schedule" not in client.get("/orders").text
    session_for(client, web_env, web_env.users["other"])
    assert client.get("/plan/schedule").status_code == 403


def test_schedule_page_shows_the_latest_plan_by_factory_and_line(client: TestClient, web_env, planner) -> None:
    login(client, planner)
    zh = client.get("/plan/schedule", headers=ZH)
    assert zh.status_code == 200 and 'href="/plan/schedule"' in zh.text
    order_id = _store_plan(web_env, f"HN-SCHED-{uuid.uuid4().hex[:4]}")
    zh = client.get("/plan/schedule", headers=ZH).text
    assert 'id="schedule-gantt"' in zh and "<svg" in zh
    assert "一厂" in zh and "衬衫一线" in zh  # rows by factory and line
    assert "SECRET-PARTNER-LINE" not in zh  # a partner's line and its orders stay the partner's
    assert f'href="/orders/{order_id}"' in zh
    assert "排产计划" in zh and re.search(r"个订单产品", zh)
    en = client.get("/plan/schedule", headers=EN).text
    assert "Last planned with order" in en and "Nothing planned yet" not in en


def test_schedule_screenshot(browser, live_server, web_env, planner, shot) -> None:
    _store_plan(web_env, f"HN-SCHED-{uuid.uuid4().hex[:4]}")
    ctx = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.goto("/login")
    page.fill("input[name=email]", planner)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/orders")
    page.click("nav >> text=排产计划")
    page.wait_for_url("**/plan/schedule")
    assert page.locator("#schedule-gantt svg").count() == 1
    assert "衬衫一线" in page.locator("#schedule-gantt").inner_text()
    shot(page, "plan-schedule")
    ctx.close()
