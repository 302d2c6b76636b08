"""Products offered on order lines and validation of a line's inputs and options at entry.

A garment line's ``inputs`` are ``sex``, ``stature`` (mm), ``weight_kg``, ``age_years`` and any body
measurements in mm by ISO 8559-1 name (checked by ``yuefang.measure.validate_body``); a
home-textile line's inputs follow the product's ``inputs_model``. Options follow ``options_model``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from yuefang.app.errors import InvalidInput, field_error

__all__ = [
    "product_ids",
    "product_kind",
    "load_product",
    "validate_line",
    "list_product_info",
    "GARMENT_META",
]

GARMENT_META = ("sex", "stature", "weight_kg", "age_years")


def product_ids() -> list[str]:
    """Every product id of the registry (installed or not)."""
    from yuefang.pattern.products import PRODUCT_MODULES

    return sorted(PRODUCT_MODULES)


def load_product(product_id: str) -> Any | None:
    """The product object, or None when its module is not installed yet."""
    from yuefang.pattern.products import get_product

    try:
        return get_product(product_id)
    except ImportError:
        return None
    except AttributeError:
        return None


def product_kind(product_id: str) -> str:
    """``"garment"`` or ``"home_textile"`` (from the product, else from where its module lives)."""
    from yuefang.pattern.products import PRODUCT_MODULES

    product = load_product(product_id)
    if product is not None and getattr(product, "kind", None):
        return str(product.kind)
    return "home_textile" if ".home." in PRODUCT_MODULES.get(product_id, "") else "garment"


_BOUND_SIGNS = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}


def _bound_text(err: Any, loc: str) -> str:
    """A numeric bound of a Pydantic error as a language-neutral ``≤ 12000 mm`` (empty when none).

    Examples
    --------
    >>> _bound_text({"ctx": {"le": 12000}}, "window_width_mm"), _bound_text({"ctx": {"gt": 0}}, "panels")
    ('≤ 12000 mm', '> 0')
    """
    ctx = err.get("ctx") or {}
    for key, sign in _BOUND_SIGNS.items():
        bound = ctx.get(key)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            unit = " mm" if loc.endswith("_mm") else ""
            return f"{sign} {bound:g}{unit}"
    return ""


def _pydantic_errors(exc: ValidationError, prefix: str) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        field = f"{prefix}.{loc}" if loc else prefix
        value = err.get("input")
        if not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)[:200]
        allowed = _bound_text(err, loc) or err.get("msg", "")
        out.append(field_error(field, value, allowed, f"{field}: {err['msg']}"))
    return out


def _validate_garment_inputs(inputs: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    if inputs.get("sex") in (None, ""):
        errors.append(
            field_error(f"{prefix}.sex", inputs.get("sex"), "'female' or 'male'", f"{prefix}.sex is required")
        )
    if inputs.get("stature") in (None, ""):
        errors.append(
            field_error(
                f"{prefix}.stature",
                inputs.get("stature"),
                "stature in mm, e.g. 1700",
                f"{prefix}.stature is required (mm)",
            )
        )
    try:
        from yuefang.measure.validation import BodyValidationError, validate_body
    except ImportError:
        for key in ("stature", "weight_kg", "age_years"):
            value = inputs.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                errors.append(field_error(f"{prefix}.{key}", value, "a number"))
        if inputs.get("sex") not in (None, "", "female", "male"):
            errors.append(field_error(f"{prefix}.sex", inputs.get("sex"), "'female' or 'male'"))
        return errors
    try:
        validate_body(inputs)
    except BodyValidationError as exc:
        for e in exc.errors:
            errors.append({**e, "field": f"{prefix}.{e.get('field')}", "value": _plain(e.get("value"))})
    except (TypeError, ValueError) as exc:
        errors.append(field_error(prefix, None, "body measurements in mm", f"{prefix}: {exc}"))
    return errors


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)[:200]


def validate_line(
    *, product_id: str, inputs: dict[str, Any], options: dict[str, Any], prefix: str = ""
) -> dict[str, Any]:
    """Check a line's product, inputs and options; return the normalised inputs or raise InvalidInput (422).

    Parameters
    ----------
    prefix : str
        Put before field names in errors, e.g. ``"lines[3]."`` or ``"rows[12]."``.
    """
    ids = product_ids()
    if product_id not in ids:
        raise InvalidInput([field_error(f"{prefix}product_id", product_id, ", ".join(ids))])
    kind = product_kind(product_id)
    product = load_product(product_id)
    errors: list[dict[str, Any]] = []
    normalised = dict(inputs)
    if kind == "garment":
        if isinstance(normalised.get("sex"), str):
            try:
                from yuefang.measure.vocabulary import normalise_sex

                normalised["sex"] = normalise_sex(normalised["sex"])
            except (ImportError, ValueError):
                pass
        errors += _validate_garment_inputs(normalised, f"{prefix}inputs")
    elif product is not None and getattr(product, "inputs_model", None) is not None:
        try:
            product.inputs_model.model_validate(inputs)
        except ValidationError as exc:
            errors += _pydantic_errors(exc, f"{prefix}inputs")
    if product is not None and getattr(product, "options_model", None) is not None:
        try:
            product.options_model.model_validate(options)
        except ValidationError as exc:
            errors += _pydantic_errors(exc, f"{prefix}options")
    if errors:
        raise InvalidInput(errors)
    return normalised


def list_product_info() -> list[dict[str, Any]]:
    """Each product: id, names, kind, installed, and the JSON schema of its inputs and options."""
    out = []
    for pid in product_ids():
        product = load_product(pid)
        kind = product_kind(pid)
        info: dict[str, Any] = {"id": pid, "kind": kind, "installed": product is not None}
        if product is not None:
            info["name_en"] = getattr(product, "name_en", pid)
            info["name_zh"] = getattr(product, "name_zh", pid)
            for attr, key in (("inputs_model", "inputs_schema"), ("options_model", "options_schema")):
                model = getattr(product, attr, None)
                try:
                    info[key] = model.model_json_schema() if model is not None else None
                except Exception:  # a schema that cannot be rendered is reported as absent
                    info[key] = None
        if kind == "garment":
            info["inputs_schema"] = {
                "type": "object",
                "description": "sex ('female'|'male'), stature (mm), weight_kg, age_years, and body "
                "measurements in mm by ISO 8559-1 name (e.g. chest_girth)",
                "required": ["sex", "stature"],
            }
        out.append(info)
    return out
