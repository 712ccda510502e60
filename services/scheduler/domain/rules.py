"""Statutory deadlines as data, and the arithmetic that turns a case's milestones into dates.

A :class:`DeadlineRule` says: this many working days, calendar days or calendar months
after (or before) a milestone of the case, who has to act, in plain English, and where
the rule comes from (seed and section, as in DOMAIN.md "Timescales"). Rules are grouped
into named packs (:data:`RULE_PACKS`): ``wt2015`` is Working Together 2015 as the Pan
Lancashire procedures (003) and the Wirral below-threshold process (000) set it out;
``wt2015-north-west`` adds the North West framework's 14-day notice to the National
Panel (001 §3).

All counting is done by :class:`~services.scheduler.domain.calendar.WorkingCalendar`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any, Literal, NamedTuple
from weakref import WeakKeyDictionary

from services.scheduler.domain.calendar import WorkingCalendar, is_plain_date
from services.scheduler.domain.errors import ScheduleInputError

Unit = Literal["working_days", "calendar_days", "months"]
Status = Literal["pending", "due_soon", "overdue", "met", "waived"]

# How each unit moves a date by a signed amount: always by asking the board's calendar.
Shift = Callable[[WorkingCalendar, date, int], date]
_SHIFTS: dict[str, Shift] = {
    "working_days": lambda calendar, d, n: calendar.add_working_days(d, n),
    "calendar_days": lambda calendar, d, n: calendar.add_days(d, n),
    "months": lambda calendar, d, n: calendar.add_months(d, n),
}
UNITS: tuple[str, ...] = tuple(_SHIFTS)

# The kinds of review a case can end in (DOMAIN.md "Kinds of review"); ``None`` while
# the Chair has not yet decided.
REVIEW_KINDS: tuple[str, ...] = (
    "serious_case_review",
    "critical_incident_review",
    "learning_review",
    "multi_agency_concise_review",
    "single_agency_review",
    "no_review",
)

# The milestones of a case a deadline can hang from, with the words used for them
# in the explanation of a deadline ("... after <words> on <date>").
MILESTONES: dict[str, str] = {
    "incident_on": "the incident",
    "became_aware_on": "the local authority became aware of the incident",
    "board_notified_on": "the board was notified of the incident",
    "decided_on": "the Chair's decision",
    "initiated_on": "the review was initiated",
    "planned_publication_on": "the planned publication",
    "published_on": "publication",
    "action_plan_agreed_on": "the action plan was agreed",
}

# Milestone -> the milestones it follows: it cannot be dated before them. A case is
# checked against the nearest ones it has (with no board_notified_on, decided_on is
# compared with became_aware_on, and so on up the chain). Listed in chain order.
MILESTONE_ORDER: dict[str, tuple[str, ...]] = {
    "incident_on": (),
    "became_aware_on": ("incident_on",),
    "board_notified_on": ("became_aware_on",),
    "decided_on": ("board_notified_on",),
    "initiated_on": ("decided_on",),
    "planned_publication_on": ("initiated_on",),
    "published_on": ("initiated_on",),
    "action_plan_agreed_on": ("initiated_on",),
}


# -- saying dates and amounts (no locale involved) -------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("calendar day", "calendar days"),
    "months": ("month", "months"),
}


@lru_cache(maxsize=8192)
def _say(d: date) -> str:
    """A date as people write it: Friday 2 January 2026."""
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month]} {d.year}"


def _amount(offset: int, unit: str) -> str:
    one, many = _UNIT_WORDS[unit]
    return f"{offset} {one if offset == 1 else many}"


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
        return _amount(self.offset, self.unit)

    @cached_property
    def _head(self) -> str:
        return f"{self.description} {self.connector} "

    def reason(self, anchor_on: date, offset: int | None = None) -> str:
        """'5 working days after the Chair's decision on Friday 2 January 2026'."""
        amount = self._default_amount if offset is None else _amount(offset, self.unit)
        return f"{amount}{self._side}{_say(anchor_on)}"

    def explain(self, due: date, why: str) -> str:
        """The deadline in a sentence: what, by when, and how that date was reached."""
        return f"{self._head}{_say(due)} ({why})."


@dataclass(frozen=True)
class RulePack:
    code: str
    title: str
    rules: tuple[DeadlineRule, ...]

    def rule(self, code: str) -> DeadlineRule:
        for r in self.rules:
            if r.code == code:
                return r
        raise KeyError(code)


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


# -- validation -----------------------------------------------------------------------------


def _milestone_order_problems(dated: Mapping[str, date]) -> list[dict[str, str]]:
    """Milestones that come before the nearest earlier milestone the case has.

    One pass in chain order: ``floor[name]`` is the latest of the nearest given
    predecessors of ``name`` (looking through missing ones), with that milestone's name.
    """
    problems: list[dict[str, str]] = []
    floor: dict[str, tuple[date, str] | None] = {}
    for name, predecessors in MILESTONE_ORDER.items():
        best: tuple[date, str] | None = None
        for p in predecessors:
            v = dated.get(p)
            candidate = (v, p) if v is not None else floor[p]
            if candidate is not None and (best is None or candidate[0] > best[0]):
                best = candidate
        floor[name] = best
        value = dated.get(name)
        if value is not None and best is not None and value < best[0]:
            problems.append(
                {
                    "field": name,
                    "message": f"{_say(value)} is before {best[1]} ({_say(best[0])}); it cannot come earlier",
                }
            )
    return problems


def validate_case(pack: str, milestones: Mapping[str, date], review_kind: str | None) -> list[dict[str, str]]:
    """Every problem with the inputs of :func:`compute_deadlines`, each naming its field."""
    problems: list[dict[str, str]] = []
    if pack not in RULE_PACKS:
        problems.append(
            {
                "field": "rule_pack",
                "message": f"unknown rule pack {pack!r}; expected one of {', '.join(RULE_PACKS)}",
            }
        )
    if review_kind is not None and review_kind not in REVIEW_KINDS:
        problems.append(
            {
                "field": "review_kind",
                "message": f"unknown review kind {review_kind!r}; expected one of {', '.join(REVIEW_KINDS)}",
            }
        )
    dated: dict[str, date] = {}
    for name, value in milestones.items():
        if value is None:  # not reached yet: the same as not given
            continue
        if name not in MILESTONES:
            problems.append({"field": name, "message": "not a milestone the scheduler knows"})
        elif not is_plain_date(value):
            problems.append({"field": name, "message": "must be a date"})
        else:
            dated[name] = value
    problems.extend(_milestone_order_problems(dated))
    if review_kind == "no_review" and "initiated_on" in dated:
        problems.append(
            {
                "field": "initiated_on",
                "message": "the Chair decided on no review, so none was initiated",
            }
        )
    return problems


# -- computing ------------------------------------------------------------------------------

_DUE = itemgetter(1)  # Deadline.due


# The same rule, anchor date and calendar always give the same deadline, and deadlines
# are immutable, so each calendar keeps the ones already computed and cases share them
# (bulk recomputation sees the same dates again and again). One memo per calendar, gone
# with the calendar, emptied when it grows past the limit.
_MEMO_LIMIT = 1 << 16
_memos: WeakKeyDictionary[WorkingCalendar, dict[tuple, Any]] = WeakKeyDictionary()


def _memo_for(calendar: WorkingCalendar) -> dict[tuple, Any]:
    memo = _memos.get(calendar)
    if memo is None or len(memo) > _MEMO_LIMIT:
        memo = _memos[calendar] = {}
    return memo


def _simple(rule: DeadlineRule, anchor_on: date, calendar: WorkingCalendar) -> Deadline:
    """A rule without cap or repeat."""
    due = rule.due_from(anchor_on, calendar)
    why = rule.reason(anchor_on)
    return Deadline(rule.code, due, rule.explain(due, why), rule.source, rule.concerns)


def _capped(
    rule: DeadlineRule,
    milestones: Mapping[str, date],
    review_kind: str | None,
    calendar: WorkingCalendar,
) -> Deadline:
    """A rule with a cap: the earlier of the two dates, and a sentence saying which won."""
    cap = rule.cap
    assert cap is not None
    anchor_on = milestones[rule.anchor]
    due = rule.due_from(anchor_on, calendar)
    cap_anchor_on = milestones.get(cap.anchor)
    if cap_anchor_on is not None and cap.applies(review_kind):
        cap_due = cap.due_from(cap_anchor_on, calendar)
        if cap_due < due:
            why = (
                f"{cap.reason(cap_anchor_on)}, which comes before "
                f"{rule.reason(anchor_on)} ({_say(due)}); the earlier date applies"
            )
            due = cap_due
        else:
            why = (
                f"{rule.reason(anchor_on)}; the limit of {cap.reason(cap_anchor_on)} "
                f"falls on {_say(cap_due)}, which is later"
            )
    else:
        why = rule.reason(anchor_on)
    return Deadline(rule.code, due, rule.explain(due, why), rule.source, rule.concerns)


def _repeated(
    rule: DeadlineRule,
    anchor_on: date,
    calendar: WorkingCalendar,
    occurrences: int,
    not_before: date | None,
) -> tuple[Deadline, ...]:
    """The first ``occurrences`` dates of a repeating rule, or the next ones from ``not_before``.

    Each date is counted from the anchor (3, 6, 9 ... months), not from the previous
    date, so a plan agreed on 31 January reports on 30 April, 31 July, 31 October.
    """
    repeat = rule.repeat
    assert repeat is not None
    every = repeat.every
    k = 1
    if not_before is not None:
        if not_before > anchor_on and rule.unit == "months":
            months = (not_before.year - anchor_on.year) * 12 + not_before.month - anchor_on.month
            k = max(1, (months - rule.offset) // every)  # never past the answer
        while rule.due_from(anchor_on, calendar, rule.offset + (k - 1) * every) < not_before:
            k += 1
    out: list[Deadline] = []
    for i in range(k, k + occurrences):
        n = rule.offset + (i - 1) * every
        due = rule.due_from(anchor_on, calendar, n)
        why = f"{repeat.name} report {i}: {rule.reason(anchor_on, n)}"
        out.append(Deadline(rule.code, due, rule.explain(due, why), rule.source, rule.concerns, i))
    return tuple(out)


def compute_deadlines(
    pack: str,
    milestones: Mapping[str, date],
    review_kind: str | None,
    calendar: WorkingCalendar,
    *,
    occurrences: int = 1,
    not_before: date | None = None,
) -> list[Deadline]:
    """The deadlines of one case under rule pack ``pack``, earliest first.

    Only rules whose anchor milestone is given (a milestone set to ``None`` counts as
    not given) and whose review kinds include ``review_kind`` give a deadline. A
    repeating rule gives its first ``occurrences`` dates, or with ``not_before`` the
    next ``occurrences`` dates on or after it.

    Raises :class:`ScheduleInputError` listing every problem: unknown rule pack
    (``rule_pack``), unknown review kind (``review_kind``), unknown or non-date
    milestones, milestones out of order (naming the later one), ``occurrences`` < 1.
    """
    problems = validate_case(pack, milestones, review_kind)
    if occurrences.__class__ is not int or occurrences < 1:
        problems.append({"field": "occurrences", "message": "must be a whole number of at least 1"})
    if not_before is not None and not is_plain_date(not_before):
        problems.append({"field": "not_before", "message": "must be a date"})
    if problems:
        raise ScheduleInputError(problems)
    memo = _memo_for(calendar)
    out: list[Deadline] = []
    for rule in RULE_PACKS[pack].rules:
        anchor_on = milestones.get(rule.anchor)
        if anchor_on is None or not rule.applies(review_kind):
            continue
        if rule.cap is not None:  # depends on two dates and the kind: not worth keeping
            out.append(_capped(rule, milestones, review_kind, calendar))
        elif rule.repeat is not None:
            key = (rule, anchor_on, occurrences, not_before)
            found = memo.get(key)
            if found is None:
                found = memo[key] = _repeated(rule, anchor_on, calendar, occurrences, not_before)
            out.extend(found)
        else:
            key = (rule, anchor_on)
            found = memo.get(key)
            if found is None:
                found = memo[key] = _simple(rule, anchor_on, calendar)
            out.append(found)
    out.sort(key=_DUE)  # stable: deadlines on the same day keep the pack's order
    return out


def deadline_status(
    due: date,
    today: date,
    met_on: date | None,
    waived: bool,
    due_soon_days: int,
    calendar: WorkingCalendar,
) -> Status:
    """Where a deadline stands on ``today``.

    ``waived`` and ``met`` win over dates (a waiver is a recorded decision, so it wins
    over a met date). Otherwise: ``overdue`` once ``today`` is past ``due``;
    ``due_soon`` when ``due`` is at most ``due_soon_days`` working days away (due today
    counts: 0 days away); ``pending`` before that.
    """
    if due_soon_days < 0:
        raise ScheduleInputError([{"field": "due_soon_days", "message": "must not be negative"}])
    if waived:
        return "waived"
    if met_on is not None:
        return "met"
    if today > due:
        return "overdue"
    if calendar.working_days_between(today, due) <= due_soon_days:
        return "due_soon"
    return "pending"
