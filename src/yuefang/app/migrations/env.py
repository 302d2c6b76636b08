"""Alembic environment: metadata from ``yuefang.app.models``, URL from the config or ``Settings``."""

from __future__ import annotations

from alembic import context

import yuefang.app.models  # noqa: F401  (registers every table)
from yuefang.app.db import Base, make_engine


def _url() -> str:
    url = context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        from yuefang.app.settings import get_settings

        url = get_settings().database_url
    return url


def run_migrations() -> None:
    """Run the migrations online (a live connection), batch mode for SQLite's ALTER TABLE."""
    url = _url()
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=url.startswith("sqlite"),
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if hasattr(context, "config"):  # false when imported outside Alembic (doctest collection)
    run_migrations()
