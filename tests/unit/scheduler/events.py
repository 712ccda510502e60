"""Typed events as the scheduler receives them, built through the real envelope (validated both ways)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.events import Event, new_envelope, parse_envelope
from shared.events.notifications import NotificationSent
from shared.events.referral import DecisionChanged, DecisionRecorded, ReferralSubmitted, Referrer

INCIDENT = date(2026, 12, 20)  # Sunday
AWARE = date(2026, 12, 21)
NOTIFIED = date(2026, 12, 22)
DECIDED = date(2027, 1, 8)  # Friday


def received(payload: Any, producer: str) -> Event[Any]:
    return parse_envelope(new_envelope(payload, producer=producer))


def referral_submitted(
    board_id: str,
    case_id: str = "c1",
    *,
    aware: date = AWARE,
    notified: date = NOTIFIED,
    incident: date = INCIDENT,
    rule_pack: str = "wt2015",
) -> Event[ReferralSubmitted]:
    return received(
        ReferralSubmitted(
            case_id=case_id,
            board_id=board_id,
            reference="B-2026-0001",
            rule_pack=rule_pack,
            incident_on=incident,
            became_aware_on=aware,
            board_notified_on=notified,
            notifiable=True,
            scr_required=True,
            recommended="serious_case_review",
            agencies_involved=["police"],
            summary="A child was seriously injured at home.",
            referrer=Referrer(name="A Referrer", agency="police", email="referrer@example.org"),
        ),
        "referral",
    )


def _decision(board_id: str, case_id: str, on: date, outcome: str, rule_pack: str) -> dict[str, Any]:
    return dict(
        case_id=case_id,
        board_id=board_id,
        decision_id="d1",
        rule_pack=rule_pack,
        outcome=outcome,
        scr_required=outcome == "serious_case_review",
        decided_on=on,
        initiated_on=on,
        incident_on=INCIDENT,
        lead_reviewers=[],
        rationale="Criteria met.",
        chair_name="The Chair",
        case_factors=[],
        context_factors=[],
    )


def decision_recorded(
    board_id: str,
    case_id: str = "c1",
    *,
    on: date = DECIDED,
    outcome: str = "serious_case_review",
    rule_pack: str = "wt2015",
) -> Event[DecisionRecorded]:
    return received(
        DecisionRecorded(panel_scrutiny=False, **_decision(board_id, case_id, on, outcome, rule_pack)),
        "referral",
    )


def decision_changed(
    board_id: str,
    case_id: str = "c1",
    *,
    on: date,
    outcome: str = "serious_case_review",
    previous: str = "learning_review",
    rule_pack: str = "wt2015",
) -> Event[DecisionChanged]:
    return received(
        DecisionChanged(previous_outcome=previous, **_decision(board_id, case_id, on, outcome, rule_pack)),
        "referral",
    )


def notification_sent(
    board_id: str, template: str, role: str, sent_on: date, case_id: str = "c1"
) -> Event[NotificationSent]:
    return received(
        NotificationSent(
            case_id=case_id,
            board_id=board_id,
            notification_id=f"{template}-{role}",
            recipient_role=role,
            template=template,
            source_event_id="e1",
            sent_on=sent_on,
        ),
        "notifications",
    )
