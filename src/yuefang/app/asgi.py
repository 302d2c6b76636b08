"""``yuefang.app.asgi:app``: the application built from the environment (multi-process servers)."""

from __future__ import annotations

from yuefang.app.main import create_app

__all__ = ["app"]

app = create_app()
