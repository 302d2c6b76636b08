"""The order pages: list with filters and search, detail with lines, step timeline and outputs,
new-order form, line import, step progress, and the outputs' files.

Each handler checks the login and the role, calls one service of
:mod:`yuefang.app.services.orders` (which checks the tenant: another enterprise's order is a
404, exactly like one that does not exist), and renders a template.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from yuefang.app import steps as steps_mod
from yuefang.app.auth import get_session, optional_user
from yuefang.app.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from yuefang.app.i18n import N_
from yuefang.app.models import JobState, Order, OrderStatus, StepStatus, User
from yuefang.app.schemas.orders import OrderUpdate
from yuefang.app.services import orders as order_service
from yuefang.app.services.products import list_product_info
from yuefang.app.web.forms import (
    GARMENT_FORM_MEASUREMENTS,
    HOME_INPUT_LABELS,
    field_label,
    field_messages,
    form_field_for,
    is_length_field,
    order_from_form,
)
from yuefang.app.web.guard import ENTERPRISE_PAGES, ORDER_EDITORS, csrf_ok, forbidden_page, guard
from yuefang.app.web.labels import (
    ORDER_STEPS,
    STEP_LABELS,
    measurement_names,
    option_label,
    option_value_label,
)
from yuefang.app.web.routes import chrome
from yuefang.app.web.templating import PageContext, page_context, render
from yuefang.app.web.units import LENGTH_UNITS, format_length, normalize_unit

__all__ = ["router", "ORDER_READERS", "ORDER_WRITERS", "STEP_RUNNERS"]

router = APIRouter(include_in_schema=False)

WebUser = Annotated[User | None, Depends(optional_user)]
DbSession = Annotated[Session, Depends(get_session)]

ORDER_READERS = ENTERPRISE_PAGES
ORDER_WRITERS = ORDER_EDITORS
STEP_RUNNERS = frozenset(str(r) for r in order_service.STEP_RUNNERS)
PAGE_SIZE = 25
LOCKED = frozenset({OrderStatus.in_production.value, OrderStatus.done.value, OrderStatus.cancelled.value})

_PIPELINE = ("measured", "drafted", "nested", "planned")
STEP_LABEL_CODES = frozenset(STEP_LABELS)
NAP_LABELS = {"none": N_("No nap (either way)"), "one_way": N_("One way (nap)")}
SEX_LABELS = {"female": N_("Female"), "male": N_("Male")}


# --- helpers --------------------------------------------------------------------------------


def _products(page: PageContext) -> list[dict[str, Any]]:
    """Installed products with their label in the page's language, kind and input fields."""
    out = []
    for info in list_product_info():
        if not info.get("installed"):
            continue
        name = info.get("name_zh") if page.locale.startswith("zh") else info.get("name_en")
        fields = list(((info.get("inputs_schema") or {}).get("properties") or {}).keys())
        options = [
            {
                "name": key, "label": option_label(key, page.gettext), "default": spec.get("default"),
                "values": list(spec["enum"]),
                "choices": [(str(v), option_value_label(v, page.gettext)) for v in spec["enum"]],
            }
            for key, spec in (((info.get("options_schema") or {}).get("properties")) or {}).items()
            if isinstance(spec, dict) and spec.get("enum")
        ]  # fmt: skip
        out.append({"id": info["id"], "label": name or info["id"], "kind": info["kind"], "fields": fields,
                    "options": options})  # fmt: skip
    return out


def _product_label(products: list[dict[str, Any]], product_id: str) -> str:
    return next((p["label"] for p in products if p["id"] == product_id), product_id)


def _error_page(request: Request, user: User, exc: DomainError) -> Response:
    if isinstance(exc, Forbidden):
        return forbidden_page(request, user)
    page = page_context(request)
    status = 404 if isinstance(exc, NotFound) else exc.status_code
    title = page.gettext("Not found") if status == 404 else page.gettext("Not possible")
    message = page.gettext("There is no such order in your enterprise.") if status == 404 else exc.message
    return render(request, "error.html", {**chrome(request, user, page=page), "title": title, "message": message},
                  status_code=status, page=page)  # fmt: skip


def _bad_csrf(request: Request, user: User) -> Response:
    page = page_context(request)
    return render(
        request, "error.html",
        {**chrome(request, user, page=page), "title": page.gettext("Form expired"),
         "message": page.gettext("The form was stale or came from elsewhere. Go back, reload the page and try again.")},
        status_code=403, page=page,
    )  # fmt: skip


# --- list -----------------------------------------------------------------------------------


@router.get("/orders", name="web_orders")
def order_list(
    request: Request, user: WebUser, session: DbSession,
    q: str = "", status: str = "", offset: int = 0,
) -> Response:  # fmt: skip
    """The enterprise's orders, newest first, filtered by status and searched by reference."""
    if (denied := guard(request, user, ORDER_READERS)) is not None:
        return denied
    assert user is not None
    page = page_context(request)
    statuses = [s.value for s in OrderStatus]
    status = status if status in statuses else ""
    offset = max(0, offset)
    orders, count = order_service.list_orders(
        session=session, actor=user, status=status or None, search=q.strip() or None, limit=PAGE_SIZE, offset=offset
    )
    rows = [
        {
            "id": o.id, "reference": o.reference, "customer_ref": o.customer_ref, "status": o.status,
            "line_count": len(o.lines), "quantity": sum(ln.quantity for ln in o.lines),
            "due_date": o.due_date, "promised_date": o.promised_date, "created_at": o.created_at,
        }
        for o in orders
    ]  # fmt: skip

    def link(new_offset: int) -> str:
        params = {k: v for k, v in (("q", q), ("status", status)) if v}
        if new_offset:
            params["offset"] = str(new_offset)
        return "/orders" + (f"?{urlencode(params)}" if params else "")

    context = {
        **chrome(request, user, active="orders", page=page),
        "orders": rows, "count": count, "offset": offset, "q": q, "status": status, "statuses": statuses,
        "filtered": bool(q or status), "can_create": user.role in ORDER_WRITERS,
        "prev_url": link(max(0, offset - PAGE_SIZE)) if offset > 0 else None,
        "next_url": link(offset + PAGE_SIZE) if offset + PAGE_SIZE < count else None,
    }  # fmt: skip
    return render(request, "orders/list.html", context, page=page)


# --- new order -------------------------------------------------------------------------------


def _new_order_page(
    request: Request, user: User, page: PageContext, *, values: dict[str, str], errors: dict[str, str],
    status_code: int = 200,
) -> Response:  # fmt: skip
    products = _products(page)
    home = [
        {"id": p["id"], "label": p["label"], "fields": [(f, field_label(f, page)) for f in p["fields"]]}
        for p in products
        if p["kind"] != "garment"
    ]
    context = {
        **chrome(request, user, active="new_order", page=page),
        "values": values,
        "errors": errors,
        "product_options": [("", page.gettext("— no line now —"))] + [(p["id"], p["label"]) for p in products],
        "kinds_json": json.dumps({p["id"]: p["kind"] for p in products}),
        "naps": [(k, page.gettext(v)) for k, v in NAP_LABELS.items()],
        "sexes": [("", "—")] + [(k, page.gettext(v)) for k, v in SEX_LABELS.items()],
        "garment_fields": [(name, field_label(name, page)) for name in GARMENT_FORM_MEASUREMENTS],
        "home_products": home,
        "option_products": [p for p in products if p["options"]],
    }
    return render(request, "orders/new.html", context, status_code=status_code, page=page)


@router.get("/orders/new", name="web_order_new")
def order_new(request: Request, user: WebUser) -> Response:
    """The new-order form (order desk and enterprise admin)."""
    if (denied := guard(request, user, ORDER_WRITERS)) is not None:
        return denied
    assert user is not None
    page = page_context(request)
    values = {"fabric_width": page.length(1500.0, with_unit=False), "quantity": "1", "nap": "none"}
    for product in _products(page):
        for option in product["options"]:
            values[f"opt.{product['id']}.{option['name']}"] = str(option["default"])
    return _new_order_page(request, user, page, values=values, errors={})


@router.post("/orders/new", name="web_order_create")
async def order_create(request: Request, user: WebUser, session: DbSession) -> Response:
    """Check the form; place the order and show it, or show the form again with each field's message."""
    if (denied := guard(request, user, ORDER_WRITERS)) is not None:
        return denied
    assert user is not None
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    # the database work runs in the thread pool, not on the event loop
    return await run_in_threadpool(_create_order, request, user, session, values)


def _create_order(request: Request, user: User, session: Session, values: dict[str, str]) -> Response:
    if not csrf_ok(request, values.get("csrf_token")):
        return _bad_csrf(request, user)
    page = page_context(request)
    products = _products(page)
    result = order_from_form(
        values, page,
        product_kinds={p["id"]: p["kind"] for p in products},
        home_fields={p["id"]: p["fields"] for p in products if p["kind"] != "garment"},
        product_options={p["id"]: {o["name"]: o["values"] for o in p["options"]} for p in products},
    )  # fmt: skip
    if result.data is None:
        return _new_order_page(request, user, page, values=values, errors=result.errors, status_code=422)
    try:
        order = order_service.place_order(session=session, actor=user, data=result.data)
    except InvalidInput as exc:
        errors = field_messages(exc.errors, page)
        return _new_order_page(request, user, page, values=values, errors=errors, status_code=422)
    except DomainError as exc:
        return _error_page(request, user, exc)
    return RedirectResponse(f"/orders/{order.id}?done=order_created", status_code=303)


# --- detail ----------------------------------------------------------------------------------


def _jobs(session: Session, user: User, order: Order) -> dict[int, Any]:
    jobs = {}
    for row in order.steps:
        if row.job_id is not None:
            try:
                jobs[row.job_id] = order_service.get_job(session=session, actor=user, job_id=row.job_id)
            except NotFound:
                continue
    return jobs


def _step_state(row: Any, job: Any) -> tuple[str, float]:
    """The status to show for a step row (``queued`` while its job waits) and its progress 0–1."""
    status = row.status
    if status == StepStatus.pending.value and job is not None and job.state in (JobState.queued, JobState.running):
        status = "queued" if job.state == JobState.queued else "running"
    progress = float(job.progress or 0.0) if job is not None else 0.0
    return status, progress


#: Values of step messages that are codes, shown by their label (a step's or a status's name).
_STEP_PARAMS = frozenset({"step", "before"})


def step_message(key: str | None, params: dict[str, Any] | None, fallback: str | None, page: PageContext) -> str | None:
    """A step's reason in the page's language: the catalogue message ``key`` with its values (step and
    status codes by their names), or the stored text ``fallback`` when it has no key (a domain
    package's own words, e.g. a nesting error)."""
    if not key or key not in steps_mod.STEP_MESSAGES:
        return fallback
    values = dict(params or {})
    for name, value in values.items():
        if name in _STEP_PARAMS:
            values[name] = page.step(value)
        elif name == "status":
            values[name] = page.step(value) if value in STEP_LABEL_CODES else page.status(value)
    try:
        return steps_mod.message_text(key, values, page.gettext)
    except (KeyError, TypeError, ValueError):  # a translation naming other values: never fail the page
        return steps_mod.message_text(key, params)


def _action_error(exc: DomainError, page: PageContext) -> str:
    if isinstance(exc, steps_mod.StepConflict):
        msg = exc.step_message
        return step_message(msg.key, msg.params, exc.message, page) or exc.message
    return exc.message


def _summary_text(code: str, summary: dict[str, Any] | None, page: PageContext) -> str:
    if not summary:
        return ""
    if code == "nested" and "length_mm" in summary:
        text = page.gettext("marker length %(length)s", length=page.length(float(summary["length_mm"])))
        if summary.get("utilisation") is not None:
            pct = "{:.1f}%".format(float(summary["utilisation"]) * 100)
            text += " · " + page.gettext("utilisation %(pct)s", pct=pct)
        return text
    if code == "planned" and summary.get("promised_date"):
        return page.gettext("promised for %(date)s", date=summary["promised_date"])
    if code == "drafted" and isinstance(summary.get("pieces"), dict):
        return page.ngettext("%(num)d piece", "%(num)d pieces", sum(int(v) for v in summary["pieces"].values()))
    if code == "measured" and isinstance(summary.get("designations"), dict) and summary["designations"]:
        return page.gettext("sizes %(sizes)s", sizes=", ".join(sorted(set(map(str, summary["designations"].values())))))
    return ""


def _timeline(order: Order, jobs: dict[int, Any], page: PageContext) -> tuple[list[dict[str, Any]], bool]:
    rows = {row.step: row for row in order.steps}
    reached = ORDER_STEPS.index(order.status) if order.status in ORDER_STEPS else -1
    timeline: list[dict[str, Any]] = []
    active = False
    for code in ORDER_STEPS:
        entry: dict[str, Any] = {"code": code, "status": "pending", "progress": 0.0, "reason": None,
                                 "started_at": None, "finished_at": None, "summary_text": ""}  # fmt: skip
        if code == "received":
            entry.update(status="done", finished_at=order.created_at)
        elif code in rows:
            row = rows[code]
            job = jobs.get(row.job_id) if row.job_id is not None else None
            status, progress = _step_state(row, job)
            entry.update(
                status=status, progress=progress, started_at=row.started_at, finished_at=row.finished_at,
                summary_text=_summary_text(code, row.summary, page),
                reason=step_message(row.reason_key, row.reason_params, row.reason, page)
                if status in ("failed", "pending", "skipped") else None,
            )  # fmt: skip
            active = active or status in ("queued", "running")
        elif reached >= ORDER_STEPS.index(code):
            entry["status"] = "done"
        timeline.append(entry)
    if order.status == OrderStatus.cancelled.value:
        timeline.append({"code": "cancelled", "status": "done", "progress": 0.0, "reason": None,
                         "started_at": None, "finished_at": order.updated_at, "summary_text": ""})  # fmt: skip
        active = False
    return timeline, active


def _line_view(line: Any, products: list[dict[str, Any]], page: PageContext) -> dict[str, Any]:
    inputs = dict(line.inputs or {})
    product = next((p for p in products if p["id"] == line.product_id), None)
    defaults = {o["name"]: o["default"] for o in product["options"]} if product else {}  # shown: what differs
    measurements = [
        (field_label(k, page), page.length(float(v)))
        for k, v in inputs.items()
        if k not in ("sex", "weight_kg", "age_years") and is_length_field(k) and isinstance(v, int | float)
    ]
    # every other input as given (a duvet cover's duvet_size "200x230", a text a product reads)
    measurements += [
        (field_label(k, page), str(v))
        for k, v in inputs.items()
        if k not in ("sex", "weight_kg", "age_years") and v not in (None, "")
        and not (is_length_field(k) and isinstance(v, int | float))
    ]  # fmt: skip
    meta = []
    if inputs.get("sex") in SEX_LABELS:
        meta.append(page.gettext(SEX_LABELS[inputs["sex"]]))
    if isinstance(inputs.get("weight_kg"), int | float):
        meta.append(f"{inputs['weight_kg']:g} kg")
    if isinstance(inputs.get("age_years"), int | float):
        age = "{:g}".format(inputs["age_years"])
        meta.append(page.gettext("%(age)s years", age=age))
    return {
        "id": line.id, "line_no": line.line_no, "wearer": line.wearer_ref, "product": _product_label(products, line.product_id),
        "size": line.size, "quantity": line.quantity, "measurements": measurements, "meta": " · ".join(meta),
        "options": " · ".join(
            page.gettext("%(option)s: %(value)s", option=option_label(k, page.gettext),
                         value=option_value_label(v, page.gettext))
            for k, v in (line.options or {}).items()
            if v != defaults.get(k)
        ),
        "erased": line.personal_data_erased_at is not None, "size_from_step": None, "pattern_url": None, "pieces": None,
    }  # fmt: skip


def _outputs(order: Order, lines: list[dict[str, Any]], artifacts: list[Any], page: PageContext) -> dict[str, Any]:
    rows = {row.step: row for row in order.steps}
    by_line = {ln["id"]: ln for ln in lines}
    out: dict[str, Any] = {"any": False, "marker_url": None, "marker_text": "", "plan": [], "gantt_url": None}
    measured = rows.get("measured")
    if measured is not None and measured.status == StepStatus.done.value:
        designations = (measured.summary or {}).get("designations") or {}
        for ln in lines:
            ln["size_from_step"] = designations.get(str(ln["line_no"])) or ln["size"]
    drafted = rows.get("drafted")
    pieces = ((drafted.summary or {}).get("pieces") or {}) if drafted is not None else {}
    for art in artifacts:
        url = f"/orders/{order.id}/artifacts/{art.id}"
        if art.name == "pattern.svg" and art.line_id in by_line:
            by_line[art.line_id]["pattern_url"] = url
            by_line[art.line_id]["pieces"] = pieces.get(str(by_line[art.line_id]["line_no"]))
        elif art.name == "marker.svg":
            out["marker_url"] = url
        elif art.name == "gantt.svg":
            out["gantt_url"] = url
    nested = rows.get("nested")
    if nested is not None and nested.status == StepStatus.done.value:
        out["marker_text"] = _summary_text("nested", nested.summary, page)
    planned = rows.get("planned")
    if planned is not None and planned.status == StepStatus.done.value:
        summary = planned.summary or {}
        if summary.get("promised_date"):
            out["plan"].append((page.gettext("Promised date"), summary["promised_date"]))
        if order.due_date:
            out["plan"].append((page.gettext("Due date"), order.due_date.isoformat()))
        out["plan"].append((page.gettext("Pieces"), str(sum(ln["quantity"] for ln in lines))))
    out["any"] = bool(out["marker_url"] or out["marker_text"] or out["plan"]
                      or any(ln["size_from_step"] or ln["pattern_url"] for ln in lines))  # fmt: skip
    return out


def _detail_page(
    request: Request, user: User, session: Session, order_id: int, *, action_error: str | None = None,
    status_code: int = 200, due_value: str | None = None, due_error: str | None = None,
) -> Response:  # fmt: skip
    page = page_context(request)
    try:
        order = order_service.get_order(session=session, actor=user, order_id=order_id)
        artifacts = order_service.list_artifacts(session=session, actor=user, order_id=order_id)
    except DomainError as exc:
        return _error_page(request, user, exc)
    products = _products(page)
    jobs = _jobs(session, user, order)
    timeline, active = _timeline(order, jobs, page)
    lines = [_line_view(ln, products, page) for ln in order.lines]
    context = {
        **chrome(request, user, active="orders", page=page),
        "order": order, "lines": lines, "timeline": timeline, "active": active,
        "outputs": _outputs(order, lines, artifacts, page),
        "nap_label": page.gettext(NAP_LABELS.get(order.nap, order.nap)),
        "locked": order.status in LOCKED, "can_edit": user.role in ORDER_WRITERS, "can_run": user.role in STEP_RUNNERS,
        "action_error": action_error,
        "due_value": due_value if due_value is not None else (order.due_date.isoformat() if order.due_date else ""),
        "due_error": due_error,
        "ran": any(s["status"] != "pending" for s in timeline if s["code"] in _PIPELINE),
    }  # fmt: skip
    return render(request, "orders/detail.html", context, status_code=status_code, page=page)


@router.get("/orders/{order_id:int}", name="web_order_detail")
def order_detail(request: Request, order_id: int, user: WebUser, session: DbSession) -> Response:
    """One order: its facts, lines with measurements, step timeline and the steps' outputs."""
    if (denied := guard(request, user, ORDER_READERS)) is not None:
        return denied
    assert user is not None
    return _detail_page(request, user, session, order_id)


@router.get("/orders/{order_id:int}/progress", name="web_order_progress")
def order_progress(request: Request, order_id: int, user: WebUser, session: DbSession) -> Response:
    """The order's step statuses and job progress as JSON, polled by ``static/progress.js``."""
    if user is None:
        return JSONResponse({"detail": "not logged in"}, status_code=401)
    if user.role not in ORDER_READERS:
        return JSONResponse({"detail": "forbidden"}, status_code=403)
    try:
        order = order_service.get_order(session=session, actor=user, order_id=order_id)
    except DomainError as exc:
        return JSONResponse(exc.to_json(), status_code=404 if isinstance(exc, NotFound) else exc.status_code)
    jobs = _jobs(session, user, order)
    steps = []
    active = False
    for row in order.steps:
        job = jobs.get(row.job_id) if row.job_id is not None else None
        status, progress = _step_state(row, job)
        active = active or status in ("queued", "running")
        steps.append({"step": row.step, "status": status, "progress": progress,
                      "message": getattr(job, "message", None)})  # fmt: skip
    active = active and order.status != OrderStatus.cancelled.value
    return JSONResponse({"order_id": order.id, "status": order.status, "active": active, "steps": steps},
                        headers={"Cache-Control": "no-store"})  # fmt: skip


@router.get("/orders/{order_id:int}/artifacts/{artifact_id:int}", name="web_order_artifact")
def order_artifact(request: Request, order_id: int, artifact_id: int, user: WebUser, session: DbSession) -> Response:
    """A kept output of a step (pattern SVG, marker SVG, JSON), served to the order's enterprise only."""
    if (denied := guard(request, user, ORDER_READERS)) is not None:
        return denied
    assert user is not None
    try:
        art = order_service.get_artifact(session=session, actor=user, order_id=order_id, artifact_id=artifact_id)
    except DomainError as exc:
        return _error_page(request, user, exc)
    headers = {
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=60",
    }
    return Response(art.content, media_type=art.media_type, headers=headers)


@router.post("/orders/{order_id:int}/run", name="web_order_run")
def order_run(
    request: Request, order_id: int, user: WebUser, session: DbSession,
    csrf_token: Annotated[str, Form()] = "", step: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Queue a step of the order (default: from the first, measured), each step starting the next."""
    if (denied := guard(request, user, STEP_RUNNERS)) is not None:
        return denied
    assert user is not None
    if not csrf_ok(request, csrf_token):
        return _bad_csrf(request, user)
    try:
        order_service.run_step(session=session, actor=user, order_id=order_id, step=step or "measured", chain=True)
    except (Conflict, InvalidInput) as exc:
        session.rollback()
        message = _action_error(exc, page_context(request))
        return _detail_page(request, user, session, order_id, action_error=message, status_code=exc.status_code)
    except DomainError as exc:
        return _error_page(request, user, exc)
    return RedirectResponse(f"/orders/{order_id}?done=order_started", status_code=303)


@router.post("/orders/{order_id:int}/due-date", name="web_order_due_date")
def order_due_date(
    request: Request, order_id: int, user: WebUser, session: DbSession,
    csrf_token: Annotated[str, Form()] = "", due_date: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Set the order's due date (the service audits it; a plan made for the old date is discarded,
    its step back to pending saying why). 422 names the field and what is allowed; 409 once the
    order is in production, done or cancelled."""
    if (denied := guard(request, user, ORDER_WRITERS)) is not None:
        return denied
    assert user is not None
    if not csrf_ok(request, csrf_token):
        return _bad_csrf(request, user)
    page = page_context(request)
    value = due_date.strip()
    try:
        parsed = dt.date.fromisoformat(value) if value else None
    except ValueError:
        parsed = None
    if parsed is None:
        error = page.gettext(
            "%(field)s: %(value)s is not allowed; allowed: %(allowed)s",
            field=page.gettext("Due date"), value=value or "—", allowed=page.gettext("a date (YYYY-MM-DD)"),
        )
        return _detail_page(request, user, session, order_id, status_code=422, due_value=value, due_error=error)
    try:
        order_service.change_order(session=session, actor=user, order_id=order_id, data=OrderUpdate(due_date=parsed))
    except (Conflict, InvalidInput) as exc:
        session.rollback()
        message = exc.message
        if isinstance(exc, Conflict):  # the order is in production, done or cancelled
            order = order_service.get_order(session=session, actor=user, order_id=order_id)
            message = page.gettext("The order is %(status)s: its due date can no longer be changed.",
                                   status=page.step(order.status))  # fmt: skip
        return _detail_page(request, user, session, order_id, action_error=message, status_code=exc.status_code,
                            due_value=value)  # fmt: skip
    except DomainError as exc:
        return _error_page(request, user, exc)
    return RedirectResponse(f"/orders/{order_id}?done=due_date_changed#order-facts", status_code=303)


@router.post("/orders/{order_id:int}/cancel", name="web_order_cancel")
def order_cancel(
    request: Request, order_id: int, user: WebUser, session: DbSession, csrf_token: Annotated[str, Form()] = ""
) -> Response:
    """Cancel the order."""
    if (denied := guard(request, user, ORDER_WRITERS)) is not None:
        return denied
    assert user is not None
    if not csrf_ok(request, csrf_token):
        return _bad_csrf(request, user)
    try:
        order_service.cancel_order(session=session, actor=user, order_id=order_id)
    except Conflict as exc:
        session.rollback()
        return _detail_page(request, user, session, order_id, action_error=exc.message, status_code=409)
    except DomainError as exc:
        return _error_page(request, user, exc)
    return RedirectResponse(f"/orders/{order_id}?done=order_cancelled", status_code=303)


# --- line import -----------------------------------------------------------------------------


def _import_columns(page: PageContext, products: list[dict[str, Any]]) -> list[tuple[str, str]]:
    columns = [
        ("product_id", page.gettext("Product: %(ids)s", ids=", ".join(p["id"] for p in products))),
        ("wearer_ref", page.gettext("Wearer (name or staff number)")),
        ("quantity", page.gettext("Quantity (default 1)")),
        ("size", page.gettext("Size, e.g. 170/88A (empty: from the measurements)")),
        ("sex", page.gettext("Sex: female or male")),
        ("stature", page.measurement("stature")),
        ("weight_kg", page.gettext("Weight (kg)")),
        ("age_years", page.gettext("Age (years)")),
    ]
    for name in ("chest_girth", "bust_girth", "waist_girth", "hip_girth", "shoulder_width", "arm_length",
                 "inside_leg_length"):  # fmt: skip
        columns.append((name, page.measurement(name)))
    for name in HOME_INPUT_LABELS:
        columns.append((name, page.gettext(HOME_INPUT_LABELS[name])))
    # the option columns the importer really accepts: option.<name> of each installed product's options
    offered: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    for product in products:
        for option in product["options"]:
            offered.setdefault(option["name"], []).append(product["label"])
            values.setdefault(option["name"], [str(v) for v in option["values"]])
    for name, labels in offered.items():
        columns.append((f"option.{name}", page.gettext(
            "%(option)s (%(products)s): %(values)s", option=option_label(name, page.gettext),
            products=", ".join(labels), values=", ".join(values[name]))))  # fmt: skip
    return columns


_EXAMPLE = (
    "product_id,wearer_ref,quantity,sex,stature,chest_girth,waist_girth,option.fit,option.collar\n"
    "shirt,E-0101,1,male,{stature_m},{chest_m},{waist_m},regular,classic\n"
    "shirt,E-0102,2,male,{stature_w},{chest_w},{waist_w},slim,button_down\n"
)
#: Home textiles: sizes in mm whatever the unit chosen (the columns end in _mm).
EXAMPLE_HOME = (
    "product_id,wearer_ref,quantity,window_width_mm,drop_mm,option.heading,option.panels\n"
    "curtain,Room 1201,2,1800,2400,pencil_pleat,2\n"
    "curtain,Room 1202,1,1500,2400,eyelet,1\n"
)


def _import_page(
    request: Request, user: User, order: Order, page: PageContext, *, values: dict[str, str],
    errors: dict[str, str], row_errors: list[dict[str, Any]], status_code: int = 200,
) -> Response:  # fmt: skip
    products = _products(page)
    unit = normalize_unit(values.get("unit") or page.unit)
    example = _EXAMPLE.format(
        stature_m=format_length(1750, unit), chest_m=format_length(960, unit), waist_m=format_length(820, unit),
        stature_w=format_length(1700, unit), chest_w=format_length(920, unit), waist_w=format_length(780, unit),
    )  # fmt: skip
    context = {
        **chrome(request, user, active="orders", page=page),
        "order": order, "values": {**values, "unit": unit}, "errors": errors, "row_errors": row_errors,
        "unit_options": [(u, u) for u in LENGTH_UNITS], "columns": _import_columns(page, products), "example": example,
        "example_home": EXAMPLE_HOME,
    }  # fmt: skip
    return render(request, "orders/import.html", context, status_code=status_code, page=page)


def _rows_in_mm(rows: list[dict[str, Any]], unit: str) -> list[dict[str, Any]]:
    """Body measurements of an import table in mm (typed in cm: times 10).

    Columns whose name carries its unit (``drop_mm``) are already in that unit and stay as they are.
    """
    if unit == "mm":
        return rows
    names = measurement_names()
    out = []
    for row in rows:
        converted = {}
        for key, value in row.items():
            if key in names and isinstance(value, int | float) and not isinstance(value, bool):
                value = round(float(value) * 10.0, 3)
            converted[key] = value
        out.append(converted)
    return out


def _as_csv(rows: list[dict[str, Any]]) -> bytes:
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def _row_errors(errors: list[dict[str, Any]], page: PageContext) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Service errors split into table rows (``rows[i].…``) and whole-form messages (``file``)."""
    rows, form = [], {}
    for err in errors:
        path = str(err.get("field") or "")
        if path.startswith("rows["):
            index = int(path[5 : path.index("]")])
            name = form_field_for(path)
            column = name if name != "chest" else path.rsplit(".", 1)[-1]
            value = err.get("value")
            shown = page.length(float(value)) if isinstance(value, int | float) and is_length_field(column) else value
            message = field_messages([{**err, "field": column}], page).get(form_field_for(column), "")
            rows.append({"row": index + 2, "column": f"{column} ({field_label(form_field_for(column), page)})",
                         "value": "" if shown is None else shown, "message": message})  # fmt: skip
        else:
            form.update(field_messages([err], page))
    return rows, form


@router.get("/orders/{order_id:int}/import", name="web_order_import")
def order_import_form(request: Request, order_id: int, user: WebUser, session: DbSession) -> Response:
    """The line-import form: a CSV or Excel file, or pasted rows."""
    if (denied := guard(request, user, ORDER_WRITERS)) is not None:
        return denied
    assert user is not None
    page = page_context(request)
    try:
        order = order_service.get_order(session=session, actor=user, order_id=order_id)
    except DomainError as exc:
        return _error_page(request, user, exc)
    return _import_page(request, user, order, page, values={}, errors={}, row_errors=[])


@router.post("/orders/{order_id:int}/import", name="web_order_import_submit")
def order_import(
    request: Request, order_id: int, user: WebUser, session: DbSession,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Import the lines, all or none; every problem is listed by row and column."""
    if (denied := guard(request, user, ORDER_WRITERS)) is not None:
        return denied
    assert user is not None
    if not csrf_ok(request, csrf_token):
        return _bad_csrf(request, user)
    page = page_context(request)
    try:
        order = order_service.get_order(session=session, actor=user, order_id=order_id)
    except DomainError as exc:
        return _error_page(request, user, exc)
    unit = normalize_unit(unit or page.unit)
    values = {"text": text, "unit": unit}
    content = file.file.read() if file is not None and file.filename else b""
    filename = file.filename if file is not None and file.filename else "pasted.csv"
    if not content:
        content = text.encode("utf-8")
    if not content.strip():
        errors = {"file": page.gettext("Choose a file or paste rows.")}
        return _import_page(request, user, order, page, values=values, errors=errors, row_errors=[], status_code=422)
    try:
        rows = order_service.parse_line_table(filename, content)
        order_service.import_lines(
            session=session, actor=user, order_id=order_id, filename=filename.rsplit(".", 1)[0] + ".csv",
            content=_as_csv(_rows_in_mm(rows, unit)),
        )
    except InvalidInput as exc:
        session.rollback()
        row_errors, form_errors = _row_errors(exc.errors, page)
        return _import_page(request, user, order, page, values=values, errors=form_errors, row_errors=row_errors,
                            status_code=422)  # fmt: skip
    except Conflict as exc:
        session.rollback()
        return _detail_page(request, user, session, order_id, action_error=exc.message, status_code=409)
    except DomainError as exc:
        return _error_page(request, user, exc)
    return RedirectResponse(f"/orders/{order_id}?done=lines_imported", status_code=303)
