"""The pages in headless Chromium: log in, place an order, import lines, follow the steps, switch
language and unit. Each main page's screenshot is kept under ``test-artifacts/screenshots/``."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SHIRT_ROWS_CM = (
    "product_id,wearer_ref,quantity,sex,stature,chest_girth,waist_girth\n"
    "shirt,E-0102,2,male,170,92,78\n"
    "shirt,E-0103,1,male,182,104,90\n"
)
BAD_ROWS_CM = (
    "product_id,wearer_ref,quantity,sex,stature,chest_girth\n"
    "shirt,E-0201,1,male,abc,96\n"
    "sofa,E-0202,1,male,175,96\n"
)


def _more_orders(web_env) -> None:
    """A few more orders of the same enterprise, placed through the service, one cancelled."""
    import datetime as dt

    from yuefang.app.models import User
    from yuefang.app.schemas.orders import OrderCreate
    from yuefang.app.services.orders import cancel_order, place_order

    with web_env.sessionmaker() as s:
        from sqlalchemy import select

        desk = s.scalar(select(User).where(User.email == web_env.users["browser"]))
        rows = [
            ("JX-2025-0043", "广州地铁集团", "2026-01-15", "shirt", {"sex": "female", "stature": 1620}),
            ("HT-2025-0105", "白云宾馆", "2025-12-28", "curtain", {"window_width_mm": 2400, "drop_mm": 2600}),
            ("HT-2025-0106", "李女士", None, "duvet_cover", {"duvet_width_mm": 2000, "duvet_length_mm": 2300}),
            ("HT-2025-0107", "陈先生", None, "fitted_sheet",
             {"mattress_width_mm": 1800, "mattress_length_mm": 2000, "mattress_depth_mm": 250}),
        ]  # fmt: skip
        for reference, customer, due, product, inputs in rows:
            order = place_order(session=s, actor=desk, data=OrderCreate(
                reference=reference, customer_ref=customer, fabric_name="涤棉", fabric_width_mm=2800,
                due_date=dt.date.fromisoformat(due) if due else None,
                lines=[{"product_id": product, "inputs": inputs, "quantity": 2}],
            ))  # fmt: skip
        cancel_order(session=s, actor=desk, order_id=order.id)


@pytest.fixture(scope="module")
def context(browser, live_server):
    ctx = browser.new_context(
        base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 800}, device_scale_factor=1
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def test_order_desk_journey(context, web_env, live_server, shot) -> None:
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto("/orders")
    assert page.url.endswith("/login?next=%2Forders")
    assert page.locator("h2").inner_text() == "登录"
    shot(page, "login")

    page.fill("input[name=email]", web_env.users["browser"])
    page.fill("input[name=password]", "correct horse 42")
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/orders")
    assert "暂无订单" in page.inner_text("main")

    # new order: a validation message first, in Chinese and in the user's unit
    page.click("text=新建订单")
    page.wait_for_url("**/orders/new")
    page.fill("input[name=reference]", "JX-2025-0042")
    page.fill("input[name=customer_ref]", "广州市第一中学")
    page.fill("input[name=fabric_name]", "纯棉府绸")
    page.fill("input[name=due_date]", "2025-12-20")
    page.fill("input[name=fabric_colour]", "白色")
    page.select_option("select[name=product_id]", "curtain")  # a few lines of JS show the product's fields
    assert page.is_visible("input[name=drop_mm]") and not page.is_visible("input[name=stature]")
    page.select_option("select[name=product_id]", "shirt")
    assert page.is_visible("input[name=stature]") and not page.is_visible("input[name=drop_mm]")
    page.fill("input[name=wearer_ref]", "E-0101")
    page.select_option("select[name=sex]", "male")
    page.fill("input[name=stature]", "abc")
    page.fill("input[name=weight_kg]", "72")
    page.fill("input[name=age_years]", "35")
    page.fill("input[name=chest]", "96")
    page.fill("input[name=waist_girth]", "82")
    page.select_option('select[name="opt.shirt.collar"]', "band")
    page.click("text=创建订单")
    errors = page.locator("#form-errors")
    assert "身高：abc 不是有效长度" in errors.inner_text()
    assert page.input_value("input[name=chest]") == "96"
    shot(page, "new-order-errors")
    page.fill("input[name=stature]", "175")
    shot(page, "new-order")
    page.click("text=创建订单")
    page.wait_for_url(re.compile(r".*/orders/\d+\?done=order_created"))
    assert "订单已创建" in page.inner_text("main")
    order_url = page.url.split("?")[0]
    assert "175.0 cm" in page.inner_text("#line-table")
    assert "2025-12-20" in page.inner_text("main")
    assert "胸围" in page.inner_text("#line-table")
    assert "领型：立领" in page.inner_text("#line-table")

    # line import: errors by row, nothing imported, then the good rows
    page.click("text=导入订单行")
    page.fill("textarea[name=text]", BAD_ROWS_CM)
    page.click("#import-form button[type=submit]")
    table = page.locator("#import-errors")
    assert "未导入任何数据" in table.inner_text()
    assert re.search(r"\b2\b.*stature", table.inner_text())
    shot(page, "import-errors")
    page.fill("textarea[name=text]", SHIRT_ROWS_CM)
    page.click("#import-form button[type=submit]")
    page.wait_for_url(re.compile(r".*\?done=lines_imported"))
    assert page.locator("#line-table tbody tr").count() == 3
    assert "182.0 cm" in page.inner_text("#line-table")

    # run the steps and watch their outputs appear
    page.click("text=运行各步骤")
    page.wait_for_url(re.compile(r".*\?done=order_started"))
    # progress.js polls and reloads the page as steps finish; once no step is queued or running
    # the page stops polling and shows every output
    page.wait_for_selector('#timeline-card[data-active="false"]', timeout=60_000)
    page.wait_for_selector("#marker-output img")
    page.wait_for_load_state("networkidle")
    outputs = page.inner_text("#outputs")
    assert re.search(r"\d{3}/\d{2,3}[YABC]", outputs), outputs
    assert page.locator(".output-line img").count() == 3
    assert page.locator('[data-step="drafted"]').get_attribute("data-status") == "done"
    shot(page, "order-detail")

    # the steps' reasons are Chinese on a Chinese page (this enterprise has no sewing line yet)
    planned_reason = page.inner_text('[data-step="planned"] .reason')
    assert "缝制线" in planned_reason and "sewing lines" not in planned_reason, planned_reason

    # a new due date from the order page
    page.fill("#due-date-form input[name=due_date]", "2025-12-31")
    page.click("#due-date-form button[type=submit]")
    page.wait_for_url(re.compile(r".*\?done=due_date_changed"))
    assert "交货日期已修改" in page.inner_text("main")
    assert "2025-12-31" in page.inner_text("#due-date")
    assert page.input_value("#due-date-form input[name=due_date]") == "2025-12-31"
    shot(page, "order-due-date")

    # the order list, searched and filtered
    _more_orders(web_env)
    page.goto("/orders?q=JX-2025-0042")
    assert page.locator("#order-table tbody tr").count() == 1
    page.goto("/orders?status=in_production")
    assert "没有符合筛选条件的订单" in page.inner_text("main")
    page.goto("/orders")
    page.select_option("select[name=status]", "cancelled")
    page.click("text=筛选")
    page.wait_for_url("**status=cancelled**")
    assert page.locator("#order-table tbody tr").count() == 1
    assert "HT-2025-0107" in page.inner_text("#order-table")
    page.goto("/orders")
    assert page.locator("#order-table tbody tr").count() == 5
    shot(page, "order-list")

    # English and millimetres
    page.click("button[name=lang][value=en]")
    page.wait_for_load_state()
    page.click("button[name=unit][value=mm]")
    page.goto(order_url)
    assert page.locator("h2", has_text="Steps").count() == 1
    lines = page.inner_text("#line-table")
    assert "1750 mm" in lines and "Chest girth 胸围" in lines
    shot(page, "order-detail-en")
    page.goto(order_url + "/import")
    assert page.input_value("select[name=unit]") == "mm"
    shot(page, "import-en")
    page.close()
    # everything came from the app itself: no CDN, no web font, nothing from the internet
    assert requested and all(url.startswith((live_server, "data:")) for url in requested), {
        url for url in requested if not url.startswith(live_server)
    }


def test_planner_accepts_a_subcontract(browser, live_server, web_env, shot) -> None:
    import uuid

    from sqlalchemy import select

    from yuefang.app.auth import hash_password
    from yuefang.app.models import User
    from yuefang.app.schemas.orders import OrderCreate
    from yuefang.app.schemas.subcontracts import SubcontractCreate
    from yuefang.app.services.orders import place_order
    from yuefang.app.services.subcontracts import subcontract_order

    tag = uuid.uuid4().hex[:6]
    with web_env.sessionmaker() as s:
        admin = s.scalar(select(User).where(User.email == web_env.users["admin"]))
        order = place_order(session=s, actor=admin, data=OrderCreate(
            reference="HN-2025-0300", customer_ref="华南酒店", fabric_name="遮光布", fabric_width_mm=2800,
            lines=[{"product_id": "curtain", "inputs": {"window_width_mm": 2400, "drop_mm": 2600}, "quantity": 12}],
        ))  # fmt: skip
        receiver = s.scalar(select(User).where(User.email == web_env.users["browser"])).enterprise_id
        sub = subcontract_order(session=s, actor=admin, data=SubcontractCreate(
            order_id=order.id, to_enterprise_id=receiver, scope="缝制与整烫"))  # fmt: skip
        email = f"planner+{tag}@jinxiu.example"
        s.add(User(email=email, display_name="赵敏", password_hash=hash_password("correct horse 42"), role="planner",
                   enterprise_id=receiver))  # fmt: skip
        s.commit()
        sub_id = sub.id
    ctx = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse 42")
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/orders")
    page.click("nav >> text=外发加工")
    page.wait_for_url("**/subcontracts")
    row = page.locator(f'tr[data-subcontract="{sub_id}"]')
    assert "待答复" in row.inner_text()
    row.locator("button", has_text="接受").click()
    page.wait_for_url(re.compile(r".*\?done=subcontract_accept"))
    assert "已接受" in page.locator(f'tr[data-subcontract="{sub_id}"]').inner_text()
    shot(page, "subcontracts")
    ctx.close()
