"""Statutory deadlines as data: each rule with its source beside it, grouped into rule packs.

A :class:`DeadlineRule` says: this many working days, calendar days or calendar months
after (or before) a milestone of the case, who has to act, in plain English, and where
the rule comes from (seed and section, as in DOMAIN.md "Timescales"). Rules are grouped
into named packs (:data:`RULE_PACKS`): ``wt2015`` is Working Together 2015 as the Pan
Lancashire procedures (003) and the Wirral below-threshold process (000) set it out;
``wt2015-north-west`` adds the North West framework's 14-day notice to the National
Panel (001 §3).

Turning a case's milestones into dates is :mod:`services.scheduler.domain.deadlines`;
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

    def __post_init__(self) -> None:
        if self.anchor not in MILESTONES:
            raise ValueError(f"{self.code}: unknown anchor milestone {self.anchor!r}")
        if self.unit not in UNITS:
            raise ValueError(f"{self.code}: unknown unit {self.unit!r}")
        if self.direction not in (1, -1) or self.offset < 0:
            raise ValueError(f"{self.code}: direction must be +1 or -1 and offset >= 0")
        if self.applies_to is not None and not self.applies_to <= set(REVIEW_KINDS):
            raise ValueError(f"{self.code}: unknown review kinds in applies_to")

    def applies(self, review_kind: str | None) -> bool:
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
    code: str
    title: str
    rules: tuple[DeadlineRule, ...]


class Deadline(NamedTuple):
    """A computed deadline of one case (immutable; a tuple, for speed in bulk)."""

    code: str
    due: date
    rule: str  # plain English, with the actual dates
    source: str
    concerns: str
    occurrence: int = 1  # 1, 2, ... for a repeating rule


_BELOW_THRESHOLD_CAPPED = frozenset({"critical_incident_review", "learning_review"})

INCIDENT_NOTIFICATION = DeadlineRule(
    code="incident_notification",
    anchor="became_aware_on",
    offset=5,
    unit="working_days",
    direction=1,
    concerns="local_authority",
    description="The local authority reports the notifiable incident to Ofsted and the board",
    source="003 Notifiable Incidents",
)

SCR_DECISION = DeadlineRule(
    code="scr_decision",
    anchor="board_notified_on",
    offset=1,
    unit="months",
    direction=1,
    concerns="chair",
    description="The Chair decides whether to initiate a Serious Case Review",
    connector="normally by",
    source="003 SCR checklist (decisions whether to initiate an SCR); 001 §3",
)

DECISION_NOTIFICATION = DeadlineRule(
    code="decision_notification",
    anchor="decided_on",
    offset=5,
    unit="working_days",
    direction=1,
    concerns="business_unit",
    description="The board tells Ofsted, the DfE and the National Panel what the Chair decided",
    source="003 SCR checklist (decisions whether to initiate an SCR); 001 §3",
)

REVIEW_COMPLETION_INCIDENT_LIMIT = DeadlineRule(
    code="review_completion_incident_limit",
    anchor="incident_on",
    offset=12,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="A review below the SCR threshold is complete within 12 months of the incident",
    source="000 §7",
    applies_to=_BELOW_THRESHOLD_CAPPED,
)

REVIEW_COMPLETION = DeadlineRule(
    code="review_completion",
    anchor="initiated_on",
    offset=6,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="The review aims to be complete",
    source="003 SCR checklist (timescale for SCR completion); 000 §7",
    cap=REVIEW_COMPLETION_INCIDENT_LIMIT,
)

PRE_PUBLICATION_COPIES = DeadlineRule(
    code="pre_publication_copies",
    anchor="planned_publication_on",
    offset=7,
    unit="working_days",
    direction=-1,
    concerns="business_unit",
    description=(
        "The board sends the final report, with the actions taken, to Ofsted, the DfE and the National Panel"
    ),
    source="003 SCR checklist (publication of reports)",
)

PUBLICATION_RETENTION = DeadlineRule(
    code="publication_retention",
    anchor="published_on",
    offset=12,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="The published report stays readily accessible on the board's website",
    connector="until at least",
    source="003 SCR checklist (publication of reports)",
)

ACTION_PLAN_PROGRESS = DeadlineRule(
    code="action_plan_progress",
    anchor="action_plan_agreed_on",
    offset=3,
    unit="months",
    direction=1,
    concerns="business_unit",
    description="Progress against the action plan is reported to the performance committee",
    source="000 §9",
    repeat=Repeat(every=3, name="quarterly"),
)

NATIONAL_PANEL_DECISION_NOTIFICATION = DeadlineRule(
    code="national_panel_decision_notification",
    anchor="decided_on",
    offset=14,
    unit="calendar_days",
    direction=1,
    concerns="business_unit",
    description=(
        "The board notifies the National Panel of the Chair's decision "
        "(with the lead reviewers' names, or the justification when there is no SCR)"
    ),
    source="001 §3",
)

WT2015 = RulePack(
    code="wt2015",
    title="Working Together 2015 (Pan Lancashire SCR procedures; Wirral below-threshold reviews)",
    rules=(
        INCIDENT_NOTIFICATION,
        SCR_DECISION,
        DECISION_NOTIFICATION,
        REVIEW_COMPLETION,
        PRE_PUBLICATION_COPIES,
        PUBLICATION_RETENTION,
        ACTION_PLAN_PROGRESS,
    ),
)

WT2015_NORTH_WEST = RulePack(
    code="wt2015-north-west",
    title="Working Together 2015 with the North West Learning and Improvement Framework",
    rules=WT2015.rules + (NATIONAL_PANEL_DECISION_NOTIFICATION,),
)

RULE_PACKS: dict[str, RulePack] = {p.code: p for p in (WT2015, WT2015_NORTH_WEST)}
