"""Where a page is in its list or its report: which page was asked for, and the links to the others.

A list page shows one page of its list (``shared/pagination.py``) with its total and the GOV.UK
pagination component (``templates/_pager.html``), each link keeping the page's other query
arguments (its filters). A report read page by page has no ``Page``, only a page number and a
count: :func:`pages_pager` serves it. A page number that is not a whole number in range shows the
first page rather than an error: it can only come from an edited address, and the list is still
the right list.
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


class Pager(TypedDict):
    """What a page shows of its place: ``summary`` in words, ``nav`` for ``govukPagination``
    (None when there is one page)."""

    summary: str
    nav: dict[str, Any] | None


def page_asked() -> Asked:
    """``page`` and ``per_page`` from the address, as the list handlers take them."""
    asked = {k: request.args[k] for k in KEYS if request.args.get(k)}
    try:
        loaded = PageQuery().load(asked)
    except ValidationError:
        loaded = PageQuery().load({})
    return Asked(page=loaded["page"], per_page=loaded["per_page"])


def pager(page: Page[Any], noun: str, label: str | None = None) -> Pager:
    """The total, which of them the page shows, and the links to the other pages of the list;
    ``label`` names the links for a screen reader (``noun`` unless given)."""
    if not page.items:
        summary = f"{page.total:,} {noun}" if page.total else f"No {noun}"
    else:
        first = (page.page - 1) * page.per_page + 1
        summary = f"Showing {first:,} to {first + len(page.items) - 1:,} of {page.total:,} {noun}"
    nav = page_links(page.page, page.pages, label or noun, per_page=page.per_page)
    return {"summary": summary, "nav": nav}


def pages_pager(number: int, pages: int, label: str) -> Pager:
    """Page ``number`` of ``pages`` of something read a page at a time (a report): only the
    previous and next links, since its pages are not a list to jump about in."""
    return {"summary": f"Page {number} of {pages}", "nav": page_links(number, pages, label, numbered=False)}


def page_links(
    number: int, pages: int, label: str, numbered: bool = True, per_page: int = PER_PAGE
) -> dict[str, Any] | None:
    """The GOV.UK pagination links from page ``number`` to the others: the first, the last and the
    neighbours, with an ellipsis for each gap; None for one page. Each link keeps the address's
    other arguments, and ``per_page`` only when the page is not the usual size."""
    if pages <= 1:
        return None
    kept = {k: v for k, v in request.args.items() if k != "page" and v}
    if per_page == PER_PAGE:
        kept.pop("per_page", None)

    def href(to: int) -> str:
        return f"{request.path}?{urlencode({**kept, 'page': to})}"

    nav: dict[str, Any] = {"landmarkLabel": label}
    if numbered:
        near = range(max(1, number - 1), min(pages, number + 1) + 1)
        items: list[dict[str, Any]] = []
        last = 0
        for shown in sorted({1, pages, *near}):
            if shown - last > 1:
                items.append({"ellipsis": True})
            items.append({"number": shown, "href": href(shown), "current": shown == number})
            last = shown
        nav["items"] = items
    if number > 1:
        nav["previous"] = {"href": href(min(number, pages + 1) - 1)}
    if number < pages:
        nav["next"] = {"href": href(number + 1)}
    return nav
