"""The working-day calendar: the one place in the product that counts working days.

Statutory timescales are written in working days ("within 5 working days of becoming
aware", 003 Notifiable Incidents) and in calendar months ("within one month of
notification", 003 SCR checklist). DOMAIN.md "Timescales" fixes what those words mean here:

- a working day is Monday to Friday, except the bank holidays of the board's nation
  (England and Wales by default) and the days the board itself has declared closed;
- a month is a calendar month; when the target month is shorter, the date is pulled
  back to that month's last day (31 January + 1 month = 28 or 29 February).

Counting convention, used everywhere:

- "within N working days of D": D is day 0 and the deadline is the N-th working day
  after D. D itself may be a weekend or a bank holiday; the count starts the next
  working day either way (:meth:`WorkingCalendar.add_working_days`).
- "at least N working days before D": the N-th working day before D
  (:meth:`WorkingCalendar.subtract_working_days`).
- :meth:`WorkingCalendar.working_days_between` counts the working days after ``a`` up
  to and including ``b``, so ``working_days_between(d, add_working_days(d, n)) == n``.

Bank holidays come from the ``holidays`` package, always asked for one UK subdivision
(without one it only knows the days common to all four nations). Each year is asked for
once per process; the calendar then keeps a sorted array of working-day ordinals and a
running count, so each question is an index lookup rather than a loop over days.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

import holidays

from services.scheduler.domain.errors import ScheduleInputError

# Nation of a board -> the UK subdivisions whose bank holidays close it.
# England and Wales share one list of bank holidays today; both are asked for so
# that a future difference (a Welsh-only day) is not silently missed.
NATIONS: dict[str, tuple[str, ...]] = {
    "england_wales": ("ENG", "WLS"),
    "england": ("ENG",),
    "wales": ("WLS",),
    "scotland": ("SCT",),
    "northern_ireland": ("NIR",),
}
DEFAULT_NATION = "england_wales"

# Years prepared around the first date a calendar is asked about, and the step
# by which the window grows when a date falls outside it.
_YEARS_BEFORE = 2
_YEARS_AFTER = 8
_GROW_YEARS = 10

_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_holiday_cache: dict[tuple[str, int], frozenset[date]] = {}
_holiday_lock = threading.Lock()


def is_plain_date(value: object) -> bool:
    """A ``date`` and not a ``datetime`` (a date subclass): statutory days are not instants."""
    return value.__class__ is date or (isinstance(value, date) and not isinstance(value, datetime))


def require_date(value: object, name: str) -> date:
    """``value`` if it is a plain date; otherwise a :class:`ScheduleInputError` naming ``name``."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ScheduleInputError([{"field": name, "message": "must be a date"}])
    return value


def bank_holidays(nation: str, years: Iterable[int]) -> frozenset[date]:
    """The bank holidays (substitute days included) of ``nation`` in ``years``.

    Each (subdivision, year) is asked of the ``holidays`` package once per process.
    """
    subdivisions = _subdivisions(nation)
    years = list(years)
    with _holiday_lock:
        for subdiv in subdivisions:
            missing = [y for y in years if (subdiv, y) not in _holiday_cache]
            if not missing:
                continue
            found = holidays.country_holidays("GB", subdiv=subdiv, years=missing)
            by_year: dict[int, set[date]] = {y: set() for y in missing}
            for day in found:
                if day.year in by_year:
                    by_year[day.year].add(day)
            for y, days in by_year.items():
                _holiday_cache[(subdiv, y)] = frozenset(days)
        result: set[date] = set()
        for subdiv in subdivisions:
            for y in years:
                result |= _holiday_cache[(subdiv, y)]
    return frozenset(result)


def _subdivisions(nation: str) -> tuple[str, ...]:
    try:
        return NATIONS[nation]
    except (KeyError, TypeError):
        known = ", ".join(NATIONS)
        raise ScheduleInputError(
            [{"field": "nation", "message": f"unknown nation {nation!r}; expected one of {known}"}]
        ) from None


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month]


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months (``n`` may be negative), clamped to the month's end.

    31 January 2026 + 1 = 28 February 2026; 29 February 2028 + 12 = 28 February 2029.
    """
    index = d.month - 1 + n
    year = d.year + index // 12
    month = index % 12 + 1
    day = d.day
    if day > 28:
        day = min(day, days_in_month(year, month))
    return date(year, month, day)


def add_days(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar days, working or not."""
    return d + timedelta(days=n)


class _Window(NamedTuple):
    """Precomputed working days for the years ``first_year`` .. ``last_year``."""

    first_year: int
    last_year: int
    base: int  # ordinal of 1 January of first_year
    span: int  # number of days covered
    count_upto: list[int]  # [i]: working days in base .. base+i inclusive
    count_before: list[int]  # [i]: working days in base .. base+i-1
    working: list[int]  # ordinals of the working days, ascending


class WorkingCalendar:
    """Working days of one board: weekdays minus its nation's bank holidays and its closures.

    >>> cal = WorkingCalendar()
    >>> cal.add_working_days(date(2026, 4, 2), 1)  # Good Friday and Easter Monday skipped
    datetime.date(2026, 4, 7)
    """

    def __init__(self, nation: str = DEFAULT_NATION, closures: Iterable[date] = frozenset()) -> None:
        _subdivisions(nation)  # refuses an unknown nation
        self._nation = nation
        closures = frozenset(closures)
        bad = sorted(repr(c) for c in closures if not is_plain_date(c))
        if bad:
            raise ScheduleInputError(
                [
                    {
                        "field": "closures",
                        "message": f"closure days must be dates, got {', '.join(bad)}",
                    }
                ]
            )
        self._closures = closures
        self._window: _Window | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"WorkingCalendar(nation={self._nation!r}, closures={len(self._closures)} days)"

    # -- the window of precomputed years ----------------------------------------------

    def _build(self, first_year: int, last_year: int) -> _Window:
        closed = bank_holidays(self._nation, range(first_year, last_year + 1)) | self._closures
        closed_ordinals = {d.toordinal() for d in closed}
        base = date(first_year, 1, 1).toordinal()
        end = date(last_year + 1, 1, 1).toordinal()
        span = end - base
        count_upto = [0] * span
        count_before = [0] * span
        working: list[int] = []
        weekday = date.fromordinal(base).weekday()
        running = 0
        for i in range(span):
            count_before[i] = running
            o = base + i
            if (weekday + i) % 7 < 5 and o not in closed_ordinals:
                working.append(o)
                running += 1
            count_upto[i] = running
        return _Window(first_year, last_year, base, span, count_upto, count_before, working)

    def _cover(self, *years: int) -> _Window:
        """Make sure the window covers ``years`` and return it (grows it if needed)."""
        lo, hi = min(years), max(years)
        if lo < date.min.year or hi > date.max.year - 1:
            raise ScheduleInputError([{"field": "date", "message": "date is outside the supported range"}])
        with self._lock:
            w = self._window
            if w is None:
                first, last = lo - _YEARS_BEFORE, hi + _YEARS_AFTER
            elif w.first_year <= lo and hi <= w.last_year:
                return w
            else:
                first = min(lo, w.first_year - _GROW_YEARS) if lo < w.first_year else w.first_year
                last = max(hi, w.last_year + _GROW_YEARS) if hi > w.last_year else w.last_year
            first = max(first, date.min.year)
            last = min(last, date.max.year - 1)
            # Built aside, then swapped in whole: readers never see half a window.
            self._window = w = self._build(first, last)
            return w

    # -- questions ----------------------------------------------------------------------
    # Each method reads the window once and only falls back to _cover() when a date is
    # outside it, so the common case is a few list lookups.

    def is_working_day(self, d: date) -> bool:
        o = d.toordinal()
        w = self._window
        if w is None or not 0 <= o - w.base < w.span:
            w = self._cover(d.year)
        i = o - w.base
        return w.count_upto[i] != w.count_before[i]

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` is day 0 and may be a non-working day).

        ``n`` = 0 gives ``d`` itself; a negative ``n`` counts backwards, as
        :meth:`subtract_working_days`.
        """
        if n <= 0:
            return d if n == 0 else self.subtract_working_days(d, -n)
        o = d.toordinal()
        w = self._window
        if w is None or not 0 <= o - w.base < w.span:
            w = self._cover(d.year)
        k = w.count_upto[o - w.base] + n - 1
        while k >= len(w.working):
            # Past the window's end: grow it (about 250 working days a year).
            w = self._cover(w.last_year + 1 + n // 250)
            k = w.count_upto[o - w.base] + n - 1
        return date.fromordinal(w.working[k])

    def subtract_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day before ``d`` ("at least N working days before D")."""
        if n <= 0:
            return d if n == 0 else self.add_working_days(d, -n)
        o = d.toordinal()
        w = self._window
        if w is None or not 0 <= o - w.base < w.span:
            w = self._cover(d.year)
        k = w.count_before[o - w.base] - n
        while k < 0:
            w = self._cover(w.first_year - 1 - n // 250)
            k = w.count_before[o - w.base] - n
        return date.fromordinal(w.working[k])

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; negative when ``b`` < ``a``."""
        i = a.toordinal()
        j = b.toordinal()
        w = self._window
        if w is None or not (0 <= i - w.base < w.span and 0 <= j - w.base < w.span):
            w = self._cover(a.year, b.year)
        return w.count_upto[j - w.base] - w.count_upto[i - w.base]

    # Calendar months and days do not depend on the board; they live here so that all
    # date arithmetic is asked of one object. Static, to save a call in bulk.
    add_months = staticmethod(add_months)
    add_days = staticmethod(add_days)
