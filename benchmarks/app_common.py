"""Helpers shared by the platform benchmarks app_api_load.py and app_jobs.py (nothing to measure here)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks" / "app.md"
PG_URL = os.environ.get("YUEFANG_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_available() -> bool:
    try:
        eng = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(text("SELECT 1"))
        eng.dispose()
        return True
    except Exception:
        return False


@contextmanager
def database(kind: str, tmp: Path):
    """A fresh, migrated database URL: a SQLite file, or a PostgreSQL schema dropped afterwards."""
    from yuefang.app.migrations import upgrade

    if kind == "sqlite":
        url = f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        upgrade(url)
        yield url
        return
    schema = f"yf_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def server(args: list[str], env: dict[str, str], port: int):
    """Run a server subprocess until it answers on ``port``."""
    proc = subprocess.Popen([sys.executable, *args], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"server {args} did not start")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def write_section(name: str, body: str) -> None:
    """Replace (or add) the section ``name`` of docs/benchmarks/app.md."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text_ = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Platform benchmarks\n\n"
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text_:
        text_ = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text_, flags=re.S)
    else:
        text_ = text_.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text_, encoding="utf-8")


if __name__ == "__main__":
    print("app_common.py: helpers of app_api_load.py and app_jobs.py; nothing to measure here")
