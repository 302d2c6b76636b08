"""Orders and their lines: placing, changing, cancelling, importing lines, erasing personal data.

Every function checks the tenant first (another enterprise's order answers 404, exactly like an
id that does not exist), then the role (403), and commits one transaction with its audit events.
"""

from __future__ import annotations

import csv
import functools
import io
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Integer, Row, Select, String, bindparam, delete, func, select
from sqlalchemy.orm import Session, selectinload

from yuefang.app import steps as steps_mod
from yuefang.app.db import utcnow
from yuefang.app.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from yuefang.app.models import Artifact, AuditEvent, Job, Order, OrderLine, OrderStatus, Role, User
from yuefang.app.schemas.orders import LineCreate, LineUpdate, OrderCreate, OrderSummary, OrderUpdate
from yuefang.app.services.audit import diff, record_change
from yuefang.app.services.products import validate_line

__all__ = [
    "ORDER_READERS",
    "ORDER_WRITERS",
    "STEP_RUNNERS",
    "require_role",
    "place_order",
    "get_order",
    "list_orders",
    "order_summaries",
    "change_order",
    "cancel_order",
    "add_line",
    "change_line",
    "remove_line",
    "import_lines",
    "parse_line_table",
    "erase_personal_data",
    "run_step",
    "get_artifact",
    "list_artifacts",
    "get_job",
    "order_audit",
]

ORDER_READERS = frozenset(
    {Role.enterprise_admin, Role.order_desk, Role.planner, Role.cutting_room, Role.shop_floor}
)
ORDER_WRITERS = frozenset({Role.enterprise_admin, Role.order_desk, Role.planner})
STEP_RUNNERS = frozenset({Role.enterprise_admin, Role.order_desk, Role.planner, Role.cutting_room})
ERASERS = frozenset({Role.enterprise_admin, Role.order_desk})
EDIT_LOCKED = frozenset(
    {OrderStatus.in_production.value, OrderStatus.done.value, OrderStatus.cancelled.value}
)
MAX_IMPORT_ROWS = 5000
FABRIC_FIELDS = (
    "fabric_name", "fabric_colour", "fabric_width_mm", "selvedge_mm", "nap", "repeat_along_mm",
    "repeat_across_mm", "cross_grain_allowed", "shrinkage_warp_pct", "shrinkage_weft_pct",
)  # fmt: skip


def require_role(actor: User, allowed: frozenset[Role], what: str) -> None:
    """403 unless ``actor`` has one of ``allowed`` (cluster office: never for orders)."""
    if actor.role not in {str(r) for r in allowed}:
        names = ", ".join(sorted(str(r) for r in allowed))
        raise Forbidden(
            f"role {actor.role!r} may not {what}; allowed roles: {names}", role=actor.role, allowed=names
        )


def _tenant(actor: User) -> int:
    if actor.enterprise_id is None:
        raise Forbidden("the cluster office does not read enterprises' orders", role=actor.role,
                        allowed="an enterprise role")  # fmt: skip
    return actor.enterprise_id


def _order(session: Session, actor: User, order_id: int, *, lock_lines: bool = False) -> Order:
    enterprise_id = _tenant(actor)
    order = session.scalar(
        select(Order)
        .where(Order.id == order_id, Order.enterprise_id == enterprise_id)
        .options(selectinload(Order.lines), selectinload(Order.steps))
    )
    if order is None:
        raise NotFound("order", order_id)
    return order


def _editable(order: Order) -> None:
    if order.status in EDIT_LOCKED:
        raise Conflict(f"order {order.id} is {order.status}: it can no longer be changed")


def _audit(session: Session, actor: User, order: Order, entity: str, entity_id: int, action: str,
           changes: dict[str, Any] | None = None) -> None:  # fmt: skip
    record_change(session, actor=actor, entity=entity, entity_id=entity_id, action=action, changes=changes,
                  enterprise_id=order.enterprise_id, order_id=order.id)  # fmt: skip


def _new_line(
    session: Session, actor: User, order: Order, data: LineCreate, line_no: int, prefix: str
) -> OrderLine:
    inputs = validate_line(
        product_id=data.product_id, inputs=data.inputs, options=data.options, prefix=prefix
    )
    line = OrderLine(
        line_no=line_no, wearer_ref=data.wearer_ref, product_id=data.product_id, inputs=inputs,
        options=data.options, size=data.size, quantity=data.quantity,
    )  # fmt: skip
    order.lines.append(line)
    return line


def _next_line_no(order: Order) -> int:
    return max((ln.line_no for ln in order.lines), default=0) + 1


def place_order(*, session: Session, actor: User, data: OrderCreate) -> Order:
    """Place an order (status ``received``) with its fabric and optional lines; 422 names bad fields."""
    enterprise_id = _tenant(actor)
    require_role(actor, ORDER_WRITERS, "place orders")
    values = data.model_dump(exclude={"lines"})
    values["nap"] = data.nap.value
    # empty collections: known to be empty, so never loaded
    order = Order(
        enterprise_id=enterprise_id, created_by_id=actor.id, status=OrderStatus.received.value, lines=[], steps=[],
        **values,
    )  # fmt: skip
    session.add(order)
    errors: list[dict[str, Any]] = []
    for i, ld in enumerate(data.lines):
        try:
            _new_line(session, actor, order, ld, i + 1, f"lines[{i}].")
        except InvalidInput as exc:
            errors += exc.errors
    if errors:
        session.rollback()
        raise InvalidInput(errors)
    steps_mod.ensure_steps(session, order)  # flushes the order, its lines and steps together
    _audit(session, actor, order, "order", order.id, "place",
           {k: {"old": None, "new": v} for k, v in values.items() if v not in (None, "")})  # fmt: skip
    for line in order.lines:
        _audit(session, actor, order, "order_line", line.id, "add",
               {"product_id": {"old": None, "new": line.product_id}, "quantity": {"old": None, "new": line.quantity},
                "inputs": {}, "wearer_ref": {}})  # fmt: skip
    session.commit()
    return order


def get_order(*, session: Session, actor: User, order_id: int) -> Order:
    """One order of the actor's enterprise, with lines and steps (404 otherwise)."""
    require_role(actor, ORDER_READERS, "read orders") if actor.enterprise_id is not None else _tenant(actor)
    return _order(session, actor, order_id)


def _order_filter(enterprise_id: int, status: str | None, search: str | None) -> list[Any]:
    where = [Order.enterprise_id == enterprise_id]
    if status:
        where.append(Order.status == status)
    if search:
        where.append(Order.reference.contains(search, autoescape=True))
    return where


def _page_count(session: Session, where: list[Any], got: int, limit: int, offset: int) -> int:
    """The total behind a page: known without a query unless the page is full (or past the end)."""
    if got < limit and (got or not offset):
        return offset + got
    return session.scalar(select(func.count(Order.id)).where(*where)) or 0


def list_orders(
    *, session: Session, actor: User, status: str | None = None, search: str | None = None,
    limit: int = 50, offset: int = 0,
) -> tuple[list[Order], int]:  # fmt: skip
    """The actor's enterprise's orders, newest first, with the total count."""
    where = _order_filter(_tenant(actor), status, search)
    rows = list(
        session.scalars(select(Order).where(*where).order_by(Order.id.desc()).limit(limit).offset(offset))
    )
    return rows, _page_count(session, where, len(rows), limit, offset)


SUMMARY_COLUMNS = tuple(OrderSummary.model_fields)  # the columns of a list row, in the schema's order


def order_summaries(
    *, session: Session, actor: User, status: str | None = None, search: str | None = None,
    limit: int = 50, offset: int = 0,
) -> tuple[list[Row[Any]], int]:  # fmt: skip
    """Like ``list_orders``, but rows of ``SUMMARY_COLUMNS`` only, page and total in one statement.

    The page's ids and the window count ``count(*) OVER ()`` come from an inner query over the
    orders table alone; line count and total quantity are computed for the page's rows only.
    """
    enterprise_id = _tenant(actor)
    if search:  # rare: built for the request (LIKE escaping needs the literal value)
        stmt = _summary_statement(_order_filter(enterprise_id, status, search))
        params: dict[str, Any] = {"limit": limit, "offset": offset}
    else:  # the same statement object every time: SQLAlchemy's cache key is computed once
        stmt = _summary_statement_by_status() if status else _summary_statement_all()
        params = {"enterprise_id": enterprise_id, "status": status, "limit": limit, "offset": offset}
    rows = list(session.execute(stmt, params).all())
    if rows:
        return rows, int(rows[0].total)
    return rows, _page_count(session, _order_filter(enterprise_id, status, search), 0, limit, offset)


def _summary_statement(where: list[Any]) -> Select[Any]:
    page = (
        select(Order.id.label("id"), func.count().over().label("total"))
        .where(*where)
        .order_by(Order.id.desc())
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery("page")
    )
    cols = [getattr(Order, c).label(c) for c in SUMMARY_COLUMNS]
    return select(*cols, page.c.total).join_from(Order, page, Order.id == page.c.id).order_by(Order.id.desc())


@functools.cache
def _summary_statement_all() -> Select[Any]:
    return _summary_statement([Order.enterprise_id == bindparam("enterprise_id", type_=Integer)])


@functools.cache
def _summary_statement_by_status() -> Select[Any]:
    return _summary_statement([Order.enterprise_id == bindparam("enterprise_id", type_=Integer),
                               Order.status == bindparam("status", type_=String)])  # fmt: skip


def change_order(*, session: Session, actor: User, order_id: int, data: OrderUpdate) -> Order:
    """Change an order's header or fabric; a new fabric discards the marker and the plan (409 once in production)."""
    order = _order(session, actor, order_id)
    require_role(actor, ORDER_WRITERS, "change orders")
    _editable(order)
    values = data.model_dump(exclude_unset=True)
    if "reference" in values and values["reference"] is None:
        raise InvalidInput([field_error("reference", None, "a non-empty reference")])
    for k in FABRIC_FIELDS:
        if k in values and values[k] is None:
            raise InvalidInput([field_error(k, None, "a value (the field cannot be emptied)")])
    if values.get("nap") is not None:
        values["nap"] = values["nap"].value if hasattr(values["nap"], "value") else values["nap"]
    changes = diff(order, values)
    if not changes:
        return order
    for k, v in values.items():
        setattr(order, k, v)
    if any(k in FABRIC_FIELDS for k in changes) and steps_mod._rank(order.status) >= steps_mod._rank(
        "nested"
    ):
        steps_mod.discard_from(session, order, "nested")
    if "due_date" in changes:  # the plan and its promise were made for the old due date
        due = order.due_date.isoformat() if order.due_date else "-"
        steps_mod.mark_stale(session, order, "planned", "due_date_changed", due_date=due)
    _audit(session, actor, order, "order", order.id, "change", changes)
    session.commit()
    return order


def cancel_order(*, session: Session, actor: User, order_id: int) -> Order:
    """Cancel an order (409 when done or already cancelled); queued step jobs are dropped and open
    subcontracts withdrawn, in one transaction."""
    order = _order(session, actor, order_id)
    require_role(actor, ORDER_WRITERS, "cancel orders")
    if order.status in (OrderStatus.done.value, OrderStatus.cancelled.value):
        raise Conflict(f"order {order.id} is {order.status}: it cannot be cancelled")
    old = order.status
    order.status = OrderStatus.cancelled.value
    for row in order.steps:
        row.job_id = None
    _audit(session, actor, order, "order", order.id, "cancel", {"status": {"old": old, "new": order.status}})
    from yuefang.app.services.subcontracts import withdraw_for_cancelled_order  # imports this module

    withdraw_for_cancelled_order(session, actor, order)
    session.commit()
    return order


def _lines_changed(session: Session, order: Order) -> None:
    """Lines changed: every step output is stale."""
    if steps_mod._rank(order.status) >= steps_mod._rank("measured") or any(
        s.job_id is not None for s in order.steps
    ):
        steps_mod.discard_from(session, order, "measured")


def add_line(*, session: Session, actor: User, order_id: int, data: LineCreate) -> OrderLine:
    """Add a line to an order (422 names bad inputs; 409 once in production)."""
    order = _order(session, actor, order_id)
    require_role(actor, ORDER_WRITERS, "change orders")
    _editable(order)
    line = _new_line(session, actor, order, data, _next_line_no(order), "")
    session.flush()
    _lines_changed(session, order)
    _audit(session, actor, order, "order_line", line.id, "add",
           {"product_id": {"old": None, "new": line.product_id}, "quantity": {"old": None, "new": line.quantity},
            "inputs": {}, "wearer_ref": {}})  # fmt: skip
    session.commit()
    return line


def _line(order: Order, line_id: int) -> OrderLine:
    for ln in order.lines:
        if ln.id == line_id:
            return ln
    raise NotFound("order line", line_id)


def change_line(*, session: Session, actor: User, order_id: int, line_id: int, data: LineUpdate) -> OrderLine:
    """Change a line (e.g. a planner changes options): the outputs of every step are discarded."""
    order = _order(session, actor, order_id)
    line = _line(order, line_id)
    require_role(actor, ORDER_WRITERS, "change orders")
    _editable(order)
    values = data.model_dump(exclude_unset=True)
    for k in ("product_id", "inputs", "options", "quantity"):
        if k in values and values[k] is None:
            raise InvalidInput([field_error(k, None, "a value (the field cannot be emptied)")])
    product_id = values.get("product_id", line.product_id)
    inputs = values.get("inputs", line.inputs)
    options = values.get("options", line.options)
    if {"product_id", "inputs", "options"} & values.keys():
        values["inputs"] = validate_line(product_id=product_id, inputs=inputs, options=options)
    changes = diff(line, values)
    if not changes:
        return line
    for k, v in values.items():
        setattr(line, k, v)
    _lines_changed(session, order)
    _audit(session, actor, order, "order_line", line.id, "change", changes)
    session.commit()
    return line


def remove_line(*, session: Session, actor: User, order_id: int, line_id: int) -> None:
    """Remove a line from an order (409 once in production)."""
    order = _order(session, actor, order_id)
    line = _line(order, line_id)
    require_role(actor, ORDER_WRITERS, "change orders")
    _editable(order)
    order.lines.remove(line)
    session.flush()
    _lines_changed(session, order)
    _audit(
        session,
        actor,
        order,
        "order_line",
        line_id,
        "remove",
        {"line_no": {"old": line.line_no, "new": None}},
    )
    session.commit()


# --- import ----------------------------------------------------------------------------------------

_RESERVED = {"wearer_ref", "product_id", "product", "quantity", "qty", "size"}


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        v = value.strip()
        if v == "":
            return None
        try:
            f = float(v)
        except ValueError:
            return v
        return int(f) if f.is_integer() and "." not in v else f
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def parse_line_table(filename: str, content: bytes) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8, with or without BOM) or Excel (.xlsx) file as dicts, header -> value.

    Columns: ``wearer_ref``, ``product_id``, ``quantity``, ``size``; ``option.<name>`` columns go to
    the line's options; every other column is an input (``sex``, ``stature``, ``chest_girth``, ...).
    """
    name = filename.lower()
    rows: list[dict[str, Any]] = []
    if name.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a bad file
            raise InvalidInput(
                [
                    field_error(
                        "file", filename, "an Excel .xlsx workbook", f"file: cannot read {filename}: {exc}"
                    )
                ]
            ) from exc
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(it, [])]
        for values in it:
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            rows.append({h: _cell(v) for h, v in zip(header, values, strict=False) if h})
        wb.close()
    elif name.endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise InvalidInput([field_error("file", filename, "UTF-8 or GB18030 text")]) from exc
        if "\x00" in text:
            raise InvalidInput([field_error("file", filename, "text without NUL characters")])
        reader = csv.DictReader(io.StringIO(text))
        for rec in reader:
            if all((v or "").strip() == "" for v in rec.values() if isinstance(v, str)):
                continue
            rows.append(
                {(k or "").strip(): _cell(v) for k, v in rec.items() if k and isinstance(v, str | type(None))}
            )
    else:
        raise InvalidInput([field_error("file", filename, "a .csv or .xlsx file")])
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput([field_error("file", f"{len(rows)} rows", f"at most {MAX_IMPORT_ROWS} rows")])
    return rows


def _row_to_line(row: dict[str, Any], i: int) -> LineCreate:
    inputs: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for k, v in row.items():
        if v is None or k in _RESERVED:
            continue
        if k.startswith(("option.", "options.")):
            options[k.split(".", 1)[1]] = v
        else:
            inputs[k] = v
    product = row.get("product_id", row.get("product"))
    quantity = row.get("quantity", row.get("qty")) or 1
    try:
        return LineCreate(
            wearer_ref=None if row.get("wearer_ref") is None else str(row["wearer_ref"]),
            product_id=str(product or ""),
            inputs=inputs,
            options=options,
            size=None if row.get("size") is None else str(row["size"]),
            quantity=quantity,
        )
    except ValidationError as exc:
        raise InvalidInput([
            field_error(f"rows[{i}]." + ".".join(str(p) for p in e["loc"]), e.get("input") if isinstance(e.get("input"), str | int | float | type(None)) else str(e.get("input")), e["msg"])
            for e in exc.errors()
        ]) from exc  # fmt: skip


def import_lines(
    *, session: Session, actor: User, order_id: int, filename: str, content: bytes
) -> list[OrderLine]:
    """Add the lines of a CSV or Excel file to an order, all or none (a uniform order of hundreds of wearers).

    Errors name the row (``rows[i]``, 0-based after the header) and the field.
    """
    order = _order(session, actor, order_id)
    require_role(actor, ORDER_WRITERS, "change orders")
    _editable(order)
    rows = parse_line_table(filename, content)
    if not rows:
        raise InvalidInput([field_error("file", filename, "at least one data row under a header row")])
    errors: list[dict[str, Any]] = []
    new: list[OrderLine] = []
    line_no = _next_line_no(order)
    for i, row in enumerate(rows):
        try:
            data = _row_to_line(row, i)
            new.append(_new_line(session, actor, order, data, line_no + len(new), f"rows[{i}]."))
        except InvalidInput as exc:
            errors += exc.errors
        if len(errors) > 100:
            break
    if errors:
        session.rollback()
        raise InvalidInput(errors)
    session.flush()
    _lines_changed(session, order)
    _audit(session, actor, order, "order", order.id, "import_lines",
           {"lines": {"old": None, "new": len(new)}, "file": {"old": None, "new": filename[:200]}})  # fmt: skip
    session.commit()
    return new


# --- privacy ---------------------------------------------------------------------------------------


def erase_personal_data(*, session: Session, actor: User, order_id: int, line_id: int | None = None) -> Order:
    """Erase customer and wearer references and body inputs (PIPL), of one line or the whole order.

    Body-derived outputs (completed bodies, garment patterns) are deleted; the audit trail stays,
    without personal values (it never holds them).
    """
    order = _order(session, actor, order_id)
    require_role(actor, ERASERS, "erase personal data")
    lines = [_line(order, line_id)] if line_id is not None else list(order.lines)
    now = utcnow()
    for ln in lines:
        from yuefang.app.services.products import product_kind

        garment = product_kind(ln.product_id) == "garment"
        ln.wearer_ref = None
        if garment:
            ln.inputs = {}
        ln.personal_data_erased_at = now
        session.execute(delete(Artifact).where(Artifact.line_id == ln.id, Artifact.personal.is_(True)))
        _audit(session, actor, order, "order_line", ln.id, "erase_personal_data",
               {"wearer_ref": {}, **({"inputs": {}} if garment else {})})  # fmt: skip
    if line_id is None:
        order.customer_ref = None
        order.personal_data_erased_at = now
        _audit(session, actor, order, "order", order.id, "erase_personal_data", {"customer_ref": {}})
    session.commit()
    return order


# --- steps, outputs, jobs -------------------------------------------------------------------------


def run_step(*, session: Session, actor: User, order_id: int, step: str, chain: bool = True) -> Job:
    """Queue a step of an order as a job (202); later outputs are discarded; 409 from in_production on."""
    order = _order(session, actor, order_id)
    require_role(actor, STEP_RUNNERS, "run steps")
    job = steps_mod.request_step(session, order=order, step=step, chain=chain)
    _audit(session, actor, order, "order", order.id, "run_step", {"step": {"old": None, "new": step}})
    session.commit()
    return job


def list_artifacts(*, session: Session, actor: User, order_id: int) -> list[Artifact]:
    """The kept outputs of an order's steps (without their content)."""
    order = _order(session, actor, order_id)
    return list(session.scalars(select(Artifact).where(Artifact.order_id == order.id).order_by(Artifact.id)))


def get_artifact(*, session: Session, actor: User, order_id: int, artifact_id: int) -> Artifact:
    """One kept output of an order (404 for another enterprise's)."""
    order = _order(session, actor, order_id)
    art = session.get(Artifact, artifact_id)
    if art is None or art.order_id != order.id:
        raise NotFound("artifact", artifact_id)
    return art


def get_job(*, session: Session, actor: User, job_id: int) -> Job:
    """A job of the actor's enterprise (404 otherwise); the cluster office sees its own jobs."""
    job = session.get(Job, job_id)
    if job is None or job.enterprise_id != actor.enterprise_id:
        raise NotFound("job", job_id)
    return job


def order_audit(*, session: Session, actor: User, order_id: int, limit: int = 100, offset: int = 0
                ) -> tuple[list[AuditEvent], int]:  # fmt: skip
    """The audit trail of one order and its lines, newest first."""
    order = _order(session, actor, order_id)
    q = select(AuditEvent).where(AuditEvent.order_id == order.id)
    count = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(AuditEvent.id.desc()).limit(limit).offset(offset))), count
