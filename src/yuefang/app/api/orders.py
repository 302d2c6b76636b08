"""Orders, lines, line import, steps and their outputs, audit trail, erasure, tickets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile
from pydantic import BaseModel, TypeAdapter
from typing_extensions import TypedDict

from yuefang.app.api.deps import EnterpriseUser, IdPath, Limit, Offset, SessionDep
from yuefang.app.auth import in_thread
from yuefang.app.db import read_only
from yuefang.app.errors import InvalidInput, field_error
from yuefang.app.models import Order, OrderStatus, StepName
from yuefang.app.schemas.orders import (
    ArtifactPublic,
    AuditList,
    AuditPublic,
    ImportResult,
    JobPublic,
    LineCreate,
    LineList,
    LinePublic,
    LineUpdate,
    OrderCreate,
    OrderList,
    OrderPublic,
    OrderSummary,
    OrderUpdate,
    StepPublic,
    TicketPublic,
)
from yuefang.app.services import orders as svc
from yuefang.app.services import production

router = APIRouter(prefix="/orders", tags=["orders"])
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _public(order) -> OrderPublic:  # type: ignore[no-untyped-def]
    return OrderPublic.model_validate(order)


def _json(model: BaseModel, status_code: int = 200) -> Response:
    """The model as the JSON FastAPI would send for it (the route still declares ``response_model``
    for OpenAPI; returning a ``Response`` skips FastAPI's second validation of what we just built)."""
    return Response(
        model.model_dump_json(by_alias=True), status_code=status_code, media_type="application/json"
    )


def _placed_public(order: Order) -> OrderPublic:
    """``OrderPublic`` of an order just placed, from the objects in memory: the same JSON as
    ``GET /api/orders/{id}`` without reading the order back (lines and steps were just written)."""
    values = {f: getattr(order, f) for f in OrderPublic.model_fields if f not in _COUNTED}
    values["line_count"] = len(order.lines)
    values["total_quantity"] = sum(ln.quantity for ln in order.lines)
    return OrderPublic.model_validate(values, from_attributes=True)


_COUNTED = frozenset({"line_count", "total_quantity"})


@router.get("", response_model=OrderList)
async def list_orders(
    user: EnterpriseUser,
    session: SessionDep,
    status: OrderStatus | None = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=r"^[^\x00]*$", description="reference contains")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """The enterprise's orders, newest first."""

    def work() -> Response:
        with read_only(session):
            rows, count = svc.order_summaries(
                session=session, actor=user, status=status.value if status else None, search=q, limit=limit,
                offset=offset,
            )  # fmt: skip
        data = [dict(zip(svc.SUMMARY_COLUMNS, r, strict=False)) for r in rows]  # the rows end with the total
        return Response(
            _ORDER_LIST_JSON.dump_json({"data": data, "count": count}), media_type="application/json"
        )

    return await in_thread(session, work)


# OrderList's JSON written straight from the rows: a TypedDict with OrderSummary's fields serializes
# them exactly as the model would, without building (and validating) a model per row first.
_OrderSummaryRow = TypedDict(  # type: ignore[misc]
    "_OrderSummaryRow", {name: f.annotation for name, f in OrderSummary.model_fields.items()}
)
_ORDER_LIST_JSON = TypeAdapter(TypedDict("_OrderListJson", {"data": list[_OrderSummaryRow], "count": int}))  # type: ignore[misc]


@router.post("", response_model=OrderPublic, status_code=201)
async def place_order(body: OrderCreate, user: EnterpriseUser, session: SessionDep) -> Response:
    """Place an order with its fabric and lines."""

    def work() -> Response:
        return _json(_placed_public(svc.place_order(session=session, actor=user, data=body)), status_code=201)

    return await in_thread(session, work)


@router.get("/{order_id}", response_model=OrderPublic)
async def get_order(order_id: IdPath, user: EnterpriseUser, session: SessionDep) -> Response:
    """One order with lines and steps (404 for another enterprise's, as for a missing id)."""

    def work() -> Response:
        with read_only(session):  # three statements, each its own snapshot (as under READ COMMITTED)
            return _json(_public(svc.get_order(session=session, actor=user, order_id=order_id)))

    return await in_thread(session, work)


@router.patch("/{order_id}", response_model=OrderPublic)
def change_order(
    order_id: IdPath, body: OrderUpdate, user: EnterpriseUser, session: SessionDep
) -> OrderPublic:
    """Change the order's header or fabric (409 once in production)."""
    svc.change_order(session=session, actor=user, order_id=order_id, data=body)
    return _public(svc.get_order(session=session, actor=user, order_id=order_id))


@router.post("/{order_id}/cancel", response_model=OrderPublic)
def cancel_order(order_id: IdPath, user: EnterpriseUser, session: SessionDep) -> OrderPublic:
    """Cancel the order (409 when done or already cancelled)."""
    svc.cancel_order(session=session, actor=user, order_id=order_id)
    return _public(svc.get_order(session=session, actor=user, order_id=order_id))


@router.get("/{order_id}/lines", response_model=LineList)
def list_lines(order_id: IdPath, user: EnterpriseUser, session: SessionDep) -> LineList:
    """The order's lines."""
    order = svc.get_order(session=session, actor=user, order_id=order_id)
    return LineList(data=[LinePublic.model_validate(ln) for ln in order.lines], count=len(order.lines))


@router.post("/{order_id}/lines", response_model=LinePublic, status_code=201)
def add_line(order_id: IdPath, body: LineCreate, user: EnterpriseUser, session: SessionDep) -> LinePublic:
    """Add a line (one wearer or one home-textile item)."""
    return LinePublic.model_validate(svc.add_line(session=session, actor=user, order_id=order_id, data=body))


@router.patch("/{order_id}/lines/{line_id}", response_model=LinePublic)
def change_line(
    order_id: IdPath, line_id: IdPath, body: LineUpdate, user: EnterpriseUser, session: SessionDep
) -> LinePublic:
    """Change a line; the outputs of every step are discarded."""
    line = svc.change_line(session=session, actor=user, order_id=order_id, line_id=line_id, data=body)
    return LinePublic.model_validate(line)


@router.delete("/{order_id}/lines/{line_id}", status_code=204)
def remove_line(order_id: IdPath, line_id: IdPath, user: EnterpriseUser, session: SessionDep) -> Response:
    """Remove a line."""
    svc.remove_line(session=session, actor=user, order_id=order_id, line_id=line_id)
    return Response(status_code=204)


@router.post("/{order_id}/lines/import", response_model=ImportResult, status_code=201)
async def import_lines(
    order_id: IdPath, user: EnterpriseUser, session: SessionDep, file: UploadFile = File(...)
) -> ImportResult:
    """Import lines from a CSV or Excel file (all or none; errors name row and field)."""
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            [field_error("file", f"{len(content)} bytes", f"at most {MAX_UPLOAD_BYTES} bytes")]
        )
    lines = svc.import_lines(
        session=session, actor=user, order_id=order_id, filename=file.filename or "", content=content
    )
    return ImportResult(
        order_id=order_id, imported=len(lines), lines=[LinePublic.model_validate(ln) for ln in lines]
    )


@router.post("/{order_id}/erase-personal-data", response_model=OrderPublic)
def erase_personal_data(
    order_id: IdPath,
    user: EnterpriseUser,
    session: SessionDep,
    line_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> OrderPublic:
    """Erase customer/wearer references and body inputs (one line, or all); the audit trail stays."""
    svc.erase_personal_data(session=session, actor=user, order_id=order_id, line_id=line_id)
    return _public(svc.get_order(session=session, actor=user, order_id=order_id))


@router.get("/{order_id}/steps", response_model=list[StepPublic])
def list_steps(order_id: IdPath, user: EnterpriseUser, session: SessionDep) -> list[StepPublic]:
    """Each step's status, reason and summary."""
    order = svc.get_order(session=session, actor=user, order_id=order_id)
    return [StepPublic.model_validate(s) for s in order.steps]


@router.post("/{order_id}/steps/{step}/run", response_model=JobPublic, status_code=202)
def run_step(
    order_id: IdPath, step: StepName, user: EnterpriseUser, session: SessionDep, chain: bool = True
) -> JobPublic:
    """Queue a step (and, with ``chain``, the steps after it) as a job; answers at once with the job."""
    job = svc.run_step(session=session, actor=user, order_id=order_id, step=step.value, chain=chain)
    return JobPublic.model_validate(job)


@router.get("/{order_id}/artifacts", response_model=list[ArtifactPublic])
def list_artifacts(order_id: IdPath, user: EnterpriseUser, session: SessionDep) -> list[ArtifactPublic]:
    """The kept outputs of the order's steps."""
    return [
        ArtifactPublic.model_validate(a)
        for a in svc.list_artifacts(session=session, actor=user, order_id=order_id)
    ]


@router.get("/{order_id}/artifacts/{artifact_id}", response_class=Response)
def get_artifact(
    order_id: IdPath, artifact_id: IdPath, user: EnterpriseUser, session: SessionDep
) -> Response:
    """One output (JSON or SVG) as stored."""
    art = svc.get_artifact(session=session, actor=user, order_id=order_id, artifact_id=artifact_id)
    return Response(content=art.content, media_type=art.media_type)


@router.get("/{order_id}/audit", response_model=AuditList)
def order_audit(
    order_id: IdPath, user: EnterpriseUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> AuditList:
    """Who changed which fields of the order and its lines, and when."""
    rows, count = svc.order_audit(session=session, actor=user, order_id=order_id, limit=limit, offset=offset)
    return AuditList(data=[AuditPublic.model_validate(r) for r in rows], count=count)


@router.post("/{order_id}/tickets", response_model=list[TicketPublic], status_code=201)
def issue_tickets(order_id: IdPath, user: EnterpriseUser, session: SessionDep) -> list[TicketPublic]:
    """Issue one bundle ticket (with QR code) per line of a planned order."""
    return [
        TicketPublic.model_validate(t)
        for t in production.issue_tickets(session=session, actor=user, order_id=order_id)
    ]


@router.get("/{order_id}/tickets", response_model=list[TicketPublic])
def list_tickets(order_id: IdPath, user: EnterpriseUser, session: SessionDep) -> list[TicketPublic]:
    """The order's tickets."""
    return [
        TicketPublic.model_validate(t)
        for t in production.list_tickets(session=session, actor=user, order_id=order_id)
    ]
