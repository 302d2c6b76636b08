"""The REST API: one router per domain, collected under ``/api``.

Domain routers owned by other engineers (``cluster``) are included when their module exists.
"""

from __future__ import annotations

import importlib
import importlib.util

from fastapi import APIRouter

from yuefang.app.api import auth, enterprises, lines, orders, production, products, subcontracts, users

__all__ = ["api_router"]

api_router = APIRouter(prefix="/api")
for _module in (auth, enterprises, users, products, orders, production, subcontracts, lines):
    api_router.include_router(_module.router)

for _name in ("cluster",):
    if importlib.util.find_spec(f"yuefang.app.api.{_name}") is not None:
        api_router.include_router(importlib.import_module(f"yuefang.app.api.{_name}").router)
api_router.include_router(importlib.import_module("yuefang.app.api.measure").router)
api_router.include_router(importlib.import_module("yuefang.app.api.patterns").router)
api_router.include_router(importlib.import_module("yuefang.app.api.marker").router)
api_router.include_router(importlib.import_module("yuefang.app.api.planning").router)
