"""Working days for services other than the scheduler: a date so many working days on.

The scheduler owns the product's statutory deadlines and counts working days in its own
domain (``services/scheduler/domain/calendar.py``), which other services may not import.
This module applies the same meaning (DOMAIN.md "Timescales"), for a service that only needs
a date a few working days ahead (a contribution's default due date, say):

- a working day is Monday to Friday, except the bank holidays of the board's nation
  (from the ``holidays`` package, always for one UK subdivision) and the board's own
  closure days (``Board.nation`` and ``Board.closures`` in the identity store);
- "N working days after D": D is day 0, whatever day it is, and the answer is the N-th
  working day after it, as the scheduler counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

NATIONS: dict[str, tuple[str, ...]] = {
    "england_wales": ("ENG", "WLS"),
    "england": ("ENG",),
    "wales": ("WLS",),
    "scotland": ("SCT",),
    "northern_ireland": ("NIR",),
}
DEFAULT_NATION = "england_wales"


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    days: set[date] = set()
    for subdivision in NATIONS.get(nation, NATIONS[DEFAULT_NATION]):
        days.update(holidays.country_holidays("GB", subdiv=subdivision, years=[year]))
    return frozenset(days)


class WorkingDays:
    """A board's working days: its nation's bank holidays and its closure days are not."""

    def __init__(self, nation: str = DEFAULT_NATION, closures: Iterable[date] = ()) -> None:
        self.nation = nation if nation in NATIONS else DEFAULT_NATION
        self.closures = frozenset(closures)

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.closures and d not in _bank_holidays(self.nation, d.year)

    def add(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n`` >= 0; 0 gives ``d`` itself)."""
        if n < 0:
            raise ValueError("count working days forwards")
        day = d
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day
