"""Bodies and sizes through the API: complete a body (or a batch), the body of a GB/T 1335
designation, the fit to a size chart, the measurement vocabulary.

Thin: parse, check the login (any user: nothing is stored), call ``yuefang.measure``, map its
errors to 422 naming field, value and what is allowed.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Path, Query, UploadFile

from yuefang.app.api.deps import CurrentUser
from yuefang.app.errors import InvalidInput, field_error
from yuefang.app.schemas.measure import MAX_BATCH, BatchResult, BatchRow, BodyIn, SizeChartFitRequest
from yuefang.measure import (
    MEASUREMENTS,
    BodyValidationError,
    SizeChart,
    complete_body,
    complete_designation,
    complete_many,
    fit_size_chart,
)
from yuefang.measure.sizechart import SizeChartError

router = APIRouter(prefix="/measure", tags=["measure"])

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_META = ("sex", "stature", "weight_kg", "age_years")


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)[:200]


def _body_errors(exc: BodyValidationError, prefix: str = "") -> InvalidInput:
    return InvalidInput([{**e, "field": f"{prefix}{e.get('field')}", "value": _plain(e.get("value"))}
                         for e in exc.errors])


def _allowed(message: str) -> str:
    return message.split("allowed: ", 1)[1] if "allowed: " in message else ""


def _complete(body: BodyIn, prefix: str = "") -> Any:
    row = body.row()
    known = {k: v for k, v in row.items() if k not in _META}
    try:
        return complete_body(sex=row["sex"], stature=row["stature"], weight_kg=row.get("weight_kg"),
                             age_years=row.get("age_years"), known=known)
    except BodyValidationError as exc:
        raise _body_errors(exc, prefix) from None
    except ValueError as exc:  # a combination of known measurements the model cannot condition on
        raise InvalidInput([field_error(f"{prefix}known", sorted(known), _allowed(str(exc)), str(exc))]) from None


@router.post("/complete")
def complete(body: BodyIn, user: CurrentUser) -> dict[str, Any]:
    """Every measurement of the body (mm) with its 90% interval (``low``, ``high``), the GB/T 1335
    designations and notes on how it was obtained (``yuefang.measure.complete_body``)."""
    return _complete(body).to_dict()


def _batch(rows: list[dict[str, Any]], ids: list[str | None], first_line: int | None) -> BatchResult:
    res = complete_many(rows)
    errors = {e.index: e for e in res.errors}
    out = []
    for i, (body, pid) in enumerate(zip(res.bodies, ids, strict=True)):
        line = None if first_line is None else first_line + i
        err = errors.get(i)
        if err is not None:
            detail = [{**e, "value": _plain(e.get("value"))} for e in err.errors]
            where = f"line {line}: " if line is not None else f"row {i}: "
            out.append(BatchRow(index=i, line=line, id=pid, errors=detail, reason=where + err.message))
        else:
            out.append(BatchRow(index=i, line=line, id=pid, body=body.to_dict() if body is not None else None))
    return BatchResult(count=len(rows), completed=len(rows) - len(errors), failed=len(errors), rows=out)


@router.post("/complete-batch", response_model=BatchResult)
def complete_batch(
    bodies: Annotated[list[BodyIn], Body(max_length=MAX_BATCH)], user: CurrentUser,
) -> BatchResult:
    """Complete many bodies (at most ``MAX_BATCH``): one row per person, in order; a bad row carries its
    errors (field, value, allowed) and does not stop the others (``yuefang.measure.complete_many``)."""
    if len(bodies) > MAX_BATCH:
        raise InvalidInput([field_error("body", f"{len(bodies)} bodies", f"at most {MAX_BATCH} bodies")])
    rows = [b.row() for b in bodies]
    ids = [str(r.pop("id")) if "id" in r else None for r in rows]
    return _batch(rows, ids, None)


@router.post("/complete-batch/csv", response_model=BatchResult)
async def complete_batch_csv(user: CurrentUser, file: UploadFile = File(...)) -> BatchResult:
    """Complete every person of a CSV with the CLI's columns ``id,sex,stature,weight_kg[,age_years]
    [,measurement columns (mm)]``; a bad row names its line (header = line 1) and its reason."""
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput([field_error("file", f"{len(content)} bytes", f"at most {MAX_UPLOAD_BYTES} bytes")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([field_error("file", file.filename, "a UTF-8 CSV file")]) from None
    reader = csv.DictReader(io.StringIO(text.replace("\x00", "")))
    header = [(c or "").strip() for c in (reader.fieldnames or [])]
    missing = [c for c in ("sex", "stature") if c not in header]
    if missing:
        raise InvalidInput([field_error(missing[0], None, "columns id, sex, stature, weight_kg, age_years and "
                                        "measurement names (mm)", f"{missing[0]}: column missing")])
    known_cols = {"id", *_META, *MEASUREMENTS}
    rows: list[dict[str, Any]] = []
    for rec in reader:
        if len(rows) >= MAX_BATCH:
            raise InvalidInput([field_error("file", f"more than {MAX_BATCH} rows", f"at most {MAX_BATCH} rows")])
        rows.append({(k or "").strip(): (v.strip() if isinstance(v, str) else v) for k, v in rec.items()})
    if not rows:
        raise InvalidInput([field_error("file", file.filename, "a CSV with a header and one row per person")])
    ids = [r.get("id") or None for r in rows]
    clean = [{k: v for k, v in r.items() if k in known_cols and k != "id"} for r in rows]
    result = _batch(clean, ids, 2)
    result.ignored_columns = [c for c in header if c not in known_cols]
    return result


@router.get("/designations/{label:path}")
def designation(
    label: Annotated[str, Path(max_length=20, description="GB/T 1335 designation, e.g. 170/88A")],
    user: CurrentUser,
    sex: Annotated[str, Query(max_length=10, description="'female' or 'male'")],
    part: Annotated[str, Query(pattern="^(top|bottom)$", description="88 is the chest (top) or waist (bottom)")] = "top",
) -> dict[str, Any]:
    """The complete body of a GB/T 1335 designation: the standard's control values, the rest from the
    completion model (``yuefang.measure.complete_designation``)."""
    try:
        body = complete_designation(label, sex, part)
    except BodyValidationError as exc:
        raise InvalidInput([{**e, "field": "label", "value": label,
                             "message": f"label: {label!r} gives {e['message']}"} for e in exc.errors]) from None
    except (ValueError, ArithmeticError) as exc:
        field = str(exc).split(":", 1)[0] if str(exc).split(":", 1)[0] in ("label", "sex", "part") else "label"
        value = {"label": label, "sex": sex, "part": part}[field]
        raise InvalidInput([field_error(field, value, _allowed(str(exc)), str(exc))]) from None
    return {"label": label, "part": part, **body.to_dict()}


@router.post("/size-chart-fit")
def size_chart_fit(request: SizeChartFitRequest, user: CurrentUser) -> dict[str, Any]:
    """Fit a body (completed first: measurements not given are predicted) to a size chart: the best
    size and, per size and measurement, tight / good / loose (``yuefang.measure.fit_size_chart``)."""
    try:
        chart = SizeChart.from_dict(request.chart.chart_dict())
    except SizeChartError as exc:
        raise InvalidInput([field_error("chart", None, _allowed(str(exc)), f"chart: {exc}")]) from None
    body = _complete(request.body, "body.")
    try:
        fit = fit_size_chart(chart, body)
    except SizeChartError as exc:
        raise InvalidInput([field_error("chart", None, _allowed(str(exc)), f"chart: {exc}")]) from None
    return {"body": body.to_dict(), **fit.to_dict()}


@router.get("/vocabulary")
def vocabulary(user: CurrentUser) -> list[dict[str, Any]]:
    """Every measurement: ISO 8559-1 name, Chinese name, ISO clause, ANSUR II source, definition,
    kind, sexes, plausible range (mm), whether it is derived by rule."""
    return [{"name": m.name, "name_zh": m.name_zh, "iso_clause": m.iso_clause, "ansur": m.ansur,
             "definition": m.definition, "kind": m.kind, "sexes": sorted(m.sexes),
             "range_mm": list(m.range_mm), "derived": m.derived} for m in MEASUREMENTS.values()]
