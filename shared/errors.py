"""Domain errors shared by every service, and the one error contract.

Domain code raises these; each app maps them to HTTP in one place
(:func:`shared.web.register_error_handlers`). API responses take the shape
``{"status": 422, "errors": [{"field": "child_age", "message": "..."}]}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class DomainError(Exception):
    """Base of every error a user can cause; ``status`` is its HTTP status."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def errors(self) -> list[dict[str, Any]]:
        return [{"field": self.field, "message": self.message}]


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The request is valid but the record is not in a state that allows it."""

    status = 409


class InvalidInput(DomainError):
    """Several fields are wrong at once."""

    status = 422

    def __init__(self, field_errors: Iterable[dict[str, Any]]):
        self._errors = list(field_errors)
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self._errors))

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


def flatten_messages(messages: Any, prefix: str = "") -> list[dict[str, Any]]:
    """Turn marshmallow's nested error messages into a flat list of field errors.

    ``{"referrer": {"email": ["Not a valid email address."]}}`` becomes
    ``[{"field": "referrer.email", "message": "Not a valid email address."}]``.
    """
    out: list[dict[str, Any]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                name = prefix or None
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            out.extend(flatten_messages(value, name or ""))
    elif isinstance(messages, (list, tuple)):
        if all(isinstance(m, str) for m in messages):
            for m in messages:
                out.append({"field": prefix or None, "message": m})
        else:
            for m in messages:
                out.extend(flatten_messages(m, prefix))
    else:
        out.append({"field": prefix or None, "message": str(messages)})
    return out
