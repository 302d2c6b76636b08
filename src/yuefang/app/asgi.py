"""``yuefang.app.asgi:app``: the application built from the environment (multi-process servers).

Built on first access, so that importing this module (e.g. doctest collection) opens nothing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app"]  # noqa: F822  (provided by the module __getattr__)

_app: Any = None


def __getattr__(name: str) -> Any:
    global _app
    if name == "app":
        if _app is None:
            from yuefang.app.main import create_app

            _app = create_app()
        return _app
    raise AttributeError(name)
