"""The shop floor: bundle tickets with a QR code per line; scans move the order to production and done.

The first scan of a ticket starts its bundle (the order goes ``planned -> in_production``); a second
scan finishes it; when every ticket of the order is finished the order is ``done``.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from yuefang.app.db import utcnow
from yuefang.app.errors import Conflict, NotFound
from yuefang.app.models import OrderStatus, Role, Ticket, User
from yuefang.app.services.audit import record_change
from yuefang.app.services.orders import _order, _tenant, require_role

__all__ = ["TICKET_ISSUERS", "SCANNERS", "issue_tickets", "list_tickets", "scan_ticket", "ticket_qr_svg"]

TICKET_ISSUERS = frozenset({Role.enterprise_admin, Role.planner, Role.cutting_room})
SCANNERS = frozenset({Role.enterprise_admin, Role.shop_floor})


def issue_tickets(*, session: Session, actor: User, order_id: int) -> list[Ticket]:
    """Issue one bundle ticket per line of a planned order (409 before ``planned``); idempotent."""
    order = _order(session, actor, order_id)
    require_role(actor, TICKET_ISSUERS, "issue tickets")
    existing = list(session.scalars(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id)))
    if existing:
        return existing
    if order.status != OrderStatus.planned.value:
        raise Conflict(f"order {order.id} is {order.status}: tickets are issued once it is planned")
    tickets = [Ticket(order_id=order.id, line_id=ln.id, code=secrets.token_urlsafe(12)) for ln in order.lines]
    session.add_all(tickets)
    session.flush()
    record_change(session, actor=actor, entity="order", entity_id=order.id, action="issue_tickets",
                  changes={"tickets": {"old": 0, "new": len(tickets)}}, enterprise_id=order.enterprise_id,
                  order_id=order.id)  # fmt: skip
    session.commit()
    return tickets


def list_tickets(*, session: Session, actor: User, order_id: int) -> list[Ticket]:
    """The order's tickets."""
    order = _order(session, actor, order_id)
    return list(session.scalars(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id)))


def scan_ticket(*, session: Session, actor: User, code: str) -> Ticket:
    """Scan a ticket: start its bundle, or finish it; moves the order to in_production / done."""
    _tenant(actor)
    ticket = session.scalar(select(Ticket).where(Ticket.code == code))
    if ticket is None:
        raise NotFound("ticket", code)
    order = _order(session, actor, ticket.order_id)  # 404 for another enterprise's ticket, as for none
    require_role(actor, SCANNERS, "scan tickets")
    if order.status == OrderStatus.cancelled.value:
        raise Conflict(f"order {order.id} is cancelled")
    now = utcnow()
    old_status = order.status
    if ticket.status == "issued":
        ticket.status, ticket.started_at = "started", now
        if order.status == OrderStatus.planned.value:
            order.status = OrderStatus.in_production.value
    elif ticket.status == "started":
        ticket.status, ticket.finished_at = "finished", now
        others = session.scalars(select(Ticket).where(Ticket.order_id == order.id, Ticket.id != ticket.id))
        if all(t.status == "finished" for t in others):
            order.status = OrderStatus.done.value
    else:
        raise Conflict(f"ticket {code} is already finished")
    changes = {"ticket": {"old": None, "new": f"{ticket.id}:{ticket.status}"}}
    if order.status != old_status:
        changes["status"] = {"old": old_status, "new": order.status}
    record_change(session, actor=actor, entity="order", entity_id=order.id, action="scan", changes=changes,
                  enterprise_id=order.enterprise_id, order_id=order.id)  # fmt: skip
    session.commit()
    return ticket


def ticket_qr_svg(code: str, *, scale: int = 4) -> str:
    """The QR code of a ticket as SVG text (segno)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(code, error="m").save(buf, kind="svg", scale=scale, xmldecl=False)
    return buf.getvalue().decode()
