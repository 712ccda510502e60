"""Events as the notifications service receives them (:mod:`tests.events`, with this service's
reference and dates): built, validated and parsed through the envelope."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from shared import crypto
from shared.events import Event
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.documents import DocumentGenerated
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
    Reviewer,
    ReviewerAppointed,
)
from tests import events
from tests.events import received

REFERENCE = "DEMO-2027-0001"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LETTER = b"PK\x03\x04 pretend this is a decision letter"
FORM = b"PK\x03\x04 pretend this is the notification form, naming the child"
INCIDENT_ON = date(2027, 1, 1)
DECIDED = {"decision_id": "d1", "decided_on": date(2027, 1, 8), "initiated_on": date(2027, 1, 8)}


def referral_submitted(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[ReferralSubmitted]:
    own = {
        "reference": REFERENCE,
        "incident_on": INCIDENT_ON,
        "became_aware_on": date(2027, 1, 2),
        "board_notified_on": date(2027, 1, 3),
        "child_sealed": crypto.seal_json({"name": "Jane Child"}),
    }
    return received(events.referral_submitted(board_id, case_id, **{**own, **overrides}))


def decision_recorded(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[DecisionRecorded]:
    own = {**DECIDED, "incident_on": INCIDENT_ON}
    return received(events.decision_recorded(board_id, case_id, **{**own, **overrides}))


def decision_changed(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[DecisionChanged]:
    own = {
        **DECIDED,
        "incident_on": INCIDENT_ON,
        "outcome": "serious_case_review",
        "previous_outcome": "no_review",
        "decided_on": date(2027, 2, 1),
        "lead_reviewers": [events.LEAD],
    }
    return received(events.decision_changed(board_id, case_id, **{**own, **overrides}))


def case_screened(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[CaseScreened]:
    return received(events.case_screened(board_id, case_id, **overrides))


def decision_confirmed(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[DecisionConfirmed]:
    """After a challenge the board kept its decision (003 checklist)."""
    values: dict[str, Any] = dict(
        case_id=case_id,
        board_id=board_id,
        decision_id="d1",
        rule_pack="wt2015",
        outcome="no_review",
        confirmed_on=date(2027, 2, 10),
        rationale="Having heard the National Panel, the Chair keeps the decision.",
        chair_name="Alex Chair",
        challenged_by="national_panel",
    )
    values.update(overrides)
    return received(DecisionConfirmed(**values))


def rapid_review_recorded(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[RapidReviewRecorded]:
    """The safeguarding partners' rapid review (WT2018 ch. 4 'The rapid review')."""
    values: dict[str, Any] = dict(
        case_id=case_id,
        board_id=board_id,
        rule_pack="wt2023",
        completed_on=date(2027, 1, 20),
        recommends_local_review=True,
        suggests_national_review=False,
        summary="Information about the household was not shared.",
    )
    values.update(overrides)
    return received(RapidReviewRecorded(**values))


def document_generated(
    cause: Event[Any] | None,
    kind: str = "decision_notification",
    *,
    document_id: str = "doc-1",
    data: bytes | None = LETTER,
    **overrides: Any,
) -> Event[DocumentGenerated]:
    """A letter the documents service wrote after ``cause`` (None: someone asked for it)."""
    some = cause.data if cause is not None else None
    values: dict[str, Any] = dict(
        case_id=some.case_id if some else "c1",
        board_id=some.board_id if some else "b",
        document_id=document_id,
        kind=kind,
        version=1,
        caused_by=cause.event_id if cause else "request",
        caused_by_type=cause.event_type if cause else None,
        filename=f"{kind} {REFERENCE}.docx",
        content_type=DOCX_TYPE,
        content_hash=hashlib.sha256(data or b"").hexdigest(),
        content_sealed=crypto.seal_bytes(data) if data is not None else None,
    )
    values.update(overrides)
    return received(DocumentGenerated(**values), correlation_id=cause.correlation_id if cause else None)


def reviewer_appointed(
    board_id: str, case_id: str = "c1", correlation_id: str | None = None, **overrides: Any
) -> Event[ReviewerAppointed]:
    own = {
        "appointed_on": date(2027, 2, 1),
        "reviewers": [Reviewer(name="New Reviewer", organisation="Reviews Ltd", role=None)],
    }
    payload = events.reviewer_appointed(board_id, case_id, **{**own, **overrides})
    return received(payload, correlation_id=correlation_id)


def deadline(board_id: str, overdue: bool = True, case_id: str = "c1", **overrides: Any) -> Event[Any]:
    values: dict[str, Any] = dict(
        case_id=case_id,
        board_id=board_id,
        deadline_id="x",
        code="scr_decision",
        due=date(2027, 2, 3),
        concerns="chair",
    )
    values.update(overrides)
    return received((DeadlineOverdue if overdue else DeadlineDueSoon)(**values))
