"""Lengths on the web pages: entered and shown in centimetres or millimetres, stored in mm.

Every length the platform stores is in millimetres (body measurements under their ISO 8559-1
names, ``fabric_width_mm`` …). The user picks the unit the pages speak; these helpers turn a
stored value into text and typed text back into millimetres.
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = [
    "DEFAULT_UNIT",
    "LENGTH_UNITS",
    "LengthInputError",
    "LengthUnit",
    "format_length",
    "normalize_unit",
    "parse_length",
]

LengthUnit = Literal["cm", "mm"]

#: Units a user may pick for lengths.
LENGTH_UNITS: tuple[LengthUnit, ...] = ("cm", "mm")

#: The unit used until the user picks one (garment trades in China speak centimetres).
DEFAULT_UNIT: LengthUnit = "cm"

_MM_PER_UNIT: dict[str, float] = {"cm": 10.0, "mm": 1.0}


class LengthInputError(ValueError):
    """A typed length that cannot be read; names the field, the value and what is allowed."""

    def __init__(self, field: str, value: str, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: {value!r} is not a length; allowed: {allowed}")


def normalize_unit(value: str | None) -> LengthUnit:
    """``"cm"`` or ``"mm"``; anything else (a stale cookie, nothing) gives :data:`DEFAULT_UNIT`.

    Examples
    --------
    >>> normalize_unit("mm"), normalize_unit(" CM "), normalize_unit("inch"), normalize_unit(None)
    ('mm', 'cm', 'cm', 'cm')
    """
    cleaned = (value or "").strip().lower()
    return "mm" if cleaned == "mm" else "cm" if cleaned == "cm" else DEFAULT_UNIT


def format_length(value_mm: float | None, unit: str) -> str:
    """Text of a length stored in millimetres, in ``unit`` (without the unit's symbol).

    Centimetres keep one decimal (0.1 cm = 1 mm); millimetres are whole unless the stored
    value has a fraction. ``None`` gives an empty string.

    Examples
    --------
    >>> format_length(880, "cm"), format_length(880, "mm"), format_length(882.5, "mm")
    ('88.0', '880', '882.5')
    >>> format_length(1705.26, "cm"), format_length(None, "cm")
    ('170.5', '')
    """
    if value_mm is None:
        return ""
    if normalize_unit(unit) == "cm":
        return f"{value_mm / 10.0:.1f}"
    rounded = round(float(value_mm), 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def parse_length(text: str | None, unit: str, *, field: str, required: bool = True) -> float | None:
    """Millimetres from a length typed in ``unit``.

    Accepts a decimal comma (``"88,5"``) and full-width digits (``"８８"``); rejects empty
    text when ``required``, negative, zero, non-finite and non-numeric values.

    Parameters
    ----------
    text
        What the user typed.
    unit
        ``"cm"`` or ``"mm"``: the unit the user typed in.
    field
        The field's name, for the error message.
    required
        When false, empty text gives ``None``.

    Returns
    -------
    float or None
        The length in mm.

    Raises
    ------
    LengthInputError
        When the text is not a positive number.

    Examples
    --------
    >>> parse_length("88", "cm", field="chest_girth")
    880.0
    >>> parse_length("88,5", "cm", field="chest_girth")
    885.0
    >>> parse_length("  ", "mm", field="hip_girth", required=False) is None
    True
    >>> parse_length("abc", "cm", field="waist_girth")
    Traceback (most recent call last):
    ...
    yuefang.app.web.units.LengthInputError: waist_girth: 'abc' is not a length; allowed: a positive number of cm
    """
    unit = normalize_unit(unit)
    allowed = f"a positive number of {unit}"
    raw = "" if text is None else str(text)
    cleaned = raw.strip().replace(",", ".").translate(_FULL_WIDTH)
    if not cleaned:
        if required:
            raise LengthInputError(field, raw, allowed)
        return None
    try:
        number = float(cleaned)
    except ValueError:
        raise LengthInputError(field, raw, allowed) from None
    if not math.isfinite(number) or number <= 0:
        raise LengthInputError(field, raw, allowed)
    return round(number * _MM_PER_UNIT[unit], 3)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789..")
