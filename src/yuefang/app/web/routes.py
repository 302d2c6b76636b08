"""The web pages' router: login, preferences, static files, and the order pages.

Routers stay thin: parse the form, check login, role and tenant, call one service of
:mod:`yuefang.app.services`, render a template. Pages that change data need a logged-in user
with the right role and a CSRF token.
"""

from __future__ import annotations

import importlib
import importlib.util
import mimetypes
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from yuefang.app.auth import (
    authenticate,
    clear_session_cookie,
    get_app_settings,
    get_session,
    issue_token,
    optional_user,
    revoke_token,
    set_session_cookie,
    token_from_request,
)
from yuefang.app.i18n import N_, SUPPORTED_LOCALES
from yuefang.app.models import User
from yuefang.app.services.bulletins import BULLETIN_ROLES
from yuefang.app.settings import Settings
from yuefang.app.web.guard import ENTERPRISE_PAGES, ORDER_EDITORS, csrf_ok, csrf_token, guard, safe_next
from yuefang.app.web.labels import ORDER_STEPS
from yuefang.app.web.templating import (
    LANG_COOKIE,
    STATIC_DIR,
    UNIT_COOKIE,
    PageContext,
    page_context,
    render,
    static_url,
)
from yuefang.app.web.units import LENGTH_UNITS

_PLAN_PAGES = frozenset(str(r) for r in BULLETIN_ROLES)  # the line-balancing page (web/planning.py)

__all__ = ["router", "chrome", "static_url"]

router = APIRouter(include_in_schema=False)

WebUser = Annotated[User | None, Depends(optional_user)]
DbSession = Annotated[Session, Depends(get_session)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]

#: Messages shown after a redirect (``?done=<code>``): codes, not text, travel in the URL.
FLASHES: dict[str, tuple[str, str]] = {
    "logged_out": ("info", N_("You are logged out.")),
    "order_created": ("success", N_("The order was created.")),
    "lines_imported": ("success", N_("The lines were imported.")),
    "order_cancelled": ("info", N_("The order was cancelled.")),
    "order_started": ("success", N_("The order's steps were started.")),
    "due_date_changed": ("success", N_("The due date was changed.")),
    "subcontract_accept": ("success", N_("The subcontract was accepted: its work may now be planned on your lines.")),
    "subcontract_decline": ("info", N_("The subcontract was declined.")),
    "subcontract_withdraw": ("info", N_("The subcontract was withdrawn.")),
}

_PREF_MAX_AGE_S = 365 * 24 * 3600


def _enterprise_name(user: User | None) -> str:
    if user is None or user.enterprise_id is None:
        return ""
    enterprise = getattr(user, "enterprise", None)
    return getattr(enterprise, "name", "") or ""


def _nav(page: PageContext, user: User | None, active: str) -> list[dict[str, Any]]:
    if user is None:
        return []
    items: list[tuple[str, str, str]] = []
    if user.role in ENTERPRISE_PAGES:
        items.append(("orders", "/orders", page.gettext("Orders")))
        if user.role in ORDER_EDITORS:
            items.append(("new_order", "/orders/new", page.gettext("New order")))
        if user.role in _PLAN_PAGES:
            items.append(("plan_balance", "/plan/balance", page.gettext("Line balancing")))
            items.append(("plan_schedule", "/plan/schedule", page.gettext("Schedule")))
        items.append(("subcontracts", "/subcontracts", page.gettext("Subcontracts")))
        if cluster_pages_installed():
            # the enterprise's own monthly indicator figures (the cluster office sees the cluster)
            items.append(("cluster", "/cluster/figures", page.gettext("Our figures")))
    if user.role == "cluster_admin":
        items.append(("cluster", home_for(user), page.gettext("Cluster")))
    return [{"key": k, "href": h, "label": label, "active": k == active} for k, h, label in items]


def chrome(request: Request, user: User | None, *, active: str = "", page: PageContext | None = None) -> dict[str, Any]:
    """The context every page's layout needs: user, navigation, flashes, CSRF token.

    Other web routers (the cluster office's pages) call this to share the layout:
    ``render(request, "cluster/x.html", {**chrome(request, user, active="cluster"), ...})``.
    """
    page = page or page_context(request)
    done = request.query_params.get("done", "")
    flashes = [(FLASHES[done][0], page.gettext(FLASHES[done][1]))] if done in FLASHES else []
    return {
        "user": user,
        "nav": _nav(page, user, active),
        "enterprise_name": _enterprise_name(user),
        "flashes": flashes,
        "csrf_token": csrf_token(request),
    }


def cluster_pages_installed() -> bool:
    """True when the cluster office's pages (``yuefang.app.web.cluster``) are part of this build."""
    if importlib.util.find_spec("yuefang.app.web.cluster") is None:
        return False
    try:
        importlib.import_module("yuefang.app.web.cluster")
    except ImportError:
        return False
    return True


def home_for(user: User) -> str:
    """Where a user lands after login: the cluster office its pages, everyone else the orders."""
    if user.role == "cluster_admin":
        return "/cluster" if cluster_pages_installed() else "/office"
    return "/orders"


# --- static files -------------------------------------------------------------------------


@router.get("/static/web/{name:path}", name="web_static")
def web_static(name: str) -> Response:
    """A file of ``app/web/static`` (CSS, JS, images); no path outside it is served."""
    root = STATIC_DIR.resolve()
    target = (root / name).resolve()
    if root not in target.parents or not target.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"})


# --- start, login, logout, preferences -----------------------------------------------------


@router.get("/", name="web_home")
def home(request: Request, user: WebUser) -> Response:
    """The start page: the user's home, or the login page."""
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(home_for(user), status_code=303)


def _login_page(
    request: Request, *, next_url: str, email: str = "", error: str | None = None, status_code: int = 200
) -> Response:
    page = page_context(request)
    context = {**chrome(request, None, page=page), "next": next_url, "email": email, "error": error, "steps": ORDER_STEPS}
    return render(request, "login.html", context, status_code=status_code, page=page)


@router.get("/office", name="web_office")
def office(request: Request, user: WebUser) -> Response:
    """The cluster office's start page when its own pages are not installed: it sees no orders."""
    if (denied := guard(request, user, {"cluster_admin"})) is not None:
        return denied
    page = page_context(request)
    context = {
        **chrome(request, user, page=page),
        "title": page.gettext("Cluster office"),
        "message": page.gettext(
            "The cluster office sees the enterprise register and the indicators, not the enterprises' orders."
        ),
    }
    return render(request, "error.html", context, page=page)


@router.get("/login", name="web_login")
def login_form(request: Request, user: WebUser, next: str | None = None) -> Response:  # noqa: A002
    """The login form (a logged-in user goes straight on)."""
    if user is not None:
        return RedirectResponse(safe_next(next, home_for(user)), status_code=303)
    return _login_page(request, next_url=safe_next(next, ""))


@router.post("/login", name="web_login_submit")
def login_submit(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",  # noqa: A002
) -> Response:
    """Check e-mail and password; on success set the session cookie and go on."""
    page = page_context(request)
    if not email.strip() or not password:
        return _login_page(
            request, next_url=safe_next(next, ""), email=email,
            error=page.gettext("Enter your email and password."), status_code=422,
        )
    user = authenticate(session, email, password)
    if user is None:
        return _login_page(
            request, next_url=safe_next(next, ""), email=email,
            error=page.gettext("Wrong email or password."), status_code=401,
        )
    token = issue_token(session, user=user, kind="cookie", ttl_s=settings.token_ttl_s)
    response = RedirectResponse(safe_next(next, home_for(user)), status_code=303)
    set_session_cookie(response, token, settings)
    return response


@router.post("/logout", name="web_logout")
def logout(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """End the login session (the token stops working) and go to the login page."""
    token = token_from_request(request, settings)
    if token and csrf_ok(request, csrf_token):
        revoke_token(session, token)
    response = RedirectResponse("/login?done=logged_out", status_code=303)
    clear_session_cookie(response, settings)
    return response


@router.post("/preferences", name="web_preferences")
def preferences(
    lang: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
) -> Response:
    """Keep the user's language and length unit in cookies, then go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in SUPPORTED_LOCALES:
        response.set_cookie(LANG_COOKIE, lang, max_age=_PREF_MAX_AGE_S, samesite="lax", path="/")
    if unit in LENGTH_UNITS:
        response.set_cookie(UNIT_COOKIE, unit, max_age=_PREF_MAX_AGE_S, samesite="lax", path="/")
    return response
