"""Enterprises and users: registering, updating, listing (the cluster office and enterprise admins)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yuefang.app.auth import hash_password
from yuefang.app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from yuefang.app.models import ENTERPRISE_ROLES, Enterprise, Role, User
from yuefang.app.schemas.tenancy import EnterpriseCreate, EnterpriseUpdate, UserCreate
from yuefang.app.services.audit import diff, record_change

__all__ = [
    "register_enterprise",
    "update_enterprise",
    "get_enterprise",
    "list_enterprises",
    "create_user",
    "list_users",
]


def _visible_enterprise(session: Session, actor: User, enterprise_id: int) -> Enterprise:
    ent = session.get(Enterprise, enterprise_id)
    if ent is None or (actor.role != Role.cluster_admin and actor.enterprise_id != enterprise_id):
        raise NotFound("enterprise", enterprise_id)
    return ent


def register_enterprise(*, session: Session, actor: User, data: EnterpriseCreate) -> Enterprise:
    """The cluster office registers an enterprise (409 when its USCC is already registered)."""
    if actor.role != Role.cluster_admin:
        raise Forbidden(
            "only the cluster office registers enterprises", role=actor.role, allowed="cluster_admin"
        )
    if data.uscc and session.scalar(select(Enterprise.id).where(Enterprise.uscc == data.uscc)):
        raise Conflict(f"uscc {data.uscc} is already registered")
    ent = Enterprise(**data.model_dump())
    session.add(ent)
    session.flush()
    record_change(
        session,
        actor=actor,
        entity="enterprise",
        entity_id=ent.id,
        action="register",
        changes={k: {"old": None, "new": v} for k, v in data.model_dump().items() if v is not None},
        enterprise_id=ent.id,
    )
    session.commit()
    return ent


def update_enterprise(
    *, session: Session, actor: User, enterprise_id: int, data: EnterpriseUpdate
) -> Enterprise:
    """Change an enterprise's register entry (cluster office, or that enterprise's admin)."""
    ent = _visible_enterprise(session, actor, enterprise_id)
    if actor.role not in (Role.cluster_admin, Role.enterprise_admin):
        raise Forbidden(
            "only the cluster office or the enterprise admin change an enterprise",
            role=actor.role,
            allowed="cluster_admin, enterprise_admin",
        )
    values = data.model_dump(exclude_unset=True)
    if "name" in values and values["name"] is None:
        raise InvalidInput([field_error("name", None, "a non-empty name")])
    if "city_code" in values and values["city_code"] is None:
        raise InvalidInput([field_error("city_code", None, "a Guangdong city code")])
    if values.get("uscc") and session.scalar(
        select(Enterprise.id).where(Enterprise.uscc == values["uscc"], Enterprise.id != ent.id)
    ):
        raise Conflict(f"uscc {values['uscc']} is already registered")
    changes = diff(ent, values)
    for k, v in values.items():
        setattr(ent, k, v)
    if changes:
        record_change(
            session,
            actor=actor,
            entity="enterprise",
            entity_id=ent.id,
            action="update",
            changes=changes,
            enterprise_id=ent.id,
        )
    session.commit()
    return ent


def get_enterprise(*, session: Session, actor: User, enterprise_id: int) -> Enterprise:
    """One enterprise (404 for an enterprise user asking for another one)."""
    return _visible_enterprise(session, actor, enterprise_id)


def list_enterprises(
    *, session: Session, actor: User, limit: int = 100, offset: int = 0
) -> tuple[list[Enterprise], int]:
    """The register (cluster office) or just the user's own enterprise."""
    q = select(Enterprise)
    if actor.role != Role.cluster_admin:
        q = q.where(Enterprise.id == actor.enterprise_id)
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(Enterprise.id).limit(limit).offset(offset))), count


def create_user(*, session: Session, actor: User | None, data: UserCreate) -> User:
    """Create a user. The cluster office creates anyone; an enterprise admin only in its enterprise.

    ``actor=None`` is for the command line and demo data (no check).
    """
    enterprise_id = data.enterprise_id
    if actor is not None:
        if actor.role == Role.enterprise_admin:
            if enterprise_id is None:
                enterprise_id = actor.enterprise_id
            if enterprise_id != actor.enterprise_id:
                raise NotFound("enterprise", enterprise_id)
            if data.role == Role.cluster_admin:
                raise Forbidden(
                    "an enterprise admin cannot create cluster admins",
                    role=actor.role,
                    allowed="cluster_admin",
                )
        elif actor.role != Role.cluster_admin:
            raise Forbidden(
                "only admins create users", role=actor.role, allowed="cluster_admin, enterprise_admin"
            )
    if data.role == Role.cluster_admin and enterprise_id is not None:
        raise InvalidInput([field_error("enterprise_id", enterprise_id, "null for role cluster_admin")])
    if data.role in ENTERPRISE_ROLES:
        if enterprise_id is None:
            raise InvalidInput([field_error("enterprise_id", None, f"an enterprise id for role {data.role}")])
        if session.get(Enterprise, enterprise_id) is None:
            raise NotFound("enterprise", enterprise_id)
    if session.scalar(select(User.id).where(User.email == data.email)):
        raise Conflict(f"a user with e-mail {data.email} already exists")
    user = User(
        email=data.email,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        role=str(data.role),
        enterprise_id=enterprise_id,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"a user with e-mail {data.email} already exists") from None
    return user


def list_users(*, session: Session, actor: User, limit: int = 100, offset: int = 0) -> tuple[list[User], int]:
    """Users the actor administers: all (cluster office) or its enterprise's (enterprise admin)."""
    q = select(User)
    if actor.role == Role.enterprise_admin:
        q = q.where(User.enterprise_id == actor.enterprise_id)
    elif actor.role != Role.cluster_admin:
        raise Forbidden("only admins list users", role=actor.role, allowed="cluster_admin, enterprise_admin")
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(User.id).limit(limit).offset(offset))), count
