"""The referral service's part of the retention schedule (:mod:`shared.retention`).

The board sets the schedule here, where its settings live (:func:`set_schedule`, from
``PUT /api/v1/board/retention``); the service keeps it and announces it to the others
(``board.retention_set``). Once a day its job applies it to the service's own records:

- ``referrals_not_reviewed``: a case the Chair decided needs no review, decided before the
  cutoff, is pseudonymised: the child's details are removed (``child``), and the referrer's
  name and email and the summary are replaced; reference, dates, facts and outcome stay, for
  the board's figures (UK GDPR Art. 89 allows keeping data for statistics with safeguards
  such as pseudonymisation);
- ``review_records``: a case that led to a review, decided before the cutoff, the same way;
- ``audit_log``: the identity store's audit entries of the board before the cutoff are
  deleted (the referral service administers the board's users and their sign-ins).

Drafts need no rule: they expire 90 days after their last change (their TTL index).
"""

from __future__ import annotations

from datetime import datetime

from services.referral.adapters.store import Case
from services.referral.domain.decision import NO_REVIEW
from shared.events.retention import BoardRetentionSet
from shared.retention import (
    REMOVED,
    Applied,
    RetentionJob,
    RetentionSetting,
    Rule,
    audit_log_rule,
    changed_setting,
)

NAME = "referral"


def set_schedule(board_id: str, months: dict[str, int], set_by: str) -> RetentionSetting:
    """Keep the board's schedule and announce it to every service, in one write."""
    setting = changed_setting(NAME, board_id, months, set_by)
    setting.raise_event(
        BoardRetentionSet(board_id=board_id, months=dict(months), set_by=set_by), producer=NAME
    )
    setting.save()
    return setting


def _pseudonymise_cases(led_to_review: bool) -> Rule:
    outcome = {"$ne": NO_REVIEW} if led_to_review else NO_REVIEW

    def apply(board_id: str, before: datetime) -> Applied:
        found = Case._get_collection().update_many(
            {
                "board_id": board_id,
                "decision.outcome": outcome,
                "decision.decided_on": {"$lt": before.replace(tzinfo=None)},
                "referrer.email": {"$ne": REMOVED},
            },
            {
                "$set": {"referrer.name": REMOVED, "referrer.email": REMOVED, "summary": REMOVED},
                "$unset": {"child": ""},
            },
        )
        return Applied(pseudonymised=found.modified_count)

    return Rule("review_records" if led_to_review else "referrals_not_reviewed", apply)


RULES = (_pseudonymise_cases(led_to_review=False), _pseudonymise_cases(led_to_review=True), audit_log_rule())


def job() -> RetentionJob:
    return RetentionJob(NAME, RULES)
