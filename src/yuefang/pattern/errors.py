"""Errors raised while drafting a pattern: a bad option or a missing input.

Both are ``ValueError`` subclasses carrying the field, the value and what is allowed, so the
CLI and the API can show a clear message.

Examples
--------
>>> err = OptionError("fit", "baggy", "one of slim, regular, loose")
>>> str(err)
"option fit: 'baggy' is not allowed; allowed: one of slim, regular, loose"
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

__all__ = ["PatternError", "OptionError", "InputError", "DraftError"]


class PatternError(ValueError):
    """Base class of the pattern package's errors."""

    kind = "value"

    def __init__(self, field: str, value: object, allowed: str, message: str | None = None) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.message = message or f"{self.kind} {field}: {value!r} is not allowed; allowed: {allowed}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class OptionError(PatternError):
    """A style option outside its allowed range or set."""

    kind = "option"


class InputError(PatternError):
    """A body measurement (or other input) missing or not usable."""

    kind = "input"


class DraftError(PatternError):
    """A body (with its options) for which a garment cannot be drawn as simple pieces."""

    kind = "draft"
