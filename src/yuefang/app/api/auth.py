"""Login and logout for the API (bearer token) — the web login sets the same token as a cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from yuefang.app import auth
from yuefang.app.api.deps import CurrentUser, SessionDep, SettingsDep
from yuefang.app.errors import Unauthorized
from yuefang.app.schemas.tenancy import LoginRequest, TokenPublic, UserPublic

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenPublic)
def login(body: LoginRequest, session: SessionDep, settings: SettingsDep, response: Response) -> TokenPublic:
    """Log in with e-mail and password; returns a bearer token (also set as the session cookie)."""
    user = auth.authenticate(session, body.email, body.password)
    if user is None:
        raise Unauthorized("email or password is wrong")
    token = auth.issue_token(session, user=user, ttl_s=settings.token_ttl_s)
    auth.set_session_cookie(response, token, settings)
    return TokenPublic(access_token=token, user=UserPublic.model_validate(user))


@router.post("/logout", status_code=204)
def logout(request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep) -> Response:
    """End this login: the token (or cookie) stops working."""
    token = auth.token_from_request(request, settings)
    if token:
        auth.revoke_token(session, token)
    response = Response(status_code=204)
    auth.clear_session_cookie(response, settings)
    return response


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    """The logged-in user."""
    return UserPublic.model_validate(user)
