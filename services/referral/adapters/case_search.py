"""Finding cases: what the case list may be narrowed by and sorted on, for the store and in memory.

:class:`CaseCriteria` travels with :class:`~..service_layer.messages.ListCases`; the case
repository applies it with :func:`narrow` (a queryset) or :func:`narrow_summaries` (summaries in
memory, as the unit tests' fake repository keeps them): both mean the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.referral.adapters.repository import CaseSummary

# Sortable columns: the name in the address -> the stored field. Ties go by reference.
SORTS = {
    "reference": "reference",
    "status": "status",
    "referred": "board_notified_on",
    "deadline": "next_deadline.due",
}
DEFAULT_SORT = "reference"


@dataclass(frozen=True)
class CaseCriteria:
    """What to find: any part of the reference or of the child's pseudonym, the referring
    agency, referred (the board notified) within a range of dates; and the order. Each one left
    out matches every case."""

    reference: str | None = None
    pseudonym: str | None = None
    agency: str | None = None
    referred_from: date | None = None
    referred_to: date | None = None
    sort: str = DEFAULT_SORT
    descending: bool = True

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"cannot sort cases on {self.sort!r}")

    @property
    def order(self) -> tuple[str, ...]:
        sign = "-" if self.descending else ""
        first = f"{sign}{SORTS[self.sort]}"
        return (first,) if self.sort == "reference" else (first, f"{sign}reference")


def narrow(qs: Any, criteria: CaseCriteria) -> Any:
    """The queryset of cases narrowed and ordered as ``criteria`` says."""
    if criteria.reference:
        qs = qs.filter(reference__icontains=criteria.reference.strip())
    if criteria.pseudonym:
        qs = qs.filter(pseudonym__icontains=criteria.pseudonym.strip())
    if criteria.agency:
        qs = qs.filter(referring_agency=criteria.agency)
    if criteria.referred_from:
        qs = qs.filter(board_notified_on__gte=_midnight(criteria.referred_from))
    if criteria.referred_to:
        qs = qs.filter(board_notified_on__lte=_midnight(criteria.referred_to))
    return qs.order_by(*criteria.order)


def narrow_summaries(summaries: Iterable[CaseSummary], criteria: CaseCriteria | None) -> list[CaseSummary]:
    """The same, for case summaries held in memory."""
    found = list(summaries)
    if criteria is None:
        return sorted(found, key=lambda c: c.reference, reverse=True)
    if criteria.reference:
        wanted = criteria.reference.strip().lower()
        found = [c for c in found if wanted in c.reference.lower()]
    if criteria.pseudonym:
        named = criteria.pseudonym.strip().lower()
        found = [c for c in found if named in (c.pseudonym or "").lower()]
    if criteria.agency:
        found = [c for c in found if c.referring_agency == criteria.agency]
    if criteria.referred_from:
        found = [c for c in found if c.board_notified_on >= criteria.referred_from]
    if criteria.referred_to:
        found = [c for c in found if c.board_notified_on <= criteria.referred_to]
    key = _KEYS[criteria.sort]
    # Ties by reference in the same direction; a case without the value sorts as the smallest.
    found.sort(key=lambda c: c.reference, reverse=criteria.descending)
    found.sort(key=lambda c: (key(c) is not None, key(c) or ""), reverse=criteria.descending)
    return found


_KEYS: dict[str, Callable[[Any], Any]] = {
    "reference": lambda c: c.reference,
    "status": lambda c: c.status,
    "referred": lambda c: c.board_notified_on,
    "deadline": lambda c: c.next_deadline.due if c.next_deadline else None,
}


def _midnight(day: date) -> datetime:
    """A date as the store keeps it: midnight of that day."""
    return datetime.combine(day, datetime.min.time())
