"""The FastAPI application: ``create_app(settings=None) -> FastAPI``.

API under ``/api`` (OpenAPI at ``/docs``), the web pages (``yuefang.app.web``) when installed,
errors as JSON naming field, value and what is allowed, and, when ``settings.inline_worker``,
a job worker thread inside the server process.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from yuefang import __version__ as _version
from yuefang.app.api import api_router
from yuefang.app.db import make_engine, make_sessionmaker
from yuefang.app.errors import DomainError
from yuefang.app.jobs import Worker
from yuefang.app.settings import Settings, get_settings

__all__ = ["create_app"]

log = logging.getLogger("yuefang.app")


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool | type(None)):
        return value if not isinstance(value, str) else value[:200]
    if isinstance(value, dict | list):
        text = repr(value)
        return text[:200]
    return str(value)[:200]


_BOUND_SIGNS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}


def _allowed_text(ctx: dict[str, Any], field: str) -> str:
    """What a request-body error allows: ``> 100 mm`` for a bound (unit from the field's name), else the context.

    Examples
    --------
    >>> _allowed_text({"gt": 100.0}, "fabric_width_mm"), _allowed_text({"min_length": 1}, "reference")
    ('> 100 mm', 'min_length 1')
    """
    parts = []
    for key, value in ctx.items():
        if key == "error":
            continue
        if key in _BOUND_SIGNS and isinstance(value, int | float) and not isinstance(value, bool):
            unit = " mm" if field.endswith("_mm") else ""
            parts.append(f"{_BOUND_SIGNS[key]} {value:g}{unit}")
        else:
            parts.append(f"{key} {value}")
    return ", ".join(parts)


def _validation_json(exc: RequestValidationError) -> dict[str, Any]:
    detail = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        field = ".".join(loc) or "body"
        ctx = err.get("ctx") or {}
        allowed = _allowed_text(ctx, field) or err.get("msg", "")
        detail.append(
            {
                "field": field,
                "value": _plain(err.get("input")),
                "allowed": str(allowed),
                "message": f"{field}: {err.get('msg')}",
            }
        )
    return {"code": "invalid_input", "message": "; ".join(d["message"] for d in detail), "detail": detail}


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI at ``/docs`` from the ``swagger-ui-bundle`` package's files, never from a CDN."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/static/swagger-ui", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for ``settings`` (default: from the environment).

    The database must be migrated (``yuefang db upgrade``) before requests arrive.
    """
    settings = settings or get_settings()
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    factory = make_sessionmaker(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if settings.inline_worker:
            worker = Worker(factory, settings)
            worker.start_thread()
            app.state.worker = worker
        try:
            yield
        finally:
            if worker is not None:
                worker.stop.set()
            engine.dispose()

    app = FastAPI(
        title="yuefang 粤纺",
        version=_version,
        description="Made-to-measure orders for Guangdong's light-textile cluster: enterprises, orders, "
        "lines, steps (measured, drafted, nested, planned), jobs, audit and privacy.",
        lifespan=lifespan,
        docs_url=None,  # served below from the installed swagger-ui-bundle: no CDN, works offline
        redoc_url=None,
    )
    _offline_docs(app)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = factory

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(exc.to_json(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_validation_json(exc), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {"code": "http_error", "message": str(exc.detail),
                "detail": [{"field": None, "value": None, "allowed": None, "message": str(exc.detail)}]}  # fmt: skip
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    app.include_router(api_router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    if importlib.util.find_spec("yuefang.app.web") is not None:
        try:
            web = importlib.import_module("yuefang.app.web")
        except ImportError:
            log.exception("yuefang.app.web could not be imported; serving the API only")
            web = None
        if web is not None and hasattr(web, "router"):
            app.include_router(web.router, include_in_schema=False)
        else:
            _root_redirect(app)
    else:
        _root_redirect(app)
    return app


def _root_redirect(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")
