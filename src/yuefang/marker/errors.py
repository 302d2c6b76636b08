"""Errors raised by the marker package."""

from __future__ import annotations

from typing import Any

__all__ = ["MarkerInputError", "NestingEngineError"]


class MarkerInputError(ValueError):
    """Bad input to the marker: names the field, the value given and what is allowed.

    Parameters
    ----------
    field : str
        Dotted name of the offending field, e.g. ``"pieces[front].cut"``.
    value : Any
        The value given.
    allowed : str
        What would have been accepted.
    reason : str, optional
        A short explanation.

    Examples
    --------
    >>> err = MarkerInputError("fabric.width_mm", -3, "a number > 0")
    >>> str(err)
    'fabric.width_mm: got -3; allowed: a number > 0'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, field: str, value: Any, allowed: str, reason: str = "") -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.field}: got {_short(self.value)}; allowed: {self.allowed}"
        return f"{text} ({self.reason})" if self.reason else text


class NestingEngineError(RuntimeError):
    """The nesting engine stopped without a layout (it should not, once the input is validated)."""


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
