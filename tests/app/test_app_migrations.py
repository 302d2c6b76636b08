"""Alembic migrations: from an empty database to head, models match, downgrade of the latest revision."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import yuefang.app.models  # noqa: F401
from yuefang.app.db import Base, make_engine
from yuefang.app.migrations import alembic_config, current_revision, downgrade, upgrade

PLATFORM_TABLES = {"enterprise", "app_user", "api_token", "orders", "order_line", "order_step", "artifact",
                   "ticket", "subcontract", "audit_event", "job"}  # fmt: skip


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_first_revision_is_0001_platform():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    bases = script.get_bases()
    assert bases == ["0001_platform"]


def test_upgrade_from_empty_matches_models(fresh_db_url):
    assert current_revision(fresh_db_url) is None
    upgrade(fresh_db_url)
    assert current_revision(fresh_db_url) == _head()
    engine = make_engine(fresh_db_url)
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= PLATFORM_TABLES
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            diffs = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()

    mine = [d for d in diffs if any(f"'{t}'" in repr(d) or f"table={t}" in repr(d) for t in PLATFORM_TABLES)]
    assert mine == [], f"models and migrations differ: {mine}"


def test_downgrade_latest_then_upgrade_again(fresh_db_url):
    upgrade(fresh_db_url)
    head = _head()
    downgrade(fresh_db_url, "-1")
    below = current_revision(fresh_db_url)
    assert below != head
    upgrade(fresh_db_url)
    assert current_revision(fresh_db_url) == head
    downgrade(fresh_db_url, "base")
    engine = make_engine(fresh_db_url)
    try:
        with engine.connect() as conn:
            assert not (PLATFORM_TABLES & set(inspect(conn).get_table_names()))
    finally:
        engine.dispose()
