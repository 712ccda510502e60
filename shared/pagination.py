"""Lists in pages: every list the product answers comes a page at a time, with the total.

``GET ...?page=2&per_page=50`` (the defaults are page 1 and 50 a page, at
most 200). The answer is ``{"items": [...], "total": n, "page": p,
"per_page": k, "pages": m}``; a page past the last is empty, not an error.
Works on a mongoengine queryset (one count and one skip/limit query: the
store does the slicing) or on a list already in memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marshmallow import Schema, fields, validate

T = TypeVar("T")
PER_PAGE = 50
MAX_PER_PAGE = 200


class PageQuery(Schema):
    """The paging part of a list's query string; list queries extend it."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    def as_dict(self, shape: Callable[[T], Any]) -> dict[str, Any]:
        return {
            "items": [shape(item) for item in self.items],
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
        }


def paginate(source: Any, page: int = 1, per_page: int = PER_PAGE) -> Page[Any]:
    """One page of a queryset (sliced by the store) or of a sequence."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    start = (page - 1) * per_page
    if isinstance(source, Sequence):
        return Page(list(source[start : start + per_page]), len(source), page, per_page)
    total = source.count()
    return Page(list(source.skip(start).limit(per_page)), total, page, per_page)


def page_schema(item: type[Schema] | Schema, name: str | None = None) -> type[Schema]:
    """The answer schema of a paged list of ``item`` (for the OpenAPI contract)."""
    item_name = item.__name__ if isinstance(item, type) else type(item).__name__
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "total": fields.Integer(required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "pages": fields.Integer(required=True),
        },
        name=name or f"{item_name.removesuffix('Schema')}Page",
    )
