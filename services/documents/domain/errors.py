"""Errors the documents domain raises; each maps to the product's one error contract.

They extend :mod:`shared.errors`, so the web layer turns them into
``{"status": 4xx, "errors": [{"field": ..., "message": ...}]}`` without knowing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shared.errors import Conflict, DomainError


class UnknownKind(DomainError):
    """No document kind has that code. The message lists the codes that exist."""

    status = 422

    def __init__(self, kind: object, known: Iterable[str]):
        self.kind = kind
        super().__init__(
            f"There is no document kind {kind!r}; known kinds: {', '.join(sorted(known))}.",
            field="kind",
        )


class _FieldsConflict(Conflict):
    """409 naming several fields of the document, each with its plain-English label."""

    reason = ""

    def __init__(self, message: str, fields: Sequence[tuple[str, str]]):
        self.named = tuple(fields)  # (field path, plain-English label)
        super().__init__(message)

    @property
    def fields(self) -> list[str]:
        return [path for path, _ in self.named]

    def errors(self) -> list[dict[str, Any]]:
        return [{"field": path, "message": f"{label}: {self.reason}"} for path, label in self.named]


class MissingContext(_FieldsConflict):
    """The case record lacks what the document needs; every missing field is named.

    409: the request is well formed, but the case is not yet in a state where this
    document can be produced.
    """

    reason = "needed for this document"

    def __init__(self, kind: str, title: str, missing: Sequence[tuple[str, str]]):
        """``missing`` is a list of (field path, plain-English label) pairs."""
        self.kind = kind
        names = ", ".join(path for path, _ in missing)
        super().__init__(f"{title}: cannot be produced yet; missing {names}.", missing)


class UnprintableDates(_FieldsConflict):
    """The case's record holds a date no document prints (year 1, 9999): each field is named.

    409, not a failure: the record must be corrected, and retrying the same record
    cannot help. The message names fields, never the values (a date of birth stays out
    of logs).
    """

    reason = "this date is before 1900 or after 2100, which no document prints; correct it in the case"

    def __init__(self, title: str, dates: Sequence[tuple[str, str]]):
        names = ", ".join(path for path, _ in dates)
        super().__init__(f"{title}: cannot be produced; a date no document prints in {names}.", dates)
