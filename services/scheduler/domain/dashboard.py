"""The board dashboard's figures, from what the scheduler keeps of each case, its deadlines and
the actions of its action plans. Pure Python: each figure is a :class:`Table` of labelled counts
(or days) that the page draws as a chart with its data table beside it, and the CSV exports.

- open referrals and reviews by stage, as they stand today;
- deadlines due in the year: met on time, met late, overdue (open past their date), still to
  come (001 §3, 003 and 000 §7 set them; a waived deadline counts in none);
- actions due in the year by status (open, overdue, closed) and by owning agency (000 §9-§11);
- reviews opened in the year by kind and by theme (themes from the learning summary, 001 §7);
- days from referral to decision (003 checklist: normally within one month) and from decision to
  publication (003), medians over the cases decided or published in the year.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

AWAITING_DECISION = "awaiting_decision"
FINISHED = ("published", "not_published", "withdrawn", "no_review")


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    referred_on: date | None = None
    decided_on: date | None = None
    outcome: str | None = None
    review_kind: str | None = None
    opened_on: date | None = None
    stage: str | None = None
    themes: tuple[str, ...] = ()
    published_on: date | None = None
    not_published: bool = False

    @property
    def state(self) -> str:
        """Where the case stands: awaiting the decision, a review's stage, or finished."""
        if self.decided_on is None:
            return AWAITING_DECISION
        if self.outcome == "no_review":
            return "no_review"
        if self.published_on is not None:
            return "published"
        if self.not_published:
            return "not_published"
        return self.stage or "scoping"


@dataclass(frozen=True)
class DeadlineFacts:
    due: date
    met_on: date | None
    waived: bool


@dataclass(frozen=True)
class ActionFacts:
    owner_agency: str
    due: date
    closed_on: date | None


@dataclass(frozen=True)
class Table:
    """One figure: a title, what it shows, its rows (label code, value) and the value's unit."""

    key: str
    title: str
    description: str
    rows: list[tuple[str, float]]
    unit: str = "count"
    columns: tuple[str, str] = ("", "Number")
    note: str = ""

    @property
    def total(self) -> float:
        return sum(v for _, v in self.rows)


@dataclass
class Dashboard:
    year: int
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _ordered(counts: Counter[str], order: Iterable[str] = ()) -> list[tuple[str, float]]:
    known = [k for k in order if counts.get(k)]
    rest = sorted(k for k in counts if k not in known)
    return [(k, float(counts[k])) for k in [*known, *rest]]


STAGE_ORDER = (AWAITING_DECISION, "scoping", "information_gathering", "analysis", "reporting", "publication")
DEADLINE_ORDER = ("on_time", "late", "overdue", "to_come")
ACTION_ORDER = ("open", "overdue", "closed")


def _deadline_state(d: DeadlineFacts, today: date) -> str:
    if d.met_on is not None:
        return "on_time" if d.met_on <= d.due else "late"
    return "overdue" if d.due < today else "to_come"


def _action_state(a: ActionFacts, today: date) -> str:
    if a.closed_on is not None:
        return "closed"
    return "overdue" if a.due < today else "open"


def _median_days(pairs: Iterable[tuple[date | None, date | None]]) -> tuple[float, int]:
    days = [(b - a).days for a, b in pairs if a is not None and b is not None and b >= a]
    return (float(statistics.median(days)) if days else 0.0), len(days)


def build(
    year: int,
    today: date,
    cases: Iterable[CaseFacts],
    deadlines: Iterable[DeadlineFacts],
    actions: Iterable[ActionFacts],
) -> Dashboard:
    cases = list(cases)
    board = Dashboard(year)
    open_now = Counter(c.state for c in cases if c.state not in FINISHED)
    board.tables.append(
        Table(
            "open_by_stage",
            "Open referrals and reviews by stage",
            "Referrals awaiting the Chair's decision and reviews under way, as they stand today",
            _ordered(open_now, STAGE_ORDER),
            columns=("Stage", "Cases"),
        )
    )
    in_year = [d for d in deadlines if d.due.year == year and not d.waived]
    board.tables.append(
        Table(
            "deadlines",
            f"Deadlines due in {year}",
            "Met on time, met late, open past their date (overdue) and still to come",
            _ordered(Counter(_deadline_state(d, today) for d in in_year), DEADLINE_ORDER),
            columns=("Deadlines", "Number"),
        )
    )
    actions = [a for a in actions if a.due.year == year]
    board.tables.append(
        Table(
            "actions_by_status",
            f"Actions due in {year} by status",
            "Actions of the boards' action plans: open, overdue (open past their due date) or closed",
            _ordered(Counter(_action_state(a, today) for a in actions), ACTION_ORDER),
            columns=("Status", "Actions"),
        )
    )
    board.tables.append(
        Table(
            "actions_by_agency",
            f"Actions due in {year} by agency",
            "How many actions each agency owns",
            _ordered(Counter(a.owner_agency for a in actions)),
            columns=("Agency", "Actions"),
        )
    )
    opened = [c for c in cases if c.opened_on is not None and c.opened_on.year == year]
    board.tables.append(
        Table(
            "reviews_by_kind",
            f"Reviews opened in {year} by kind",
            "Each kind of review the board started",
            _ordered(Counter(c.review_kind or "unknown" for c in opened)),
            columns=("Kind of review", "Reviews"),
        )
    )
    board.tables.append(
        Table(
            "reviews_by_theme",
            f"Reviews opened in {year} by theme",
            "Themes of their learning summaries; a review may have several",
            _ordered(Counter(t for c in opened for t in c.themes)),
            columns=("Theme", "Reviews"),
        )
    )
    to_decision, decided = _median_days(
        (c.referred_on, c.decided_on) for c in cases if c.decided_on and c.decided_on.year == year
    )
    to_publication, published = _median_days(
        (c.decided_on, c.published_on) for c in cases if c.published_on and c.published_on.year == year
    )
    board.tables.append(
        Table(
            "durations",
            f"Median days, {year}",
            "From referral to the Chair's decision (normally within a month, 003) and from the decision "
            "to publication",
            [("referral_to_decision", to_decision), ("decision_to_publication", to_publication)],
            unit="days",
            columns=("Interval", "Median days"),
            note=f"{decided} decisions and {published} publications in {year}",
        )
    )
    return board
