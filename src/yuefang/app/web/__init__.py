"""The web pages of yuefang: server-rendered HTML in Simplified Chinese and English.

Mount with ``app.include_router(yuefang.app.web.router)``: the router serves its own static
files under ``/static/web/`` (CSS, a few lines of JS, images); nothing is fetched from the
internet. Pages: ``/login``, ``/orders`` (list with filters and search), ``/orders/new``,
``/orders/{id}`` (lines, step timeline and outputs), ``/orders/{id}/import`` (line import), ``/plan/balance`` (line balancing),
``/plan/schedule`` (the Gantt chart of the current plan),
``/subcontracts`` (work offered and received, accepted or declined).
The cluster office's pages (``yuefang.app.web.cluster``, when present) are included too.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

from fastapi import APIRouter

from yuefang.app.web import orders as _orders
from yuefang.app.web import planning as _planning
from yuefang.app.web import routes as _routes
from yuefang.app.web import subcontracts as _subcontracts
from yuefang.app.web.routes import chrome
from yuefang.app.web.templating import STATIC_DIR, TEMPLATES_DIR, render, static_url

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "chrome", "render", "router", "static_url"]

router = APIRouter(include_in_schema=False)
router.include_router(_routes.router)
router.include_router(_orders.router)
router.include_router(_planning.router)
router.include_router(_subcontracts.router)

# The cluster office's pages live beside these (owned by the cluster domain) and share the layout.
# A cluster module that cannot be imported must not take the order pages down with it.
if importlib.util.find_spec("yuefang.app.web.cluster") is not None:
    try:
        _cluster = importlib.import_module("yuefang.app.web.cluster")
    except ImportError:
        logging.getLogger("yuefang.app.web").exception("the cluster office's pages could not be imported")
    else:
        if isinstance(getattr(_cluster, "router", None), APIRouter):
            router.include_router(_cluster.router)
