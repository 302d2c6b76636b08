"""The line-balancing page ``/plan/balance``: choose a product, a target output per shift (takt)
or a crew size, see the enterprise's bulletin (its own when stored, else the default), balance the
line and see the operator loads, line efficiency and balance loss.

The balance runs in the request with a short time limit (:data:`PAGE_TIME_LIMIT_S`); longer runs
go through ``POST /api/plan/balance`` (a job). Roles: ``enterprise_admin`` and ``planner``.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from yuefang.app.auth import get_session, optional_user
from yuefang.app.errors import DomainError, InvalidInput
from yuefang.app.i18n import N_
from yuefang.app.models import User
from yuefang.app.services import bulletins as bulletin_service
from yuefang.app.services.products import list_product_info
from yuefang.app.web.guard import csrf_ok, forbidden_page, guard
from yuefang.app.web.routes import chrome
from yuefang.app.web.templating import PageContext, page_context, render

__all__ = ["router", "PLAN_PAGES", "PAGE_TIME_LIMIT_S"]

router = APIRouter(include_in_schema=False)

WebUser = Annotated[User | None, Depends(optional_user)]
DbSession = Annotated[Session, Depends(get_session)]

PLAN_PAGES: frozenset[str] = frozenset(str(r) for r in bulletin_service.BULLETIN_ROLES)
PAGE_TIME_LIMIT_S = 5.0
MAX_OPERATORS = 500
MAX_SHIFT_MIN = 24 * 60
MACHINE_LABELS = {
    "lockstitch": N_("Lockstitch"), "overlock": N_("Overlock"), "coverstitch": N_("Coverstitch"),
    "buttonhole": N_("Buttonhole"), "button_sew": N_("Button sewing"), "bartack": N_("Bartack"),
    "iron": N_("Iron"), "manual": N_("Manual"),
}  # fmt: skip


def _products(page: PageContext) -> list[tuple[str, str]]:
    from yuefang.plan import DEFAULT_PRODUCTS

    names = {i["id"]: (i.get("name_zh") if page.locale.startswith("zh") else i.get("name_en"))
             for i in list_product_info()}  # fmt: skip
    return [(pid, names.get(pid) or pid) for pid in DEFAULT_PRODUCTS]


def _number(values: dict[str, str], name: str, errors: dict[str, str], page: PageContext, *, lo: float, hi: float,
            integer: bool = False) -> float | None:  # fmt: skip
    raw = values.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        errors[name] = page.gettext("Enter a number from %(lo)s to %(hi)s.") % {"lo": f"{lo:g}", "hi": f"{hi:g}"}
        return None
    return float(value)


def _page(request: Request, user: User, session: Session, values: dict[str, str], *,
          errors: dict[str, str] | None = None, result: dict[str, Any] | None = None,
          status_code: int = 200) -> Response:  # fmt: skip
    page = page_context(request)
    products = _products(page)
    product_id = values.get("product_id") or products[0][0]
    if product_id not in {p for p, _ in products}:
        product_id = products[0][0]
    values = {"mode": "output", "shift_min": "480", **values, "product_id": product_id}
    try:
        bulletin = bulletin_service.get_bulletin(session=session, actor=user, product_id=product_id)
    except DomainError:
        return forbidden_page(request, user)
    context = {
        **chrome(request, user, active="plan_balance", page=page),
        "products": products, "values": values, "errors": errors or {}, "bulletin": bulletin,
        "result": result, "time_limit_s": PAGE_TIME_LIMIT_S,
        "machine_label": lambda m: page.gettext(MACHINE_LABELS[m]) if m in MACHINE_LABELS else m,
    }  # fmt: skip
    return render(request, "plan/balance.html", context, status_code=status_code, page=page)


@router.get("/plan/balance", name="web_plan_balance")
def balance_page(request: Request, user: WebUser, session: DbSession, product_id: str = "") -> Response:
    """The form and the enterprise's bulletin of the chosen product."""
    if (denied := guard(request, user, PLAN_PAGES)) is not None:
        return denied
    assert user is not None
    return _page(request, user, session, {"product_id": product_id})


@router.post("/plan/balance", name="web_plan_balance_run")
async def balance_run(request: Request, user: WebUser, session: DbSession) -> Response:
    """Balance the line for the form's takt or crew; show the operator loads."""
    if (denied := guard(request, user, PLAN_PAGES)) is not None:
        return denied
    assert user is not None
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    return await run_in_threadpool(_run, request, user, session, values)


def _run(request: Request, user: User, session: Session, values: dict[str, str]) -> Response:
    from yuefang.plan import balance_line, check_balance, operator_load_svg

    page = page_context(request)
    if not csrf_ok(request, values.get("csrf_token")):
        return forbidden_page(request, user, page.gettext("The form was stale or came from elsewhere. Go back, reload the page and try again."))
    errors: dict[str, str] = {}
    mode = values.get("mode", "output")
    takt_s = operators = None
    if mode == "operators":
        operators = _number(values, "operators", errors, page, lo=1, hi=MAX_OPERATORS, integer=True)
        if operators is None and "operators" not in errors:
            errors["operators"] = page.gettext("Enter the number of operators.")
    else:
        shift = _number(values, "shift_min", errors, page, lo=1, hi=MAX_SHIFT_MIN) or 480.0
        target = _number(values, "output_per_shift", errors, page, lo=1, hi=100_000, integer=True)
        if target is None and "output_per_shift" not in errors:
            errors["output_per_shift"] = page.gettext("Enter the pieces to make per shift.")
        if target:
            takt_s = shift * 60.0 / target
    product_id = values.get("product_id", "")
    if product_id not in {p for p, _ in _products(page)}:
        errors["product_id"] = page.gettext("Choose a product.")
    if errors:
        return _page(request, user, session, values, errors=errors, status_code=422)
    bulletin, source = bulletin_service.enterprise_bulletin(session=session, actor=user, product_id=product_id)
    try:
        lb = balance_line(bulletin, takt_s=takt_s, operators=int(operators) if operators else None,
                          time_limit_s=PAGE_TIME_LIMIT_S)  # fmt: skip
    except ValueError as exc:  # e.g. a takt below the longest indivisible operation
        field = "operators" if mode == "operators" else "output_per_shift"
        return _page(request, user, session, values, errors={field: page.gettext("The line cannot be balanced like this: %(reason)s") % {"reason": exc}}, status_code=422)
    result = {
        "n_operators": lb.n_operators, "takt_s": lb.takt_s, "cycle_time_s": lb.cycle_time_s,
        "line_efficiency": lb.line_efficiency, "balance_loss": lb.balance_loss,
        "output_per_hour": lb.output_per_hour, "optimal": lb.optimal, "source": source,
        "problems": check_balance(lb, bulletin),
        "operators": [{"no": o.operator_no, "machine": o.machine_type.value, "grade": o.skill_grade,
                       "load_s": o.load_s, "ops": ", ".join(s.op_id + (f" ({100 * s.share:.0f} %)" if s.share < 0.999 else "")
                                                            for s in o.operations)}
                      for o in lb.operators],
        "svg": Markup(operator_load_svg(lb)),  # built by yuefang.plan.svg, every text escaped
    }  # fmt: skip
    return _page(request, user, session, values, result=result)


@router.post("/plan/balance/bulletin", name="web_plan_bulletin_save")
async def bulletin_save(request: Request, user: WebUser, session: DbSession) -> Response:
    """Store the enterprise's own bulletin of the product from the pasted CSV or an uploaded file."""
    if (denied := guard(request, user, PLAN_PAGES)) is not None:
        return denied
    assert user is not None
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        raw = await upload.read(bulletin_service.MAX_CSV_CHARS * 4 + 1)
        try:
            values["bulletin_csv"] = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            values["bulletin_csv"] = ""
            values["_undecodable"] = "1"
    return await run_in_threadpool(_save, request, user, session, values)


def _save(request: Request, user: User, session: Session, values: dict[str, str]) -> Response:
    page = page_context(request)
    if not csrf_ok(request, values.get("csrf_token")):
        return forbidden_page(request, user, page.gettext("The form was stale or came from elsewhere. Go back, reload the page and try again."))
    product_id = values.get("product_id", "")
    if product_id not in {p for p, _ in _products(page)}:
        return _page(request, user, session, values, errors={"product_id": page.gettext("Choose a product.")},
                     status_code=422)  # fmt: skip
    if values.get("_undecodable"):
        errors = {"bulletin_csv": page.gettext("The file is not UTF-8 text.")}
        return _page(request, user, session, values, errors=errors, status_code=422)
    try:
        bulletin_service.save_bulletin(session=session, actor=user, product_id=product_id,
                                       csv_text=values.get("bulletin_csv", ""))  # fmt: skip
    except InvalidInput as exc:
        session.rollback()
        first = exc.errors[0] if exc.errors else {"message": exc.message}
        errors = {"bulletin_csv": page.gettext("The bulletin was not saved: %(reason)s") % {"reason": first["message"]}}
        return _page(request, user, session, values, errors=errors, status_code=422)
    except DomainError:
        return forbidden_page(request, user)
    return RedirectResponse(f"/plan/balance?{urlencode({'product_id': product_id})}", status_code=303)


@router.post("/plan/balance/bulletin/reset", name="web_plan_bulletin_reset")
def bulletin_reset(request: Request, user: WebUser, session: DbSession, csrf_token: Annotated[str, Form()] = "",
                   product_id: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    """Drop the enterprise's own bulletin of the product: the default applies again."""
    if (denied := guard(request, user, PLAN_PAGES)) is not None:
        return denied
    assert user is not None
    page = page_context(request)
    if not csrf_ok(request, csrf_token):
        return forbidden_page(request, user, page.gettext("The form was stale or came from elsewhere. Go back, reload the page and try again."))
    try:
        bulletin_service.reset_bulletin(session=session, actor=user, product_id=product_id)
    except DomainError:
        return forbidden_page(request, user)
    return RedirectResponse(f"/plan/balance?{urlencode({'product_id': product_id})}", status_code=303)


# --- the enterprise's schedule -------------------------------------------------------------------


def _latest_schedule(session: Session, enterprise_id: int) -> tuple[Any, Any] | None:
    """The latest ``schedule.json`` a ``planned`` step of the enterprise's orders stored, and its order.

    Each planned step stores the whole schedule of the lines it planned on (the order and the orders
    already planned there), so the latest one is the enterprise's current plan.
    """
    from sqlalchemy import select

    from yuefang.app.models import Artifact, Order

    row = session.execute(
        select(Artifact, Order).join(Order, Artifact.order_id == Order.id)
        .where(Order.enterprise_id == enterprise_id, Artifact.step == "planned", Artifact.name == "schedule.json")
        .order_by(Artifact.id.desc()).limit(1)
    ).first()  # fmt: skip
    return None if row is None else (row[0], row[1])


@router.get("/plan/schedule", name="web_plan_schedule")
def schedule_page(request: Request, user: WebUser, session: DbSession) -> Response:
    """The Gantt chart of the enterprise's current plan, one row per sewing line grouped by factory."""
    if (denied := guard(request, user, PLAN_PAGES)) is not None:
        return denied
    assert user is not None and user.enterprise_id is not None
    page = page_context(request)
    context: dict[str, Any] = {**chrome(request, user, active="plan_schedule", page=page), "gantt": None,
                               "source": None, "orders": 0, "lines": 0, "start": None, "error": None}  # fmt: skip
    latest = _latest_schedule(session, user.enterprise_id)
    if latest is not None:
        artifact, order = latest
        try:
            from yuefang.plan import gantt_svg
            from yuefang.plan.schedule import Schedule

            schedule = Schedule.model_validate_json(artifact.content or "")
        except ImportError:
            context["error"] = page.gettext("The planning package is not installed.")
        except ValueError:
            context["error"] = page.gettext("The stored schedule cannot be read; run the planned step again.")
        else:
            # only the enterprise's own lines: a partner's lines and the orders on them stay the partner's
            own = tuple(p for p in schedule.planned if p.enterprise_id == str(user.enterprise_id))
            schedule = schedule.model_copy(update={"planned": own})
            context.update(
                gantt=Markup(gantt_svg(schedule)), source=order, orders=len({p.order_id for p in own}),
                lines=len({p.line_id for p in own}), start=schedule.start,
            )  # fmt: skip
    return render(request, "plan/schedule.html", context, page=page)
