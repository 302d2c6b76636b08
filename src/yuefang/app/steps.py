"""The order's steps, each run as a durable job by the domain package that owns it.

``received -> measured -> drafted -> nested -> planned -> in_production -> done`` (+ ``cancelled``).

* ``measured``: ``yuefang.measure.complete_body`` per garment line (skipped when no line needs a body);
  the line's size becomes the GB/T 1335 designation when it had none.
* ``drafted``: ``yuefang.pattern.products.get_product(id).draft(...)`` per line; ``pieces.json`` and SVG kept.
* ``nested``: ``yuefang.marker.nest`` of every line's pattern on the order's fabric; marker JSON and SVG kept.
* ``planned``: ``yuefang.plan.schedule_orders`` places the order on the enterprise's registered,
  active sewing lines (``services.lines``) and on those of every enterprise that **accepted** a
  subcontract of the order (offered, declined or withdrawn ones: never), around the work already
  planned on those lines by other planned or in-production orders (kept fixed; another
  enterprise's orders appear only as "booked" time). The plan runs in the enterprise's time zone
  (``Enterprise.time_zone``, Asia/Shanghai by default): it starts at the current local hour, and a
  due date or promised date is a local calendar day. Outputs: ``plan.json`` (the order's
  ``planned_step`` entries), ``schedule.json`` (the whole schedule) and ``gantt.svg``; the summary
  and the order get the promised date. No line, or no due date: the step stays pending, saying so.

A step whose package is not installed stays ``pending`` with the reason; nothing is ever faked.
A reason is kept twice: in English (``OrderStep.reason``, for the API) and as a catalogue message
(``reason_key`` into :data:`STEP_MESSAGES` and ``reason_params``), which pages show translated.
Re-running a step discards the outputs of the steps after it; from ``in_production`` on it is refused.
``in_production`` and ``done`` are set by ticket scans (``services.production``).
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from yuefang.app.db import utcnow
from yuefang.app.errors import Conflict, InvalidInput, field_error
from yuefang.app.i18n import N_
from yuefang.app.jobs import JobContext, enqueue, job_handler
from yuefang.app.models import (
    STEP_ORDER,
    Artifact,
    Job,
    Order,
    OrderLine,
    OrderStatus,
    OrderStep,
    StepName,
    StepStatus,
    Subcontract,
    SubcontractStatus,
)
from yuefang.app.models.tenancy import DEFAULT_TIME_ZONE, Enterprise

__all__ = [
    "PIPELINE",
    "StepUnavailable",
    "StepFailed",
    "StepOutput",
    "ensure_steps",
    "discard_from",
    "request_step",
    "RUNNERS",
    "PLAN_LINES",
    "plan_lines_for",
    "STEP_MESSAGES",
    "StepMessage",
    "StepConflict",
    "message_text",
    "set_reason",
    "mark_stale",
    "plan_start",
]

PIPELINE: tuple[str, ...] = tuple(s.value for s in StepName)
LOCKED_STATUSES = frozenset(
    {OrderStatus.in_production.value, OrderStatus.done.value, OrderStatus.cancelled.value}
)
BOTTOM_PRODUCTS = frozenset({"trousers", "skirt"})


#: Every reason a step can give, as catalogue msgids (English; pages translate them). The key is
#: stored on the step row with the values the message names (``reason_key``, ``reason_params``).
STEP_MESSAGES: dict[str, str] = {
    "queued": N_("queued as job %(job_id)s"),
    "no_body_needed": N_("no line needs a body"),
    "package_missing": N_("package %(package)s is not installed or incomplete (%(detail)s)"),
    "pattern_module_missing": N_("product %(product)s: its pattern module is not installed (%(detail)s)"),
    "line_failed": N_("line %(line_no)s: %(detail)s"),
    "no_completed_body": N_("line %(line_no)s: no completed body (run step measured)"),
    "no_pattern": N_("line %(line_no)s: no pattern (run step drafted)"),
    "no_sewing_lines": N_(
        "no active sewing lines are registered for this enterprise or for an enterprise that accepted the order "
        "as a subcontract; yuefang.plan needs them to plan the order (register factories and sewing lines, "
        "then run this step)"
    ),
    "no_due_date": N_(
        "due_date: the order has no due date; planning it on the sewing lines needs one "
        "(set the due date, then run this step)"
    ),
    "due_date_changed": N_(
        "the due date changed to %(due_date)s: the plan and its promised date were discarded; run this step again"
    ),
    "subcontract_withdrawn": N_(
        "subcontract %(subcontract_id)s was withdrawn: the plan on its sewing lines was discarded; "
        "run this step again"
    ),
    "job_error": N_("the job stopped with an error: %(detail)s"),
    "needs_previous": N_("step %(step)s needs step %(before)s done first (it is %(status)s)"),
    "order_locked": N_("order %(order_id)s is %(status)s: its steps can no longer be re-run"),
}


@dataclass(frozen=True)
class StepMessage:
    """A catalogue message: its key in :data:`STEP_MESSAGES` and the values it names."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return message_text(self.key, self.params)


def message_text(key: str, params: dict[str, Any] | None = None, gettext: Callable[[str], str] | None = None) -> str:
    """The message in English, or translated by ``gettext`` (a page's), with its values."""
    template = STEP_MESSAGES[key]
    if gettext is not None:
        template = gettext(template)
    return template % (params or {}) if params else template


class _Reasoned(RuntimeError):
    """An error carrying a catalogue message (``str()`` is the English text)."""

    def __init__(self, key: str | None = None, /, text: str | None = None, **params: Any) -> None:
        if key is not None and key not in STEP_MESSAGES:  # plain words, not a catalogue key
            key, text = None, key
        self.message = StepMessage(key, params) if key is not None else None
        super().__init__(str(self.message) if self.message is not None else (text or ""))


class StepUnavailable(_Reasoned):
    """The package that carries out the step is not installed (or a need is unmet): it stays pending."""


class StepFailed(_Reasoned):
    """The step ran and failed; the reason is shown on the order."""


class StepConflict(Conflict):
    """A 409 of the steps (the order is locked, the step before is not done) with its catalogue message."""

    def __init__(self, key: str, **params: Any) -> None:
        self.step_message = StepMessage(key, params)
        super().__init__(str(self.step_message))


def set_reason(row: OrderStep, key: str | None, text: str | None = None, **params: Any) -> None:
    """Give a step row its reason: a catalogue message (``key`` and values), or a plain ``text``."""
    if key is not None:
        row.reason = message_text(key, params)
        row.reason_key, row.reason_params = key, dict(params) or None
    else:
        row.reason, row.reason_key, row.reason_params = text, None, None


def _set_error_reason(row: OrderStep, exc: _Reasoned) -> None:
    if exc.message is not None:
        set_reason(row, exc.message.key, **exc.message.params)
    else:
        set_reason(row, None, str(exc))


@dataclass
class ArtifactOut:
    name: str
    media_type: str
    content: str
    line_id: int | None = None
    personal: bool = False


@dataclass
class StepOutput:
    summary: dict[str, Any]
    artifacts: list[ArtifactOut] = field(default_factory=list)
    line_sizes: dict[int, str] = field(default_factory=dict)
    promised_date: dt.date | None = None
    skipped: bool = False


def _rank(status: str) -> int:
    return STEP_ORDER.index(status) if status in STEP_ORDER else -1


def ensure_steps(session: Session, order: Order) -> dict[str, OrderStep]:
    """The order's step rows, created ``pending`` where missing."""
    have = {s.step: s for s in order.steps}
    for name in PIPELINE:
        if name not in have:
            row = OrderStep(order_id=order.id, step=name, status=StepStatus.pending.value)
            order.steps.append(row)
            have[name] = row
    session.flush()
    return have


def discard_from(session: Session, order: Order, step: str) -> None:
    """Forget the outputs of ``step`` and every step after it; the order goes back before ``step``."""
    steps = ensure_steps(session, order)
    later = PIPELINE[PIPELINE.index(step) :]
    session.execute(delete(Artifact).where(Artifact.order_id == order.id, Artifact.step.in_(later)))
    for name in later:
        row = steps[name]
        row.status = StepStatus.pending.value
        set_reason(row, None)
        row.summary = None
        row.job_id = None
        row.started_at = None
        row.finished_at = None
    if step == StepName.planned.value or _rank(order.status) >= _rank(StepName.planned.value):
        order.promised_date = None
    previous = STEP_ORDER[STEP_ORDER.index(step) - 1]
    if order.status != OrderStatus.cancelled.value and _rank(order.status) >= _rank(step):
        order.status = previous


def _previous_ok(steps: dict[str, OrderStep], step: str) -> bool:
    i = PIPELINE.index(step)
    return i == 0 or steps[PIPELINE[i - 1]].status in (StepStatus.done.value, StepStatus.skipped.value)


def request_step(session: Session, *, order: Order, step: str, chain: bool = True) -> Job:
    """Queue ``step`` of ``order`` as a job (the caller commits); discards later outputs.

    Raises Conflict (409) from ``in_production`` on, for a cancelled order, or when the step
    before is not done; InvalidInput (422) for an unknown step or an order without lines.
    """
    if step not in PIPELINE:
        raise InvalidInput([field_error("step", step, ", ".join(PIPELINE))])
    if order.status in LOCKED_STATUSES:
        raise StepConflict("order_locked", order_id=order.id, status=order.status)
    if not order.lines:
        raise InvalidInput([field_error("lines", 0, "at least one line", "the order has no lines")])
    steps = ensure_steps(session, order)
    if not _previous_ok(steps, step):
        before = PIPELINE[PIPELINE.index(step) - 1]
        raise StepConflict("needs_previous", step=step, before=before, status=steps[before].status)
    discard_from(session, order, step)
    job = enqueue(
        session,
        kind="step",
        payload={"order_id": order.id, "step": step, "chain": chain},
        enterprise_id=order.enterprise_id,
        order_id=order.id,
    )
    row = steps[step]
    row.job_id = job.id
    set_reason(row, "queued", job_id=job.id)
    return job


def mark_stale(session: Session, order: Order, step: str, key: str, **params: Any) -> bool:
    """Discard ``step`` and the later outputs when ``step`` is done, running or queued (a changed input
    made them stale), leaving the step pending with the reason ``key``; True when something was discarded.

    The order's state rules apply: nothing is discarded from ``in_production`` on (the caller refuses
    such a change first)."""
    steps = ensure_steps(session, order)
    row = steps[step]
    # a plan exists, is being made or is queued; a step that waits (no line, no due date) or failed has none
    made = row.status in (StepStatus.done.value, StepStatus.running.value) or row.reason_key == "queued"
    if order.status in LOCKED_STATUSES or not made:
        return False
    discard_from(session, order, step)
    set_reason(steps[step], key, **params)
    return True


# --- runners: pure computations on plain data ---------------------------------------------------


@dataclass
class LineData:
    id: int
    line_no: int
    product_id: str
    inputs: dict[str, Any]
    options: dict[str, Any]
    size: str | None
    quantity: int


@dataclass
class OrderData:
    id: int
    enterprise_id: int
    fabric: dict[str, Any]
    due_date: dt.date | None
    lines: list[LineData]
    previous: dict[str, dict[int | None, dict[str, str]]]  # step -> line_id -> artifact name -> content
    sewing_lines: list[Any] = field(default_factory=list)  # yuefang.plan.Line (planned step only)
    busy: list[dict[str, Any]] = field(default_factory=list)  # other orders' planned_step entries
    partners: list[int] = field(default_factory=list)  # enterprises that accepted a subcontract of the order
    time_zone: str = DEFAULT_TIME_ZONE
    now: dt.datetime | None = None  # the plan's "now" (UTC); None: the clock


Progress = Callable[[float, str | None], None]


def _kind(product_id: str) -> str:
    from yuefang.app.services.products import product_kind

    return product_kind(product_id)


def run_measured(data: OrderData, progress: Progress) -> StepOutput:
    garments = [ln for ln in data.lines if _kind(ln.product_id) == "garment"]
    if not garments:
        return StepOutput(summary={"skipped": True, "reason": message_text("no_body_needed"),
                                   "reason_key": "no_body_needed"}, skipped=True)  # fmt: skip
    try:
        from yuefang.measure import complete_body
    except ImportError:
        try:
            from yuefang.measure.completion import complete_body
        except ImportError as exc:
            raise StepUnavailable("package_missing", package="yuefang.measure", detail=str(exc)) from exc
    out = StepOutput(summary={"lines": len(garments), "designations": {}})
    for i, ln in enumerate(garments):
        inp = dict(ln.inputs)
        known = {
            k: float(v)
            for k, v in inp.items()
            if k not in ("sex", "stature", "weight_kg", "age_years") and isinstance(v, int | float)
        }
        try:
            body = complete_body(
                sex=inp["sex"],
                stature=float(inp["stature"]),
                weight_kg=float(inp["weight_kg"]) if inp.get("weight_kg") is not None else None,
                age_years=float(inp["age_years"]) if inp.get("age_years") is not None else None,
                known=known or None,
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise StepFailed("line_failed", line_no=ln.line_no, detail=str(exc)) from exc
        d = body.to_dict()
        out.artifacts.append(
            ArtifactOut("body.json", "application/json", json.dumps(d), ln.id, personal=True)
        )
        designation = body.designation.bottom if ln.product_id in BOTTOM_PRODUCTS else body.designation.top
        out.summary["designations"][str(ln.line_no)] = designation
        if not ln.size:
            out.line_sizes[ln.id] = designation
        progress((i + 1) / len(garments), f"line {ln.line_no} measured")
    return out


def _draft_line(ln: LineData, data: OrderData) -> Any:
    from yuefang.pattern.products import get_product

    try:
        product = get_product(ln.product_id)
    except ImportError as exc:
        raise StepUnavailable("pattern_module_missing", product=repr(ln.product_id), detail=str(exc)) from exc
    if product.kind == "garment":
        body_json = data.previous.get("measured", {}).get(ln.id, {}).get("body.json")
        if body_json is None:
            raise StepFailed("no_completed_body", line_no=ln.line_no)
        body = json.loads(body_json)
        values = dict(body.get("values", {}))
        values.update(
            {k: v for k, v in ln.inputs.items() if isinstance(v, int | float) and not isinstance(v, bool)}
        )
        fields = getattr(product.inputs_model, "model_fields", None)
        inputs: dict[str, Any] = {k: v for k, v in values.items() if fields is None or k in fields}
        if fields is not None and "sex" in fields:
            inputs["sex"] = ln.inputs.get("sex")
    else:
        inputs = ln.inputs
    try:
        return product.draft(inputs, ln.options or None, size=ln.size, order_line=str(ln.line_no))
    except (ValueError, TypeError) as exc:
        raise StepFailed("line_failed", line_no=ln.line_no, detail=str(exc)) from exc


def run_drafted(data: OrderData, progress: Progress) -> StepOutput:
    try:
        import yuefang.pattern.products  # noqa: F401
    except ImportError as exc:
        raise StepUnavailable("package_missing", package="yuefang.pattern", detail=str(exc)) from exc
    to_svg: Callable[[Any], str] | None
    try:
        from yuefang.pattern.export import to_svg
    except ImportError:
        to_svg = None
    out = StepOutput(summary={"lines": len(data.lines), "pieces": {}})
    for i, ln in enumerate(data.lines):
        pattern = _draft_line(ln, data)
        personal = _kind(ln.product_id) == "garment"
        out.artifacts.append(
            ArtifactOut("pattern.json", "application/json", pattern.to_json(), ln.id, personal)
        )
        if to_svg is not None:
            out.artifacts.append(
                ArtifactOut("pattern.svg", "image/svg+xml", to_svg(pattern), ln.id, personal)
            )
        out.summary["pieces"][str(ln.line_no)] = len(pattern.pieces)
        progress((i + 1) / len(data.lines), f"line {ln.line_no} drafted")
    return out


def run_nested(data: OrderData, progress: Progress, *, time_limit_s: float = 5.0) -> StepOutput:
    try:
        from yuefang.marker import Fabric, NestingEngineError, marker_to_svg, nest
    except ImportError as exc:
        raise StepUnavailable("package_missing", package="yuefang.marker", detail=str(exc)) from exc
    from yuefang.pattern.model import Pattern

    drafted = data.previous.get("drafted", {})
    order_lines = []
    for ln in data.lines:
        text = drafted.get(ln.id, {}).get("pattern.json")
        if text is None:
            raise StepFailed("no_pattern", line_no=ln.line_no)
        order_lines.append((Pattern.from_json(text), ln.quantity))
    f = data.fabric
    fabric = Fabric(
        name=f["fabric_name"] or "fabric",
        colour=f["fabric_colour"] or "",
        width_mm=f["fabric_width_mm"],
        selvedge_mm=f["selvedge_mm"],
        nap=f["nap"],
        repeat_along_mm=f["repeat_along_mm"],
        repeat_across_mm=f["repeat_across_mm"],
        cross_grain_allowed=f["cross_grain_allowed"],
        shrinkage_warp_pct=f["shrinkage_warp_pct"],
        shrinkage_weft_pct=f["shrinkage_weft_pct"],
    )
    try:
        marker = nest(
            order_lines, fabric, time_limit_s=time_limit_s, seed=0, progress=lambda x: progress(x, None)
        )
    except (ValueError, NestingEngineError) as exc:
        # ValueError covers MarkerInputError (a piece wider than the fabric, a broken outline);
        # NestingEngineError is a layout that failed the independent check twice.
        raise StepFailed(text=str(exc)) from exc
    out = StepOutput(summary={"length_mm": marker.length_mm, "utilisation": marker.utilisation})
    out.artifacts.append(ArtifactOut("marker.json", "application/json", marker.to_json()))
    out.artifacts.append(ArtifactOut("marker.svg", "image/svg+xml", marker_to_svg(marker)))
    return out


def plan_lines_for(enterprise_id: int, session: Session) -> list[Any]:
    """The enterprise's registered, active sewing lines as ``yuefang.plan.Line`` objects."""
    from yuefang.app.services.lines import plan_lines

    return plan_lines(session, enterprise_id)


def _zone(name: str | None) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def plan_start(time_zone: str | None, now: dt.datetime | None = None) -> dt.datetime:
    """The plan's time zero: the current hour in the enterprise's time zone, with its UTC offset.

    A plan made at 23:30 in Guangdong starts at 23:00 +08:00 (not 15:00 UTC), so the calendar days of
    its due and promised dates are Guangdong's.

    >>> plan_start("Asia/Shanghai", dt.datetime(2026, 11, 26, 15, 30, tzinfo=dt.UTC)).isoformat()
    '2026-11-26T23:00:00+08:00'
    """
    now = now if now is not None else dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    local = now.astimezone(_zone(time_zone)).replace(minute=0, second=0, microsecond=0)
    # a fixed offset: the plan's minutes are wall-clock minutes, and its JSON names the offset
    return local.replace(tzinfo=dt.timezone(local.utcoffset() or dt.timedelta(0)))


PLAN_LINES: Callable[[int], list[Any]] | None = None
"""When set, the ``planned`` step uses ``PLAN_LINES(enterprise_id)`` instead of the registered lines
(an integration with an outside line register, or a test); ``None``: the registered lines."""

_PLAN_TIME_LIMIT_S = 10.0


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)  # older plans: naive UTC


def _busy_entries(data: OrderData, lines: list[Any], start: dt.datetime) -> list[Any]:
    """Other orders' planned work still ahead on these lines, as fixed ``PlannedOrder`` intervals.

    Another enterprise's order shows only as booked time (``booked <n>``), never by its id."""
    from yuefang.plan import PlannedOrder

    ids = {ln.line_id for ln in lines}
    out = []
    for entry in data.busy:
        values = {k: v for k, v in entry.items() if k not in ("step", "_foreign")}
        if entry.get("_foreign"):
            values["order_id"] = f"booked {len(out) + 1}"
        try:
            item = PlannedOrder.model_validate(values)
        except ValueError:
            continue  # an entry an older version wrote: not worth failing the plan for
        item = item.model_copy(update={"start": _aware(item.start).astimezone(start.tzinfo),
                                       "end": _aware(item.end).astimezone(start.tzinfo)})  # fmt: skip
        if item.line_id not in ids or item.end <= start:
            continue
        out.append(item.model_copy(update={"start": max(item.start, start)}))
    return out


def run_planned(data: OrderData, progress: Progress) -> StepOutput:
    try:
        from yuefang.plan import Order as PlanOrder
        from yuefang.plan import Subcontract as PlanSubcontract
        from yuefang.plan import gantt_svg, planned_step, schedule_orders
    except ImportError as exc:
        raise StepUnavailable("package_missing", package="yuefang.plan", detail=str(exc)) from exc
    if PLAN_LINES is not None:
        lines = [ln for ent in (data.enterprise_id, *data.partners) for ln in PLAN_LINES(ent)]
    else:
        lines = data.sewing_lines
    if not lines:
        raise StepUnavailable("no_sewing_lines")
    if data.due_date is None:
        raise StepUnavailable("no_due_date")
    quantities: dict[str, int] = {}
    for ln in data.lines:
        quantities[ln.product_id] = quantities.get(ln.product_id, 0) + ln.quantity
    orders = [
        PlanOrder(order_id=f"{data.id}:{pid}", enterprise_id=str(data.enterprise_id), product_id=pid,
                  quantity=qty, due_date=data.due_date)
        for pid, qty in quantities.items()
    ]  # fmt: skip
    subcontracts = [PlanSubcontract(order_id=o.order_id, enterprise_id=str(ent), accepted=True)
                    for o in orders for ent in data.partners]  # fmt: skip
    start = plan_start(data.time_zone, data.now)
    frozen = _busy_entries(data, lines, start)
    progress(0.1, f"planning on {len(lines)} sewing lines")
    try:
        schedule = schedule_orders(orders, lines, start=start, time_limit_s=_PLAN_TIME_LIMIT_S, frozen=frozen,
                                   subcontracts=subcontracts)  # fmt: skip
        steps = [planned_step(schedule, o.order_id) for o in orders]
    except KeyError as exc:
        raise StepFailed(text=str(exc.args[0]) if exc.args else str(exc)) from exc
    except ValueError as exc:
        raise StepFailed(text=str(exc)) from exc
    ends = [dt.datetime.fromisoformat(str(st["end"])).astimezone(start.tzinfo) for st in steps]
    starts = [dt.datetime.fromisoformat(str(st["start"])).astimezone(start.tzinfo) for st in steps]
    # local calendar days; the plan counts a finish at 00:00 as on time for the day before; so does the promise
    day = (max(ends) - dt.timedelta(microseconds=1)).date()
    mine = {o.order_id for o in orders}
    summary = {
        "promised_date": day.isoformat(),
        "due_date": data.due_date.isoformat(),
        "meets_due_date": day <= data.due_date,
        "start": min(starts).isoformat(),
        "end": max(ends).isoformat(),
        "time_zone": data.time_zone,
        "products": len(orders),
        "lines": sorted({str(st["line_id"]) for st in steps}),
        "subcontracted_to": sorted({int(str(st["enterprise_id"])) for st in steps if st.get("subcontracted")}),
        "tardiness_days": round(sum(float(str(st["tardiness_days"])) for st in steps), 4),
        "method": schedule.method,
        "other_orders_on_lines": len({p.order_id for p in schedule.planned if p.order_id not in mine}),
    }
    progress(0.9, "planned")
    return StepOutput(
        summary=summary,
        artifacts=[
            ArtifactOut("plan.json", "application/json", json.dumps(steps, default=str)),
            ArtifactOut("schedule.json", "application/json", schedule.model_dump_json()),
            ArtifactOut("gantt.svg", "image/svg+xml", gantt_svg(schedule)),
        ],
        promised_date=day,
    )


RUNNERS: dict[str, Callable[..., StepOutput]] = {
    "measured": run_measured,
    "drafted": run_drafted,
    "nested": run_nested,
    "planned": run_planned,
}


# --- the job ------------------------------------------------------------------------------------


def _load(session: Session, order: Order, step: str | None = None) -> OrderData:
    lines = [
        LineData(
            ln.id,
            ln.line_no,
            ln.product_id,
            dict(ln.inputs or {}),
            dict(ln.options or {}),
            ln.size,
            ln.quantity,
        )
        for ln in order.lines
    ]
    previous: dict[str, dict[int | None, dict[str, str]]] = {}
    for a in session.scalars(select(Artifact).where(Artifact.order_id == order.id)):
        previous.setdefault(a.step, {}).setdefault(a.line_id, {})[a.name] = a.content
    fabric = {
        k: getattr(order, k)
        for k in (
            "fabric_name", "fabric_colour", "fabric_width_mm", "selvedge_mm", "nap", "repeat_along_mm",
            "repeat_across_mm", "cross_grain_allowed", "shrinkage_warp_pct", "shrinkage_weft_pct",
        )
    }  # fmt: skip
    data = OrderData(order.id, order.enterprise_id, fabric, order.due_date, lines, previous)
    if step == StepName.planned.value:
        data.partners = sorted(set(session.scalars(
            select(Subcontract.to_enterprise_id).where(Subcontract.order_id == order.id,
                                                       Subcontract.status == SubcontractStatus.accepted.value)
        )))  # fmt: skip
        data.time_zone = session.scalar(select(Enterprise.time_zone).where(Enterprise.id == order.enterprise_id)) \
            or DEFAULT_TIME_ZONE
        if PLAN_LINES is None:
            data.sewing_lines = [ln for ent in (order.enterprise_id, *data.partners)
                                 for ln in plan_lines_for(ent, session)]  # fmt: skip
        data.busy = _planned_elsewhere(session, order, [order.enterprise_id, *data.partners])
    return data


def _planned_elsewhere(session: Session, order: Order, enterprises: list[int]) -> list[dict[str, Any]]:
    """``planned_step`` entries of the other planned or in-production orders that may sit on these
    enterprises' lines: their own orders, and orders subcontracted to them and accepted. Entries of
    another enterprise's order are marked ``_foreign`` (the plan shows them only as booked time)."""
    subcontracted = select(Subcontract.order_id).where(Subcontract.to_enterprise_id.in_(enterprises),
                                                       Subcontract.status == SubcontractStatus.accepted.value)
    rows = session.execute(
        select(Order.enterprise_id, Artifact.content)
        .join(Order, Order.id == Artifact.order_id)
        .where(or_(Order.enterprise_id.in_(enterprises), Order.id.in_(subcontracted)), Order.id != order.id,
               Order.status.in_((OrderStatus.planned.value, OrderStatus.in_production.value)),
               Artifact.step == StepName.planned.value, Artifact.name == "plan.json")
    )  # fmt: skip
    out: list[dict[str, Any]] = []
    for enterprise_id, content in rows:
        try:
            entries = json.loads(content)
        except ValueError:
            continue
        foreign = enterprise_id != order.enterprise_id
        out.extend({**e, "_foreign": foreign} for e in entries if isinstance(e, dict))
    return out




def _step_row(session: Session, order_id: int, step: str) -> OrderStep | None:
    return session.scalar(select(OrderStep).where(OrderStep.order_id == order_id, OrderStep.step == step))


def _on_step_failure(session: Session, job: Job, error: str) -> None:
    payload = job.payload or {}
    row = _step_row(session, payload.get("order_id", -1), payload.get("step", ""))
    if row is not None and row.job_id == job.id:
        row.status = StepStatus.failed.value
        set_reason(row, "job_error", detail=error.splitlines()[0][:1900] if error else "failed")
        row.finished_at = utcnow()


@job_handler("step", on_failure=_on_step_failure)
def run_step_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Run one step of one order and keep its outputs; queue the next step when ``chain``."""
    order_id, step, chain = int(payload["order_id"]), str(payload["step"]), bool(payload.get("chain", True))
    with ctx.sessionmaker() as s:
        order = s.get(Order, order_id)
        row = _step_row(s, order_id, step)
        if order is None or row is None or row.job_id != ctx.job_id:
            return {"stale": True, "reason": "the order changed after this job was queued"}
        row.status = StepStatus.running.value
        set_reason(row, None)
        row.started_at = utcnow()
        s.commit()
        data = _load(s, order, step)

    def progress(fraction: float, message: str | None) -> None:
        ctx.progress(fraction, message or f"{step} {fraction:.0%}")

    runner = RUNNERS[step]
    try:
        if step == "nested":
            out = runner(data, progress, time_limit_s=ctx.settings.nest_time_limit_s)
        else:
            out = runner(data, progress)
    except StepUnavailable as exc:
        with ctx.sessionmaker() as s:
            row = _step_row(s, order_id, step)
            if row is not None and row.job_id == ctx.job_id:
                row.status = StepStatus.pending.value
                _set_error_reason(row, exc)
            ctx.complete(s, {"pending": str(exc)})
            s.commit()
        return {"pending": str(exc)}
    except StepFailed as exc:
        with ctx.sessionmaker() as s:
            row = _step_row(s, order_id, step)
            if row is not None and row.job_id == ctx.job_id:
                row.status = StepStatus.failed.value
                _set_error_reason(row, exc)
                row.finished_at = utcnow()
            ctx.complete(s, {"failed": str(exc)})
            s.commit()
        return {"failed": str(exc)}

    with ctx.sessionmaker() as s:
        order = s.get(Order, order_id)
        row = _step_row(s, order_id, step)
        if order is None or row is None or row.job_id != ctx.job_id:
            ctx.complete(s, {"stale": True})
            s.commit()
            return {"stale": True}
        s.execute(delete(Artifact).where(Artifact.order_id == order_id, Artifact.step == step))
        for a in out.artifacts:
            s.add(Artifact(order_id=order_id, line_id=a.line_id, step=step, name=a.name,
                           media_type=a.media_type, content=a.content, personal=a.personal))  # fmt: skip
        for line_id, size in out.line_sizes.items():
            line = s.get(OrderLine, line_id)
            if line is not None and not line.size:
                line.size = size
        if out.promised_date is not None:
            order.promised_date = out.promised_date
        row.status = StepStatus.skipped.value if out.skipped else StepStatus.done.value
        row.summary = out.summary
        if out.skipped and out.summary.get("reason_key"):
            set_reason(row, str(out.summary["reason_key"]))
        else:
            set_reason(row, None, out.summary.get("reason") if out.skipped else None)
        row.finished_at = utcnow()
        if _rank(order.status) < _rank(step) and order.status not in LOCKED_STATUSES:
            order.status = step
        result: dict[str, Any] = {
            "order_id": order_id,
            "step": step,
            "status": row.status,
            "summary": out.summary,
        }
        i = PIPELINE.index(step)
        if chain and i + 1 < len(PIPELINE):
            nxt = PIPELINE[i + 1]
            job = enqueue(s, kind="step", payload={"order_id": order_id, "step": nxt, "chain": True},
                          enterprise_id=order.enterprise_id, order_id=order_id)  # fmt: skip
            nrow = _step_row(s, order_id, nxt)
            if nrow is not None:
                nrow.job_id = job.id
                set_reason(nrow, "queued", job_id=job.id)
            result["next_job_id"] = job.id
        ctx.complete(s, result)
        s.commit()
    return result
