"""The line-balancing page ``/plan/balance``: roles, the enterprise's own bulletin shown and used,
the balance with its operator-load chart, form errors, CSRF; and a screenshot in Chromium."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from yuefang.app.models import User

from .conftest import PASSWORD, session_for

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
OWN = (
    "op_id,name,machine_type,smv_min,skill_grade,predecessors\n"
    "k1,join side seams,overlock,1.5,2,\n"
    "k2,attach waistband by our method,lockstitch,2.0,3,k1\n"
    "k3,hem skirt,lockstitch,1.0,2,k2\n"
    "k4,final press,iron,0.5,1,k3\n"
)


@pytest.fixture(autouse=True)
def short_balance(monkeypatch):
    from yuefang.app.web import planning

    monkeypatch.setattr(planning, "PAGE_TIME_LIMIT_S", 1.0)


@pytest.fixture(scope="module")
def planner(web_env) -> str:
    """A planner of enterprise A (the shared seed has none)."""
    from yuefang.app.auth import hash_password

    email = f"planner+{uuid.uuid4().hex[:6]}@huanan.example"
    with web_env.sessionmaker() as s:
        s.add(User(email=email, display_name="黄planner", password_hash=hash_password(PASSWORD), role="planner",
                   enterprise_id=web_env.enterprise_a))  # fmt: skip
        s.commit()
    return email


def _csrf(client: TestClient, path: str = "/plan/balance") -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _store_own(web_env, email: str, product_id: str) -> None:
    from sqlalchemy import select

    from yuefang.app.services.bulletins import save_bulletin

    with web_env.sessionmaker() as s:
        actor = s.scalar(select(User).where(User.email == email))
        save_bulletin(session=s, actor=actor, product_id=product_id, csv_text=OWN)


def test_page_needs_login_and_a_planning_role(client, web_env, planner) -> None:
    r = client.get("/plan/balance", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    session_for(client, web_env, web_env.users["desk"])
    assert client.get("/plan/balance").status_code == 403
    assert "/plan/balance" not in client.get("/orders").text  # no nav entry for the order desk
    session_for(client, web_env, planner)
    r = client.get("/plan/balance", headers=ZH)
    assert r.status_code == 200
    assert 'href="/plan/balance"' in r.text and "生产线平衡" in r.text
    session_for(client, web_env, web_env.users["admin"])
    assert client.get("/plan/balance").status_code == 200


def test_shows_the_default_bulletin_with_smv_machine_skill(client, web_env, planner) -> None:
    from yuefang.plan import default_bulletin

    session_for(client, web_env, planner)
    r = client.get("/plan/balance?product_id=curtain", headers=EN)
    assert r.status_code == 200
    assert "The default bulletin shipped with yuefang." in r.text
    first = default_bulletin("curtain").operations[0]
    assert first.op_id in r.text and first.name in r.text and f"{first.smv_min:.2f}" in r.text


def test_balance_by_output_shows_chart_efficiency_and_loss(client, web_env, planner) -> None:
    session_for(client, web_env, planner)
    form = {"csrf_token": _csrf(client), "product_id": "shirt", "mode": "output", "output_per_shift": "400",
            "shift_min": "480"}  # fmt: skip
    r = client.post("/plan/balance", data=form, headers=ZH)
    assert r.status_code == 200, r.text
    assert 'id="balance-result"' in r.text and "<svg" in r.text and "Operator loads of the balanced line" in r.text
    eff = float(re.search(r'id="line-efficiency">([\d.]+) %', r.text).group(1))
    loss = float(re.search(r'id="balance-loss">([\d.]+) %', r.text).group(1))
    assert 0 < eff <= 100 and eff + loss == pytest.approx(100, abs=0.11)
    assert "72.0" in r.text  # takt = 480 min x 60 / 400 pieces = 72 s
    assert "线平衡效率" in r.text or "生产线效率" in r.text


def test_balance_by_operators_uses_the_enterprise_bulletin(client, web_env, planner) -> None:
    _store_own(web_env, planner, "skirt")
    session_for(client, web_env, planner)
    page = client.get("/plan/balance?product_id=skirt", headers=EN).text
    assert "Your enterprise&#39;s own bulletin." in page and "attach waistband by our method" in page
    form = {"csrf_token": _csrf(client), "product_id": "skirt", "mode": "operators", "operators": "4"}
    r = client.post("/plan/balance", data=form, headers=EN)
    assert r.status_code == 200, r.text
    assert int(re.search(r'id="n-operators">(\d+)<', r.text).group(1)) <= 4
    assert "k2" in r.text.split('id="balance-result"')[1]  # the stored operations were balanced
    # enterprise B's planner-less admin sees the default skirt bulletin, not A's
    from sqlalchemy import select

    with web_env.sessionmaker() as s:
        b_admin = User(email=f"admin+{uuid.uuid4().hex[:6]}@chaozhi.example", password_hash="x",
                       role="enterprise_admin", enterprise_id=web_env.enterprise_b)  # fmt: skip
        s.add(b_admin)
        s.commit()
        b_email = s.scalar(select(User.email).where(User.id == b_admin.id))
    session_for(client, web_env, b_email)
    other = client.get("/plan/balance?product_id=skirt", headers=EN).text
    assert "attach waistband by our method" not in other and "The default bulletin shipped with yuefang." in other


@pytest.mark.parametrize(
    "extra,field",
    [({"mode": "output", "output_per_shift": ""}, "output_per_shift"),
     ({"mode": "output", "output_per_shift": "many"}, "output_per_shift"),
     ({"mode": "operators", "operators": "0"}, "operators"),
     ({"mode": "operators", "operators": "1"}, "operators")],  # fewer than the machine types need
)  # fmt: skip
def test_bad_form_answers_422_with_the_field_marked(client, web_env, planner, extra, field) -> None:
    session_for(client, web_env, planner)
    form = {"csrf_token": _csrf(client), "product_id": "shirt", "shift_min": "480", **extra}
    r = client.post("/plan/balance", data=form, headers=ZH)
    assert r.status_code == 422
    assert f'id="err-{field}"' in r.text
    assert 'id="balance-result"' not in r.text


def test_stale_form_is_refused(client, web_env, planner) -> None:
    session_for(client, web_env, planner)
    r = client.post("/plan/balance", data={"csrf_token": "0" * 64, "product_id": "shirt", "operators": "5",
                                           "mode": "operators"})  # fmt: skip
    assert r.status_code == 403 and 'id="balance-result"' not in r.text


@pytest.mark.browser
def test_balance_page_in_chromium(browser, live_server, web_env, planner, shot) -> None:
    ctx = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(15_000)
    try:
        from sqlalchemy import select

        from yuefang.app.auth import issue_token

        with web_env.sessionmaker() as s:  # a login session without the form (tested by the order journey)
            token = issue_token(s, user=s.scalar(select(User).where(User.email == planner)), kind="cookie")
        ctx.add_cookies([{"name": web_env.settings.session_cookie_name, "value": token, "url": live_server}])
        page = ctx.new_page()
        page.goto("/plan/balance")
        page.select_option("select[name=product_id]", "shirt")
        page.click("#product-form button[type=submit]")
        page.fill("input[name=output_per_shift]", "400")
        page.click("#balance-form button[type=submit]")
        page.wait_for_selector("#balance-result svg")
        assert page.locator("#balance-result svg rect").count() >= 5
        shot(page, "plan-balance")
    finally:
        ctx.close()


def test_bulletin_saved_from_the_page_then_reset(client, web_env, planner) -> None:
    session_for(client, web_env, planner)
    csrf = _csrf(client)
    bad = OWN.replace("overlock", "laser")
    r = client.post("/plan/balance/bulletin", data={"csrf_token": csrf, "product_id": "trousers", "bulletin_csv": bad},
                    headers=EN)  # fmt: skip
    assert r.status_code == 422
    assert 'id="err-bulletin_csv"' in r.text and "row2.machine_type" in r.text and "laser" in r.text
    assert "The default bulletin shipped with yuefang." in r.text  # nothing stored
    files = {"file": ("own.csv", OWN.encode("utf-8-sig"), "text/csv")}
    r = client.post("/plan/balance/bulletin", data={"csrf_token": csrf, "product_id": "trousers"}, files=files,
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/plan/balance?product_id=trousers"
    page = client.get("/plan/balance?product_id=trousers", headers=EN).text
    assert "Your enterprise&#39;s own bulletin." in page and "attach waistband by our method" in page
    # the API (same enterprise) sees it too
    r = client.post("/plan/balance/bulletin/reset", data={"csrf_token": csrf, "product_id": "trousers"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = client.get("/plan/balance?product_id=trousers", headers=EN).text
    assert "The default bulletin shipped with yuefang." in page and "by our method" not in page
    # the order desk may not save one
    session_for(client, web_env, web_env.users["desk"])
    r = client.post("/plan/balance/bulletin", data={"csrf_token": csrf, "product_id": "trousers", "bulletin_csv": OWN})
    assert r.status_code == 403
