"""Subcontracting: an enterprise shares an order with another through an explicit subcontract.

The receiving enterprise sees a view without customer, wearer or body data: product, options,
size and quantity per line, and the fabric.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from yuefang.app.errors import InvalidInput, NotFound, field_error
from yuefang.app.models import Enterprise, Order, Role, Subcontract, User
from yuefang.app.schemas.orders import SubcontractCreate
from yuefang.app.services.audit import record_change
from yuefang.app.services.orders import FABRIC_FIELDS, _order, _tenant, require_role

__all__ = ["subcontract_order", "list_subcontracts", "get_subcontract", "subcontract_view"]


def subcontract_order(*, session: Session, actor: User, data: SubcontractCreate) -> Subcontract:
    """Share an order of the actor's enterprise with another enterprise."""
    order = _order(session, actor, data.order_id)
    require_role(actor, frozenset({Role.enterprise_admin, Role.planner}), "subcontract orders")
    if data.to_enterprise_id == order.enterprise_id:
        raise InvalidInput([field_error("to_enterprise_id", data.to_enterprise_id, "another enterprise")])
    if session.get(Enterprise, data.to_enterprise_id) is None:
        raise NotFound("enterprise", data.to_enterprise_id)
    sub = Subcontract(order_id=order.id, from_enterprise_id=order.enterprise_id,
                      to_enterprise_id=data.to_enterprise_id, scope=data.scope)  # fmt: skip
    session.add(sub)
    session.flush()
    record_change(session, actor=actor, entity="order", entity_id=order.id, action="subcontract",
                  changes={"to_enterprise_id": {"old": None, "new": data.to_enterprise_id}},
                  enterprise_id=order.enterprise_id, order_id=order.id)  # fmt: skip
    session.commit()
    return sub


def list_subcontracts(*, session: Session, actor: User, limit: int = 100, offset: int = 0
                      ) -> tuple[list[Subcontract], int]:  # fmt: skip
    """Subcontracts given or received by the actor's enterprise."""
    ent = _tenant(actor)
    q = select(Subcontract).where(or_(Subcontract.from_enterprise_id == ent, Subcontract.to_enterprise_id == ent))
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(Subcontract.id.desc()).limit(limit).offset(offset))), count


def get_subcontract(*, session: Session, actor: User, subcontract_id: int) -> Subcontract:
    """One subcontract the actor's enterprise gave or received (404 otherwise)."""
    ent = _tenant(actor)
    sub = session.get(Subcontract, subcontract_id)
    if sub is None or ent not in (sub.from_enterprise_id, sub.to_enterprise_id):
        raise NotFound("subcontract", subcontract_id)
    return sub


def subcontract_view(*, session: Session, actor: User, subcontract_id: int) -> dict[str, Any]:
    """The shared view of the subcontracted order: no personal or body data."""
    sub = get_subcontract(session=session, actor=actor, subcontract_id=subcontract_id)
    order = session.get(Order, sub.order_id)
    assert order is not None
    return {
        "id": sub.id, "order_id": sub.order_id, "from_enterprise_id": sub.from_enterprise_id,
        "to_enterprise_id": sub.to_enterprise_id, "scope": sub.scope, "created_at": sub.created_at,
        "order_reference": order.reference, "due_date": order.due_date,
        "fabric": {k: getattr(order, k) for k in FABRIC_FIELDS},
        "lines": [
            {"line_no": ln.line_no, "product_id": ln.product_id, "options": ln.options, "size": ln.size,
             "quantity": ln.quantity}
            for ln in order.lines
        ],
    }  # fmt: skip
