"""The referral service's events about one case, as the documents service receives them
(:mod:`tests.events`, with the child's details sealed and a reference of the case's own).

Each factory takes ``(case_id, board_id, **overrides)``; :func:`received` puts a payload through
the envelope and back, as the bus does.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from shared.crypto import seal_json
from shared.events import Event
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
    ReviewerAppointed,
)
from tests import events
from tests.events import received

CHILD = {"name": "Jane Doe", "date_of_birth": "2025-06-01", "nhs_number": "943 476 5919", "address": ""}
LEAD_REVIEWER = events.LEAD.name


def new_case_id() -> str:
    return f"case-{uuid.uuid4().hex[:8]}"


def referral_submitted(case_id: str, board_id: str, **overrides: Any) -> ReferralSubmitted:
    child = overrides.pop("child", CHILD)
    own = {
        "reference": f"SCR-2025-{case_id[-4:].upper()}",
        "child_sealed": seal_json(child) if child is not None else None,
    }
    return events.referral_submitted(board_id, case_id, **{**own, **overrides})


def case_screened(case_id: str, board_id: str, **overrides: Any) -> CaseScreened:
    return events.case_screened(board_id, case_id, **overrides)


def decision_recorded(case_id: str, board_id: str, **overrides: Any) -> DecisionRecorded:
    return events.decision_recorded(board_id, case_id, **overrides)


def decision_changed(case_id: str, board_id: str, **overrides: Any) -> DecisionChanged:
    return events.decision_changed(board_id, case_id, **overrides)


def reviewer_appointed(case_id: str, board_id: str, **overrides: Any) -> ReviewerAppointed:
    return events.reviewer_appointed(board_id, case_id, **overrides)


def decision_confirmed(case_id: str, board_id: str, **overrides: Any) -> DecisionConfirmed:
    """The board kept its decision after a challenge (003 checklist)."""
    payload = DecisionConfirmed(
        case_id=case_id,
        board_id=board_id,
        decision_id=f"d-{case_id}",
        rule_pack="wt2015",
        outcome="serious_case_review",
        confirmed_on=date(2025, 12, 20),
        rationale="The Panel's challenge was considered; the criteria are met and the SCR stands.",
        chair_name="Alex Chair",
        challenged_by="national_panel",
    )
    return replace(payload, **overrides)


def rapid_review_recorded(case_id: str, board_id: str, **overrides: Any) -> RapidReviewRecorded:
    """The safeguarding partners' rapid review (WT2018 ch. 4 'The rapid review')."""
    payload = RapidReviewRecorded(
        case_id=case_id,
        board_id=board_id,
        rule_pack="wt2023",
        completed_on=date(2025, 11, 21),
        recommends_local_review=True,
        suggests_national_review=False,
        summary="Health and police held information about the household that was not shared.",
    )
    return replace(payload, **overrides)


def story(case_id: str, board_id: str) -> list[Event[Any]]:
    """What the referral service raises from a referral to an SCR decision, in order."""
    return [
        received(referral_submitted(case_id, board_id)),
        received(case_screened(case_id, board_id)),
        received(decision_recorded(case_id, board_id)),
        received(reviewer_appointed(case_id, board_id)),
    ]
