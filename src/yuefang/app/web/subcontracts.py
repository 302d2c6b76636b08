"""The subcontracts page: work offered to and by the enterprise, and the answers to an offer.

``/subcontracts`` lists the subcontracts the enterprise received and those it offered, each with
its state and the shared view of the order (product, size, quantity; never customer, wearer or
body data). The receiver's ``enterprise_admin`` or ``planner`` accepts or declines an offer; the
offerer's withdraws it. The service decides who may (anyone else: 404, as for a missing id) and
which state allows what (409).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from yuefang.app.auth import get_session, optional_user
from yuefang.app.errors import Conflict, DomainError, NotFound
from yuefang.app.i18n import N_
from yuefang.app.models import Enterprise, User
from yuefang.app.services import subcontracts as svc
from yuefang.app.web.guard import ENTERPRISE_PAGES, csrf_ok, forbidden_page, guard
from yuefang.app.web.orders import _product_label, _products
from yuefang.app.web.routes import chrome
from yuefang.app.web.templating import PageContext, page_context, render

__all__ = ["router", "SUBCONTRACT_STATUS_LABELS", "DECIDERS"]

router = APIRouter(include_in_schema=False)

WebUser = Annotated[User | None, Depends(optional_user)]
DbSession = Annotated[Session, Depends(get_session)]

DECIDERS = frozenset(str(r) for r in svc.DECIDERS)
SUBCONTRACT_STATUS_LABELS: dict[str, str] = {
    "offered": N_("Offered"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}
ACTION_LABELS: dict[str, str] = {"accept": N_("Accept"), "decline": N_("Decline"), "withdraw": N_("Withdraw")}
PAGE_SIZE = 200


def _rows(session: Session, user: User, page: PageContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    subs, _ = svc.list_subcontracts(session=session, actor=user, limit=PAGE_SIZE)
    ids = {s.from_enterprise_id for s in subs} | {s.to_enterprise_id for s in subs}
    names = {i: n for i, n in session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids)))}
    products = _products(page)
    received, offered = [], []
    for sub in subs:
        view = svc.subcontract_view(session=session, actor=user, subcontract_id=sub.id)
        mine = sub.from_enterprise_id == user.enterprise_id
        side = "offerer" if mine else "receiver"
        actions = [a for a in svc.allowed_actions(sub.status) if svc.TRANSITIONS[a].side == side]
        row = {
            "id": sub.id, "order_id": sub.order_id, "reference": view["order_reference"], "scope": sub.scope,
            "status": sub.status,
            "status_label": page.gettext(SUBCONTRACT_STATUS_LABELS.get(sub.status, sub.status)),
            "partner": names.get(sub.to_enterprise_id if mine else sub.from_enterprise_id, ""),
            "due_date": view["due_date"], "created_at": sub.created_at, "decided_at": sub.decided_at,
            "work": " · ".join(f"{_product_label(products, ln['product_id'])}{' ' + ln['size'] if ln['size'] else ''}"
                               f" × {ln['quantity']}"
                               for ln in view["lines"]),
            "planned": view["planned_on_receiver_lines"],
            "actions": [(a, page.gettext(ACTION_LABELS[a])) for a in actions] if user.role in DECIDERS else [],
        }  # fmt: skip
        (offered if mine else received).append(row)
    return received, offered


def _page(request: Request, user: User, session: Session, *, action_error: str | None = None,
          status_code: int = 200) -> Response:  # fmt: skip
    page = page_context(request)
    received, offered = _rows(session, user, page)
    context = {**chrome(request, user, active="subcontracts", page=page), "received": received, "offered": offered,
               "action_error": action_error}  # fmt: skip
    return render(request, "subcontracts/list.html", context, status_code=status_code, page=page)


@router.get("/subcontracts", name="web_subcontracts")
def subcontract_list(request: Request, user: WebUser, session: DbSession) -> Response:
    """Subcontracts received and offered, with their state and the answers the user may give."""
    if (denied := guard(request, user, ENTERPRISE_PAGES)) is not None:
        return denied
    assert user is not None
    return _page(request, user, session)


@router.post("/subcontracts/{subcontract_id:int}/{action}", name="web_subcontract_action")
def subcontract_action(
    request: Request, subcontract_id: int, action: str, user: WebUser, session: DbSession,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Accept, decline or withdraw a subcontract."""
    if (denied := guard(request, user, ENTERPRISE_PAGES)) is not None:
        return denied
    assert user is not None
    page = page_context(request)
    if not csrf_ok(request, csrf_token):
        return render(request, "error.html", {**chrome(request, user, page=page), "title": page.gettext("Form expired"),
                      "message": page.gettext("The form was stale or came from elsewhere. Go back, reload the page and try again.")},
                      status_code=403, page=page)  # fmt: skip
    if action not in svc.TRANSITIONS:
        return _not_found(request, user, page)
    try:
        svc.decide(session=session, actor=user, subcontract_id=subcontract_id, action=action)
    except NotFound:
        return _not_found(request, user, page)
    except Conflict:
        session.rollback()
        sub = svc.get_subcontract(session=session, actor=user, subcontract_id=subcontract_id)
        status = page.gettext(SUBCONTRACT_STATUS_LABELS.get(sub.status, sub.status))
        message = page.gettext("Subcontract %(id)s is %(status)s: it can no longer be answered this way.",
                               id=sub.id, status=status)  # fmt: skip
        return _page(request, user, session, action_error=message, status_code=409)
    except DomainError:
        return forbidden_page(request, user)
    return RedirectResponse(f"/subcontracts?done=subcontract_{action}", status_code=303)


def _not_found(request: Request, user: User, page: PageContext) -> Response:
    return render(request, "error.html", {**chrome(request, user, page=page), "title": page.gettext("Not found"),
                  "message": page.gettext("There is no such subcontract for you to answer.")},
                  status_code=404, page=page)  # fmt: skip
