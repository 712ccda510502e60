"""How a collection's hash indexes read a document and a filter: the value at a path, and the
values a condition asks for by equality."""

from __future__ import annotations

from typing import Any

from bson.objectid import ObjectId

_SCALARS = (str, int, float, bool, ObjectId, type(None))
_COMPLEX = object()  # an indexed field whose value is an array, a document or another type


class _Many(frozenset):  # type: ignore[type-arg]
    """The values of a path through an array of documents: one per element (a multikey entry)."""


def _lookup(doc: Any, path: str) -> Any:
    """The value an equality on ``path`` compares with: a plain scalar; :class:`_Many` when the path
    goes through an array of documents, each with a plain scalar there; else ``_COMPLEX``."""
    value = doc
    parts = path.split(".")
    for i, part in enumerate(parts):
        if isinstance(value, list) and i and not part.isdigit():
            # {"outbox.pending": v} matches when some element has v there; None also matches when some
            # element has none, or there is none (an empty outbox: a candidate for None only).
            rest = ".".join(parts[i:])
            found = [_lookup(element, rest) if isinstance(element, dict) else _COMPLEX for element in value]
            if any(v is _COMPLEX or isinstance(v, _Many) for v in found):
                return _COMPLEX
            return _Many(found or [None])
        if not isinstance(value, dict):
            return _COMPLEX
        if part not in value:
            return None  # {field: None} matches a missing field
        value = value[part]
    return value if isinstance(value, _SCALARS) else _COMPLEX


def _size(sets: list[Any]) -> int:
    return sum(len(keys) for keys in sets)


def _equal_to(condition: Any) -> list[Any] | None:
    """The values a filter condition restricts a field to, or None if it is not an equality."""
    if isinstance(condition, _SCALARS):
        return [condition]
    if isinstance(condition, dict) and condition and all(str(k).startswith("$") for k in condition):
        if "$eq" in condition and isinstance(condition["$eq"], _SCALARS):
            return [condition["$eq"]]
        values = condition.get("$in")
        if isinstance(values, list | tuple) and all(isinstance(v, _SCALARS) for v in values):
            return list(values)
    return None
