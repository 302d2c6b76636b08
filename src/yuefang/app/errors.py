"""Domain errors raised by services; ``main`` maps them to HTTP (404, 403, 409, 422, 401).

Every error body is JSON ``{"code": ..., "detail": [{"field", "value", "allowed", "message"}]}``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "FieldError",
    "DomainError",
    "NotFound",
    "Forbidden",
    "Conflict",
    "InvalidInput",
    "Unauthorized",
    "field_error",
]

FieldError = dict[str, Any]


def field_error(field: str, value: Any, allowed: str, message: str | None = None) -> FieldError:
    """One error entry naming the field, the value received and what is allowed."""
    return {
        "field": field,
        "value": value,
        "allowed": allowed,
        "message": message or f"{field}: {value!r} is not allowed; allowed: {allowed}",
    }


class DomainError(Exception):
    """Base of the platform's errors; ``status_code`` is the HTTP answer."""

    status_code = 400
    code = "error"

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def to_json(self) -> dict[str, Any]:
        detail = self.errors or [{"field": None, "value": None, "allowed": None, "message": self.message}]
        return {"code": self.code, "message": self.message, "detail": detail}


class NotFound(DomainError):
    """Absent, or belongs to another enterprise (indistinguishable on purpose)."""

    status_code = 404
    code = "not_found"

    def __init__(self, entity: str, entity_id: Any) -> None:
        super().__init__(
            f"{entity} {entity_id} not found",
            [field_error("id", entity_id, f"the id of an existing {entity} of your enterprise", f"{entity} {entity_id} not found")],
        )


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"

    def __init__(self, message: str, *, role: str | None = None, allowed: str | None = None) -> None:
        super().__init__(message, [field_error("role", role, allowed or "", message)] if role is not None else None)


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid_input"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e["message"] for e in errors) or "invalid input", errors)
