"""Platform commands (serve, worker, db, demo-data): registered on the root app by ``register``."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    """Add the platform commands to ``root``. Filled in by the app shell."""
