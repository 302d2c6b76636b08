"""Platform commands: db upgrade / backup / restore / copy, demo-data options, --help everywhere."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from yuefang.app.dbtools import table_counts
from yuefang.cli import app as cli

runner = CliRunner()


@pytest.mark.parametrize("args", [[], ["serve"], ["worker"], ["db"], ["db", "upgrade"], ["db", "backup"],
                                  ["db", "restore"], ["db", "copy"], ["demo-data"]])  # fmt: skip
def test_help(args):
    r = runner.invoke(cli, [*args, "--help"])
    assert r.exit_code == 0, r.output
    assert "Usage" in r.output


def test_db_upgrade_json(fresh_db_url, monkeypatch):
    monkeypatch.setenv("YUEFANG_DATABASE_URL", fresh_db_url)
    r = runner.invoke(cli, ["db", "upgrade", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["revision"]


def test_backup_restore_roundtrip(db_url, fresh_db_url, client, world, order_body, tmp_path, monkeypatch):
    client.post("/api/orders", json=order_body(), headers=world.a.h("order_desk"))
    monkeypatch.setenv("YUEFANG_DATABASE_URL", db_url)
    path = tmp_path / "yuefang-backup.json.gz"
    r = runner.invoke(cli, ["db", "backup", str(path), "--json"])
    assert r.exit_code == 0, r.output
    before = table_counts(db_url)
    assert json.loads(r.stdout)["rows"] == before and before["orders"] >= 1
    monkeypatch.setenv("YUEFANG_DATABASE_URL", fresh_db_url)
    r = runner.invoke(cli, ["db", "restore", str(path)])
    assert r.exit_code == 0, r.output
    assert table_counts(fresh_db_url) == before
    # restoring again over data is refused, --force replaces
    r = runner.invoke(cli, ["db", "restore", str(path)])
    assert r.exit_code == 1 and "not empty" in r.output
    assert runner.invoke(cli, ["db", "restore", str(path), "--force"]).exit_code == 0
    assert table_counts(fresh_db_url) == before


def test_restored_database_keeps_working(db_url, fresh_db_url, tmp_path):
    """After restore, new rows get fresh ids (sequences reset on PostgreSQL)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from yuefang.app.auth import issue_token
    from yuefang.app.dbtools import backup, restore
    from yuefang.app.main import create_app
    from yuefang.app.models import User
    from yuefang.app.settings import Settings

    path = tmp_path / "b.json.gz"
    backup(db_url, path)
    restore(fresh_db_url, path)
    app = create_app(Settings(environment="test", database_url=fresh_db_url, inline_worker=False))
    with app.state.sessionmaker() as s:
        user = s.scalars(select(User).where(User.role == "order_desk")).first()
        h = {"Authorization": f"Bearer {issue_token(s, user=user)}"}
    with TestClient(app) as c:
        r = c.post("/api/orders", json={"reference": "after-restore"}, headers=h)
        assert r.status_code == 201, r.text
    app.state.engine.dispose()


def test_db_copy_sqlite_to_target(fresh_db_url, tmp_path, monkeypatch, order_body):
    """`db copy --to URL` moves a live SQLite installation (here to the test database kind)."""
    from yuefang.app.db import make_engine, make_sessionmaker
    from yuefang.app.migrations import upgrade
    from yuefang.app.models import Enterprise

    src = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(src)
    engine = make_engine(src)
    with make_sessionmaker(engine)() as s:
        s.add_all([Enterprise(name=f"E{i}", city_code="440100") for i in range(3)])
        s.commit()
    engine.dispose()
    monkeypatch.setenv("YUEFANG_DATABASE_URL", src)
    r = runner.invoke(cli, ["db", "copy", "--to", fresh_db_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rows"]["enterprise"] == 3
    assert table_counts(fresh_db_url)["enterprise"] == 3
    r = runner.invoke(cli, ["db", "copy", "--to", fresh_db_url])
    assert r.exit_code == 1 and "not empty" in r.output


def test_demo_data_rejects_unknown_scale(fresh_db_url, monkeypatch):
    monkeypatch.setenv("YUEFANG_DATABASE_URL", fresh_db_url)
    r = runner.invoke(cli, ["demo-data", "--scale", "galaxy"])
    assert r.exit_code == 2 and "small, province" in r.output


def test_default_secret_rejected_in_production(monkeypatch):
    monkeypatch.setenv("YUEFANG_ENVIRONMENT", "production")
    monkeypatch.delenv("YUEFANG_SECRET_KEY", raising=False)
    r = runner.invoke(cli, ["db", "upgrade"])
    assert r.exit_code == 2 and "secret_key" in r.output
