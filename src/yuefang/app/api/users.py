"""Users: admins create and list the users they administer."""

from __future__ import annotations

from fastapi import APIRouter

from yuefang.app.api.deps import CurrentUser, Limit, Offset, SessionDep
from yuefang.app.schemas.tenancy import UserCreate, UserList, UserPublic
from yuefang.app.services import tenancy

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=UserList)
def list_users(user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> UserList:
    """Users the caller administers."""
    rows, count = tenancy.list_users(session=session, actor=user, limit=limit, offset=offset)
    return UserList(data=[UserPublic.model_validate(r) for r in rows], count=count)


@router.post("", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, user: CurrentUser, session: SessionDep) -> UserPublic:
    """Create a user (cluster office: anyone; enterprise admin: in its enterprise)."""
    return UserPublic.model_validate(tenancy.create_user(session=session, actor=user, data=body))
