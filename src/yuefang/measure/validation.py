"""Validation of body measurements: plausible human ranges, consistency, likely wrong units.

Errors name the field, the value and the allowed range; values that look like another unit
(stature 70: inches? 175: centimetres?) are refused with a message naming the likely unit.

Examples
--------
>>> validate_body({"stature": 1750, "waist_girth": 820}, sex="male")
>>> try:
...     validate_body({"stature": 175})
... except BodyValidationError as exc:
...     print(exc.errors[0]["allowed"], "|", "centimetres" in exc.errors[0]["message"])
1200–2250 mm | True
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from yuefang.measure.vocabulary import MEASUREMENTS, normalise_sex

__all__ = ["BodyValidationError", "validate_body", "WEIGHT_RANGE_KG", "AGE_RANGE_YEARS", "BMI_RANGE"]

WEIGHT_RANGE_KG: tuple[float, float] = (25.0, 300.0)
AGE_RANGE_YEARS: tuple[float, float] = (15.0, 100.0)
BMI_RANGE: tuple[float, float] = (12.0, 75.0)
_META = {"id", "name", "sex", "note", "notes", "customer", "line"}

# pairs (smaller, larger): the first must be smaller than the second
_ORDER = [
    ("inside_leg_length", "outside_leg_length"),
    ("underbust_girth", "bust_girth"),
    ("cervical_height", "stature"),
    ("outside_leg_length", "stature"),
    ("wrist_girth", "upper_arm_girth"),
    ("ankle_girth", "thigh_girth"),
    ("knee_girth", "thigh_girth"),
]


class BodyValidationError(ValueError):
    """A body failed validation.

    Attributes
    ----------
    errors : list of dict
        One dict per problem, with ``field``, ``value``, ``allowed`` and ``message``.
    """

    def __init__(self, errors: list[dict]) -> None:
        self.errors = errors
        super().__init__("; ".join(e["message"] for e in errors))


def _fmt(x: float) -> str:
    return f"{x:g}"


def _unit_hint(value: float, lo: float, hi: float) -> str:
    """A hint naming the unit ``value`` was probably given in, for a measurement in mm."""
    for factor, unit in ((10.0, "centimetres"), (25.4, "inches"), (1000.0, "metres")):
        if lo <= value * factor <= hi:
            return f"; it looks like {unit} ({_fmt(value)} {unit} = {_fmt(round(value * factor, 1))} mm): give millimetres"
    return ""


def _weight_hint(value: float) -> str:
    lo, hi = WEIGHT_RANGE_KG
    for factor, unit in ((1 / 2.20462, "pounds"), (0.1, "tenths of a kilogram"), (0.001, "grams")):
        if value > hi and lo <= value * factor <= hi:
            return f"; it looks like {unit} ({_fmt(value)} = {_fmt(round(value * factor, 1))} kg): give kilograms"
    return ""


def _num(field: str, value: object, errors: list[dict], allowed: str) -> float | None:
    try:
        if isinstance(value, bool):
            raise TypeError
        x = float(value)  # type: ignore[arg-type]  # any value: float() refusing it is the check
    except (TypeError, ValueError):
        errors.append({"field": field, "value": value, "allowed": allowed,
                       "message": f"{field}: {value!r} is not a number; allowed: {allowed}"})
        return None
    if not math.isfinite(x):
        errors.append({"field": field, "value": value, "allowed": allowed,
                       "message": f"{field}: {value!r} is not a finite number; allowed: {allowed}"})
        return None
    return x


def validate_body(body: Mapping[str, float | str | None], *, sex: str | None = None) -> None:
    """Check a body against plausible human ranges and against itself.

    Parameters
    ----------
    body : mapping
        Measurement name -> value in mm, plus optionally ``weight_kg`` (kg), ``age_years`` (years)
        and ``sex``. ``None`` or empty values are treated as absent.
    sex : str, optional
        ``"female"`` or ``"male"``; overrides ``body["sex"]``.

    Raises
    ------
    BodyValidationError
        With every problem found (field, value, allowed, message).
    """
    errors: list[dict] = []
    raw_sex = sex if sex is not None else body.get("sex")
    sex_n: str | None = None
    if raw_sex not in (None, ""):
        try:
            sex_n = normalise_sex(raw_sex)
        except ValueError as exc:
            errors.append({"field": "sex", "value": raw_sex, "allowed": "female, male", "message": str(exc)})
    values: dict[str, float] = {}
    for field, value in body.items():
        if field in _META or value is None or value == "":
            continue
        # exactly an int or a float (not a bool, not a subclass); `type(...) is` narrows the type too
        plain = value if type(value) is float or type(value) is int else None
        if field in ("weight_kg", "age_years") and plain is not None:
            lo, hi = WEIGHT_RANGE_KG if field == "weight_kg" else AGE_RANGE_YEARS
            if lo <= plain <= hi:  # fast path
                if field == "weight_kg":
                    values[field] = float(plain)
                continue
        if field == "weight_kg":
            lo, hi = WEIGHT_RANGE_KG
            allowed = f"{_fmt(lo)}–{_fmt(hi)} kg"
            x = _num(field, value, errors, allowed)
            if x is not None and not lo <= x <= hi:
                errors.append({"field": field, "value": value, "allowed": allowed,
                               "message": f"weight_kg: {_fmt(x)} is outside {allowed}{_weight_hint(x)}"})
            elif x is not None:
                values[field] = x
            continue
        if field == "age_years":
            lo, hi = AGE_RANGE_YEARS
            allowed = f"{_fmt(lo)}–{_fmt(hi)} years"
            x = _num(field, value, errors, allowed)
            if x is not None and not lo <= x <= hi:
                errors.append({"field": field, "value": value, "allowed": allowed,
                               "message": f"age_years: {_fmt(x)} is outside {allowed} (adult sizes only)"})
            continue
        m = MEASUREMENTS.get(field)
        if m is not None and sex_n in m.sexes and plain is not None and m.range_mm[0] <= plain <= m.range_mm[1]:
            values[field] = float(plain)  # fast path: a plausible number
            continue
        if m is None:
            allowed = "a measurement name of yuefang.measure.MEASUREMENTS, weight_kg, age_years or sex"
            errors.append({"field": field, "value": value, "allowed": allowed,
                           "message": f"{field}: unknown field; allowed: {allowed}"})
            continue
        lo, hi = m.range_mm
        allowed = f"{_fmt(lo)}–{_fmt(hi)} mm"
        x = _num(field, value, errors, allowed)
        if x is None:
            continue
        if sex_n is not None and sex_n not in m.sexes:
            alt = {"chest_girth": "bust_girth", "bust_girth": "chest_girth"}.get(field)
            allowed_s = f"measurements for {sex_n}" + (f" (use {alt})" if alt else "")
            errors.append({"field": field, "value": value, "allowed": allowed_s,
                           "message": f"{field}: not a measurement of a {sex_n} body in yuefang"
                                      + (f"; use {alt}" if alt else "")})
            continue
        if not lo <= x <= hi:
            errors.append({"field": field, "value": value, "allowed": allowed,
                           "message": f"{field}: {_fmt(x)} mm is outside {allowed}{_unit_hint(x, lo, hi)}"})
            continue
        values[field] = x

    stature = values.get("stature")
    if stature is not None:
        for field, x in values.items():
            if field == "stature" or field == "weight_kg":
                continue
            rlo, rhi = MEASUREMENTS[field].ratio
            lo, hi = rlo * stature, rhi * stature
            if not lo <= x <= hi:
                allowed = f"{_fmt(round(lo))}–{_fmt(round(hi))} mm for a stature of {_fmt(stature)} mm"
                errors.append({"field": field, "value": x, "allowed": allowed,
                               "message": f"{field}: {_fmt(x)} mm is not plausible with stature {_fmt(stature)} mm; "
                                          f"allowed: {allowed}"})
        if "weight_kg" in values:
            bmi = values["weight_kg"] / (stature / 1000.0) ** 2
            lo, hi = BMI_RANGE
            if not lo <= bmi <= hi:
                wlo, whi = lo * (stature / 1000.0) ** 2, hi * (stature / 1000.0) ** 2
                allowed = f"{wlo:.0f}–{whi:.0f} kg for a stature of {_fmt(stature)} mm (BMI {_fmt(lo)}–{_fmt(hi)})"
                errors.append({"field": "weight_kg", "value": values["weight_kg"], "allowed": allowed,
                               "message": f"weight_kg: {_fmt(values['weight_kg'])} is not plausible with stature "
                                          f"{_fmt(stature)} mm (BMI {bmi:.1f}); allowed: {allowed}"})
    for small, large in _ORDER:
        if small in values and large in values and values[small] >= values[large]:
            allowed = f"less than {large} ({_fmt(values[large])} mm)"
            errors.append({"field": small, "value": values[small], "allowed": allowed,
                           "message": f"{small}: {_fmt(values[small])} mm must be less than {large} "
                                      f"({_fmt(values[large])} mm)"})
    if errors:
        raise BodyValidationError(errors)
