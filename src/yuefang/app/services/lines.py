"""An enterprise's factories and sewing lines: register, list, change, remove; and the lines
the ``planned`` step schedules an order on.

Every function is keyword-only, works on the actor's own enterprise (another enterprise's id
answers 404 like a missing one), runs in one transaction and records the change in the audit
trail. ``enterprise_admin`` and ``planner`` change; every enterprise role reads.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yuefang.app.errors import Conflict, InvalidInput, NotFound, field_error
from yuefang.app.models import Factory, Role, SewingLine, User
from yuefang.app.schemas.lines import FactoryCreate, FactoryUpdate, SewingLineCreate, SewingLineUpdate
from yuefang.app.services.audit import diff, record_change
from yuefang.app.services.orders import _tenant, require_role

__all__ = [
    "LINE_WRITERS",
    "register_factory",
    "list_factories",
    "get_factory",
    "change_factory",
    "remove_factory",
    "register_line",
    "list_lines",
    "get_line",
    "change_line",
    "remove_line",
    "plan_lines",
    "plan_line_id",
]

LINE_WRITERS = frozenset({Role.enterprise_admin, Role.planner})
_LINE_FIELDS = ("operators", "minutes_per_day", "efficiency", "products", "current_product", "changeover_min",
                "learning_days", "learning_start_fraction", "active")  # fmt: skip


def _factory(session: Session, actor: User, factory_id: int) -> Factory:
    ent = _tenant(actor)
    row = session.get(Factory, factory_id)
    if row is None or row.enterprise_id != ent:
        raise NotFound("factory", factory_id)
    return row


def _line(session: Session, actor: User, line_id: int) -> SewingLine:
    ent = _tenant(actor)
    row = session.get(SewingLine, line_id)
    if row is None or row.enterprise_id != ent:
        raise NotFound("sewing line", line_id)
    return row


def _commit(session: Session, what: str) -> None:
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{what} already exists") from None


def _factory_name_free(session: Session, enterprise_id: int, name: str, not_id: int | None = None) -> None:
    q = select(Factory.id).where(Factory.enterprise_id == enterprise_id, Factory.name == name)
    if not_id is not None:
        q = q.where(Factory.id != not_id)
    if session.scalar(q) is not None:
        raise Conflict(f"a factory named {name!r} already exists in your enterprise")


def _line_name_free(session: Session, factory_id: int, name: str, not_id: int | None = None) -> None:
    q = select(SewingLine.id).where(SewingLine.factory_id == factory_id, SewingLine.name == name)
    if not_id is not None:
        q = q.where(SewingLine.id != not_id)
    if session.scalar(q) is not None:
        raise Conflict(f"a sewing line named {name!r} already exists in factory {factory_id}")


# --- factories ----------------------------------------------------------------------------------


def register_factory(*, session: Session, actor: User, data: FactoryCreate) -> Factory:
    """Register a factory of the actor's enterprise (409 when the name is taken)."""
    ent = _tenant(actor)
    require_role(actor, LINE_WRITERS, "register factories")
    _factory_name_free(session, ent, data.name)
    row = Factory(enterprise_id=ent, name=data.name, city_code=data.city_code)
    session.add(row)
    session.flush()
    record_change(session, actor=actor, entity="factory", entity_id=row.id, action="register",
                  changes={k: {"old": None, "new": v} for k, v in data.model_dump().items()},
                  enterprise_id=ent)  # fmt: skip
    _commit(session, f"factory {data.name!r}")
    return row


def list_factories(*, session: Session, actor: User, limit: int = 100, offset: int = 0
                   ) -> tuple[list[Factory], int]:  # fmt: skip
    """The actor's enterprise's factories, oldest first, with the total count."""
    q = select(Factory).where(Factory.enterprise_id == _tenant(actor))
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(Factory.id).limit(limit).offset(offset))), count


def get_factory(*, session: Session, actor: User, factory_id: int) -> Factory:
    """One factory of the actor's enterprise (404 otherwise)."""
    return _factory(session, actor, factory_id)


def _non_null(values: dict[str, Any], *, nullable: tuple[str, ...]) -> dict[str, Any]:
    """``values`` unless a field that cannot be emptied is set to null (422 naming it)."""
    for key, value in values.items():
        if value is None and key not in nullable:
            raise InvalidInput([field_error(key, None, "a value (the field cannot be emptied with null)")])
    return values


def _apply(session: Session, actor: User, row: Factory | SewingLine, values: dict[str, Any], *, entity: str) -> None:
    """Set ``values`` on ``row``, audit what changed, and commit (one transaction)."""
    changes = diff(row, values)
    for k, v in values.items():
        setattr(row, k, v)
    if changes:
        record_change(session, actor=actor, entity=entity, entity_id=row.id, action="update",
                      changes=changes, enterprise_id=row.enterprise_id)  # fmt: skip
    _commit(session, f"{entity.replace('_', ' ')} {row.name!r}")


def change_factory(*, session: Session, actor: User, factory_id: int, data: FactoryUpdate) -> Factory:
    """Rename a factory or change its city."""
    row = _factory(session, actor, factory_id)
    require_role(actor, LINE_WRITERS, "change factories")
    values = _non_null(data.model_dump(exclude_unset=True), nullable=())
    if "name" in values:
        _factory_name_free(session, row.enterprise_id, values["name"], row.id)
    _apply(session, actor, row, values, entity="factory")
    return row


def remove_factory(*, session: Session, actor: User, factory_id: int) -> None:
    """Remove a factory and its sewing lines (plans already made keep their record)."""
    row = _factory(session, actor, factory_id)
    require_role(actor, LINE_WRITERS, "remove factories")
    record_change(session, actor=actor, entity="factory", entity_id=row.id, action="remove",
                  changes={"name": {"old": row.name, "new": None},
                           "lines": {"old": len(row.lines), "new": 0}},
                  enterprise_id=row.enterprise_id)  # fmt: skip
    session.delete(row)
    session.commit()


# --- sewing lines -------------------------------------------------------------------------------


def register_line(*, session: Session, actor: User, data: SewingLineCreate) -> SewingLine:
    """Register a sewing line in one of the actor's enterprise's factories."""
    factory = _factory(session, actor, data.factory_id)
    require_role(actor, LINE_WRITERS, "register sewing lines")
    _line_name_free(session, factory.id, data.name)
    values = data.model_dump()
    row = SewingLine(enterprise_id=factory.enterprise_id, **values)
    session.add(row)
    session.flush()
    record_change(session, actor=actor, entity="sewing_line", entity_id=row.id, action="register",
                  changes={k: {"old": None, "new": v} for k, v in values.items()},
                  enterprise_id=factory.enterprise_id)  # fmt: skip
    _commit(session, f"sewing line {data.name!r}")
    return row


def list_lines(*, session: Session, actor: User, factory_id: int | None = None, active: bool | None = None,
               limit: int = 100, offset: int = 0) -> tuple[list[SewingLine], int]:  # fmt: skip
    """The actor's enterprise's sewing lines (of one factory, active or not), with the total count."""
    q = select(SewingLine).where(SewingLine.enterprise_id == _tenant(actor))
    if factory_id is not None:
        q = q.where(SewingLine.factory_id == _factory(session, actor, factory_id).id)
    if active is not None:
        q = q.where(SewingLine.active == active)
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(SewingLine.factory_id, SewingLine.id).limit(limit).offset(offset))), count


def get_line(*, session: Session, actor: User, line_id: int) -> SewingLine:
    """One sewing line of the actor's enterprise (404 otherwise)."""
    return _line(session, actor, line_id)


def change_line(*, session: Session, actor: User, line_id: int, data: SewingLineUpdate) -> SewingLine:
    """Change a sewing line's capacity, products, learning curve, changeover or name; switch it off."""
    row = _line(session, actor, line_id)
    require_role(actor, LINE_WRITERS, "change sewing lines")
    values = _non_null(data.model_dump(exclude_unset=True), nullable=("current_product",))
    if "name" in values:
        _line_name_free(session, row.factory_id, values["name"], row.id)
    _apply(session, actor, row, values, entity="sewing_line")
    return row


def remove_line(*, session: Session, actor: User, line_id: int) -> None:
    """Remove a sewing line (plans already made keep their record)."""
    row = _line(session, actor, line_id)
    require_role(actor, LINE_WRITERS, "remove sewing lines")
    record_change(session, actor=actor, entity="sewing_line", entity_id=row.id, action="remove",
                  changes={"name": {"old": row.name, "new": None}}, enterprise_id=row.enterprise_id)
    session.delete(row)
    session.commit()


# --- for the planned step -----------------------------------------------------------------------


def plan_line_id(line_id_text: str) -> int | None:
    """The sewing line's database id in a ``yuefang.plan`` line id made by :func:`plan_lines`.

    Examples
    --------
    >>> plan_line_id("L12 Line 1"), plan_line_id("other")
    (12, None)
    """
    head = line_id_text.split(" ", 1)[0]
    return int(head[1:]) if head[:1] == "L" and head[1:].isdigit() else None


def plan_lines(session: Session, enterprise_id: int) -> list[Any]:
    """The enterprise's active sewing lines as ``yuefang.plan.Line``.

    Ids are readable on a Gantt chart and unique: ``line_id`` is ``"L<id> <line name>"``,
    ``factory_id`` is ``"F<id> <factory name>"``. Only this enterprise's lines: the ``planned`` step
    adds those of enterprises that accepted a subcontract of the order (``steps._load``).
    """
    from yuefang.plan import Line

    rows = session.scalars(
        select(SewingLine).join(Factory, SewingLine.factory_id == Factory.id)
        .where(SewingLine.enterprise_id == enterprise_id, Factory.enterprise_id == enterprise_id,
               SewingLine.active.is_(True))
        .order_by(SewingLine.id)
    )  # fmt: skip
    return [
        Line(line_id=f"L{r.id} {r.name}", factory_id=f"F{r.factory_id} {r.factory.name}",
             enterprise_id=str(enterprise_id), products=tuple(r.products or ()),
             **{k: getattr(r, k) for k in _LINE_FIELDS if k != "products"})
        for r in rows
    ]  # fmt: skip
