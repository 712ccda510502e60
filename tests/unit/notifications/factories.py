"""Events as the notifications service receives them: built, validated and parsed through the envelope."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from shared import crypto
from shared.events import Event, new_envelope, parse_envelope, spec_of
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.documents import DocumentGenerated
from shared.events.referral import (
    DecisionChanged,
    DecisionRecorded,
    ReferralSubmitted,
    Referrer,
    Reviewer,
    ReviewerAppointed,
)

REFERENCE = "DEMO-2027-0001"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LETTER = b"PK\x03\x04 pretend this is a decision letter"
FORM = b"PK\x03\x04 pretend this is the notification form, naming the child"
LEAD = Reviewer(name="Dr R Independent", organisation="Independent Reviews Ltd", role="lead_reviewer")


def received(payload: Any, correlation_id: str | None = None) -> Event[Any]:
    """The event a consumer gets for this payload, from the first producer the catalogue names."""
    producer = spec_of(payload).producers[0]
    return parse_envelope(new_envelope(payload, producer=producer, correlation_id=correlation_id))


def referral_submitted(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[ReferralSubmitted]:
    values: dict[str, Any] = dict(
        case_id=case_id,
        board_id=board_id,
        reference=REFERENCE,
        rule_pack="wt2015",
        incident_on=date(2027, 1, 1),
        became_aware_on=date(2027, 1, 2),
        board_notified_on=date(2027, 1, 3),
        notifiable=True,
        scr_required=True,
        recommended="serious_case_review",
        agencies_involved=["police"],
        summary="A summary of the incident.",
        referrer=Referrer(name="Pat Referrer", agency="police", email="pat@police.example"),
        child_sealed=crypto.seal_json({"name": "Jane Child"}),
    )
    values.update(overrides)
    return received(ReferralSubmitted(**values))


def _decision_values(board_id: str, case_id: str) -> dict[str, Any]:
    return dict(
        case_id=case_id,
        board_id=board_id,
        decision_id="d1",
        rule_pack="wt2015",
        outcome="serious_case_review",
        scr_required=True,
        decided_on=date(2027, 1, 8),
        initiated_on=date(2027, 1, 8),
        incident_on=date(2027, 1, 1),
        lead_reviewers=[LEAD],
        rationale="The statutory criteria are met.",
        chair_name="Chair Person",
        case_factors=[],
        context_factors=[],
    )


def decision_recorded(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[DecisionRecorded]:
    values = {**_decision_values(board_id, case_id), "panel_scrutiny": False, **overrides}
    return received(DecisionRecorded(**values))


def decision_changed(board_id: str, case_id: str = "c1", **overrides: Any) -> Event[DecisionChanged]:
    values = {
        **_decision_values(board_id, case_id),
        "previous_outcome": "no_review",
        "decided_on": date(2027, 2, 1),
        **overrides,
    }
    return received(DecisionChanged(**values))


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
    values: dict[str, Any] = dict(
        case_id=case_id,
        board_id=board_id,
        review_kind="serious_case_review",
        appointed_on=date(2027, 2, 1),
        reviewers=[Reviewer(name="New Reviewer", organisation="Reviews Ltd", role=None)],
    )
    values.update(overrides)
    return received(ReviewerAppointed(**values), correlation_id=correlation_id)


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
