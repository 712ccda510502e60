"""The case: its life as a state machine, and the rules of the Chair's decision.

Pure Python. The rules cite their sources (see ../shared/DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.errors import Conflict
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS

# -- status ------------------------------------------------------------------------

REFERRED = "referred"
SCREENED = "screened"
AWAITING_DECISION = "awaiting_decision"
DECIDED = "decided"
IN_REVIEW = "in_review"
REPORT = "report"
PUBLISHED = "published"
NOT_PUBLISHED = "not_published"
ACTION_PLAN = "action_plan"
CLOSED = "closed"

STATUSES = (
    REFERRED,
    SCREENED,
    AWAITING_DECISION,
    DECIDED,
    IN_REVIEW,
    REPORT,
    PUBLISHED,
    NOT_PUBLISHED,
    ACTION_PLAN,
    CLOSED,
)

TRANSITIONS: dict[str, frozenset[str]] = {
    REFERRED: frozenset({SCREENED}),
    SCREENED: frozenset({AWAITING_DECISION}),
    AWAITING_DECISION: frozenset({DECIDED}),
    # A decision of no review closes the case; otherwise the review starts.
    DECIDED: frozenset({IN_REVIEW, CLOSED}),
    IN_REVIEW: frozenset({REPORT}),
    REPORT: frozenset({PUBLISHED, NOT_PUBLISHED}),
    PUBLISHED: frozenset({ACTION_PLAN}),
    NOT_PUBLISHED: frozenset({ACTION_PLAN}),
    ACTION_PLAN: frozenset({CLOSED}),
    CLOSED: frozenset(),
}


class IllegalTransition(Conflict):
    def __init__(self, current: str, target: str):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "none"
        super().__init__(
            f"A case that is {current.replace('_', ' ')} cannot become {target.replace('_', ' ')}"
            f" (it can become: {allowed.replace('_', ' ')})",
            field="status",
        )


def may_become(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check_transition(current: str, target: str) -> None:
    if not may_become(current, target):
        raise IllegalTransition(current, target)


# -- the next statutory deadline, as the scheduler announced it ------------------------------

OVERDUE = "overdue"
DUE_SOON = "due_soon"
ON_TRACK = "on_track"


def deadline_state(announced: str | None, due: date | None, today: date) -> str:
    """``overdue``, ``due_soon`` or ``on_track``.

    A deadline is overdue once the scheduler says so, or once its date has passed even if
    that announcement has not arrived yet; it is due soon only when the scheduler says so.
    """
    if announced == OVERDUE or (due is not None and due < today):
        return OVERDUE
    if announced == DUE_SOON:
        return DUE_SOON
    return ON_TRACK


# -- the Chair's decision ----------------------------------------------------------------

REVIEW_KINDS = (
    "serious_case_review",
    "critical_incident_review",
    "learning_review",
    "multi_agency_concise_review",
    "single_agency_review",
)
OUTCOMES = (*REVIEW_KINDS, "no_review")
SCR = "serious_case_review"

MIN_JUSTIFICATION = 40  # characters: a sentence, not a word

# The product's limit, not the framework's: the seeds speak of lead reviewer(s) and a
# co-reviewer (001 §5.6; 002 §2.2) without a number. The decision page offers three rows,
# and a decision sent through the API is held to the same.
MAX_LEAD_REVIEWERS = 3


@dataclass(frozen=True)
class Reviewer:
    name: str
    organisation: str
    email: str | None = None


@dataclass(frozen=True)
class DecisionFacts:
    outcome: str
    decided_on: date
    initiated_on: date | None
    rationale: str
    lead_reviewers: tuple[Reviewer, ...] = ()
    case_factors: tuple[str, ...] = ()
    context_factors: tuple[str, ...] = ()


@dataclass
class DecisionCheck:
    problems: list[dict[str, Any]] = field(default_factory=list)
    panel_scrutiny: bool = False

    def add(self, field_name: str, message: str) -> None:
        self.problems.append({"field": field_name, "message": message})


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def check_decision(
    d: DecisionFacts,
    *,
    scr_required: bool,
    board_notified_on: date,
    today: date,
    involved_agencies: dict[str, str],
) -> DecisionCheck:
    """Every problem with a decision at once, and whether it goes to National Panel scrutiny.

    ``involved_agencies`` maps the codes of the agencies involved in the case to their names.
    """
    check = DecisionCheck()
    if d.outcome not in OUTCOMES:
        check.add("outcome", f"Choose one of: {', '.join(OUTCOMES)}")
    if d.decided_on > today:
        check.add("decided_on", "The decision date cannot be in the future")
    if d.decided_on < board_notified_on:
        check.add("decided_on", "The decision cannot come before the board was notified")
    if d.initiated_on is not None and d.initiated_on < d.decided_on:
        check.add("initiated_on", "A review cannot start before it was decided")
    if len(d.lead_reviewers) > MAX_LEAD_REVIEWERS:
        check.add("lead_reviewers", f"Name at most {MAX_LEAD_REVIEWERS} lead reviewers")
    if d.outcome == SCR:
        # An SCR needs named, independent lead reviewers (003 "Appointing reviewers"; 001 §5.6).
        if not d.lead_reviewers:
            check.add("lead_reviewers", "A Serious Case Review needs at least one lead reviewer")
        involved = {_norm(code) for code in involved_agencies} | {
            _norm(name) for name in involved_agencies.values()
        }
        for i, reviewer in enumerate(d.lead_reviewers):
            if _norm(reviewer.organisation) in involved:
                check.add(
                    f"lead_reviewers.{i}.organisation",
                    f"{reviewer.name} belongs to an agency involved in the case; an SCR lead"
                    " reviewer must be independent of it",
                )
    elif scr_required and d.outcome in OUTCOMES:
        # Choosing something other than a required SCR must be justified, and the National
        # Panel scrutinises it (003 checklist; 001 §3).
        check.panel_scrutiny = True
        if len(d.rationale.strip()) < MIN_JUSTIFICATION:
            check.add(
                "rationale",
                "The screening says an SCR is required: explain in writing why another course"
                " was chosen (the National Panel will see it)",
            )
    for i, code in enumerate(d.case_factors):
        if code not in CASE_FACTORS:
            check.add(f"proportionality.case_factors.{i}", f"Unknown case factor {code!r}")
    for i, code in enumerate(d.context_factors):
        if code not in CONTEXT_FACTORS:
            check.add(f"proportionality.context_factors.{i}", f"Unknown context factor {code!r}")
    return check
