"""Typed events as the scheduler receives them (:mod:`tests.events`), built through the real envelope
(validated both ways), on the dates the scheduler's tests count from."""

from __future__ import annotations

from datetime import date

from shared.events import Event
from shared.events.notifications import NotificationSent
from shared.events.referral import (
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
)
from tests import events
from tests.events import received

INCIDENT = date(2026, 12, 20)  # Sunday
AWARE = date(2026, 12, 21)
NOTIFIED = date(2026, 12, 22)
DECIDED = date(2027, 1, 8)  # Friday


def referral_submitted(
    board_id: str,
    case_id: str = "c1",
    *,
    aware: date = AWARE,
    notified: date = NOTIFIED,
    incident: date = INCIDENT,
    rule_pack: str = "wt2015",
    notifiable: bool = True,
) -> Event[ReferralSubmitted]:
    return received(
        events.referral_submitted(
            board_id,
            case_id,
            reference="B-2026-0001",
            rule_pack=rule_pack,
            incident_on=incident,
            became_aware_on=aware,
            board_notified_on=notified,
            notifiable=notifiable,
            scr_required=notifiable and rule_pack.startswith("wt2015"),
        )
    )


def decision_recorded(
    board_id: str,
    case_id: str = "c1",
    *,
    on: date = DECIDED,
    outcome: str = "serious_case_review",
    rule_pack: str = "wt2015",
) -> Event[DecisionRecorded]:
    decided = _decided(on, outcome, rule_pack)
    return received(events.decision_recorded(board_id, case_id, **decided))


def decision_changed(
    board_id: str,
    case_id: str = "c1",
    *,
    on: date,
    outcome: str = "serious_case_review",
    previous: str = "learning_review",
    rule_pack: str = "wt2015",
) -> Event[DecisionChanged]:
    decided = _decided(on, outcome, rule_pack)
    return received(events.decision_changed(board_id, case_id, previous_outcome=previous, **decided))


def decision_confirmed(
    board_id: str,
    case_id: str = "c1",
    *,
    on: date,
    outcome: str = "no_review",
    rule_pack: str = "wt2015",
) -> Event[DecisionConfirmed]:
    """After a challenge the board kept its decision (issue 12, correction 5)."""
    return received(
        DecisionConfirmed(
            case_id=case_id,
            board_id=board_id,
            decision_id="d1",
            rule_pack=rule_pack,
            outcome=outcome,
            confirmed_on=on,
            rationale="Having heard the National Panel, the Chair keeps the decision: no new learning.",
            chair_name="Alex Chair",
            challenged_by="national_panel",
        )
    )


def rapid_review_recorded(
    board_id: str, case_id: str = "c1", *, on: date, rule_pack: str = "wt2023"
) -> Event[RapidReviewRecorded]:
    """The safeguarding partners completed their rapid review (wt2018/wt2023)."""
    return received(
        RapidReviewRecorded(
            case_id=case_id,
            board_id=board_id,
            rule_pack=rule_pack,
            completed_on=on,
            recommends_local_review=True,
            suggests_national_review=False,
            summary="The partners agree a local child safeguarding practice review is needed.",
        )
    )


def _decided(on: date, outcome: str, rule_pack: str) -> dict[str, object]:
    return {
        "decision_id": "d1",
        "rule_pack": rule_pack,
        "outcome": outcome,
        "scr_required": outcome == "serious_case_review",
        "decided_on": on,
        "initiated_on": None if outcome == "no_review" else on,  # as the referral service sets it
        "incident_on": INCIDENT,
        "lead_reviewers": [],
    }


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
        )
    )
