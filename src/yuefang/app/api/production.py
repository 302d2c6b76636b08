"""Shop floor: ticket QR codes and scans; jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from yuefang.app.api.deps import CurrentUser, EnterpriseUser, IdPath, SessionDep
from yuefang.app.errors import NotFound
from yuefang.app.models import Ticket
from yuefang.app.schemas.orders import JobPublic, ScanRequest, TicketPublic
from yuefang.app.services import orders as order_svc
from yuefang.app.services import production

router = APIRouter(tags=["shop floor"])

Code = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


@router.post("/tickets/scan", response_model=TicketPublic)
def scan_ticket(body: ScanRequest, user: EnterpriseUser, session: SessionDep) -> TicketPublic:
    """Scan a ticket's QR code: the first scan starts the bundle, the second finishes it."""
    return TicketPublic.model_validate(production.scan_ticket(session=session, actor=user, code=body.code))


@router.get("/tickets/{code}/qr.svg", response_class=Response)
def ticket_qr(code: Code, user: EnterpriseUser, session: SessionDep) -> Response:
    """The ticket's QR code (SVG)."""
    from sqlalchemy import select

    ticket = session.scalar(select(Ticket).where(Ticket.code == code))
    if ticket is None:
        raise NotFound("ticket", code)
    order_svc.get_order(session=session, actor=user, order_id=ticket.order_id)  # 404 for another enterprise
    return Response(production.ticket_qr_svg(code), media_type="image/svg+xml")


@router.get("/jobs/{job_id}", response_model=JobPublic, tags=["jobs"])
def get_job(job_id: IdPath, user: CurrentUser, session: SessionDep) -> JobPublic:
    """A job's state and progress (404 for another enterprise's)."""
    return JobPublic.model_validate(order_svc.get_job(session=session, actor=user, job_id=job_id))
