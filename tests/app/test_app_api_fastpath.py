"""The short request path of the order API (one thread hop, no read-back, page and count in one
statement, token lookup outside the transaction) answers exactly what the plain ORM path would,
and a revoked or logged-out token, or a deactivated user, is refused at once."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import pytest
from sqlalchemy import select, text

from yuefang.app.auth import hash_password, issue_token, revoke_token, user_for_token
from yuefang.app.db import read_only
from yuefang.app.models import Enterprise, Order, User
from yuefang.app.schemas.orders import OrderCreate, OrderSummary
from yuefang.app.services import orders as svc

PG = (os.environ.get("YUEFANG_DATABASE_URL") or "").startswith("postgresql")


def _tenant(app: Any, n_orders: int) -> tuple[User, dict[str, str]]:
    """A fresh enterprise with one order-desk user and ``n_orders`` orders (references ``R-00`` ...)."""
    tag = uuid.uuid4().hex[:6]
    with app.state.sessionmaker() as s:
        ent = Enterprise(name=f"Fast path {tag}", city_code="440100")
        s.add(ent)
        s.flush()
        user = User(email=f"desk-{tag}@fast.test", password_hash=hash_password("x" * 12), role="order_desk",
                    enterprise_id=ent.id)  # fmt: skip
        s.add(user)
        s.commit()
        for i in range(n_orders):
            body = {"reference": f"R-{i:02d}{'-rush' if i % 3 == 0 else ''}", "fabric_name": "Poplin",
                    "lines": [{"product_id": "curtain", "inputs": {"window_width_mm": 1800, "drop_mm": 2400},
                               "options": {"heading": "pencil_pleat"}, "quantity": 1 + i % 4}] * (1 + i % 2)}  # fmt: skip
            svc.place_order(session=s, actor=user, data=OrderCreate.model_validate(body))
        if n_orders:  # one cancelled order for the status filter
            svc.cancel_order(
                session=s, actor=user, order_id=s.scalar(select(_first_order_id(user.enterprise_id)))
            )
        token = issue_token(s, user=user)
        s.expunge(user)
    return user, {"Authorization": f"Bearer {token}"}


def _first_order_id(enterprise_id: int) -> Any:
    """The smallest order id of an enterprise (a scalar subquery)."""
    from sqlalchemy import func

    return select(func.min(Order.id)).where(Order.enterprise_id == enterprise_id).scalar_subquery()


def _expected(app: Any, user: User, **kw: Any) -> dict[str, Any]:
    """The list as the plain ORM path builds it: ORM objects, ``OrderSummary.model_validate`` each."""
    with app.state.sessionmaker() as s:
        rows, count = svc.list_orders(session=s, actor=user, **kw)
        return {
            "data": [OrderSummary.model_validate(r).model_dump(mode="json") for r in rows],
            "count": count,
        }


@pytest.mark.parametrize(
    ("params", "kw"),
    [
        ({}, {}),  # default page of 50: all 7 orders, count from the page
        ({"limit": 3}, {"limit": 3}),  # full page: count from the window
        ({"limit": 3, "offset": 6}, {"limit": 3, "offset": 6}),  # last, partial page
        ({"limit": 3, "offset": 50}, {"limit": 3, "offset": 50}),  # past the end: count still the total
        ({"status": "cancelled"}, {"status": "cancelled"}),
        ({"status": "received", "limit": 2, "offset": 1}, {"status": "received", "limit": 2, "offset": 1}),
        ({"q": "rush", "limit": 2}, {"search": "rush", "limit": 2}),
        ({"q": "R-0_", "limit": 2}, {"search": "R-0_", "limit": 2}),  # LIKE wildcards are literal
        ({"q": "nothing-like-this"}, {"search": "nothing-like-this"}),
    ],
)
def test_list_is_what_the_orm_path_builds(app, client, params, kw):
    user, h = _tenant(app, 7)
    r = client.get("/api/orders", params=params, headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    got = r.json()
    assert got == _expected(app, user, **kw)
    full = _expected(app, user, status=kw.get("status"), search=kw.get("search"), limit=500)
    assert got["count"] == len(full["data"])


def test_list_counts_of_an_enterprise_without_orders(app, client):
    _, h = _tenant(app, 0)
    assert client.get("/api/orders", headers=h).json() == {"data": [], "count": 0}
    assert client.get("/api/orders?offset=10", headers=h).json() == {"data": [], "count": 0}


def test_placed_order_answer_equals_reading_it_back(app, client, order_body, lines):
    _, h = _tenant(app, 0)
    body = order_body(lines=[lines["curtain"], dict(lines["shirt"], quantity=3)], due_date="2031-05-04")
    r = client.post("/api/orders", json=body, headers=h)
    assert r.status_code == 201, r.text
    placed = r.json()
    assert placed["line_count"] == 2 and placed["total_quantity"] == 4 and len(placed["steps"]) == 4
    got = client.get(f"/api/orders/{placed['id']}", headers=h)
    assert got.status_code == 200
    assert got.json() == placed
    assert any(o["id"] == placed["id"] for o in client.get("/api/orders", headers=h).json()["data"])


def test_placing_stays_one_transaction(app, client, order_body, lines):
    """The token is looked up outside the write's transaction; a failing line still writes nothing."""
    user, h = _tenant(app, 0)
    bad = dict(lines["curtain"], inputs={"window_width_mm": -5, "drop_mm": 2400})
    r = client.post("/api/orders", json=order_body(lines=[lines["curtain"], bad]), headers=h)
    assert r.status_code == 422
    with app.state.sessionmaker() as s:
        assert s.scalar(select(_first_order_id(user.enterprise_id))) is None


def test_logout_refuses_the_token_at_once(client, app):
    _, h = _tenant(app, 1)
    assert client.get("/api/orders", headers=h).status_code == 200
    assert client.post("/api/auth/logout", headers=h).status_code == 204
    r = client.get("/api/orders", headers=h)
    assert r.status_code == 401
    assert client.get("/api/orders/1", headers=h).status_code == 401
    assert client.post("/api/orders", json={"reference": "X"}, headers=h).status_code == 401


def test_revocation_elsewhere_and_deactivation_refuse_at_once(client, app):
    """Revoked by another session (as another server process would), or the user deactivated."""
    user, h = _tenant(app, 1)
    token = h["Authorization"].split()[1]
    assert client.get("/api/orders", headers=h).status_code == 200
    with app.state.sessionmaker() as s:
        revoke_token(s, token)
    assert client.get("/api/orders", headers=h).status_code == 401

    with app.state.sessionmaker() as s:
        other = issue_token(s, user=s.get(User, user.id))
    h2 = {"Authorization": f"Bearer {other}"}
    assert client.get("/api/orders", headers=h2).status_code == 200
    with app.state.sessionmaker() as s:
        s.get(User, user.id).active = False
        s.commit()
    assert client.get("/api/orders", headers=h2).status_code == 401


def test_expired_token_is_refused(client, app):
    user, _ = _tenant(app, 0)
    with app.state.sessionmaker() as s:
        token = issue_token(s, user=s.get(User, user.id), ttl_s=-1)
    assert client.get("/api/orders", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_read_only_block_leaves_no_transaction_and_writes_stay_transactional(app):
    user, h = _tenant(app, 0)
    token = h["Authorization"].split()[1]
    with app.state.sessionmaker() as s:
        with read_only(s):
            found = user_for_token(s, token)
        assert found is not None and found.id == user.id
        assert not s.in_transaction()
        assert found.role == "order_desk"  # still loaded, no query needed
        conn = s.connection()  # the next transaction is a normal one again
        if PG:
            assert conn.connection.driver_connection.autocommit is False
        s.add(Order(enterprise_id=user.enterprise_id, reference="ROLLED-BACK", created_by_id=user.id))
        s.flush()
        s.rollback()
    with app.state.sessionmaker() as s:
        assert s.scalar(select(Order.id).where(Order.reference == "ROLLED-BACK",
                                               Order.enterprise_id == user.enterprise_id)) is None  # fmt: skip
        assert s.in_transaction()  # the query above began one
        with read_only(s):  # inside a transaction: runs in it and leaves it open
            s.scalar(select(Order.id).limit(1))
        assert s.in_transaction()


@pytest.mark.skipif(not PG, reason="PostgreSQL only: the server's TimeZone setting")
def test_times_read_back_as_utc_whatever_the_server_time_zone(app):
    user, _ = _tenant(app, 1)
    with app.state.sessionmaker() as s:
        s.execute(text("SET TIME ZONE 'Asia/Shanghai'"))
        created = s.scalar(select(Order.created_at).where(Order.enterprise_id == user.enterprise_id))
        s.rollback()
    assert created is not None and created.utcoffset() == dt.timedelta(0) and created.tzinfo == dt.UTC


def test_order_api_answers_401_without_login_and_403_to_the_cluster_office(client, world):
    r = client.get("/api/orders")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert "not logged in" in r.json()["message"]
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.post("/api/orders", json={}, headers=bad).status_code == 401  # before the body's 422
    r = client.get("/api/orders", headers=world.admin_headers)
    assert r.status_code == 403 and "cluster office" in r.json()["message"]
