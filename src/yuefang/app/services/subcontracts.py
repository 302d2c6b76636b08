"""Subcontracting: an enterprise shares an order with another through an explicit subcontract.

The receiving enterprise sees a view without customer, wearer or body data: product, options,
size and quantity per line, the fabric, and the order's planned work on its own sewing lines.

A subcontract is ``offered`` by the order's enterprise; the receiver ``accept``s or ``decline``s
it; the offerer may ``withdraw`` it while it is offered or accepted. Only the ``enterprise_admin``
or ``planner`` of the side that takes an action may take it: anyone else gets 404, exactly as for
an id that does not exist. An action the current state does not allow answers 409, naming the
state and the actions it allows. Every action is audited on the order.

Only an **accepted** subcontract lets the order's ``planned`` step use the receiver's sewing lines
(:mod:`yuefang.app.steps`). Withdrawing an accepted subcontract whose receiver's lines hold the
order's plan discards that plan (the ``planned`` step goes back to pending, saying why); once the
order is in production or done there, it answers 409.

Cancelling an order (:func:`yuefang.app.services.orders.cancel_order`) withdraws its open (offered or
accepted) subcontracts in the same transaction, each audited as a ``withdraw`` by the one who cancelled,
with ``cause: order_cancelled`` (:func:`withdraw_for_cancelled_order`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from yuefang.app import steps as steps_mod
from yuefang.app.db import utcnow
from yuefang.app.errors import Conflict, InvalidInput, NotFound, field_error
from yuefang.app.models import (
    Artifact,
    Enterprise,
    Order,
    OrderStatus,
    Role,
    StepName,
    Subcontract,
    SubcontractStatus,
    User,
)
from yuefang.app.schemas.subcontracts import SubcontractCreate
from yuefang.app.services.audit import record_change
from yuefang.app.services.orders import FABRIC_FIELDS, _order, _tenant, require_role

__all__ = [
    "DECIDERS",
    "TRANSITIONS",
    "subcontract_order",
    "list_subcontracts",
    "get_subcontract",
    "subcontract_view",
    "decide",
    "accept_subcontract",
    "decline_subcontract",
    "withdraw_subcontract",
    "accepted_partners",
    "withdraw_for_cancelled_order",
]

DECIDERS = frozenset({Role.enterprise_admin, Role.planner})
OPEN = frozenset({SubcontractStatus.offered.value, SubcontractStatus.accepted.value})


@dataclass(frozen=True)
class Transition:
    side: str  # "receiver" (to_enterprise) or "offerer" (from_enterprise)
    sources: tuple[str, ...]
    target: str


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition("receiver", (SubcontractStatus.offered.value,), SubcontractStatus.accepted.value),
    "decline": Transition("receiver", (SubcontractStatus.offered.value,), SubcontractStatus.declined.value),
    "withdraw": Transition("offerer", (SubcontractStatus.offered.value, SubcontractStatus.accepted.value),
                           SubcontractStatus.withdrawn.value),
}  # fmt: skip


def allowed_actions(status: str) -> list[str]:
    """The actions a subcontract in ``status`` allows (either side), in a fixed order."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources]


def subcontract_order(*, session: Session, actor: User, data: SubcontractCreate) -> Subcontract:
    """Offer work on an order of the actor's enterprise to another enterprise."""
    order = _order(session, actor, data.order_id)
    require_role(actor, DECIDERS, "subcontract orders")
    if data.to_enterprise_id == order.enterprise_id:
        raise InvalidInput([field_error("to_enterprise_id", data.to_enterprise_id, "another enterprise")])
    if session.get(Enterprise, data.to_enterprise_id) is None:
        raise NotFound("enterprise", data.to_enterprise_id)
    if order.status in (OrderStatus.done.value, OrderStatus.cancelled.value):
        raise Conflict(f"order {order.id} is {order.status}: its work can no longer be subcontracted")
    open_one = session.scalar(
        select(Subcontract).where(Subcontract.order_id == order.id, Subcontract.to_enterprise_id == data.to_enterprise_id,
                                  Subcontract.status.in_(OPEN))
    )  # fmt: skip
    if open_one is not None:
        raise Conflict(
            f"order {order.id} already has subcontract {open_one.id} to enterprise {data.to_enterprise_id}, "
            f"which is {open_one.status}; withdraw it before offering the work again",
            [field_error("to_enterprise_id", data.to_enterprise_id,
                         "an enterprise without an offered or accepted subcontract of this order")],
        )  # fmt: skip
    sub = Subcontract(order_id=order.id, from_enterprise_id=order.enterprise_id,
                      to_enterprise_id=data.to_enterprise_id, scope=data.scope,
                      status=SubcontractStatus.offered.value)  # fmt: skip
    session.add(sub)
    session.flush()
    record_change(session, actor=actor, entity="subcontract", entity_id=sub.id, action="offer",
                  changes={"to_enterprise_id": {"old": None, "new": data.to_enterprise_id},
                           "status": {"old": None, "new": sub.status}},
                  enterprise_id=order.enterprise_id, order_id=order.id)  # fmt: skip
    session.commit()
    return sub


def list_subcontracts(*, session: Session, actor: User, status: str | None = None, limit: int = 100,
                      offset: int = 0) -> tuple[list[Subcontract], int]:  # fmt: skip
    """Subcontracts given or received by the actor's enterprise, newest first (optionally one state)."""
    ent = _tenant(actor)
    q = select(Subcontract).where(
        or_(Subcontract.from_enterprise_id == ent, Subcontract.to_enterprise_id == ent)
    )
    if status is not None:
        q = q.where(Subcontract.status == status)
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(Subcontract.id.desc()).limit(limit).offset(offset))), count


def get_subcontract(*, session: Session, actor: User, subcontract_id: int) -> Subcontract:
    """One subcontract the actor's enterprise gave or received (404 otherwise)."""
    ent = _tenant(actor)
    sub = session.get(Subcontract, subcontract_id)
    if sub is None or ent not in (sub.from_enterprise_id, sub.to_enterprise_id):
        raise NotFound("subcontract", subcontract_id)
    return sub


def _plan_entries(session: Session, order_id: int) -> list[dict[str, Any]]:
    content = session.scalar(
        select(Artifact.content).where(Artifact.order_id == order_id, Artifact.step == StepName.planned.value,
                                       Artifact.name == "plan.json")
    )  # fmt: skip
    if not content:
        return []
    try:
        entries = json.loads(content)
    except ValueError:
        return []
    return [e for e in entries if isinstance(e, dict)]


def _on_lines_of(session: Session, sub: Subcontract) -> list[dict[str, Any]]:
    """The order's plan entries on the receiver's sewing lines."""
    return [
        e
        for e in _plan_entries(session, sub.order_id)
        if str(e.get("enterprise_id")) == str(sub.to_enterprise_id)
    ]


def subcontract_view(*, session: Session, actor: User, subcontract_id: int) -> dict[str, Any]:
    """The shared view of the subcontracted order: no personal or body data."""
    sub = get_subcontract(session=session, actor=actor, subcontract_id=subcontract_id)
    order = session.get(Order, sub.order_id)
    assert order is not None
    planned = []
    if sub.status == SubcontractStatus.accepted.value:
        for e in _on_lines_of(session, sub):
            product = str(e.get("order_id", "")).partition(":")[2]
            planned.append({"product_id": product, "line_id": e.get("line_id"), "start": e.get("start"),
                            "end": e.get("end")})  # fmt: skip
    return {
        "id": sub.id, "order_id": sub.order_id, "from_enterprise_id": sub.from_enterprise_id,
        "to_enterprise_id": sub.to_enterprise_id, "scope": sub.scope, "status": sub.status,
        "decided_at": sub.decided_at, "created_at": sub.created_at,
        "order_reference": order.reference, "due_date": order.due_date,
        "fabric": {k: getattr(order, k) for k in FABRIC_FIELDS},
        "lines": [
            {"line_no": ln.line_no, "product_id": ln.product_id, "options": ln.options, "size": ln.size,
             "quantity": ln.quantity}
            for ln in order.lines
        ],
        "planned_on_receiver_lines": planned,
    }  # fmt: skip


def decide(*, session: Session, actor: User, subcontract_id: int, action: str) -> Subcontract:
    """Take ``action`` (``accept``, ``decline`` or ``withdraw``) on a subcontract.

    404 unless the actor is an ``enterprise_admin`` or ``planner`` of the side that takes the action
    (as for a missing id); 409 when the subcontract's state does not allow it.
    """
    t = TRANSITIONS.get(action)
    if t is None:
        raise InvalidInput([field_error("action", action, ", ".join(TRANSITIONS))])
    ent = _tenant(actor)
    sub = session.scalar(select(Subcontract).where(Subcontract.id == subcontract_id).with_for_update())
    party = (
        None if sub is None else (sub.to_enterprise_id if t.side == "receiver" else sub.from_enterprise_id)
    )
    if sub is None or party != ent or actor.role not in {str(r) for r in DECIDERS}:
        raise NotFound("subcontract", subcontract_id)
    if sub.status not in t.sources:
        allowed = allowed_actions(sub.status)
        then = f"it allows: {', '.join(allowed)}" if allowed else "it allows no further action"
        raise Conflict(
            f"subcontract {sub.id} is {sub.status}: it cannot be {t.target} (only from {' or '.join(t.sources)}); "
            f"{then}",
            [field_error("status", sub.status, " or ".join(t.sources),
                         f"subcontract {sub.id} is {sub.status}; {action} needs it {' or '.join(t.sources)}")],
        )  # fmt: skip
    order = session.get(Order, sub.order_id)
    assert order is not None
    if action == "accept" and order.status in (OrderStatus.done.value, OrderStatus.cancelled.value):
        raise Conflict(
            f"order {order.id} of subcontract {sub.id} is {order.status}: there is no work left to accept"
        )
    stale_plan = False
    if action == "withdraw" and sub.status == SubcontractStatus.accepted.value and _on_lines_of(session, sub):
        if order.status in (OrderStatus.in_production.value, OrderStatus.done.value):
            raise Conflict(
                f"subcontract {sub.id} cannot be withdrawn: order {order.id} is {order.status} on the "
                f"receiver's sewing lines", [field_error("order.status", order.status, "received to planned")])  # fmt: skip
        stale_plan = True
    old = sub.status
    sub.status = t.target
    sub.decided_at = utcnow()
    sub.decided_by_id = actor.id
    changes: dict[str, dict[str, Any]] = {"status": {"old": old, "new": sub.status}}
    if stale_plan:
        steps_mod.discard_from(session, order, StepName.planned.value)
        steps_mod.set_reason(steps_mod.ensure_steps(session, order)[StepName.planned.value],
                             "subcontract_withdrawn", subcontract_id=sub.id)  # fmt: skip
        changes["promised_date"] = {"old": "planned", "new": None}
    record_change(session, actor=actor, entity="subcontract", entity_id=sub.id, action=action, changes=changes,
                  enterprise_id=order.enterprise_id, order_id=order.id)  # fmt: skip
    session.commit()
    return sub


def accept_subcontract(*, session: Session, actor: User, subcontract_id: int) -> Subcontract:
    """The receiver accepts the offer: its sewing lines may now plan the order."""
    return decide(session=session, actor=actor, subcontract_id=subcontract_id, action="accept")


def decline_subcontract(*, session: Session, actor: User, subcontract_id: int) -> Subcontract:
    """The receiver declines the offer."""
    return decide(session=session, actor=actor, subcontract_id=subcontract_id, action="decline")


def withdraw_subcontract(*, session: Session, actor: User, subcontract_id: int) -> Subcontract:
    """The offerer withdraws the offer (or the accepted subcontract, before production there)."""
    return decide(session=session, actor=actor, subcontract_id=subcontract_id, action="withdraw")


def accepted_partners(session: Session, order_id: int) -> list[int]:
    """Enterprises that accepted a subcontract of the order (their lines may plan it)."""
    return sorted(set(session.scalars(
        select(Subcontract.to_enterprise_id).where(Subcontract.order_id == order_id,
                                                   Subcontract.status == SubcontractStatus.accepted.value)
    )))  # fmt: skip


def withdraw_for_cancelled_order(session: Session, actor: User, order: Order) -> list[Subcontract]:
    """Withdraw the order's open (offered or accepted) subcontracts because the order is cancelled.

    Called by ``cancel_order`` before it commits: the withdrawals and their audit events are part of
    the cancellation's transaction (the caller commits). Returns the subcontracts withdrawn.
    """
    subs = list(session.scalars(
        select(Subcontract).where(Subcontract.order_id == order.id, Subcontract.status.in_(OPEN))
        .order_by(Subcontract.id).with_for_update()
    ))  # fmt: skip
    now = utcnow()
    for sub in subs:
        old = sub.status
        sub.status = SubcontractStatus.withdrawn.value
        sub.decided_at = now
        sub.decided_by_id = actor.id
        record_change(session, actor=actor, entity="subcontract", entity_id=sub.id, action="withdraw",
                      changes={"status": {"old": old, "new": sub.status},
                               "cause": {"old": None, "new": "order_cancelled"}},
                      enterprise_id=order.enterprise_id, order_id=order.id)  # fmt: skip
    return subs
