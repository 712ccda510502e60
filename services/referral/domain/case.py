"""The case: its life as a state machine, and where its next deadline stands.

The decision's rules are in :mod:`.decision`, the lead reviewers' in :mod:`.reviewers`, the
rapid review's in :mod:`.rapid_review`. Pure Python. The rules cite their sources (see
../shared/DOMAIN.md).
"""

from __future__ import annotations

from datetime import date

from shared.errors import Conflict

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
