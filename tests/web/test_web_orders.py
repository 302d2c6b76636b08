"""The order pages without a browser: roles, tenants, CSRF, forms, units, import, progress."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from .conftest import session_for

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _csrf(client: TestClient, path: str = "/orders/new") -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _order_form(csrf: str, **extra: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf, "reference": "T-1", "customer_ref": "客户甲", "fabric_name": "府绸", "fabric_colour": "白",
        "fabric_width": "150", "nap": "none", "product_id": "shirt", "wearer_ref": "W-1", "quantity": "1",
        "sex": "male", "stature": "175", "weight_kg": "72", "age_years": "35", "chest": "96", "waist_girth": "82",
    }  # fmt: skip
    form.update(extra)
    return form


@pytest.fixture
def desk(client: TestClient, web_env) -> TestClient:
    session_for(client, web_env, web_env.users["desk"])
    return client


def _place(client: TestClient, **extra: str) -> int:
    response = client.post("/orders/new", data=_order_form(_csrf(client), **extra), follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(re.search(r"/orders/(\d+)", response.headers["location"]).group(1))


def test_pages_need_a_login(client: TestClient) -> None:
    for path in ("/orders", "/orders/new", "/orders/1", "/orders/1/import"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    response = client.post("/orders/new", data={"reference": "X"}, follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]
    assert client.get("/orders/1/progress").status_code == 401


def test_new_order_form_places_the_order_in_mm(desk: TestClient, web_env) -> None:
    order_id = _place(desk, reference="JX-UNIT-1")
    with web_env.sessionmaker() as s:
        from yuefang.app.models import Order

        order = s.get(Order, order_id)
        assert order.enterprise_id == web_env.enterprise_a
        assert order.fabric_width_mm == 1500.0
        inputs = order.lines[0].inputs
        assert inputs["stature"] == 1750.0 and inputs["chest_girth"] == 960.0 and inputs["waist_girth"] == 820.0
    page = desk.get(f"/orders/{order_id}", headers=ZH)
    assert "订单已创建" not in page.text  # the flash only follows the redirect
    assert "175.0 cm" in page.text and "胸围" in page.text and "腰围" in page.text


def test_a_female_chest_is_a_bust_girth(desk: TestClient, web_env) -> None:
    order_id = _place(desk, reference="JX-BUST", sex="female", stature="160", chest="84", waist_girth="68")
    with web_env.sessionmaker() as s:
        from yuefang.app.models import Order

        inputs = s.get(Order, order_id).lines[0].inputs
    assert inputs["bust_girth"] == 840.0 and "chest_girth" not in inputs


def test_new_order_with_a_due_date(desk: TestClient) -> None:
    order_id = _place(desk, reference="JX-DUE", due_date="2026-12-20")
    assert "2026-12-20" in desk.get(f"/orders/{order_id}").text


def test_unit_preference_changes_what_pages_show_and_read(desk: TestClient, web_env) -> None:
    order_id = _place(desk, reference="JX-UNIT-2")
    desk.post("/preferences", data={"unit": "mm", "next": "/orders"})
    page = desk.get(f"/orders/{order_id}", headers=EN)
    assert "1750 mm" in page.text and "175.0 cm" not in page.text
    assert "Chest girth 胸围" in page.text
    # in mm the form reads millimetres
    mm_id = _place(desk, reference="JX-UNIT-3", fabric_width="1400", stature="1700", chest="920", waist_girth="780")
    with web_env.sessionmaker() as s:
        from yuefang.app.models import Order

        order = s.get(Order, mm_id)
        assert order.fabric_width_mm == 1400.0 and order.lines[0].inputs["stature"] == 1700.0
    assert 'value="1500"' in desk.get("/orders/new").text  # the default width, in mm
    desk.post("/preferences", data={"unit": "cm", "next": "/orders"})
    assert 'value="150.0"' in desk.get("/orders/new").text


def test_form_errors_name_the_field_in_the_users_language_and_unit(desk: TestClient) -> None:
    bad = _order_form(_csrf(desk), reference="", stature="17x", fabric_width="-3", quantity="1.5")
    zh = desk.post("/orders/new", data=bad, headers=ZH)
    assert zh.status_code == 422
    assert "请填写订单号" in zh.text
    assert "身高：17x 不是有效长度" in zh.text
    assert "门幅：-3 不是有效长度" in zh.text
    assert "数量：1.5 不允许" in zh.text
    assert 'value="17x"' in zh.text  # what was typed is kept
    # the service's range check comes back with its range in the user's unit
    implausible = desk.post("/orders/new", data=_order_form(_csrf(desk), stature="17"), headers=EN)
    assert implausible.status_code == 422
    assert re.search(r"Stature 身高: 17.0 cm is not allowed; allowed: 120.0–225.0 cm", implausible.text), implausible.text
    too_wide = desk.post("/orders/new", data=_order_form(_csrf(desk), fabric_width="600"), headers=EN)
    assert too_wide.status_code == 422
    assert "Fabric width: 600.0 cm is not allowed; allowed: at most 500.0 cm" in too_wide.text


def test_forms_without_the_csrf_token_are_refused(desk: TestClient) -> None:
    response = desk.post("/orders/new", data=_order_form("forged"))
    assert response.status_code == 403
    order_id = _place(desk, reference="JX-CSRF")
    assert desk.post(f"/orders/{order_id}/cancel", data={"csrf_token": ""}).status_code == 403
    assert desk.post(f"/orders/{order_id}/import", data={"text": "a,b\n1,2", "csrf_token": "x"}).status_code == 403


def test_roles_decide_what_each_user_may_do(client: TestClient, web_env) -> None:
    session_for(client, web_env, web_env.users["desk"])
    order_id = _place(client, reference="JX-ROLES")
    client.cookies.clear()

    session_for(client, web_env, web_env.users["floor"])  # shop floor: reads orders, changes nothing
    listing = client.get("/orders", headers=ZH)
    assert listing.status_code == 200 and "JX-ROLES" in listing.text and "新建订单" not in listing.text
    detail = client.get(f"/orders/{order_id}", headers=ZH)
    assert detail.status_code == 200 and "运行各步骤" not in detail.text and "导入订单行" not in detail.text
    assert client.get("/orders/new").status_code == 403
    assert client.get(f"/orders/{order_id}/import").status_code == 403
    token = _csrf(client, "/orders")
    assert client.post(f"/orders/{order_id}/run", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/orders/{order_id}/cancel", data={"csrf_token": token}).status_code == 403
    client.cookies.clear()

    session_for(client, web_env, web_env.users["cutter"])  # cutting room: may run steps, not edit
    detail = client.get(f"/orders/{order_id}", headers=EN)
    assert "Run the steps" in detail.text and "Cancel order" not in detail.text
    client.cookies.clear()

    session_for(client, web_env, web_env.users["cluster"])  # the cluster office sees no orders
    home = client.get("/", follow_redirects=False).headers["location"]
    assert home in ("/cluster", "/office")
    if home == "/office":
        assert "the indicators, not the enterprises" in client.get("/office", headers=EN).text
    assert client.get("/orders").status_code == 403
    assert client.get(f"/orders/{order_id}").status_code == 403


def test_one_enterprise_never_sees_anothers_orders(client: TestClient, web_env) -> None:
    session_for(client, web_env, web_env.users["desk"])
    order_id = _place(client, reference="JX-SECRET")
    client.cookies.clear()
    session_for(client, web_env, web_env.users["other"])
    assert "JX-SECRET" not in client.get("/orders?q=JX").text
    for path in (f"/orders/{order_id}", f"/orders/{order_id}/import"):
        response = client.get(path)
        assert response.status_code == 404 and "JX-SECRET" not in response.text
    assert client.get(f"/orders/{order_id}/progress").status_code == 404
    token = _csrf(client)
    assert client.post(f"/orders/{order_id}/cancel", data={"csrf_token": token}).status_code == 404


def test_order_list_filters_and_searches(desk: TestClient) -> None:
    keep = _place(desk, reference="FLT-KEEP-1")
    gone = _place(desk, reference="FLT-GONE-2")
    desk.post(f"/orders/{gone}/cancel", data={"csrf_token": _csrf(desk)})
    searched = desk.get("/orders?q=FLT-", headers=EN).text
    assert "FLT-KEEP-1" in searched and "FLT-GONE-2" in searched
    cancelled = desk.get("/orders?q=FLT-&status=cancelled", headers=EN).text
    assert "FLT-GONE-2" in cancelled and "FLT-KEEP-1" not in cancelled
    received = desk.get("/orders?status=received&q=FLT-", headers=EN).text
    assert "FLT-KEEP-1" in received and "FLT-GONE-2" not in received
    assert "No order matches these filters." in desk.get("/orders?q=NO-SUCH-ORDER", headers=EN).text
    assert desk.get(f"/orders/{keep}", headers=EN).status_code == 200
    cancelled_page = desk.get(f"/orders/{gone}", headers=EN).text
    assert 'data-step="cancelled"' in cancelled_page and "Run the steps" not in cancelled_page


def test_line_import_reports_rows_and_converts_units(desk: TestClient, web_env) -> None:
    order_id = _place(desk, reference="JX-IMPORT")
    token = _csrf(desk)
    bad = "product_id,wearer_ref,sex,stature,chest_girth\nshirt,A,male,abc,96\nshirt,B,male,175,96\n"
    response = desk.post(f"/orders/{order_id}/import", data={"text": bad, "unit": "cm", "csrf_token": token},
                         headers=ZH)  # fmt: skip
    assert response.status_code == 422
    assert "未导入任何数据" in response.text and "stature (身高)" in response.text
    good = "product_id,wearer_ref,quantity,sex,stature,chest_girth\nshirt,A,3,male,170,92\n"
    response = desk.post(f"/orders/{order_id}/import", data={"text": good, "unit": "cm", "csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and "lines_imported" in response.headers["location"]
    curtain = "product_id,quantity,window_width_mm,drop_mm\ncurtain,1,1800,2400\n"
    response = desk.post(
        f"/orders/{order_id}/import",
        files={"file": ("curtains.csv", curtain.encode(), "text/csv")},
        data={"unit": "cm", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    with web_env.sessionmaker() as s:
        from yuefang.app.models import Order

        lines = s.get(Order, order_id).lines
    assert lines[1].inputs["stature"] == 1700.0 and lines[1].quantity == 3
    assert lines[2].inputs == {"window_width_mm": 1800, "drop_mm": 2400}  # *_mm columns stay in mm
    empty = desk.post(f"/orders/{order_id}/import", data={"text": "", "csrf_token": token}, headers=EN)
    assert empty.status_code == 422 and "Choose a file or paste rows." in empty.text


def test_line_import_reads_excel(desk: TestClient, web_env) -> None:
    from openpyxl import Workbook

    order_id = _place(desk, reference="JX-XLSX")
    book = Workbook()
    sheet = book.active
    sheet.append(["product_id", "wearer_ref", "sex", "stature", "waist_girth"])
    sheet.append(["shirt", "王一", "male", 1760, 800])
    buffer = io.BytesIO()
    book.save(buffer)
    response = desk.post(
        f"/orders/{order_id}/import",
        files={"file": ("名单.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
        data={"unit": "mm", "csrf_token": _csrf(desk)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = desk.get(f"/orders/{order_id}", headers=ZH).text
    assert "王一" in page and "176.0 cm" in page and "腰围" in page


def test_progress_endpoint_reports_each_step(desk: TestClient) -> None:
    order_id = _place(desk, reference="JX-PROGRESS")
    data = desk.get(f"/orders/{order_id}/progress").json()
    assert data["order_id"] == order_id and data["status"] == "received"
    assert [s["step"] for s in data["steps"]] == ["measured", "drafted", "nested", "planned"]
    assert {s["status"] for s in data["steps"]} == {"pending"} and data["active"] is False


def test_static_files_are_served_and_confined(client: TestClient) -> None:
    css = client.get("/static/web/yuefang.css")
    assert css.status_code == 200 and "WenQuanYi Micro Hei" in css.text
    assert "@font-face" not in css.text and "url(" not in css.text  # fonts are the computer's own
    assert client.get("/static/web/progress.js").headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert client.get("/static/web/../orders.py").status_code == 404
    assert client.get("/static/web/%2e%2e/orders.py").status_code == 404


def test_pages_fetch_nothing_from_the_internet(desk: TestClient) -> None:
    for path in ("/login", "/orders", "/orders/new"):
        html = desk.get(path).text
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html), path


def _wait_idle(client: TestClient, order_id: int, timeout_s: float = 60.0) -> dict:
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        data = client.get(f"/orders/{order_id}/progress").json()
        if not data["active"]:
            return data
        time.sleep(0.2)
    raise AssertionError(f"order {order_id} still running after {timeout_s} s")


def test_a_failed_step_shows_its_reason_and_can_be_retried(desk: TestClient) -> None:
    # 12 cm of fabric: no shirt piece fits, so nesting fails with a reason
    order_id = _place(desk, reference="JX-NARROW", fabric_width="12")
    response = desk.post(f"/orders/{order_id}/run", data={"csrf_token": _csrf(desk)}, follow_redirects=False)
    assert response.status_code == 303
    data = _wait_idle(desk, order_id)
    steps = {s["step"]: s["status"] for s in data["steps"]}
    assert steps["measured"] == "done" and steps["drafted"] == "done" and steps["nested"] == "failed"
    page = desk.get(f"/orders/{order_id}", headers=ZH).text
    assert '<li class="st-failed" data-step="nested"' in page
    assert "重试此步骤" in page and "从头重新运行" in page
    assert re.search(r'class="reason">[^<]+</div>', page), "the failure's reason is shown"
    retry = desk.post(f"/orders/{order_id}/run", data={"csrf_token": _csrf(desk), "step": "nested"},
                      follow_redirects=False)  # fmt: skip
    assert retry.status_code == 303
    steps = {s["step"]: s["status"] for s in _wait_idle(desk, order_id)["steps"]}
    assert steps["drafted"] == "done" and steps["nested"] == "failed"


def test_order_list_pages_keep_the_filters(desk: TestClient, web_env) -> None:
    from sqlalchemy import select

    from yuefang.app.models import User
    from yuefang.app.schemas.orders import OrderCreate
    from yuefang.app.services.orders import place_order

    with web_env.sessionmaker() as s:
        actor = s.scalar(select(User).where(User.email == web_env.users["desk"]))
        for i in range(27):
            place_order(session=s, actor=actor, data=OrderCreate(reference=f"PG-{i:03d}"))
    first = desk.get("/orders?q=PG-", headers=EN).text
    assert first.count('href="/orders/') - first.count('href="/orders/new"') == 25
    assert "Showing 1–25 of 27" in first and "PG-026" in first and "PG-001" not in first
    assert 'href="/orders?q=PG-&amp;offset=25"' in first and "Previous" not in first
    second = desk.get("/orders?q=PG-&offset=25", headers=EN).text
    assert "Showing 26–27 of 27" in second and "PG-001" in second and "PG-000" in second
    assert 'href="/orders?q=PG-"' in second and "Next" not in second


def test_outputs_appear_with_their_step(desk: TestClient, web_env) -> None:
    """Each step's output is shown once its step is done: size label, pattern, marker, plan."""
    import datetime as dt

    from sqlalchemy import select

    from yuefang.app.models import Artifact, Order, OrderStep

    order_id = _place(desk, reference="JX-OUTPUTS")
    assert "各步骤完成后，其输出结果将显示在这里" in desk.get(f"/orders/{order_id}", headers=ZH).text
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
    with web_env.sessionmaker() as s:
        order = s.get(Order, order_id)
        line_id = order.lines[0].id
        steps = {row.step: row for row in s.scalars(select(OrderStep).where(OrderStep.order_id == order_id))}
        done = {"status": "done", "finished_at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)}
        for name, summary in (("measured", {"designations": {"1": "175/92A"}}), ("drafted", {"pieces": {"1": 10}}),
                              ("nested", {"length_mm": 2345.0, "utilisation": 0.8123}),
                              ("planned", {"promised_date": "2026-01-20"})):  # fmt: skip
            for key, value in {**done, "summary": summary}.items():
                setattr(steps[name], key, value)
        s.add_all([
            Artifact(order_id=order_id, line_id=line_id, step="drafted", name="pattern.svg", media_type="image/svg+xml",
                     content=svg),
            Artifact(order_id=order_id, step="nested", name="marker.svg", media_type="image/svg+xml", content=svg),
            Artifact(order_id=order_id, step="planned", name="gantt.svg", media_type="image/svg+xml", content=svg),
        ])  # fmt: skip
        order.status = "planned"
        order.promised_date = dt.date(2026, 1, 20)
        s.commit()
        marker_id = s.scalar(select(Artifact.id).where(Artifact.order_id == order_id, Artifact.name == "marker.svg"))
        gantt_id = s.scalar(select(Artifact.id).where(Artifact.order_id == order_id, Artifact.name == "gantt.svg"))
    page = desk.get(f"/orders/{order_id}", headers=ZH).text
    outputs = page[page.index('id="outputs"'):]
    assert "175/92A" in outputs and "纸样 · 10 片" in outputs
    assert f'src="/orders/{order_id}/artifacts/{marker_id}"' in outputs
    assert "排料长度 234.5 cm · 面料利用率 81.2%" in outputs
    assert 'id="plan-output"' in outputs and "2026-01-20" in outputs
    plan_card = outputs[outputs.index('id="plan-output"'):]
    assert f'id="gantt-output" src="/orders/{order_id}/artifacts/{gantt_id}"' in plan_card
    assert outputs.count("<h3>生产计划</h3>") == 1  # one plan card, the chart inside it
    assert "完成于 2026-01-02 11:04" in page  # China Standard Time
    served = desk.get(f"/orders/{order_id}/artifacts/{marker_id}")
    assert served.status_code == 200 and served.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in served.headers["content-security-policy"] and served.text == svg
    assert desk.get(f"/orders/{order_id + 10_000}/artifacts/{marker_id}").status_code == 404
    desk.cookies.clear()
    session_for(desk, web_env, web_env.users["other"])
    assert desk.get(f"/orders/{order_id}/artifacts/{marker_id}").status_code == 404


def _example(page: str, element_id: str) -> str:
    import html

    match = re.search(rf'<pre class="mono example" id="{element_id}">(.*?)</pre>', page, re.S)
    assert match, f"no {element_id} on the import page"
    return html.unescape(match.group(1))


def test_import_page_lists_the_real_option_columns_and_its_examples_import(desk: TestClient, web_env) -> None:
    from yuefang.app.services.orders import parse_line_table

    order_id = _place(desk, reference="JX-EXAMPLE")
    page = desk.get(f"/orders/{order_id}/import?unit=cm", headers=EN).text
    listed = set(re.findall(r'<td class="mono">(option\.[a-z_]+)</td>', page))
    assert {"option.heading", "option.panels", "option.closure", "option.fit", "option.collar"} <= listed
    assert "option.&lt;name&gt;" not in page and "e.g. option.fullness" not in page
    assert "duvet_size" in page  # an input the duvet cover reads, named as the importer takes it
    token = _csrf(desk)
    for element_id in ("import-example", "import-example-home"):
        text = _example(page, element_id)
        # every column of the example is one the page lists (or a reserved one)
        header = text.splitlines()[0].split(",")
        assert all(c in page for c in header), header
        n_rows = len(parse_line_table("example.csv", text.encode()))
        response = desk.post(f"/orders/{order_id}/import", data={"text": text, "unit": "cm", "csrf_token": token},
                             headers=EN, follow_redirects=False)  # fmt: skip
        assert response.status_code == 303, (element_id, response.text[-3000:])
        assert f"count={n_rows}" in response.headers["location"] or "lines_imported" in response.headers["location"]
    with web_env.sessionmaker() as s:
        from yuefang.app.models import Order

        lines = s.get(Order, order_id).lines
    curtains = [ln for ln in lines if ln.product_id == "curtain"]
    assert len(curtains) == 2 and curtains[0].options == {"heading": "pencil_pleat", "panels": 2}
    shirts = [ln for ln in lines if ln.options.get("collar")]
    assert len(shirts) == 2 and shirts[0].inputs["stature"] == 1750.0  # typed in cm on the example


def test_order_page_shows_every_home_textile_input(desk: TestClient) -> None:
    order_id = _place(desk, reference="JX-HOME")
    rows = ("product_id,quantity,duvet_size,mattress_width_mm,mattress_length_mm,mattress_depth_mm\n"
            "duvet_cover,1,200x230,,,\nfitted_sheet,2,,1500,2000,250\n")  # fmt: skip
    response = desk.post(f"/orders/{order_id}/import", data={"text": rows, "unit": "mm", "csrf_token": _csrf(desk)},
                         headers=EN, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text[-3000:]
    en = desk.get(f"/orders/{order_id}", headers=EN).text
    assert "Duvet size" in en and "200x230" in en
    for label in ("Mattress width", "Mattress length", "Mattress depth"):
        assert label in en, label
    assert re.search(r"25\.0 cm|250 mm", en)
    zh = desk.get(f"/orders/{order_id}", headers=ZH).text
    assert "被芯尺寸" in zh and "200x230" in zh


def test_new_order_form_shows_all_its_errors_at_once(desk: TestClient) -> None:
    """The form's own checks and the product's come back in one answer, each naming its field."""
    bad = _order_form(_csrf(desk), reference="", fabric_width="abc", stature="17", quantity="0")
    response = desk.post("/orders/new", data=bad, headers=EN)
    assert response.status_code == 422
    summary = re.search(r'id="form-errors".*?</ul>', response.text, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", summary)
    assert len(items) == 4, items
    for expected in ("Reference", "Fabric width: abc", "Stature 身高: 17.0 cm is not allowed", "Quantity: 0"):
        assert any(expected in item for item in items), (expected, items)
