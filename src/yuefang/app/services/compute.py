"""Computations on the user's own inputs, run as durable jobs: markers, line balancing, schedules.

The API checks what is cheap to check at submit time (422 naming field, value and what is
allowed), queues a job that belongs to the user's enterprise, and answers 202 with it; a worker
runs the domain package (``yuefang.marker.nest``, ``yuefang.plan.balance_line``,
``yuefang.plan.schedule_orders``) and stores the result in the job record. An input the package
refuses only while computing fails the job with the reason. No order is read or changed.

Job kinds: ``marker.nest``, ``marker.plan``, ``plan.balance``, ``plan.schedule``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from yuefang.app.errors import Conflict, InvalidInput, NotFound, field_error
from yuefang.app.jobs import JobContext, enqueue, job_handler
from yuefang.app.models import Job, User
from yuefang.app.schemas.marker import CutPlanRequest, NestRequest
from yuefang.app.schemas.planning import BalanceRequest, QuoteRequest, ScheduleRequest

__all__ = [
    "NEST_KIND",
    "CUT_PLAN_KIND",
    "submit_cut_plan",
    "BALANCE_KIND",
    "SCHEDULE_KIND",
    "submit_nest",
    "submit_balance",
    "submit_schedule",
    "quote_order",
    "bulletin_for",
    "job_svg",
    "balance_from_result",
]

NEST_KIND = "marker.nest"
CUT_PLAN_KIND = "marker.plan"
BALANCE_KIND = "plan.balance"
_STORED_CSV_KEY = "enterprise_bulletin_csv"  # payload key: the enterprise's own bulletin, when stored
SCHEDULE_KIND = "plan.schedule"
_PROGRESS_EVERY_S = 0.5


def _pydantic_errors(prefix: str, exc: ValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors()[:10]:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        field = f"{prefix}.{loc}" if loc else prefix
        value = err.get("input")
        text = value if isinstance(value, int | float | str | bool | None) else repr(value)[:200]
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        out.append(field_error(field, text, msg, f"{field}: {msg}"))
    return out


def _throttled(ctx: JobContext, label: str) -> Callable[[float], None]:
    last = [0.0]

    def report(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] >= _PROGRESS_EVERY_S:
            last[0] = now
            ctx.progress(fraction, f"{label} {fraction:.0%}")

    return report


def _queue(session: Session, actor: User, kind: str, payload: dict[str, Any]) -> Job:
    job = enqueue(session, kind=kind, payload=payload, enterprise_id=actor.enterprise_id, max_attempts=3)
    session.commit()
    session.refresh(job)
    return job


# --- marker --------------------------------------------------------------------------------------


def _marker_inputs(body: NestRequest) -> tuple[list[Any], Any]:
    """Patterns and fabric of the request, prepared once (cheap): raises InvalidInput (422)."""
    from shapely.errors import ShapelyError

    from yuefang.marker import MarkerInputError, fabric_from_dict
    from yuefang.marker.prepare import prepare_order
    from yuefang.pattern.model import Pattern

    data = body.fabric.model_dump()
    try:
        fabric = fabric_from_dict(data)
    except MarkerInputError as exc:
        key = exc.field.removeprefix("fabric.")
        value = data.get(key, exc.value) if isinstance(exc.value, dict) else exc.value
        raise InvalidInput([field_error(exc.field, value, exc.allowed, f"{exc.field}: got {value!r}; allowed: {exc.allowed}")]) from None
    order = []
    for i, item in enumerate(body.patterns):
        try:
            order.append((Pattern.model_validate(item.pattern), item.quantity))
        except ValidationError as exc:
            raise InvalidInput(_pydantic_errors(f"patterns[{i}].pattern", exc)) from None
    try:
        prepare_order(order, fabric, spreading=body.spreading)
    except MarkerInputError as exc:
        field = exc.field.replace("order[", "patterns[", 1)
        raise InvalidInput([field_error(field, str(exc.value)[:200], exc.allowed, str(exc).replace(exc.field, field, 1))]) from None
    except (ValueError, TypeError, ShapelyError) as exc:
        raise InvalidInput([field_error("patterns", "the pieces", "valid piece outlines", f"patterns: {exc}")]) from None
    return order, fabric


def submit_nest(*, session: Session, actor: User, body: NestRequest) -> Job:
    """Check the marker request (fabric, patterns, pieces across the usable width) and queue it."""
    _marker_inputs(body)
    return _queue(session, actor, NEST_KIND, body.model_dump(mode="json"))


@job_handler(NEST_KIND)
def run_nest_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Nest the request's patterns; result: summary, the full marker, its SVG and the check."""
    from yuefang.marker import check_marker, marker_to_svg, nest

    body = NestRequest.model_validate(payload)
    order, fabric = _marker_inputs(body)
    ctx.progress(0.0, "nesting")
    marker = nest(order, fabric, time_limit_s=body.time_limit_s, seed=body.seed, gap_mm=body.gap_mm,
                  spreading=body.spreading, progress=_throttled(ctx, "nesting"))  # fmt: skip
    return {
        "summary": marker.summary(),
        "marker": json.loads(marker.to_json(indent=None)),
        "svg": marker_to_svg(marker),
        "problems": check_marker(marker),
    }


def _cut_plan_args(body: CutPlanRequest) -> dict[str, Any]:
    return {
        "max_plies": body.max_plies, "min_plies": body.min_plies, "max_marker_length_mm": body.max_marker_length_mm,
        "end_allowance_mm": body.end_allowance_mm, "cost_per_lay": body.cost_per_lay,
        "cost_per_marker": body.cost_per_marker, "fabric_cost_per_m": body.fabric_cost_per_m,
        "over_cut_pct": body.over_cut_pct, "max_garments_per_marker": body.max_garments_per_marker,
        "colours_share_lays": body.colours_share_lays, "time_limit_s": body.time_limit_s, "seed": body.seed,
    }


def _cut_plan_inputs(body: CutPlanRequest) -> tuple[dict[str, Any], Any]:
    """Patterns per size and the fabric (pattern mode), checked cheaply: raises InvalidInput (422)."""
    patterns: dict[str, Any] = {}
    fabric = None
    if body.patterns is not None and body.fabric is not None:
        nest_body = NestRequest.model_validate(
            {"patterns": [{"pattern": p, "quantity": 1} for p in body.patterns.values()],
             "fabric": body.fabric.model_dump(), "time_limit_s": body.nest_time_limit_s}
        )
        order, fabric = _marker_inputs(nest_body)  # fabric and pieces across the width: 422 here
        patterns = {size: pattern for size, (pattern, _) in zip(body.patterns, order, strict=True)}
    sizes = set(patterns) if body.patterns is not None else set(body.consumption_mm or {})
    source = "patterns" if body.patterns is not None else "consumption_mm"
    for colour, per_size in body.demand.items():
        for size in per_size:
            if size not in sizes:
                raise InvalidInput([field_error(f"demand.{colour}.{size}", size, f"a size of {source}: {', '.join(sorted(sizes))}",
                                                f"demand.{colour}.{size}: no {source} for size {size!r}; allowed: {', '.join(sorted(sizes))}")])
    return patterns, fabric


def submit_cut_plan(*, session: Session, actor: User, body: CutPlanRequest) -> Job:
    """Check the batch (sizes, fabric, pieces) and queue the cut order plan."""
    _cut_plan_inputs(body)
    return _queue(session, actor, CUT_PLAN_KIND, body.model_dump(mode="json"))


@job_handler(CUT_PLAN_KIND)
def run_cut_plan_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Plan markers, plies and lays; with patterns, nest the chosen markers (each with its SVG)."""
    from yuefang.marker import check_marker, marker_to_svg
    from yuefang.marker.lays import plan_lays
    from yuefang.marker.planning import plan_cuts

    body = CutPlanRequest.model_validate(payload)
    patterns, fabric = _cut_plan_inputs(body)
    ctx.progress(0.0, "planning")
    # a batch the limits do not allow raises MarkerInputError: the job fails with that reason
    if body.consumption_mm is not None:
        lay_plan = plan_lays(body.consumption_mm, body.demand, **_cut_plan_args(body))
        return {"plan": lay_plan.to_dict(), "svgs": {}, "problems": {}}

    def report(stage: str, fraction: float) -> None:
        ctx.progress(fraction, stage)

    plan = plan_cuts(patterns, body.demand, fabric, nest_time_limit_s=body.nest_time_limit_s, progress=report,
                     **_cut_plan_args(body))
    return {
        "plan": plan.to_dict(),
        "svgs": {m.marker_id: marker_to_svg(m.marker) for m in plan.markers if m.marker is not None},
        "problems": {m.marker_id: check_marker(m.marker) for m in plan.markers if m.marker is not None},
    }


# --- line balancing ------------------------------------------------------------------------------


def bulletin_for(product_id: str) -> dict[str, Any]:
    """The default bulletin of ``product_id`` as JSON plus its CSV text (404 for an unknown product)."""
    from yuefang.plan import DEFAULT_PRODUCTS, bulletin_to_csv, default_bulletin

    if product_id not in DEFAULT_PRODUCTS:
        raise NotFound("bulletin", product_id)
    b = default_bulletin(product_id)
    data = b.model_dump(mode="json")
    data["total_smv_min"] = b.total_smv_min
    data["csv"] = bulletin_to_csv(b)
    return data


def _bulletin(body: BalanceRequest, stored_csv: str | None = None) -> Any:
    from yuefang.plan import default_bulletin, read_bulletin_csv

    if body.product_id is not None:
        if stored_csv is not None:  # the enterprise's own bulletin, validated when it was saved
            return read_bulletin_csv(stored_csv, product_id=body.product_id)
        return default_bulletin(body.product_id)
    try:
        return read_bulletin_csv(body.bulletin_csv or "")
    except ValueError as exc:
        raise InvalidInput([field_error("bulletin_csv", str(exc).split(":")[0], "a bulletin CSV", str(exc))]) from None


def submit_balance(*, session: Session, actor: User, body: BalanceRequest) -> Job:
    """Read the bulletin (422 for a bad CSV) and queue the balance.

    With ``product_id`` the enterprise's own bulletin of that product is used when it has stored one
    (``yuefang.app.services.bulletins``), else the default; the job carries the CSV it balances.
    """
    from yuefang.app.services.bulletins import stored_bulletin_csv

    stored = None
    if body.product_id is not None:
        stored = stored_bulletin_csv(session=session, actor=actor, product_id=body.product_id)
    _bulletin(body, stored)
    payload = body.model_dump(mode="json")
    if stored is not None:
        payload[_STORED_CSV_KEY] = stored
    return _queue(session, actor, BALANCE_KIND, payload)


def _balance_dict(lb: Any) -> dict[str, Any]:
    return {
        "product_id": lb.product_id,
        "takt_s": lb.takt_s,
        "n_operators": lb.n_operators,
        "cycle_time_s": lb.cycle_time_s,
        "total_smv_s": lb.total_smv_s,
        "line_efficiency": round(lb.line_efficiency, 6),
        "balance_loss": round(lb.balance_loss, 6),
        "output_per_hour": round(lb.output_per_hour, 3),
        "optimal": lb.optimal,
        "lower_bound": lb.lower_bound,
        "max_skill_spread": lb.max_skill_spread,
        "operators": [
            {
                "operator_no": o.operator_no,
                "machine_type": o.machine_type.value,
                "skill_grade": o.skill_grade,
                "load_s": o.load_s,
                "operations": [{"op_id": s.op_id, "share": s.share, "load_s": s.load_s} for s in o.operations],
            }
            for o in lb.operators
        ],
    }


def balance_from_result(result: dict[str, Any]) -> Any:
    """Rebuild the :class:`yuefang.plan.LineBalance` a ``plan.balance`` job stored (for checking)."""
    from yuefang.plan import LineBalance, MachineType, OperationShare, OperatorLoad

    ops = tuple(
        OperatorLoad(o["operator_no"], MachineType(o["machine_type"]), o["skill_grade"],
                     tuple(OperationShare(s["op_id"], s["share"], s["load_s"]) for s in o["operations"]),
                     o["load_s"])  # fmt: skip
        for o in result["operators"]
    )
    return LineBalance(result["product_id"], result["takt_s"], ops, result["cycle_time_s"],
                       result["total_smv_s"], result["optimal"], result["lower_bound"],
                       result["max_skill_spread"])  # fmt: skip


@job_handler(BALANCE_KIND)
def run_balance_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Balance the line; result: operators and loads, efficiency, balance loss, optimal, the SVG."""
    from yuefang.plan import balance_line, bulletin_to_csv, check_balance, operator_load_svg

    payload = dict(payload)
    stored = payload.pop(_STORED_CSV_KEY, None)
    body = BalanceRequest.model_validate(payload)
    bulletin = _bulletin(body, stored)
    ctx.progress(0.0, "balancing")
    lb = balance_line(bulletin, takt_s=body.takt_s, operators=body.operators, time_limit_s=body.time_limit_s,
                      max_skill_spread=body.max_skill_spread)  # fmt: skip
    out = _balance_dict(lb)
    out["problems"] = check_balance(lb, bulletin)
    out["bulletin_csv"] = bulletin_to_csv(bulletin)
    out["operator_load_svg"] = operator_load_svg(lb)
    return out


# --- scheduling ----------------------------------------------------------------------------------


def _schedule_inputs(body: ScheduleRequest) -> tuple[list[Any], list[Any], list[Any]]:
    from yuefang.plan import Line, Order, PlannedOrder

    parts: list[tuple[str, Any, list[Any]]] = [("orders", Order, []), ("lines", Line, []), ("frozen", PlannedOrder, [])]
    for name, model, out in parts:
        for i, item in enumerate(getattr(body, name)):
            try:
                out.append(model.model_validate(item.model_dump()))
            except ValidationError as exc:
                raise InvalidInput(_pydantic_errors(f"{name}[{i}]", exc)) from None
    return parts[0][2], parts[1][2], parts[2][2]


def submit_schedule(*, session: Session, actor: User, body: ScheduleRequest) -> Job:
    """Check the orders, lines and frozen entries (422) and queue the schedule."""
    _schedule_inputs(body)
    return _queue(session, actor, SCHEDULE_KIND, body.model_dump(mode="json"))


@job_handler(SCHEDULE_KIND)
def run_schedule_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Plan the orders on the lines; result: the schedule, its check and a Gantt chart (SVG)."""
    from yuefang.plan import check_schedule, gantt_svg, schedule_orders

    body = ScheduleRequest.model_validate(payload)
    orders, lines, frozen = _schedule_inputs(body)
    ctx.progress(0.0, f"planning {len(orders)} orders on {len(lines)} lines")
    schedule = schedule_orders(orders, lines, start=body.start.replace(tzinfo=None),
                               time_limit_s=body.time_limit_s, frozen=frozen)  # fmt: skip
    return {
        "schedule": schedule.model_dump(mode="json"),
        "late_orders": schedule.late_orders,
        "problems": check_schedule(schedule, orders, lines, frozen=frozen),
        "gantt_svg": gantt_svg(schedule),
    }


def quote_order(body: QuoteRequest) -> dict[str, Any]:
    """Price one order now (:func:`yuefang.plan.quote`); 422 naming the field when refused."""
    from yuefang.plan import Order, quote

    order = Order.model_validate(body.order.model_dump())
    try:
        q = quote(order, **body.model_dump(exclude={"order"}))
    except ValueError as exc:
        text = str(exc)
        raise InvalidInput([field_error(text.split(":")[0], None, text.split("allowed: ")[-1], text)]) from None
    return q.model_dump(mode="json")


# --- reading results -----------------------------------------------------------------------------

_SVG_KEYS = {NEST_KIND: "svg", BALANCE_KIND: "operator_load_svg", SCHEDULE_KIND: "gantt_svg"}


def job_svg(*, session: Session, actor: User, job_id: int, kinds: tuple[str, ...]) -> str:
    """The SVG a finished job of ``kinds`` stored; 404 for another enterprise's job or another kind,
    409 while the job has no result (its state and reason are at ``GET /api/jobs/{id}``)."""
    job = session.get(Job, job_id)
    if job is None or job.enterprise_id != actor.enterprise_id or job.kind not in kinds:
        raise NotFound("job", job_id)
    svg = (job.result or {}).get(_SVG_KEYS[job.kind])
    if not isinstance(svg, str):
        raise Conflict(f"job {job_id} is {job.state}: no SVG yet (see GET /api/jobs/{job_id})")
    return svg
