"""Where a list page is in its list: which page was asked for, the total, and the links to the others.

A list page shows one page of its list (``shared/pagination.py``) and the GOV.UK pagination
component under it, each link keeping the page's filters. A page number that is not a whole
number in range shows the first page rather than an error: it can only come from an edited
address, and the list is still the right list.
"""

from __future__ import annotations

from typing import Any, TypedDict
from urllib.parse import urlencode

from flask import request
from marshmallow import ValidationError

from shared.pagination import PER_PAGE, Page, PageQuery

KEYS = ("page", "per_page")


class Asked(TypedDict):
    page: int
    per_page: int


def page_asked() -> Asked:
    """``page`` and ``per_page`` from the address, as the list handlers take them."""
    asked = {k: request.args[k] for k in KEYS if request.args.get(k)}
    try:
        loaded = PageQuery().load(asked)
    except ValidationError:
        loaded = PageQuery().load({})
    return Asked(page=loaded["page"], per_page=loaded["per_page"])


def pager(page: Page[Any], noun: str) -> dict[str, Any]:
    """The total, which of them the page shows, and the GOV.UK pagination links (None for one page)."""
    if not page.items:
        summary = f"{page.total:,} {noun}" if page.total else f"No {noun}"
    else:
        first = (page.page - 1) * page.per_page + 1
        summary = f"Showing {first:,} to {first + len(page.items) - 1:,} of {page.total:,} {noun}"
    kept = {k: v for k, v in request.args.items() if k != "page" and v}
    if page.per_page == PER_PAGE:
        kept.pop("per_page", None)

    def href(number: int) -> str:
        return f"{request.path}?{urlencode({**kept, 'page': number})}"

    nav: dict[str, Any] | None = None
    if page.pages > 1:
        near = range(max(1, page.page - 1), min(page.pages, page.page + 1) + 1)
        items: list[dict[str, Any]] = []
        last = 0
        for number in sorted({1, page.pages, *near}):
            if number - last > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": href(number), "current": number == page.page})
            last = number
        nav = {"items": items, "landmarkLabel": noun}
        if page.has_previous:
            nav["previous"] = {"href": href(min(page.page, page.pages + 1) - 1)}
        if page.has_next:
            nav["next"] = {"href": href(page.page + 1)}
    return {"summary": summary, "nav": nav}
