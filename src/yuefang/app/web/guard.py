"""Who may see a page: login redirects, role checks and CSRF tokens for the web forms.

The login itself is the platform's (:mod:`yuefang.app.auth`): the session cookie holds an
opaque token. A page without a logged-in user redirects to ``/login?next=<page>``; a user
without one of the page's roles gets a 403 page. Every form that changes data carries a
CSRF token derived from the session token (HMAC with the secret key), checked on POST, on
top of the cookie's ``SameSite=Lax``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from yuefang.app.services import orders as order_service
from yuefang.app.web.templating import page_context, render

__all__ = [
    "ENTERPRISE_PAGES",
    "ORDER_EDITORS",
    "csrf_ok",
    "csrf_token",
    "forbidden_page",
    "guard",
    "login_redirect",
    "safe_next",
]

#: Roles that may read an enterprise's orders (the order service's readers).
ENTERPRISE_PAGES: frozenset[str] = frozenset(str(r) for r in order_service.ORDER_READERS)
#: Roles that may place and change orders and import lines (the order service's writers).
ORDER_EDITORS: frozenset[str] = frozenset(str(r) for r in order_service.ORDER_WRITERS)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to after a form; anything else (``//evil``, ``http:``) gives ``default``.

    Examples
    --------
    >>> safe_next("/orders?q=1"), safe_next("//evil.example/"), safe_next("https://x"), safe_next(None)
    ('/orders?q=1', '/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def login_redirect(request: Request) -> RedirectResponse:
    """A 303 to the login page that comes back to the requested page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(here, safe='')}", status_code=303)


def forbidden_page(request: Request, user: Any, message: str | None = None) -> Response:
    """The 403 page, in the user's language, with the user's navigation."""
    from yuefang.app.web.routes import chrome  # the layout's context; routes imports this module

    page = page_context(request)
    context = {
        **chrome(request, user, page=page),
        "title": page.gettext("Not allowed"),
        "message": message or page.gettext("Your role does not allow this page."),
    }
    return render(request, "error.html", context, status_code=403, page=page)


def guard(request: Request, user: Any, roles: Iterable[str] | None = None) -> Response | None:
    """``None`` when ``user`` may see the page, else the response to send instead.

    Parameters
    ----------
    user
        The logged-in user (``None`` when nobody is logged in: redirect to the login page).
    roles
        The roles allowed on the page; ``None`` allows every logged-in user.
    """
    if user is None:
        return login_redirect(request)
    if roles is not None and str(user.role) not in set(roles):
        return forbidden_page(request, user)
    return None


def _secret(request: Request) -> bytes:
    settings = getattr(request.app.state, "settings", None)
    return str(getattr(settings, "secret_key", "yuefang")).encode()


def _session_value(request: Request) -> str:
    settings = getattr(request.app.state, "settings", None)
    name = getattr(settings, "session_cookie_name", "yuefang_session")
    return request.cookies.get(name, "")


def csrf_token(request: Request, session_token: str | None = None) -> str:
    """The CSRF token of the request's login session (empty when nobody is logged in)."""
    value = session_token if session_token is not None else _session_value(request)
    if not value:
        return ""
    return hmac.new(_secret(request), b"csrf:" + value.encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """True when ``submitted`` is the CSRF token of the request's login session."""
    expected = csrf_token(request)
    return bool(expected) and hmac.compare_digest(expected, submitted or "")
