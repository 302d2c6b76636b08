"""Patterns through the API: draft a product and get ``pieces.json``, the report and the SVG, or
one export file (SVG, PDF, DXF-AAMA, HP-GL, pieces, report).

Thin: parse, check the login (any user: nothing is stored), complete a garment's body as the
order's ``measured`` step does, call ``yuefang.pattern``, map its errors to 422 naming field,
value and what is allowed.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from yuefang.app.api.deps import CurrentUser
from yuefang.app.errors import InvalidInput, field_error
from yuefang.app.schemas.patterns import EXPORT_FORMATS, DraftRequest, DraftResult
from yuefang.app.services.products import validate_line
from yuefang.measure import complete_body
from yuefang.pattern.errors import InputError, OptionError, PatternError
from yuefang.pattern.model import Pattern
from yuefang.pattern.products import PRODUCT_MODULES, UnknownProductError, get_product

router = APIRouter(prefix="/patterns", tags=["patterns"])

ProductPath = Annotated[str, Path(max_length=50, description="product id, e.g. shirt, curtain (GET /api/products)")]
_META = ("sex", "stature", "weight_kg", "age_years")


def _product(product_id: str) -> Any:
    try:
        return get_product(product_id)
    except (UnknownProductError, ImportError):
        allowed = ", ".join(sorted(PRODUCT_MODULES))
        raise InvalidInput([field_error("product", product_id, allowed,
                                        f"product: unknown product {product_id!r}; allowed: {allowed}")]) from None


def _garment_inputs(product: Any, inputs: dict[str, Any]) -> dict[str, Any]:
    """The product's inputs from a body: completed, the given values kept (as the ``measured`` step)."""
    known = {k: float(v) for k, v in inputs.items() if k not in _META}
    try:
        body = complete_body(sex=inputs["sex"], stature=float(inputs["stature"]),
                             weight_kg=inputs.get("weight_kg"), age_years=inputs.get("age_years"), known=known)
    except ValueError as exc:
        raise InvalidInput([field_error("inputs", sorted(known), "measurements the completion model can "
                                        "condition on", f"inputs: {exc}")]) from None
    values: dict[str, Any] = {**body.values, **known, "stature": float(inputs["stature"])}
    fields = getattr(product.inputs_model, "model_fields", None)
    out = {k: v for k, v in values.items() if fields is None or k in fields}
    if fields is None or "sex" in fields:
        out["sex"] = body.sex
    return out


def _draft(product_id: str, request: DraftRequest) -> Pattern:
    product = _product(product_id)
    inputs = validate_line(product_id=product_id, inputs=request.inputs, options=request.options)
    if product.kind == "garment":
        inputs = _garment_inputs(product, inputs)
    try:
        return product.draft(inputs, request.options or None, size=request.size, order_line=request.order_line)
    except PatternError as exc:
        prefix = "options." if isinstance(exc, OptionError) else "inputs." if isinstance(exc, InputError) else ""
        raise InvalidInput([field_error(prefix + exc.field, _plain(exc.value), exc.allowed, exc.message)]) from None
    except (ValueError, TypeError) as exc:
        raise InvalidInput([field_error("inputs", None, "a body or dimensions the product can be drafted for",
                                        f"{product_id}: {exc}")]) from None


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)[:200]


@router.post("/{product}/draft", response_model=DraftResult)
def draft(product: ProductPath, request: DraftRequest, user: CurrentUser) -> DraftResult:
    """Draft a product: ``pieces`` (the ``pieces.json`` Pattern JSON that the marker reads), the
    self-check report and the SVG (1:1, mm). A garment's body is completed first."""
    from yuefang.pattern.export import to_svg

    pattern = _draft(product, request)
    return DraftResult(product=pattern.product, size=pattern.size, ok=bool(pattern.report.get("ok", True)),
                       pieces=json.loads(pattern.to_json()), report=json.loads(json.dumps(pattern.report, default=str)),
                       svg=to_svg(pattern))


@router.post("/{product}/export")
def export(
    product: ProductPath, request: DraftRequest, user: CurrentUser,
    format: Annotated[str, Query(pattern="^(svg|pdf-a4|pdf-plot|dxf|hpgl|pieces|report)$")] = "svg",
) -> Response:
    """Draft a product and answer one file: ``svg``, ``pdf-a4`` (tiled), ``pdf-plot`` (full size),
    ``dxf`` (DXF-AAMA, GBK), ``hpgl``, ``pieces`` (pieces.json) or ``report`` (report.json)."""
    from yuefang.pattern import export as ex

    pattern = _draft(product, request)
    filename, media = EXPORT_FORMATS[format]
    content: bytes | str
    if format == "svg":
        content = ex.to_svg(pattern)
    elif format == "pdf-a4":
        content = ex.to_pdf_a4(pattern)
    elif format == "pdf-plot":
        content = ex.to_pdf_plot(pattern)
    elif format == "dxf":
        content = ex.to_dxf_aama(pattern)
    elif format == "hpgl":
        content = ex.to_hpgl(pattern)
    elif format == "pieces":
        content = pattern.to_json()
    else:
        content = json.dumps(pattern.report, ensure_ascii=False, indent=1, default=str)
    name = f"{pattern.product}-{filename}"
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
