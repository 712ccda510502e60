"""The milestones of a case that deadlines hang from, the order they come in, and the kinds of review.

DOMAIN.md "Timescales" and "Kinds of review".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from services.scheduler.domain.wording import say

# The kinds of review a case can end in (DOMAIN.md "Kinds of review"; under Working Together
# 2018 and 2023 the safeguarding partners' local child safeguarding practice review, Children
# Act 2004 s.16F and SI 2018/789 reg 11); ``None`` while nothing is decided.
REVIEW_KINDS: tuple[str, ...] = (
    "serious_case_review",
    "critical_incident_review",
    "learning_review",
    "multi_agency_concise_review",
    "single_agency_review",
    "local_child_safeguarding_practice_review",
    "no_review",
)

# The milestones of a case a deadline can hang from, with the words used for them
# in the explanation of a deadline ("... after <words> on <date>").
MILESTONES: dict[str, str] = {
    "incident_on": "the incident",
    "became_aware_on": "the local authority became aware of the incident",
    # WT2018/2023: the date the notification of the incident was sent to the Panel.
    "panel_notified_on": "the Child Safeguarding Practice Review Panel was notified of the incident",
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
    "panel_notified_on": ("became_aware_on",),
    "board_notified_on": ("became_aware_on",),
    "decided_on": ("board_notified_on",),
    "initiated_on": ("decided_on",),
    "planned_publication_on": ("initiated_on",),
    "published_on": ("initiated_on",),
    "action_plan_agreed_on": ("initiated_on",),
}


def milestone_order_problems(dated: Mapping[str, date]) -> list[dict[str, str]]:
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
                    "message": f"{say(value)} is before {best[1]} ({say(best[0])}); it cannot come earlier",
                }
            )
    return problems
