"""Fixtures of the platform tests.

The database is the one in ``YUEFANG_DATABASE_URL`` when set (PostgreSQL in CI: each test session
works in a fresh schema, dropped at the end, so runs never see each other's rows), otherwise a
temporary SQLite file. It is migrated to ``head`` once per session.

Fixtures other domains' app tests can use: ``db_url``, ``app_settings``, ``app``, ``client``,
``db`` (a session), ``world`` (a cluster admin and two enterprises with one user per role and
their bearer headers).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from yuefang.app.auth import hash_password, issue_token
from yuefang.app.main import create_app
from yuefang.app.migrations import upgrade
from yuefang.app.models import ENTERPRISE_ROLES, Enterprise, Role, User
from yuefang.app.settings import Settings

PASSWORD = "correct-horse-battery"


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database URL for this test session."""
    base = os.environ.get("YUEFANG_DATABASE_URL")
    if base and base.startswith("postgresql"):
        schema = f"yf_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = _pg_schema_url(base, schema)
        upgrade(url)
        try:
            yield url
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        path: Path = tmp_path_factory.mktemp("db") / "yuefang.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        yield url


@pytest.fixture()
def fresh_db_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as ``db_url`` (not migrated), dropped afterwards."""
    base = os.environ.get("YUEFANG_DATABASE_URL")
    if base and base.startswith("postgresql"):
        schema = f"yf_fresh_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield _pg_schema_url(base, schema)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture(scope="session")
def app_settings(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        inline_worker=False,
        job_lease_s=2.0,
        job_poll_s=0.1,
        nest_time_limit_s=1.0,
        var_dir=tmp_path_factory.mktemp("var"),
    )


@pytest.fixture(scope="session")
def app(app_settings: Settings) -> FastAPI:
    return create_app(app_settings)


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture()
def db(app: FastAPI) -> Iterator[Session]:
    with app.state.sessionmaker() as s:
        yield s


@dataclass
class Tenant:
    enterprise_id: int
    users: dict[str, User] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def h(self, role: str = "enterprise_admin") -> dict[str, str]:
        return self.headers[role]


@dataclass
class World:
    admin_headers: dict[str, str]
    admin: User
    a: Tenant
    b: Tenant
    password: str = PASSWORD


@pytest.fixture(scope="session")
def world(app: FastAPI) -> World:
    """A cluster admin and two enterprises (Guangzhou, Foshan) with one user of each role."""
    tag = uuid.uuid4().hex[:6]
    with app.state.sessionmaker() as s:
        pw = hash_password(PASSWORD)
        admin = User(email=f"office-{tag}@cluster.test", password_hash=pw, role=Role.cluster_admin.value)
        s.add(admin)
        tenants = []
        for name, city in (("Guangzhou Shirts", "440100"), ("Foshan Curtains", "440600")):
            ent = Enterprise(name=f"{name} {tag}", city_code=city)
            s.add(ent)
            s.flush()
            t = Tenant(ent.id)
            for role in sorted(ENTERPRISE_ROLES):
                u = User(email=f"{role}-{ent.id}-{tag}@ent.test", password_hash=pw, role=str(role), enterprise_id=ent.id)
                s.add(u)
                t.users[str(role)] = u
            tenants.append(t)
        s.commit()
        admin_headers = {"Authorization": f"Bearer {issue_token(s, user=admin)}"}
        for t in tenants:
            for role, u in t.users.items():
                t.headers[role] = {"Authorization": f"Bearer {issue_token(s, user=u)}"}
    return World(admin_headers, admin, tenants[0], tenants[1])


SHIRT_LINE: dict[str, Any] = {
    "wearer_ref": "W-001",
    "product_id": "shirt",
    "inputs": {"sex": "male", "stature": 1750, "weight_kg": 72, "age_years": 35},
    "options": {},
    "quantity": 1,
}
CURTAIN_LINE: dict[str, Any] = {
    "wearer_ref": None,
    "product_id": "curtain",
    "inputs": {"window_width_mm": 1800, "drop_mm": 2400},
    "options": {"heading": "pencil_pleat", "panels": 2},
    "quantity": 1,
}


@pytest.fixture()
def lines() -> dict[str, dict[str, Any]]:
    """Example lines: a shirt for one wearer, a pair of curtains."""
    return {"shirt": dict(SHIRT_LINE), "curtain": dict(CURTAIN_LINE)}


@pytest.fixture()
def order_body() -> Any:
    """``order_body(lines=[...], **fields)``: a valid order-creation body."""

    def make(**extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "reference": f"PO-{uuid.uuid4().hex[:6]}",
            "customer_ref": "Customer Zhang",
            "fabric_name": "Poplin",
            "fabric_colour": "white",
            "fabric_width_mm": 1500,
            "lines": [dict(CURTAIN_LINE)],
        }
        body.update(extra)
        return body

    return make
