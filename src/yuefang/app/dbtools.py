"""Backup, restore and copy of the whole database, portable between SQLite and PostgreSQL.

A backup is gzip-compressed JSON: ``{"format": "yuefang-backup", "version": 1, "revision": ...,
"tables": {name: [row, ...]}}`` with every table of ``Base.metadata`` — step outputs (patterns,
markers, SVG) live in the ``artifact`` table, so a backup holds them too.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Engine, Integer, delete, func, select, text
from sqlalchemy.sql.schema import Column, Table

import yuefang.app.models  # noqa: F401  (registers every table)
from yuefang.app.db import Base, make_engine
from yuefang.app.migrations import current_revision, upgrade

__all__ = ["BACKUP_FORMAT", "backup", "restore", "copy_database", "table_counts", "DatabaseNotEmpty"]

BACKUP_FORMAT = "yuefang-backup"


class DatabaseNotEmpty(RuntimeError):
    """The target database already holds rows; restore/copy refuse to mix installations."""


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _kind(col: Column[Any]) -> str | None:
    t = getattr(col.type, "impl", col.type)
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    return None


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        col = table.c[name]
        kind = _kind(col)
        if value is not None and kind == "datetime":
            value = dt.datetime.fromisoformat(value)
        elif value is not None and kind == "date":
            value = dt.date.fromisoformat(value)
        out[name] = value
    return out


def _rows(engine: Engine, table: Table) -> Iterator[dict[str, Any]]:
    with engine.connect() as conn:
        pk = list(table.primary_key.columns)
        q = select(table).order_by(*pk) if pk else select(table)
        for row in conn.execution_options(yield_per=1000).execute(q).mappings():
            yield dict(row)


def table_counts(url: str) -> dict[str, int]:
    """Row count of every table at ``url``."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: conn.scalar(select(func.count()).select_from(t)) or 0 for t in _tables()}
    finally:
        engine.dispose()


def backup(url: str, path: Path) -> dict[str, int]:
    """Write every row of the database at ``url`` to ``path`` (gzip JSON); returns rows per table."""
    engine = make_engine(url)
    counts: dict[str, int] = {}
    try:
        tables: dict[str, list[dict[str, Any]]] = {}
        for t in _tables():
            tables[t.name] = [{k: _encode(v) for k, v in r.items()} for r in _rows(engine, t)]
            counts[t.name] = len(tables[t.name])
        doc = {
            "format": BACKUP_FORMAT,
            "version": 1,
            "revision": current_revision(url),
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "tables": tables,
        }
    finally:
        engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)
    return counts


def _check_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        busy = {t.name: n for t in _tables() if (n := conn.scalar(select(func.count()).select_from(t)) or 0)}
    if busy:
        raise DatabaseNotEmpty(f"target database is not empty ({busy}); use an empty database or --force")


def _clear(engine: Engine) -> None:
    with engine.begin() as conn:
        for t in reversed(_tables()):
            conn.execute(delete(t))


def _reset_sequences(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for t in _tables():
            pk = list(t.primary_key.columns)
            if len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement in (True, "auto"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{t.name}', '{pk[0].name}'), "
                        f'COALESCE(MAX("{pk[0].name}"), 1), MAX("{pk[0].name}") IS NOT NULL) FROM "{t.name}"'
                    )
                )


def _load(
    engine: Engine, tables: dict[str, Iterator[dict[str, Any]] | list[dict[str, Any]]]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for t in _tables():
            batch: list[dict[str, Any]] = []
            n = 0
            for row in tables.get(t.name, []):
                batch.append(row)
                if len(batch) >= 1000:
                    conn.execute(t.insert(), batch)
                    n += len(batch)
                    batch = []
            if batch:
                conn.execute(t.insert(), batch)
                n += len(batch)
            counts[t.name] = n
    _reset_sequences(engine)
    return counts


def restore(url: str, path: Path, *, force: bool = False) -> dict[str, int]:
    """Load a backup into the database at ``url`` (migrated to head first; must be empty unless ``force``)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        doc = json.load(fh)
    if doc.get("format") != BACKUP_FORMAT:
        raise ValueError(
            f"file: {path} is not a yuefang backup (format {doc.get('format')!r}; allowed: {BACKUP_FORMAT!r})"
        )
    upgrade(url)
    head = current_revision(url)
    if doc.get("revision") != head:
        raise ValueError(
            f"revision: the backup is at {doc.get('revision')!r}, this yuefang at {head!r}; allowed: {head!r}"
        )
    engine = make_engine(url)
    try:
        if force:
            _clear(engine)
        else:
            _check_empty(engine)
        tables = {name: [_decode(Base.metadata.tables[name], r) for r in rows]
                  for name, rows in doc["tables"].items() if name in Base.metadata.tables}  # fmt: skip
        return _load(engine, tables)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def copy_database(source_url: str, target_url: str) -> dict[str, int]:
    """Copy every row from ``source_url`` to ``target_url`` (e.g. SQLite -> PostgreSQL).

    The target is migrated to head and must be empty; the source must be at head too.
    """
    upgrade(source_url)
    upgrade(target_url)
    src = make_engine(source_url)
    dst = make_engine(target_url)
    try:
        _check_empty(dst)
        return _load(dst, {t.name: _rows(src, t) for t in _tables()})
    finally:
        src.dispose()
        dst.dispose()
