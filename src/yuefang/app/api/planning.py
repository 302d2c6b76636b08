"""Planning on the user's own inputs: line balancing and scheduling as jobs, bulletins and quotes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from yuefang.app.api.deps import EnterpriseUser, IdPath, SessionDep
from yuefang.app.auth import require_roles
from yuefang.app.errors import InvalidInput, field_error
from yuefang.app.models import Role, User
from yuefang.app.schemas.orders import JobPublic
from yuefang.app.schemas.planning import BalanceRequest, ProductId, QuoteRequest, ScheduleRequest
from yuefang.app.services import bulletins, compute

router = APIRouter(prefix="/plan", tags=["planning"])

PLAN_ROLES = (Role.enterprise_admin, Role.planner)
PlanUser = Annotated[User, Depends(require_roles(*PLAN_ROLES))]  # no cluster_admin: enterprise users only


@router.get("/bulletins/{product_id}")
def get_bulletin(product_id: ProductId, user: PlanUser, session: SessionDep) -> dict[str, Any]:
    """The enterprise's operation bulletin of the product (its own when stored, else the default;
    ``source`` says which): operations, SMV, machine, skill, precedence, and its CSV text."""
    return bulletins.get_bulletin(session=session, actor=user, product_id=product_id)


@router.put(
    "/bulletins/{product_id}",
    openapi_extra={"requestBody": {"content": {
        "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
    }}},
)  # fmt: skip
async def put_bulletin(product_id: ProductId, request: Request, user: PlanUser, session: SessionDep) -> dict[str, Any]:
    """Store the enterprise's own bulletin of the product from CSV (text body or a multipart ``file``);
    422 names the row, field, value and what is allowed."""
    text = await _csv_body(request)
    return bulletins.save_bulletin(session=session, actor=user, product_id=product_id, csv_text=text)


@router.delete("/bulletins/{product_id}")
def reset_bulletin(product_id: ProductId, user: PlanUser, session: SessionDep) -> dict[str, Any]:
    """Drop the enterprise's own bulletin of the product: the default applies again (answered)."""
    return bulletins.reset_bulletin(session=session, actor=user, product_id=product_id)


async def _csv_body(request: Request) -> str:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidInput([field_error("file", None, "a CSV file in the multipart field 'file'")])
        raw = await upload.read(bulletins.MAX_CSV_CHARS * 4 + 1)
    else:
        raw = await request.body()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput([field_error("bulletin_csv", "undecodable bytes", "UTF-8 text")]) from None


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
