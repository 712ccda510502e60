"""A case's deadlines: its milestones checked, turned into dates by its rule pack, and their status.

The rules themselves are data in :mod:`services.scheduler.domain.rules`; all counting is
done by :class:`~services.scheduler.domain.calendar.WorkingCalendar`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from operator import itemgetter
from typing import Any, Literal, get_args
from weakref import WeakKeyDictionary

from services.scheduler.domain.calendar import WorkingCalendar, is_plain_date
from services.scheduler.domain.errors import ScheduleInputError
from services.scheduler.domain.milestones import MILESTONES, REVIEW_KINDS, milestone_order_problems
from services.scheduler.domain.rules import RULE_PACKS, Deadline, DeadlineRule
from services.scheduler.domain.wording import say

# ``met_late``: met, but after the due date (issue 12, correction 6): late is not on time.
Status = Literal["pending", "due_soon", "overdue", "met", "met_late", "waived"]
STATUSES: tuple[Status, ...] = get_args(Status)


# -- validation -----------------------------------------------------------------------------


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
    problems.extend(milestone_order_problems(dated))
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
_Memo = dict[tuple[object, ...], Any]
_memos: WeakKeyDictionary[WorkingCalendar, _Memo] = WeakKeyDictionary()


def _memo_for(calendar: WorkingCalendar) -> _Memo:
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
                f"{rule.reason(anchor_on)} ({say(due)}); the earlier date applies"
            )
            due = cap_due
        else:
            why = (
                f"{rule.reason(anchor_on)}; the limit of {cap.reason(cap_anchor_on)} "
                f"falls on {say(cap_due)}, which is later"
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
    notifiable: bool = True,
) -> list[Deadline]:
    """The deadlines of one case under rule pack ``pack``, earliest first.

    Only rules whose anchor milestone is given (a milestone set to ``None`` counts as
    not given) and whose review kinds include ``review_kind`` give a deadline; a rule
    owed only for a notifiable incident gives none when ``notifiable`` is false. A
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
        if anchor_on is None or not rule.applies(review_kind, notifiable):
            continue
        if rule.cap is not None:  # depends on two dates and the kind: not worth keeping
            out.append(_capped(rule, milestones, review_kind, calendar))
        elif rule.repeat is not None:
            key: tuple[object, ...] = (rule, anchor_on, occurrences, not_before)
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

    ``waived`` and met win over dates (a waiver is a recorded decision, so it wins
    over a met date): ``met`` on or before ``due``, ``met_late`` after it. Otherwise:
    ``overdue`` once ``today`` is past ``due``;
    ``due_soon`` when ``due`` is at most ``due_soon_days`` working days away (due today
    counts: 0 days away); ``pending`` before that.
    """
    if due_soon_days < 0:
        raise ScheduleInputError([{"field": "due_soon_days", "message": "must not be negative"}])
    if waived:
        return "waived"
    if met_on is not None:
        return "met_late" if met_on > due else "met"
    if today > due:
        return "overdue"
    if calendar.working_days_between(today, due) <= due_soon_days:
        return "due_soon"
    return "pending"


def count_statuses(statuses: Iterable[str]) -> dict[str, int]:
    """How many deadlines stand at each status, every status named (0 where none)."""
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        counts[status] += 1
    return counts
