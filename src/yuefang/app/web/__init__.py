"""The web pages of yuefang: server-rendered HTML in Simplified Chinese and English.

Mount with ``app.include_router(yuefang.app.web.router)``: the router serves its own static
files under ``/static/web/`` (CSS, a few lines of JS, images); nothing is fetched from the
internet. Pages: ``/login``, ``/orders`` (list with filters and search), ``/orders/new``,
``/orders/{id}`` (lines, step timeline and outputs), ``/orders/{id}/import`` (line import).
"""

from __future__ import annotations

from yuefang.app.web.routes import chrome, router
from yuefang.app.web.templating import STATIC_DIR, TEMPLATES_DIR, render, static_url

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "chrome", "render", "router", "static_url"]
