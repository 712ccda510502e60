"""What a statutory deadline rule is: an amount of time after (or before) a milestone of the case,
who has to act, in plain English, and where the rule comes from.

The rules themselves, grouped into rule packs, are data in :mod:`services.scheduler.domain.rules`;
all counting is done by :class:`~services.scheduler.domain.calendar.WorkingCalendar`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal, NamedTuple

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.milestones import MILESTONES, REVIEW_KINDS
from services.scheduler.domain.wording import amount, say

Unit = Literal["working_days", "calendar_days", "months"]

# How each unit moves a date by a signed amount: always by asking the board's calendar.
Shift = Callable[[WorkingCalendar, date, int], date]
_SHIFTS: dict[str, Shift] = {
    "working_days": lambda calendar, d, n: calendar.add_working_days(d, n),
    "calendar_days": lambda calendar, d, n: calendar.add_days(d, n),
    "months": lambda calendar, d, n: calendar.add_months(d, n),
}
UNITS: tuple[str, ...] = tuple(_SHIFTS)


# -- rules as data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Repeat:
    """A deadline that recurs every ``every`` units after its first occurrence."""

    every: int
    name: str  # "quarterly"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: each rule is one object
class DeadlineRule:
    """One statutory or local timescale, with its source beside it.

    ``due = anchor milestone + direction * offset (unit)``. When ``cap`` applies to the
    case (its review kinds include the case's, its anchor is given), the deadline is the
    earlier of the two dates. A ``repeat`` rule falls due again every ``repeat.every``
    units, each time counted from the anchor.
    """

    code: str
    anchor: str
    offset: int
    unit: Unit
    direction: Literal[1, -1]
    concerns: str  # who has to act: local_authority, chair, business_unit, ...
    description: str  # plain English; the explanation of a computed deadline starts with it
    source: str  # seed and section, as in DOMAIN.md
    applies_to: frozenset[str] | None = None  # review kinds; None = whatever the kind
    repeat: Repeat | None = None
    cap: DeadlineRule | None = None
    connector: str = "by"  # "<description> by <date>", "... until at least <date>"
    # Owed only for a notifiable incident (``ReferralSubmitted.notifiable``): 003 "Notifiable
    # Incidents" under WT2015; a serious child safeguarding case (s.16C(1)) under WT2018/2023.
    notifiable_only: bool = False

    def __post_init__(self) -> None:
        if self.anchor not in MILESTONES:
            raise ValueError(f"{self.code}: unknown anchor milestone {self.anchor!r}")
        if self.unit not in UNITS:
            raise ValueError(f"{self.code}: unknown unit {self.unit!r}")
        if self.direction not in (1, -1) or self.offset < 0:
            raise ValueError(f"{self.code}: direction must be +1 or -1 and offset >= 0")
        if self.applies_to is not None and not self.applies_to <= set(REVIEW_KINDS):
            raise ValueError(f"{self.code}: unknown review kinds in applies_to")

    def applies(self, review_kind: str | None, notifiable: bool = True) -> bool:
        """Whether the rule gives a deadline for a case of this kind (and notifiability)."""
        if self.notifiable_only and not notifiable:
            return False
        return self.applies_to is None or review_kind in self.applies_to

    def due_from(self, anchor_on: date, calendar: WorkingCalendar, offset: int | None = None) -> date:
        """The date ``offset`` (default: the rule's) units after or before ``anchor_on``."""
        n = self.offset if offset is None else offset
        return _SHIFTS[self.unit](calendar, anchor_on, self.direction * n)

    @cached_property
    def _side(self) -> str:
        return f" {'after' if self.direction > 0 else 'before'} {MILESTONES[self.anchor]} on "

    @cached_property
    def _default_amount(self) -> str:
        return amount(self.offset, self.unit)

    @cached_property
    def _head(self) -> str:
        return f"{self.description} {self.connector} "

    def reason(self, anchor_on: date, offset: int | None = None) -> str:
        """'5 working days after the Chair's decision on Friday 2 January 2026'."""
        words = self._default_amount if offset is None else amount(offset, self.unit)
        return f"{words}{self._side}{say(anchor_on)}"

    def explain(self, due: date, why: str) -> str:
        """The deadline in a sentence: what, by when, and how that date was reached."""
        return f"{self._head}{say(due)} ({why})."


@dataclass(frozen=True)
class RulePack:
    """A named set of rules: the deadlines a case screened under it has, for life."""

    code: str
    title: str
    rules: tuple[DeadlineRule, ...]

    def __post_init__(self) -> None:
        # Two rules may share a code (one per kind of review, each citing its own source) only
        # if no case can have both: a case holds one deadline per code and occurrence.
        seen: dict[str, list[DeadlineRule]] = {}
        for rule in self.rules:
            for other in seen.setdefault(rule.code, []):
                if rule.applies_to is None or other.applies_to is None or rule.applies_to & other.applies_to:
                    raise ValueError(f"{self.code}: two {rule.code!r} rules can apply to the same case")
            seen[rule.code].append(rule)


class Deadline(NamedTuple):
    """A computed deadline of one case (immutable; a tuple, for speed in bulk)."""

    code: str
    due: date
    rule: str  # plain English, with the actual dates
    source: str
    concerns: str
    occurrence: int = 1  # 1, 2, ... for a repeating rule
