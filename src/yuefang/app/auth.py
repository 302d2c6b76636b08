"""Passwords (argon2), login tokens, and the FastAPI dependencies that name the current user.

One login mechanism serves both faces: ``issue_token`` returns an opaque random token that the
API takes as ``Authorization: Bearer <token>`` and the web pages keep in the session cookie
(``Settings.session_cookie_name``). Only the token's SHA-256 is stored.

Web pages use::

    user = authenticate(session, email, password)          # None when wrong
    token = issue_token(session, user=user, kind="cookie")
    set_session_cookie(response, token, settings)
    ...
    def page(user: CurrentUser, session: SessionDep): ...  # 401 without a valid token/cookie
    def page(user: OptionalUser): ...                      # None without one
    def page(user: Annotated[User, Depends(require_roles(Role.planner))]): ...
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request, Response
from sqlalchemy import Select, String, bindparam, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from yuefang.app.db import UTCDateTime, read_only, utcnow
from yuefang.app.errors import Forbidden, Unauthorized
from yuefang.app.models import ApiToken, Role, User
from yuefang.app.settings import Settings

__all__ = [
    "hash_password",
    "verify_password",
    "authenticate",
    "issue_token",
    "revoke_token",
    "user_for_token",
    "token_from_request",
    "set_session_cookie",
    "clear_session_cookie",
    "get_session",
    "in_thread",
    "get_app_settings",
    "current_user",
    "optional_user",
    "require_roles",
    "enterprise_user",
    "SessionDep",
    "SettingsDep",
    "CurrentUser",
    "OptionalUser",
    "EnterpriseUser",
    "ClusterAdmin",
]

_hasher = PasswordHasher()
# A hash to verify against when the e-mail is unknown, so timing does not reveal which e-mails exist.
_DUMMY_HASH = _hasher.hash("yuefang-dummy-password")


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, *, user: User, kind: str = "bearer", ttl_s: int = 7 * 24 * 3600) -> str:
    """Create a login for ``user`` and commit; returns the token (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            token_hash=_digest(token),
            user_id=user.id,
            kind=kind,
            expires_at=utcnow() + dt.timedelta(seconds=ttl_s),
        )
    )
    session.commit()
    return token


def revoke_token(session: Session, token: str) -> None:
    """Log out: the token stops working (commits)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is not None:
        row.revoked = True
        session.commit()


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to, or None.

    Always asks the database (one indexed query): a token revoked by logout, in this process or
    any other, or the deactivation of its user, is refused from the next request on.
    """
    return session.scalar(_user_for_token_statement(), {"token_hash": _digest(token), "now": utcnow()})


@functools.cache
def _user_for_token_statement() -> Select[tuple[User]]:
    # one statement object for every request: SQLAlchemy computes its cache key once
    return (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == bindparam("token_hash", type_=String),
            ApiToken.revoked.is_(False),
            ApiToken.expires_at > bindparam("now", type_=UTCDateTime),
            User.active.is_(True),
        )
    )


def token_from_request(request: Request, settings: Settings) -> str | None:
    """The bearer token of the ``Authorization`` header, else the session cookie, else None."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return request.cookies.get(settings.session_cookie_name) or None


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """Put the login token in the web session cookie (HttpOnly, SameSite=Lax)."""
    response.set_cookie(
        settings.session_cookie_name,
        token,
        max_age=settings.token_ttl_s,
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    """Remove the web session cookie."""
    response.delete_cookie(settings.session_cookie_name, path="/")


async def get_app_settings(request: Request) -> Settings:
    """The ``Settings`` the running app was created with.

    Dependencies that do no I/O are ``async def``: FastAPI then calls them on the event loop
    instead of handing each to the thread pool (a measurable share of a short request).
    """
    return request.app.state.settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session for one request (closed afterwards; services commit).

    Opening a session does no I/O, so this runs on the event loop; closing goes to the thread
    pool only when the session still holds a connection (a transaction left open).
    """
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


T = TypeVar("T")


async def in_thread(session: Session, work: Callable[[], T]) -> T:
    """``work()`` in the thread pool, then the session closed in the same hop (one thread switch
    for the whole endpoint instead of one for the endpoint, one for the response check and one
    for closing)."""

    def call() -> T:
        try:
            return work()
        finally:
            session.close()

    return await run_in_threadpool(call)


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def optional_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """The logged-in user (bearer token or session cookie), or None."""
    token = token_from_request(request, settings)
    if not token:
        return None
    with read_only(session):  # no transaction is held open for the endpoint (PostgreSQL: no BEGIN)
        return user_for_token(session, token)


OptionalUser = Annotated[User | None, Depends(optional_user)]


def _logged_in(user: User | None) -> User:
    if user is None:
        raise Unauthorized("not logged in: send Authorization: Bearer <token> or log in on /login")
    return user


async def current_user(user: OptionalUser) -> User:
    """The logged-in user; 401 without a valid bearer token or session cookie."""
    return _logged_in(user)


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role | str) -> Callable[[User], Awaitable[User]]:
    """A dependency that answers 403 unless the user has one of ``roles``."""
    allowed = frozenset(str(r) for r in roles)

    async def _check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden(
                f"role {user.role!r} may not do this; allowed roles: {', '.join(sorted(allowed))}",
                role=user.role,
                allowed=", ".join(sorted(allowed)),
            )
        return user

    return _check


def enterprise_user(request: Request, session: SessionDep) -> User:
    """The logged-in user of an enterprise: 401 without a valid token, 403 for the cluster office
    (which sees no orders).

    One dependency (token, lookup and checks in one thread-pool call) instead of the chain
    ``optional_user`` -> ``current_user`` -> this: the order API's most frequent requests pay for
    one dependency step, not three. Same answers as the chain.
    """
    user = _logged_in(optional_user(request, session, request.app.state.settings))
    if user.enterprise_id is None:
        raise Forbidden(
            "the cluster office does not read enterprises' orders",
            role=user.role,
            allowed="an enterprise role",
        )
    return user


EnterpriseUser = Annotated[User, Depends(enterprise_user)]
ClusterAdmin = Annotated[User, Depends(require_roles(Role.cluster_admin))]
