"""Platform commands: ``serve``, ``worker``, ``db upgrade|backup|restore|copy``, ``demo-data``.

``register(root)`` adds them to the root ``yuefang`` command. The database is the one in
``YUEFANG_DATABASE_URL`` (default ``sqlite:///./var/yuefang.db``).
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register", "db_app"]

db_app = typer.Typer(
    help="The database: migrate, back up, restore, copy to PostgreSQL.", no_args_is_help=True
)


def _settings():  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from yuefang.app.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        for e in exc.errors():
            typer.echo(f"error: {e['msg']}", err=True)
        raise typer.Exit(2) from None


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
    json_out: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Migrate the database (from empty, or from an older revision) to the latest revision."""
    from yuefang.app.migrations import current_revision, upgrade

    s = _settings()
    upgrade(s.database_url, revision)
    rev = current_revision(s.database_url)
    if json_out:
        typer.echo(json.dumps({"database": _redact(s.database_url), "revision": rev}))
    else:
        typer.echo(f"database {_redact(s.database_url)} at revision {rev}")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="backup file to write (gzip JSON)")],
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Write every row (orders, step outputs, audit, jobs...) to FILE."""
    from yuefang.app.dbtools import backup

    counts = backup(_settings().database_url, file)
    typer.echo(
        json.dumps({"file": str(file), "rows": counts})
        if json_out
        else f"wrote {sum(counts.values())} rows to {file}"
    )


@db_app.command("restore")
def db_restore(
    file: Annotated[
        Path, typer.Argument(help="backup file written by `yuefang db backup`", exists=True, dir_okay=False)
    ],
    force: Annotated[bool, typer.Option("--force", help="delete the rows already there first")] = False,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Load FILE into the database (which must be empty unless --force)."""
    from yuefang.app.dbtools import DatabaseNotEmpty, restore

    try:
        counts = restore(_settings().database_url, file, force=force)
    except (DatabaseNotEmpty, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        json.dumps({"file": str(file), "rows": counts})
        if json_out
        else f"restored {sum(counts.values())} rows from {file}"
    )


@db_app.command("copy")
def db_copy(
    to: Annotated[
        str, typer.Option("--to", help="target URL, e.g. postgresql+psycopg://user@host:5432/yuefang")
    ],
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Copy the whole installation to another database (e.g. a live SQLite one to PostgreSQL).

    Stop `yuefang serve` and the workers first; then point YUEFANG_DATABASE_URL at the target.
    """
    from yuefang.app.dbtools import DatabaseNotEmpty, copy_database

    source = _settings().database_url
    try:
        counts = copy_database(source, to)
    except DatabaseNotEmpty as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if json_out:
        typer.echo(json.dumps({"from": _redact(source), "to": _redact(to), "rows": counts}))
    else:
        typer.echo(f"copied {sum(counts.values())} rows from {_redact(source)} to {_redact(to)}")
        typer.echo(f"now run with YUEFANG_DATABASE_URL={_redact(to)}")


def serve(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port")] = 8000,
    host: Annotated[str, typer.Option("--host", help="interface to listen on")] = "127.0.0.1",
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="run a job worker inside the server")
    ] = True,
    workers: Annotated[int, typer.Option("--processes", min=1, max=64, help="server processes")] = 1,
) -> None:
    """Serve the web UI and the API (OpenAPI at /docs)."""
    import os

    import uvicorn

    s = _settings()
    from yuefang.app.db import make_engine, make_sessionmaker
    from yuefang.app.demo import DEMO_PASSWORD, demo_logins

    engine = make_engine(s.database_url)
    try:
        logins = demo_logins(make_sessionmaker(engine))
    except Exception:  # not migrated yet: the app will say so on first request
        logins = []
    finally:
        engine.dispose()
    typer.echo(f"yuefang serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    if logins:
        typer.echo(f"demo logins (password {DEMO_PASSWORD}):")
        for lg in logins:
            typer.echo(f"  {lg.email:<40} {lg.role:<17} {lg.enterprise or ''}")
    os.environ["YUEFANG_INLINE_WORKER"] = "true" if worker else "false"
    if workers > 1:
        uvicorn.run("yuefang.app.asgi:app", host=host, port=port, workers=workers, log_level="warning")
    else:
        from yuefang.app.main import create_app

        s = s.model_copy(update={"inline_worker": worker})
        uvicorn.run(create_app(s), host=host, port=port, log_level="warning")


def worker(
    once: Annotated[bool, typer.Option("--once", help="run the jobs waiting now, then exit")] = False,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run background jobs (several workers on several machines share a PostgreSQL queue)."""
    import yuefang.app.services.compute  # noqa: F401  (registers the marker/plan computation jobs)
    import yuefang.app.steps  # noqa: F401  (registers the step jobs)
    from yuefang.app.db import make_engine, make_sessionmaker
    from yuefang.app.jobs import Worker, drain

    s = _settings()
    engine = make_engine(s.database_url)
    factory = make_sessionmaker(engine)
    if once:
        n = drain(factory, s)
        typer.echo(json.dumps({"jobs_run": n}) if json_out else f"ran {n} jobs")
        return
    w = Worker(factory, s)

    def _stop(signum, frame):  # type: ignore[no-untyped-def]
        w.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    typer.echo(f"worker {w.worker_id} on {_redact(s.database_url)}", err=True)
    sys.stderr.flush()
    w.run_forever()


def demo_data(
    scale: Annotated[str, typer.Option("--scale", help="small or province")] = "small",
    if_empty: Annotated[bool, typer.Option("--if-empty", help="do nothing when enterprises exist")] = False,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Load a demo cluster (enterprises in several cities, users of every role, orders with their steps run)."""
    if scale not in ("small", "province"):
        typer.echo(f"error: --scale {scale!r} is not allowed; allowed: small, province", err=True)
        raise typer.Exit(2)
    import yuefang.app.steps  # noqa: F401
    from yuefang.app.db import make_engine, make_sessionmaker
    from yuefang.app.demo import DEMO_PASSWORD, is_empty, load_demo
    from yuefang.app.migrations import upgrade

    s = _settings().model_copy(update={"nest_time_limit_s": 1.0})
    upgrade(s.database_url)
    engine = make_engine(s.database_url)
    factory = make_sessionmaker(engine)
    try:
        if if_empty and not is_empty(factory):
            typer.echo(
                json.dumps({"loaded": False}) if json_out else "demo data: database not empty, nothing loaded"
            )
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("demo data: {task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True, disable=json_out) as bar:  # fmt: skip
            task = bar.add_task("starting", total=1.0)

            def tick(stage: str, fraction: float) -> None:
                bar.update(task, description=stage, completed=fraction)

            logins = load_demo(factory, s, scale=scale, progress=tick)
    finally:
        engine.dispose()
    if json_out:
        typer.echo(json.dumps({"loaded": True, "password": DEMO_PASSWORD,
                               "logins": [lg.__dict__ for lg in logins]}, ensure_ascii=False))  # fmt: skip
        return
    typer.echo(f"demo data loaded; every demo user's password is {DEMO_PASSWORD}")
    for lg in logins:
        typer.echo(f"  {lg.email:<40} {lg.role:<17} {lg.enterprise or ''}")


def register(root: typer.Typer) -> None:
    """Add the platform commands to ``root``."""
    root.command("serve")(serve)
    root.command("worker")(worker)
    root.command("demo-data")(demo_data)
    root.add_typer(db_app, name="db")
