"""Reading the web forms: typed values from form fields, and validation messages in the user's language.

The order form speaks the user's length unit and field names; the services speak millimetres
and the API's field paths (``lines[0].inputs.stature``). These helpers translate both ways:
:func:`order_from_form` builds the service's :class:`~yuefang.app.schemas.orders.OrderCreate`
input, and :func:`field_messages` turns the service's or Pydantic's errors into one message per
form field, in the page's language, with lengths in the page's unit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from yuefang.app.i18n import N_
from yuefang.app.schemas.orders import OrderCreate
from yuefang.app.web.templating import PageContext
from yuefang.app.web.units import LengthInputError, format_length, parse_length

__all__ = [
    "GARMENT_FORM_MEASUREMENTS",
    "HOME_INPUT_LABELS",
    "FormResult",
    "field_messages",
    "form_field_for",
    "is_length_field",
    "order_from_form",
    "pydantic_errors",
]

#: Optional body measurements on the new-order form (``chest`` becomes chest or bust girth by sex).
GARMENT_FORM_MEASUREMENTS: tuple[str, ...] = (
    "chest",
    "waist_girth",
    "hip_girth",
    "neck_base_girth",
    "shoulder_width",
    "arm_length",
    "back_waist_length",
    "inside_leg_length",
)

#: Names of home-textile inputs, for forms and import help.
HOME_INPUT_LABELS: dict[str, str] = {
    "window_width_mm": N_("Window width"),
    "drop_mm": N_("Finished drop"),
    "duvet_width_mm": N_("Duvet width"),
    "duvet_length_mm": N_("Duvet length"),
    "duvet_size": N_("Duvet size (cm, width x length, e.g. 200x230)"),
    "mattress_width_mm": N_("Mattress width"),
    "mattress_length_mm": N_("Mattress length"),
    "mattress_depth_mm": N_("Mattress depth"),
}

FIELD_LABELS: dict[str, str] = {
    "reference": N_("Reference"),
    "customer_ref": N_("Customer"),
    "due_date": N_("Due date"),
    "notes": N_("Notes"),
    "fabric_name": N_("Fabric"),
    "fabric_colour": N_("Colour"),
    "fabric_width": N_("Fabric width"),
    "nap": N_("Nap"),
    "product_id": N_("Product"),
    "wearer_ref": N_("Wearer"),
    "quantity": N_("Quantity"),
    "size": N_("Size"),
    "sex": N_("Sex"),
    "weight_kg": N_("Weight (kg)"),
    "age_years": N_("Age (years)"),
    "file": N_("File"),
    "text": N_("Rows"),
    "lines": N_("Lines"),
    "options": N_("Options"),
}

_BODY_META = ("sex", "stature", "weight_kg", "age_years")


@dataclass
class FormResult:
    """What a form gave: the service input (when it could be built) and each field's message."""

    data: OrderCreate | None
    errors: dict[str, str]


def is_length_field(name: str) -> bool:
    """True for fields holding a length in mm (body measurements, ``*_mm``), shown in the user's unit.

    Examples
    --------
    >>> is_length_field("chest_girth"), is_length_field("drop_mm"), is_length_field("weight_kg")
    (True, True, False)
    """
    from yuefang.app.web.labels import measurement_names

    return name in ("fabric_width", "chest") or name.endswith("_mm") or name in measurement_names()


def form_field_for(path: str) -> str:
    """The form field of an error path of the service or of Pydantic.

    Examples
    --------
    >>> form_field_for("lines[0].inputs.stature"), form_field_for("lines.0.inputs.bust_girth")
    ('stature', 'chest')
    >>> form_field_for("fabric_width_mm"), form_field_for("lines[0].quantity"), form_field_for("reference")
    ('fabric_width', 'quantity', 'reference')
    """
    parts = [p for p in re.split(r"[.\[\]]+", path) if p and not p.isdigit()]
    if parts and parts[0] in ("lines", "rows"):
        parts = parts[1:]
    if parts and parts[0] in ("inputs", "options") and len(parts) > 1:
        parts = parts[1:]
    name = parts[0] if parts else path
    if name in ("chest_girth", "bust_girth"):
        return "chest"
    if name == "fabric_width_mm":
        return "fabric_width"
    return name


def field_label(name: str, page: PageContext) -> str:
    """The label of a form field or input name in the page's language."""
    if name == "chest":
        return page.measurement("chest_girth")
    if name in FIELD_LABELS:
        return page.gettext(FIELD_LABELS[name])
    if name in HOME_INPUT_LABELS:
        return page.gettext(HOME_INPUT_LABELS[name])
    return page.measurement(name)


_RANGE_MM = re.compile(r"(-?\d+(?:\.\d+)?)\s*[–-]\s*(-?\d+(?:\.\d+)?)\s*mm")
_BOUND_MM = re.compile(r"([<>≤≥]\s*)(-?\d+(?:\.\d+)?)\s*mm\b")


def _in_unit(text: str, page: PageContext) -> str:
    """Rewrite ``lo–hi mm`` ranges and ``≤ N mm`` bounds of a service message into the page's unit."""

    def repl(match: re.Match[str]) -> str:
        lo, hi = float(match.group(1)), float(match.group(2))
        return f"{format_length(lo, page.unit)}–{format_length(hi, page.unit)} {page.unit}"

    def repl_bound(match: re.Match[str]) -> str:
        return f"{match.group(1)}{format_length(float(match.group(2)), page.unit)} {page.unit}"

    return _BOUND_MM.sub(repl_bound, _RANGE_MM.sub(repl, text))


def _value_text(name: str, value: Any, page: PageContext) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and is_length_field(name):
        return page.length(float(value))
    return "" if value is None else str(value)


def field_messages(errors: Iterable[Mapping[str, Any]], page: PageContext) -> dict[str, str]:
    """One message per form field from the service's errors (``field``, ``value``, ``allowed``).

    The sentence is the catalogue's, in the page's language; the field has its label; lengths
    (the value and ``lo–hi mm`` ranges) are in the page's unit.
    """
    out: dict[str, str] = {}
    for err in errors:
        field = form_field_for(str(err.get("field") or "form"))
        label = field_label(field, page)
        allowed = _in_unit(str(err.get("allowed") or ""), page)
        value = _value_text(field, err.get("value"), page)
        if err.get("value") in (None, ""):
            message = page.gettext("%(field)s is required; allowed: %(allowed)s", field=label, allowed=allowed)
        else:
            message = page.gettext(
                "%(field)s: %(value)s is not allowed; allowed: %(allowed)s", field=label, value=value, allowed=allowed
            )
        out.setdefault(field, message)
    return out


_PYDANTIC_ALLOWED: dict[str, str] = {
    "missing": N_("a value"),
    "string_too_short": N_("at least %(min_length)s characters"),
    "string_too_long": N_("at most %(max_length)s characters"),
    "greater_than": N_("more than %(gt)s"),
    "greater_than_equal": N_("at least %(ge)s"),
    "less_than": N_("less than %(lt)s"),
    "less_than_equal": N_("at most %(le)s"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_parsing": N_("a number"),
    "date_from_datetime_parsing": N_("a date (YYYY-MM-DD)"),
    "date_parsing": N_("a date (YYYY-MM-DD)"),
    "enum": N_("one of %(expected)s"),
}


def pydantic_errors(exc: ValidationError, page: PageContext) -> list[dict[str, Any]]:
    """Pydantic's errors as service-style errors, with ``allowed`` in the page's language and unit."""
    out = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"])
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, str | int | float)}
        name = form_field_for(path)
        if is_length_field(name):
            ctx = {k: page.length(float(v)) if isinstance(v, int | float) else v for k, v in ctx.items()}
        template = _PYDANTIC_ALLOWED.get(err["type"])
        try:
            allowed = page.gettext(template, **ctx) if template else str(err.get("msg", ""))
        except (KeyError, TypeError, ValueError):
            allowed = str(err.get("msg", ""))
        value = err.get("input")
        if not isinstance(value, str | int | float | type(None)):
            value = None
        out.append({"field": path, "value": value, "allowed": allowed})
    return out


def _number(values: Mapping[str, str], name: str, errors: dict[str, str], page: PageContext, *, whole: bool = False) -> float | int | None:
    text = (values.get(name) or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        number = float(text)
        if whole:
            if not number.is_integer():
                raise ValueError(text)
            return int(number)
        return number
    except ValueError:
        allowed = page.gettext("a whole number") if whole else page.gettext("a number")
        errors[name] = page.gettext(
            "%(field)s: %(value)s is not allowed; allowed: %(allowed)s",
            field=field_label(name, page), value=text, allowed=allowed,
        )
        return None


def _length(values: Mapping[str, str], name: str, errors: dict[str, str], page: PageContext, *, required: bool = False) -> float | None:
    try:
        return parse_length(values.get(name), page.unit, field=name, required=required)
    except LengthInputError as exc:
        if not (exc.value or "").strip():
            errors[name] = page.gettext("%(field)s is required", field=field_label(name, page))
        else:
            errors[name] = page.gettext(
                "%(field)s: %(value)s is not a length; allowed: a positive number of %(unit)s",
                field=field_label(name, page), value=exc.value, unit=page.unit,
            )
        return None


def order_from_form(
    values: Mapping[str, str], page: PageContext, *, product_kinds: Mapping[str, str],
    home_fields: Mapping[str, Iterable[str]], product_options: Mapping[str, Mapping[str, list[Any]]] | None = None,
) -> FormResult:
    """The new-order form's fields as the service's ``OrderCreate``, or the fields' messages.

    Parameters
    ----------
    values
        The submitted form (text per field).
    product_kinds
        ``{product_id: "garment" | "home_textile"}`` of the products on offer.
    home_fields
        ``{product_id: input names}`` of each home-textile product (lengths in mm).
    product_options
        ``{product_id: {option: allowed values}}``: the style options offered as choices, read from
        the fields ``opt.<product_id>.<option>``.
    """
    errors: dict[str, str] = {}
    order: dict[str, Any] = {
        "reference": (values.get("reference") or "").strip(),
        "customer_ref": (values.get("customer_ref") or "").strip() or None,
        "notes": values.get("notes") or "",
        "fabric_name": (values.get("fabric_name") or "").strip(),
        "fabric_colour": (values.get("fabric_colour") or "").strip(),
        "nap": values.get("nap") or "none",
    }
    if not order["reference"]:
        errors["reference"] = page.gettext("%(field)s is required", field=field_label("reference", page))
    due = (values.get("due_date") or "").strip()
    if due:
        try:
            order["due_date"] = dt.date.fromisoformat(due)
        except ValueError:
            errors["due_date"] = page.gettext(
                "%(field)s: %(value)s is not allowed; allowed: %(allowed)s",
                field=field_label("due_date", page), value=due, allowed=page.gettext("a date (YYYY-MM-DD)"),
            )
    width = _length(values, "fabric_width", errors, page, required=True)
    if width is not None:
        order["fabric_width_mm"] = width

    product_id = (values.get("product_id") or "").strip()
    if product_id:
        kind = product_kinds.get(product_id)
        if kind is None:
            errors["product_id"] = page.gettext(
                "%(field)s: %(value)s is not allowed; allowed: %(allowed)s",
                field=field_label("product_id", page), value=product_id, allowed=", ".join(product_kinds),
            )
        inputs: dict[str, Any] = {}
        if kind == "garment":
            sex = (values.get("sex") or "").strip()
            if sex:
                inputs["sex"] = sex
            stature = _length(values, "stature", errors, page)
            if stature is not None:
                inputs["stature"] = stature
            for name in ("weight_kg", "age_years"):
                number = _number(values, name, errors, page)
                if number is not None:
                    inputs[name] = number
            for name in GARMENT_FORM_MEASUREMENTS:
                value = _length(values, name, errors, page)
                if value is not None:
                    key = ("bust_girth" if sex == "female" else "chest_girth") if name == "chest" else name
                    inputs[key] = value
        elif kind is not None:
            for name in home_fields.get(product_id, ()):
                value = _length(values, name, errors, page)
                if value is not None:
                    inputs[name] = value
        options: dict[str, Any] = {}
        for name, allowed in ((product_options or {}).get(product_id) or {}).items():
            chosen = values.get(f"opt.{product_id}.{name}")
            typed = next((v for v in allowed if str(v) == chosen), None)
            if typed is not None:
                options[name] = typed
            elif chosen:
                errors[f"opt.{product_id}.{name}"] = page.gettext(
                    "%(field)s: %(value)s is not allowed; allowed: %(allowed)s",
                    field=name, value=chosen, allowed=", ".join(map(str, allowed)),
                )
        line: dict[str, Any] = {
            "product_id": product_id,
            "wearer_ref": (values.get("wearer_ref") or "").strip() or None,
            "size": (values.get("size") or "").strip() or None,
            "inputs": inputs,
            "options": options,
        }
        quantity = _number(values, "quantity", errors, page, whole=True)
        if quantity is not None:
            line["quantity"] = quantity
        order["lines"] = [line]
    # every check at once, so that the page shows all the problems together: the fields' own
    # parsing above, the order's schema, then the product's inputs and options (the service's check)
    data: OrderCreate | None = None
    try:
        data = OrderCreate.model_validate(order)
    except ValidationError as exc:
        for field, message in field_messages(pydantic_errors(exc, page), page).items():
            errors.setdefault(field, message)
    line = (order.get("lines") or [None])[0]
    if line is not None and product_kinds.get(line["product_id"]) is not None:
        from yuefang.app.errors import InvalidInput
        from yuefang.app.services.products import validate_line

        try:
            validate_line(product_id=line["product_id"], inputs=line["inputs"], options=line["options"],
                          prefix="lines[0].")  # fmt: skip
        except InvalidInput as exc:
            for field, message in field_messages(exc.errors, page).items():
                errors.setdefault(field, message)
    if errors:
        return FormResult(None, errors)
    return FormResult(data, {})
