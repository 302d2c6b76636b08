"""Fixtures of the web-page tests: an app on a fresh database, users of two enterprises, a live server.

The database is a temporary SQLite file, or the ``YUEFANG_DATABASE_URL`` database (CI runs the
suite on PostgreSQL too), emptied and re-created for each test module.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from yuefang.app.main import create_app
from yuefang.app.migrations import upgrade
from yuefang.app.models import Enterprise, User
from yuefang.app.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse 42"


@dataclass
class WebEnv:
    """The app under test and the people in it."""

    app: FastAPI
    settings: Settings
    sessionmaker: object
    enterprise_a: int
    enterprise_b: int
    users: dict[str, str]  # key -> e-mail


def _seed(factory) -> tuple[int, int, dict[str, str]]:
    from yuefang.app.auth import hash_password

    users: dict[str, str] = {}
    tag = uuid.uuid4().hex[:6]
    with factory() as session:
        a = Enterprise(name="东莞华南服装有限公司", city_code="441900")
        b = Enterprise(name="汕头潮织家纺有限公司", city_code="440500")
        c = Enterprise(name="广州锦绣制衣有限公司", city_code="440100")  # the browser tests' own
        session.add_all([a, b, c])
        session.flush()
        rows = [
            ("desk", "desk@huanan.example", "刘洋", "order_desk", a.id),
            ("admin", "admin@huanan.example", "陈志强", "enterprise_admin", a.id),
            ("cutter", "cut@huanan.example", "李明", "cutting_room", a.id),
            ("floor", "floor@huanan.example", "张伟", "shop_floor", a.id),
            ("browser", "desk@jinxiu.example", "王晓燕", "order_desk", c.id),
            ("other", "desk@chaozhi.example", "林静", "order_desk", b.id),
            ("cluster", "office@cluster.example", "集群办", "cluster_admin", None),
        ]
        hashed = hash_password(PASSWORD)
        for key, email, name, role, enterprise_id in rows:
            session.add(
                User(email=email.replace("@", f"+{tag}@"), display_name=name, password_hash=hashed, role=role, enterprise_id=enterprise_id)
            )
            users[key] = email.replace("@", f"+{tag}@")
        session.commit()
        return a.id, b.id, users


@pytest.fixture(scope="session")
def web_db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database migrated to head: ``YUEFANG_DATABASE_URL`` (PostgreSQL: in a new schema,
    dropped afterwards) or a temporary SQLite file."""
    base = os.environ.get("YUEFANG_DATABASE_URL")
    if base and base.startswith("postgresql"):
        schema = f"yf_web_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema}"
        upgrade(url)
        try:
            yield url
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('webdb') / 'web.db'}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def web_env(web_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    """The platform's app (``create_app``) on a fresh database with two enterprises and their users.

    The job worker runs inside the app (as in ``yuefang serve``) so that steps really run.
    """
    settings = Settings(
        environment="test", database_url=web_db_url, inline_worker=True, job_poll_s=0.1, job_lease_s=5.0,
        nest_time_limit_s=1.0, secret_key="web-test-secret", var_dir=tmp_path_factory.mktemp("webvar"),
    )  # fmt: skip
    app = create_app(settings)
    a, b, users = _seed(app.state.sessionmaker)
    yield WebEnv(app=app, settings=settings, sessionmaker=app.state.sessionmaker, enterprise_a=a, enterprise_b=b,
                 users=users)  # fmt: skip


@pytest.fixture
def client(web_env: WebEnv) -> Iterator[TestClient]:
    """A test client with no login."""
    with TestClient(web_env.app, base_url="http://127.0.0.1") as c:
        yield c


def login(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Log ``client`` in through the login form."""
    response = client.post("/login", data={"email": email, "password": password}, follow_redirects=False)
    assert response.status_code == 303, response.text


def session_for(client: TestClient, web_env: WebEnv, email: str) -> None:
    """Give ``client`` a login session for ``email`` without the form (password hashing is slow)."""
    from sqlalchemy import select

    from yuefang.app.auth import issue_token

    with web_env.sessionmaker() as s:
        user = s.scalar(select(User).where(User.email == email))
        token = issue_token(s, user=user, kind="cookie")
    client.cookies.set(web_env.settings.session_cookie_name, token)


# --- browser -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(web_env: WebEnv) -> Iterator[str]:
    """The app served by uvicorn in a background thread on a free loopback port; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(web_env.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright; skips (or fails in CI) when it is missing."""
    if not CHROMIUM.exists():
        message = f"browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'); it is missing"
        if os.environ.get("YUEFANG_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and YUEFANG_REQUIRE_BROWSER=1")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def shot() -> object:
    """``shot(page, name)`` saves a full-page screenshot under ``test-artifacts/screenshots/``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.evaluate("window.scrollTo(0, 0)")  # a sticky header would be drawn where the page was scrolled
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
