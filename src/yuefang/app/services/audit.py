"""Recording changes in the audit trail (personal fields are named, never valued)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yuefang.app.models import AuditEvent, User

__all__ = ["PERSONAL_FIELDS", "record_change", "diff", "list_events"]

# Fields whose values are personal information: the trail names them but never keeps their values.
PERSONAL_FIELDS = frozenset({"customer_ref", "wearer_ref", "inputs"})


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict | list):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def diff(obj: Any, new_values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The changed fields of ``obj`` if ``new_values`` were applied: field -> {old, new}."""
    changes: dict[str, dict[str, Any]] = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if hasattr(new, "value"):
            new = new.value
        if old != new:
            changes[field] = {"old": _jsonable(old), "new": _jsonable(new)}
    return changes


def record_change(
    session: Session,
    *,
    actor: User | None,
    entity: str,
    entity_id: int,
    action: str,
    changes: dict[str, dict[str, Any]] | None = None,
    enterprise_id: int | None = None,
    order_id: int | None = None,
) -> AuditEvent:
    """Add one audit event to the session (the caller commits). Personal values are dropped."""
    changes = changes or {}
    kept = {
        f: ({"personal": True} if f in PERSONAL_FIELDS else {k: _jsonable(x) for k, x in v.items()})
        for f, v in changes.items()
    }
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        enterprise_id=enterprise_id,
        entity=entity,
        entity_id=entity_id,
        order_id=order_id,
        action=action,
        fields=sorted(changes),
        changes=kept,
    )
    session.add(event)
    return event


def list_events(
    session: Session,
    *,
    enterprise_id: int | None,
    order_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEvent], int]:
    """Audit events of one enterprise (and one order), newest first, with the total count."""
    q = select(AuditEvent)
    if enterprise_id is not None:
        q = q.where(AuditEvent.enterprise_id == enterprise_id)
    if order_id is not None:
        q = q.where(AuditEvent.order_id == order_id)
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(AuditEvent.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), count
