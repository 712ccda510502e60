"""Saying dates and amounts in the plain English of a deadline's explanation (no locale involved)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("calendar day", "calendar days"),
    "months": ("month", "months"),
}


@lru_cache(maxsize=8192)
def say(d: date) -> str:
    """A date as people write it: Friday 2 January 2026."""
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month]} {d.year}"


def amount(offset: int, unit: str) -> str:
    """'1 working day', '3 months'."""
    one, many = _UNIT_WORDS[unit]
    return f"{offset} {one if offset == 1 else many}"
