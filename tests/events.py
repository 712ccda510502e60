"""The referral service's events about one case, as any consumer receives them.

Each factory builds a typed payload with plausible values; keyword overrides replace fields (a
service's own test module passes the values its tests look for). :func:`received` puts a payload
through the real envelope and back, as the bus does: validated on publish and on receipt.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.events import Event, new_envelope, parse_envelope, spec_of
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

INCIDENT_ON = date(2025, 11, 3)
DECIDED_ON = date(2025, 12, 1)
LEAD = Reviewer(name="Dr R Independent", organisation="Independent Reviews Ltd", role="lead_reviewer")


def received(payload: Any, correlation_id: str | None = None) -> Event[Any]:
    """The event a consumer gets for this payload, from the first producer the catalogue names."""
    producer = spec_of(payload).producers[0]
    return parse_envelope(new_envelope(payload, producer=producer, correlation_id=correlation_id))


def referral_submitted(board_id: str, case_id: str = "c1", **overrides: Any) -> ReferralSubmitted:
    payload = ReferralSubmitted(
        case_id=case_id,
        board_id=board_id,
        reference="SCR-2025-0001",
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
    )
    return replace(payload, **overrides)


def case_screened(board_id: str, case_id: str = "c1", **overrides: Any) -> CaseScreened:
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


def _decision(board_id: str, case_id: str) -> dict[str, Any]:
    """What a recorded decision and a changed one say alike."""
    return {
        "case_id": case_id,
        "board_id": board_id,
        "decision_id": f"d-{case_id}",
        "rule_pack": "wt2015",
        "scr_required": True,
        "incident_on": INCIDENT_ON,
        "chair_name": "Alex Chair",
    }


def decision_recorded(board_id: str, case_id: str = "c1", **overrides: Any) -> DecisionRecorded:
    payload = DecisionRecorded(
        **_decision(board_id, case_id),
        outcome="serious_case_review",
        decided_on=DECIDED_ON,
        panel_scrutiny=False,
        lead_reviewers=[LEAD],
        rationale="Criteria met.",
        case_factors=["family_strengths_vulnerabilities_risks"],
        context_factors=["public_interest"],
    )
    return replace(payload, **overrides)


def decision_changed(board_id: str, case_id: str = "c1", **overrides: Any) -> DecisionChanged:
    payload = DecisionChanged(
        **_decision(board_id, case_id),
        previous_outcome="serious_case_review",
        outcome="learning_review",
        decided_on=date(2025, 12, 15),
        lead_reviewers=[],
        rationale="On challenge: a learning review is proportionate.",
        case_factors=[],
        context_factors=[],
    )
    return replace(payload, **overrides)


def reviewer_appointed(board_id: str, case_id: str = "c1", **overrides: Any) -> ReviewerAppointed:
    payload = ReviewerAppointed(
        case_id=case_id,
        board_id=board_id,
        review_kind="serious_case_review",
        appointed_on=DECIDED_ON,
        reviewers=[LEAD],
    )
    return replace(payload, **overrides)
