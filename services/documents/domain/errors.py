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


class MissingContext(Conflict):
    """The case record lacks what the document needs; every missing field is named.

    409: the request is well formed, but the case is not yet in a state where this
    document can be produced.
    """

    def __init__(self, kind: str, title: str, missing: Sequence[tuple[str, str]]):
        """``missing`` is a list of (field path, plain-English label) pairs."""
        self.kind = kind
        self.missing = tuple(missing)
        names = ", ".join(path for path, _ in self.missing)
        super().__init__(f"{title}: cannot be produced yet; missing {names}.")

    @property
    def fields(self) -> list[str]:
        return [path for path, _ in self.missing]

    def errors(self) -> list[dict[str, Any]]:
        return [
            {"field": path, "message": f"{label}: needed for this document"} for path, label in self.missing
        ]
