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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Literal

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.errors import ScheduleInputError

Unit = Literal["working_days", "calendar_days", "months"]
Status = Literal["pending", "due_soon", "overdue", "met", "waived"]

UNITS: tuple[str, ...] = ("working_days", "calendar_days", "months")

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

# Milestone -> the milestones that cannot come after it. A case is checked against
# the nearest ones it has: with no board_notified_on, decided_on is compared with
# became_aware_on, and so on up the chain.
MILESTONE_ORDER: dict[str, tuple[str, ...]] = {
    "incident_on": (),
    "became_aware_on": ("incident_on",),
    "board_notified_on": ("became_aware_on",),
    "decided_on": ("board_notified_on",),
    "initiated_on": ("decided_on",),
    "planned_publication_on": ("initiated_on", "decided_on"),
    "published_on": ("initiated_on", "decided_on"),
    "action_plan_agreed_on": ("initiated_on",),
}


@dataclass(frozen=True)
class Repeat:
    """A deadline that recurs every ``every`` units after its first occurrence."""

    every: int
    unit: Unit
    name: str  # "quarterly"


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory or local timescale, with its source beside it.

    ``due = anchor milestone + direction * offset (unit)``. When ``cap`` applies to the
    case (same review kind filter, its anchor given), the deadline is the earlier of
    the two dates.
    """

    code: str
    anchor: str
    offset: int
    unit: Unit
    direction: Literal[1, -1]
    concerns: str  # who has to act: local_authority, chair, business_unit, ...
    description: str  # plain English; the computed explanation starts with it
    source: str  # seed and section, as in DOMAIN.md
    applies_to: frozenset[str] | None = None  # review kinds; None = every case
    repeat: Repeat | None = None
    cap: DeadlineRule | None = None
    connector: str = "by"  # "by <date>", "until at least <date>", ...

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


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed deadline of one case."""

    code: str
    due: date
    rule: str  # plain English, with the actual dates
    source: str
    concerns: str
    occurrence: int = 1  # 1, 2, ... for a repeating rule


# -- the rules ----------------------------------------------------------------------------

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
    description="A review below the SCR threshold is also complete within 12 months of the incident",
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
        "The board sends the final report, with the actions taken, "
        "to Ofsted, the DfE and the National Panel"
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
    repeat=Repeat(every=3, unit="months", name="quarterly"),
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


def _nearest_given(name: str, milestones: Mapping[str, date]) -> list[str]:
    """The closest predecessors of ``name`` that the case has, skipping missing ones."""
    found: list[str] = []
    stack = list(MILESTONE_ORDER[name])
    seen: set[str] = set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        if p in milestones:
            found.append(p)
        else:
            stack.extend(MILESTONE_ORDER[p])
    return found


def validate_case(
    pack: str, milestones: Mapping[str, date], review_kind: str | None
) -> list[dict[str, str]]:
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
                "message": f"unknown review kind {review_kind!r}; "
                f"expected one of {', '.join(REVIEW_KINDS)}",
            }
        )
    dated: dict[str, date] = {}
    for name, value in milestones.items():
        if name not in MILESTONES:
            problems.append({"field": name, "message": "not a milestone the scheduler knows"})
        elif not isinstance(value, date) or isinstance(value, datetime):
            problems.append({"field": name, "message": "must be a date"})
        else:
            dated[name] = value
    for name in MILESTONES:  # a fixed order, so problems are listed predictably
        value = dated.get(name)
        if value is None:
            continue
        for earlier in _nearest_given(name, dated):
            if value < dated[earlier]:
                problems.append(
                    {
                        "field": name,
                        "message": f"{_say(value)} is before {earlier} "
                        f"({_say(dated[earlier])}); it cannot come earlier",
                    }
                )
                break
    if review_kind == "no_review" and "initiated_on" in dated:
        problems.append(
            {"field": "initiated_on", "message": "the Chair decided on no review, so none was initiated"}
        )
    return problems


# -- computing ------------------------------------------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_UNIT_WORDS = {
    "working_days": ("working day", "working days"),
    "calendar_days": ("calendar day", "calendar days"),
    "months": ("month", "months"),
}


@lru_cache(maxsize=8192)
def _say(d: date) -> str:
    """A date as people write it: Friday 2 January 2026 (no locale involved)."""
    return f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTHS[d.month]} {d.year}"


def _amount(offset: int, unit: str) -> str:
    one, many = _UNIT_WORDS[unit]
    return f"{offset} {one if offset == 1 else many}"


def _shift(calendar: WorkingCalendar, d: date, offset: int, unit: str, direction: int) -> date:
    if unit == "working_days":
        if direction > 0:
            return calendar.add_working_days(d, offset)
        return calendar.subtract_working_days(d, offset)
    if unit == "months":
        return calendar.add_months(d, direction * offset)
    return calendar.add_days(d, direction * offset)


def _reason(rule: DeadlineRule, offset: int, anchor_on: date) -> str:
    side = "after" if rule.direction > 0 else "before"
    return f"{_amount(offset, rule.unit)} {side} {MILESTONES[rule.anchor]} on {_say(anchor_on)}"


def _one(
    rule: DeadlineRule,
    milestones: Mapping[str, date],
    review_kind: str | None,
    calendar: WorkingCalendar,
) -> Deadline:
    anchor_on = milestones[rule.anchor]
    due = _shift(calendar, anchor_on, rule.offset, rule.unit, rule.direction)
    why = _reason(rule, rule.offset, anchor_on)
    cap = rule.cap
    if cap is not None and cap.applies(review_kind) and cap.anchor in milestones:
        cap_anchor_on = milestones[cap.anchor]
        cap_due = _shift(calendar, cap_anchor_on, cap.offset, cap.unit, cap.direction)
        cap_why = _reason(cap, cap.offset, cap_anchor_on)
        if cap_due < due:
            why = f"{cap_why}, which comes before {why} ({_say(due)}); the earlier date applies"
            due = cap_due
        else:
            why = f"{why}; the limit of {cap_why} falls on {_say(cap_due)}, which is later"
    return Deadline(
        code=rule.code,
        due=due,
        rule=f"{rule.description} {rule.connector} {_say(due)} ({why}).",
        source=rule.source,
        concerns=rule.concerns,
    )


def _repeated(
    rule: DeadlineRule,
    anchor_on: date,
    calendar: WorkingCalendar,
    occurrences: int,
    not_before: date | None,
) -> list[Deadline]:
    """The first ``occurrences`` dates of a repeating rule, or the next ones from ``not_before``.

    Each date is counted from the anchor (3, 6, 9 ... months), not from the previous
    date, so a plan agreed on 31 January reports on 30 April, 31 July, 31 October.
    """
    repeat = rule.repeat
    assert repeat is not None

    def nth(k: int) -> tuple[int, date]:
        offset = rule.offset + (k - 1) * repeat.every
        return offset, _shift(calendar, anchor_on, offset, rule.unit, rule.direction)

    k = 1
    if not_before is not None and not_before > anchor_on and rule.unit == "months":
        months = (not_before.year - anchor_on.year) * 12 + not_before.month - anchor_on.month
        k = max(1, (months - rule.offset) // repeat.every)  # never past the answer
    while nth(k)[1] < (not_before or date.min):
        k += 1
    out: list[Deadline] = []
    for i in range(k, k + occurrences):
        offset, due = nth(i)
        why = f"{repeat.name} report {i}: {_reason(rule, offset, anchor_on)}"
        out.append(
            Deadline(
                code=rule.code,
                due=due,
                rule=f"{rule.description} {rule.connector} {_say(due)} ({why}).",
                source=rule.source,
                concerns=rule.concerns,
                occurrence=i,
            )
        )
    return out


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

    Only rules whose anchor milestone is given (and whose review kinds include
    ``review_kind``) give a deadline. A repeating rule gives its first ``occurrences``
    dates, or with ``not_before`` the next ``occurrences`` dates on or after it.

    Raises :class:`ScheduleInputError` listing every problem: unknown rule pack
    (``rule_pack``), unknown review kind (``review_kind``), unknown or non-date
    milestones, milestones out of order (naming the later one), ``occurrences`` < 1.
    """
    problems = validate_case(pack, milestones, review_kind)
    if not isinstance(occurrences, int) or occurrences < 1:
        problems.append({"field": "occurrences", "message": "must be a whole number of at least 1"})
    if problems:
        raise ScheduleInputError(problems)
    out: list[Deadline] = []
    for rule in RULE_PACKS[pack].rules:
        if rule.anchor not in milestones or not rule.applies(review_kind):
            continue
        if rule.repeat is not None:
            out.extend(
                _repeated(rule, milestones[rule.anchor], calendar, occurrences, not_before)
            )
        else:
            out.append(_one(rule, milestones, review_kind, calendar))
    out.sort(key=lambda d: d.due)  # stable: rules due the same day keep the pack's order
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
