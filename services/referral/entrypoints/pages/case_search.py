"""The case list's filters and sorting, read from the address (GET, so a search can be bookmarked
and shared): reference, the child's pseudonym, referring agency, status, kind of review, referred
between two dates; and the column the list is sorted on.

:func:`read_search` reads every filter, checks each one, and gives the criteria, the values to
put back in the form and every problem at once (the GOV.UK error summary lists them all).
A filter with a problem is left out of the search rather than refusing the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from services.referral.adapters.case_search import DEFAULT_SORT, SORTS, CaseCriteria
from services.referral.domain import case as rules
from services.referral.entrypoints import forms
from shared.words import plain

DATE_PARTS = ("day", "month", "year")
RANGE = {"from": "Referred from", "to": "Referred to"}
# Which way a column sorts when first chosen: the newest or the soonest first.
FIRST_DESCENDING = {"reference": True, "referred": True, "status": False, "deadline": False}
MAX_REFERENCE = 40
MAX_PSEUDONYM = 40


@dataclass
class Search:
    """What the case list was asked for."""

    criteria: CaseCriteria
    status: str | None = None
    review_kind: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # as typed, to show in the form again
    errors: list[dict[str, str]] = field(default_factory=list)  # the error summary's list
    field_errors: dict[str, str] = field(default_factory=dict)  # field -> its message

    def problem(self, name: str, message: str, anchor: str | None = None) -> None:
        self.errors.append({"text": message, "href": f"#{anchor or name}"})
        self.field_errors[name] = message

    @property
    def narrowed(self) -> bool:
        """Whether anything but the status narrows the list."""
        c = self.criteria
        return any((self.review_kind, c.reference, c.pseudonym, c.agency, c.referred_from, c.referred_to))


def _date(args: Mapping[str, str], name: str, search: Search) -> date | None:
    parts = {p: (args.get(f"{name}-{p}") or "").strip() for p in DATE_PARTS}
    for p, v in parts.items():
        search.values[f"{name}-{p}"] = v
    given = [p for p in DATE_PARTS if parts[p]]
    if not given:
        return None
    label = RANGE[name]
    if len(given) < 3:
        missing = next(p for p in DATE_PARTS if not parts[p])
        search.problem(name, f"{label} must include a {missing}", f"{name}-{missing}")
        return None
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        search.problem(name, f"{label} must be a real date, like 8 12 2026", f"{name}-day")
        return None


def read_search(args: Mapping[str, str], agencies: Mapping[str, str]) -> Search:
    """The search the address asks for, each filter checked; every problem named."""
    search = Search(CaseCriteria())
    names = ("reference", "pseudonym", "agency", "status", "kind", "sort", "order")
    text = {k: (args.get(k) or "").strip() for k in names}
    search.values.update({k: text[k] for k in ("reference", "pseudonym", "agency", "status", "kind")})

    reference = text["reference"] or None
    if reference and len(reference) > MAX_REFERENCE:
        search.problem("reference", f"Reference must be {MAX_REFERENCE} characters or fewer")
        reference = None
    pseudonym = text["pseudonym"] or None
    if pseudonym and len(pseudonym) > MAX_PSEUDONYM:
        search.problem("pseudonym", f"Child's pseudonym must be {MAX_PSEUDONYM} characters or fewer")
        pseudonym = None
    agency = text["agency"] or None
    if agency and agency not in agencies:
        search.problem("agency", "Select an agency from the list")
        agency = None
    if text["status"] and text["status"] not in rules.STATUSES:
        search.problem("status", "Select a status from the list")
    else:
        search.status = text["status"] or None
    if text["kind"] and text["kind"] not in forms.OUTCOME_LABELS:
        search.problem("kind", "Select a kind of review from the list")
    else:
        search.review_kind = text["kind"] or None

    start, end = _date(args, "from", search), _date(args, "to", search)
    if start and end and start > end:
        search.problem("to", "Referred to must be the same as or after referred from", "to-day")
        end = None

    sort = text["sort"] if text["sort"] in SORTS else DEFAULT_SORT
    descending = {"asc": False, "desc": True}.get(text["order"], FIRST_DESCENDING[sort])
    search.criteria = CaseCriteria(
        reference=reference,
        pseudonym=pseudonym,
        agency=agency,
        referred_from=start,
        referred_to=end,
        sort=sort,
        descending=descending,
    )
    return search


def select_items(choices: Mapping[str, str], chosen: str | None, everything: str) -> list[dict[str, Any]]:
    """A GOV.UK select's items: "everything" first, then each choice in words."""
    return [{"value": "", "text": everything, "selected": not chosen}] + [
        {"value": code, "text": words, "selected": code == chosen} for code, words in choices.items()
    ]


def status_choices() -> dict[str, str]:
    return {s: plain(s) for s in rules.STATUSES}


def sort_headers(path: str, args: Mapping[str, str], criteria: CaseCriteria) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts on it (the other way when it is the column
    sorted on already), and its ``aria-sort``."""
    kept = {k: v for k, v in args.items() if k not in ("sort", "order", "page") and v}
    headers = {}
    for column in SORTS:
        current = column == criteria.sort
        descending = not criteria.descending if current else FIRST_DESCENDING[column]
        query = urlencode({**kept, "sort": column, "order": "desc" if descending else "asc"})
        headers[column] = {
            "href": f"{path}?{query}",
            "aria_sort": ("descending" if criteria.descending else "ascending") if current else "none",
        }
    return headers


def noun(search: Search) -> str:
    """What the list's summary calls its rows."""
    if search.narrowed:
        return "cases found"
    return f"cases that are {plain(search.status).lower()}" if search.status else "cases"
