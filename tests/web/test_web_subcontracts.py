"""The subcontracts page: offers received and given, accept / decline / withdraw by the right side's
planner or administrator (404 for anyone else), 409 in the reader's language, no personal data."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from yuefang.app.models import Subcontract, User

from .conftest import PASSWORD, session_for
from .test_web_orders import _csrf, _place

ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def offer(client: TestClient, web_env) -> dict[str, object]:
    """An order of enterprise A (a shirt for a wearer with body values) offered to enterprise B, and a
    planner of B."""
    from yuefang.app.auth import hash_password
    from yuefang.app.schemas.subcontracts import SubcontractCreate
    from yuefang.app.services.subcontracts import subcontract_order

    session_for(client, web_env, web_env.users["desk"])
    reference = f"SC-{uuid.uuid4().hex[:5]}"
    order_id = _place(client, reference=reference, customer_ref="客户王先生", wearer_ref="W-王五")
    client.cookies.clear()
    tag = uuid.uuid4().hex[:6]
    with web_env.sessionmaker() as s:
        admin = s.scalar(select(User).where(User.email == web_env.users["admin"]))
        sub = subcontract_order(session=s, actor=admin, data=SubcontractCreate(
            order_id=order_id, to_enterprise_id=web_env.enterprise_b, scope="缝制"))  # fmt: skip
        planner = f"planner+{tag}@chaozhi.example"
        s.add(User(email=planner, display_name="黄海", password_hash=hash_password(PASSWORD), role="planner",
                   enterprise_id=web_env.enterprise_b))  # fmt: skip
        s.commit()
        return {"id": sub.id, "order_id": order_id, "reference": reference, "planner_b": planner}


def _post(client: TestClient, sub_id: object, action: str, headers: dict[str, str] | None = None):
    return client.post(f"/subcontracts/{sub_id}/{action}", data={"csrf_token": _csrf(client, "/subcontracts")},
                       headers=headers or {}, follow_redirects=False)  # fmt: skip


def _status(web_env, sub_id: object) -> str:
    with web_env.sessionmaker() as s:
        return s.get(Subcontract, sub_id).status


def test_receiver_accepts_and_sees_no_personal_data(client: TestClient, web_env, offer) -> None:
    session_for(client, web_env, offer["planner_b"])
    page = client.get("/subcontracts", headers=ZH)
    assert page.status_code == 200 and "外发加工" in page.text
    row = re.search(rf'<tr data-subcontract="{offer["id"]}">.*?</tr>', page.text, re.S)
    assert row and offer["reference"] in row.group(0) and "待答复" in row.group(0) and "接受" in row.group(0)
    for secret in ("客户王先生", "W-王五", "175", "stature", "96.0"):
        assert secret not in page.text, secret
    assert f'href="/orders/{offer["order_id"]}"' not in page.text  # the receiver cannot open the order

    accepted = _post(client, offer["id"], "accept", ZH)
    assert accepted.status_code == 303 and _status(web_env, offer["id"]) == "accepted"
    assert "已接受外发" in client.get(accepted.headers["location"], headers=ZH).text
    again = _post(client, offer["id"], "accept", ZH)
    assert again.status_code == 409 and "已接受" in again.text and "不能再" in again.text
    # the receiver may not withdraw: 404 as for a missing subcontract
    assert _post(client, offer["id"], "withdraw").status_code == 404
    assert _post(client, 987654, "accept").status_code == 404
    assert _post(client, offer["id"], "explode").status_code == 404
    assert _status(web_env, offer["id"]) == "accepted"


def test_who_may_answer_and_the_offerer_withdraws(client: TestClient, web_env, offer) -> None:
    session_for(client, web_env, web_env.users["other"])  # B's order desk: reads, answers nothing
    page = client.get("/subcontracts", headers=ZH).text
    assert offer["reference"] in page and f'action="/subcontracts/{offer["id"]}/accept"' not in page
    assert _post(client, offer["id"], "decline").status_code == 404
    assert client.post(f"/subcontracts/{offer['id']}/decline", data={"csrf_token": ""}).status_code == 403
    client.cookies.clear()

    session_for(client, web_env, web_env.users["desk"])  # A's order desk: sees its offer, no button
    page = client.get("/subcontracts", headers=ZH).text
    assert f'action="/subcontracts/{offer["id"]}/withdraw"' not in page
    assert _post(client, offer["id"], "withdraw").status_code == 404
    client.cookies.clear()

    session_for(client, web_env, web_env.users["admin"])  # A's administrator withdraws
    page = client.get("/subcontracts", headers=ZH).text
    assert f'action="/subcontracts/{offer["id"]}/withdraw"' in page
    assert f'href="/orders/{offer["order_id"]}"' in page
    assert _post(client, offer["id"], "accept").status_code == 404  # not the receiver
    assert _post(client, offer["id"], "withdraw").status_code == 303
    assert _status(web_env, offer["id"]) == "withdrawn"
    assert "已撤回" in client.get("/subcontracts", headers=ZH).text
