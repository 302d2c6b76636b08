"""Planning on the user's own inputs: line balancing and scheduling as jobs, bulletins and quotes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from yuefang.app.api.deps import EnterpriseUser, IdPath, SessionDep
from yuefang.app.auth import require_roles
from yuefang.app.models import Role, User
from yuefang.app.schemas.orders import JobPublic
from yuefang.app.schemas.planning import BalanceRequest, ProductId, QuoteRequest, ScheduleRequest
from yuefang.app.services import compute

router = APIRouter(prefix="/plan", tags=["planning"])

PLAN_ROLES = (Role.enterprise_admin, Role.planner)
PlanUser = Annotated[User, Depends(require_roles(*PLAN_ROLES))]  # no cluster_admin: enterprise users only


@router.get("/bulletins/{product_id}")
def get_bulletin(product_id: ProductId, user: PlanUser) -> dict[str, Any]:
    """The product's default operation bulletin (operations, SMV, precedence) and its CSV text."""
    return compute.bulletin_for(product_id)


@router.post("/balance", response_model=JobPublic, status_code=202)
def balance(body: BalanceRequest, user: PlanUser, session: SessionDep) -> JobPublic:
    """Queue a line balance (``yuefang.plan.balance_line``); answers at once with the job."""
    return JobPublic.model_validate(compute.submit_balance(session=session, actor=user, body=body))


@router.post("/schedule", response_model=JobPublic, status_code=202)
def schedule(body: ScheduleRequest, user: PlanUser, session: SessionDep) -> JobPublic:
    """Queue a schedule of these orders on these lines (``yuefang.plan.schedule_orders``)."""
    return JobPublic.model_validate(compute.submit_schedule(session=session, actor=user, body=body))


@router.post("/quote")
def quote(body: QuoteRequest, user: PlanUser) -> dict[str, Any]:
    """Price one order now: fabric, labour, overhead, margin (CNY)."""
    return compute.quote_order(body)


@router.get("/jobs/{job_id}/svg", response_class=Response)
def plan_svg(job_id: IdPath, user: EnterpriseUser, session: SessionDep) -> Response:
    """A finished balance's operator-load chart or schedule's Gantt chart (SVG)."""
    kinds = (compute.BALANCE_KIND, compute.SCHEDULE_KIND)
    svg = compute.job_svg(session=session, actor=user, job_id=job_id, kinds=kinds)
    return Response(svg, media_type="image/svg+xml")
