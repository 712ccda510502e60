"""The referral service's events about one case, as the documents service receives them.

Each factory builds a typed payload with plausible values (overrides replace
fields); :func:`received` puts it through the envelope and back, as the bus does.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from shared.crypto import seal_json
from shared.events import Event, new_envelope, parse_envelope
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionRecorded,
    ReferralSubmitted,
    Referrer,
    Reviewer,
    ReviewerAppointed,
    ScreeningReason,
)

CHILD = {"name": "Jane Doe", "date_of_birth": "2025-06-01", "nhs_number": "943 476 5919", "address": ""}
LEAD_REVIEWER = "Dr R Independent"
INCIDENT_ON = date(2025, 11, 3)
DECIDED_ON = date(2025, 12, 1)


def received(payload: Any) -> Event[Any]:
    """The payload as a consumer gets it: enveloped by the referral service, parsed on receipt."""
    return parse_envelope(new_envelope(payload, producer="referral"))


def new_case_id() -> str:
    return f"case-{uuid.uuid4().hex[:8]}"


def referral_submitted(case_id: str, board_id: str, **overrides: Any) -> ReferralSubmitted:
    child = overrides.pop("child", CHILD)
    payload = ReferralSubmitted(
        case_id=case_id,
        board_id=board_id,
        reference=f"SCR-2025-{case_id[-4:].upper()}",
        rule_pack="wt2015",
        incident_on=INCIDENT_ON,
        became_aware_on=date(2025, 11, 4),
        board_notified_on=date(2025, 11, 5),
        notifiable=True,
        scr_required=True,
        recommended="serious_case_review",
        agencies_involved=["police", "health"],
        summary="Infant found unresponsive; police and health were involved.",
        referrer=Referrer(name="Priya", agency="police", email="priya@police.example.org"),
        child_sealed=seal_json(child) if child is not None else None,
    )
    return replace(payload, **overrides)


def case_screened(case_id: str, board_id: str, **overrides: Any) -> CaseScreened:
    payload = CaseScreened(
        case_id=case_id,
        board_id=board_id,
        rule_pack="wt2015",
        notifiable=True,
        notifiable_grounds=["child_died"],
        scr_required=True,
        scr_grounds=["child_died"],
        recommended="serious_case_review",
        facts={"child_died": True, "abuse_or_neglect": "suspected", "interagency_concern": "yes"},
        reasons=[
            ScreeningReason(
                code="notifiable.child_died",
                text="The child died and abuse or neglect is suspected.",
                source="003 'Notifiable Incidents'",
            ),
            ScreeningReason(
                code="scr.child_died",
                text="Abuse or neglect is suspected and the child died.",
                source="003 'Serious Case Reviews'",
            ),
        ],
    )
    return replace(payload, **overrides)


def _reviewers() -> list[Reviewer]:
    return [Reviewer(name=LEAD_REVIEWER, organisation="Independent Reviews Ltd", role="lead_reviewer")]


def decision_recorded(case_id: str, board_id: str, **overrides: Any) -> DecisionRecorded:
    payload = DecisionRecorded(
        case_id=case_id,
        board_id=board_id,
        decision_id=f"d-{case_id}",
        rule_pack="wt2015",
        outcome="serious_case_review",
        scr_required=True,
        decided_on=DECIDED_ON,
        incident_on=INCIDENT_ON,
        panel_scrutiny=False,
        lead_reviewers=_reviewers(),
        rationale="Criteria met.",
        chair_name="Alex Chair",
        case_factors=["family_strengths_vulnerabilities_risks"],
        context_factors=["public_interest"],
    )
    return replace(payload, **overrides)


def decision_changed(case_id: str, board_id: str, **overrides: Any) -> DecisionChanged:
    payload = DecisionChanged(
        case_id=case_id,
        board_id=board_id,
        decision_id=f"d-{case_id}",
        rule_pack="wt2015",
        previous_outcome="serious_case_review",
        outcome="learning_review",
        scr_required=True,
        decided_on=date(2025, 12, 15),
        incident_on=INCIDENT_ON,
        lead_reviewers=[],
        rationale="On challenge: a learning review is proportionate.",
        chair_name="Alex Chair",
        case_factors=[],
        context_factors=[],
    )
    return replace(payload, **overrides)


def reviewer_appointed(case_id: str, board_id: str, **overrides: Any) -> ReviewerAppointed:
    payload = ReviewerAppointed(
        case_id=case_id,
        board_id=board_id,
        review_kind="serious_case_review",
        appointed_on=DECIDED_ON,
        reviewers=_reviewers(),
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
