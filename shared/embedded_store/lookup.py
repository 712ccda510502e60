"""A collection's hash indexes: the value at a path of a document, the values a condition asks
for by equality, :class:`HashIndex`, the hash maps of the indexed fields with the plan of a
filter through them, and :func:`string_matcher`, a filter of string equalities tested as sets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


class HashIndex:
    """The keys of a collection's documents by the value of each indexed field (a document whose
    value there is an array, a document or another type is kept aside, as a candidate for any)."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields
        self.buckets: dict[str, dict[Any, set[Any]]] = {f: {} for f in fields}
        self.complex: dict[str, set[Any]] = {f: set() for f in fields}
        self._entries: dict[Any, dict[str, Any]] = {}

    def place(self, key: Any, doc: dict[str, Any]) -> None:
        self.unplace(key)
        entry: dict[str, Any] = {}
        for field in self.fields:
            value = _lookup(doc, field)
            if value is _COMPLEX:
                self.complex[field].add(key)
            else:
                for one in value if isinstance(value, _Many) else (value,):
                    self.buckets[field].setdefault(one, set()).add(key)
            entry[field] = value
        self._entries[key] = entry

    def unplace(self, key: Any) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for field, value in entry.items():
            if value is _COMPLEX:
                self.complex.get(field, set()).discard(key)
                continue
            bucket = self.buckets.get(field, {})
            for one in value if isinstance(value, _Many) else (value,):
                keys = bucket.get(one)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del bucket[one]

    def answers_exactly(self, filter: Any) -> bool:
        """Whether the plan's candidates are exactly what ``filter`` matches, so that no document need be
        tested again: one equality with a string, on ``_id`` or an indexed field no document holds
        an array or a document in. (A string equals only that string; other values may equal one
        another across types, such as ``1`` and ``True``.)"""
        if not isinstance(filter, dict) or len(filter) != 1:
            return False
        [(field, condition)] = filter.items()
        if isinstance(condition, dict) and list(condition) == ["$eq"]:
            condition = condition["$eq"]
        if not isinstance(condition, str) or field.startswith("$"):
            return False
        return field == "_id" or (field in self.buckets and not self.complex[field])

    def plan(self, filter: Any, documents: Mapping[Any, Any]) -> set[Any] | None:
        """The keys of the documents ``filter`` may match (``documents``: the collection's, by key),
        through its most selective equality on an indexed field; None when it has none (a scan).
        Only the chosen one is gathered."""
        if not isinstance(filter, dict):
            return None
        best: list[Any] | None = None  # the sets whose union is the candidates
        for field, condition in filter.items():
            found: list[Any] | None = None
            if field == "$and" and isinstance(condition, list):
                for part in condition:
                    sub = self.plan(part, documents)
                    if sub is not None and (found is None or len(sub) < _size(found)):
                        found = [sub]
            elif not field.startswith("$"):
                values = _equal_to(condition)
                if values is None:
                    found = self._plan_elem_match(field, condition)
                elif field == "_id":
                    found = [{v for v in values if v in documents}]
                else:
                    found = self._bucketed(field, values)
            if found is not None and (best is None or _size(found) < _size(best)):
                best = found
        return None if best is None else set().union(*best)

    def _bucketed(self, field: str, values: list[Any]) -> list[Any] | None:
        """The sets of keys whose documents may hold one of ``values`` at ``field``, if it is indexed."""
        bucket = self.buckets.get(field)
        if bucket is None:
            return None
        return [self.complex[field], *(bucket.get(value, ()) for value in values)]

    def _plan_elem_match(self, field: str, condition: Any) -> list[Any] | None:
        """As :meth:`_plan`, for ``{field: {"$elemMatch": {...}}}``: through an equality on an
        indexed ``field.sub``."""
        if not (isinstance(condition, dict) and len(condition) == 1 and "$elemMatch" in condition):
            return None
        spec = condition["$elemMatch"]
        best: list[Any] | None = None
        for sub, sub_condition in spec.items() if isinstance(spec, dict) else ():
            values = None if sub.startswith("$") else _equal_to(sub_condition)
            found = None if values is None else self._bucketed(f"{field}.{sub}", values)
            if found is not None and (best is None or _size(found) < _size(best)):
                best = found
        return best


def string_matcher(filter: Any) -> Callable[[dict[str, Any]], bool | None] | None:
    """A quick test of ``filter`` when every condition in it is a string equality (``"v"``,
    ``{"$eq": "v"}`` or ``{"$in": ["v", ...]}``) on a top-level field; None for any other filter.

    mongomock tests ``$in`` against each value of its list in turn, so the ledger's
    ``{"consumer": c, "event_id": {"$in": [a thousand ids]}, "status": "done"}`` cost a thousand
    comparisons a document. Here each field is looked up in a set. A string equals only that
    string, so for a document whose fields there all hold strings the answer is exact; for any
    other document (a field missing, None, an array, another type) the test answers None and
    the caller asks mongomock.
    """
    if not isinstance(filter, dict) or not filter:
        return None
    wanted: list[tuple[str, frozenset[str]]] = []
    for field, condition in filter.items():
        if not isinstance(field, str) or field.startswith("$") or "." in field:
            return None
        if isinstance(condition, dict) and list(condition) == ["$eq"]:
            condition = condition["$eq"]
        if isinstance(condition, str):
            wanted.append((field, frozenset((condition,))))
        elif isinstance(condition, dict) and list(condition) == ["$in"]:
            values = condition["$in"]
            if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
                return None
            wanted.append((field, frozenset(values)))
        else:
            return None

    def test(doc: dict[str, Any]) -> bool | None:
        for field, values in wanted:
            value = doc.get(field)
            if not isinstance(value, str):
                return None
            if value not in values:
                return False
        return True

    return test
