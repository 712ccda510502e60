"""Handlers of the events the reviews service listens to: the referral (what it keeps of the
case) and the decision, recorded, changed or confirmed after a challenge, which opens the
review, changes its kind or withdraws it.

Each is declared at the handler (``@listeners.handles``); ``bootstrap()`` subscribes them to the
one queue ``reviews.cases``, so a case's events are applied in the order they came. A repeat of
an event changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date

from services.reviews.adapters.repository import CaseFacts
from services.reviews.domain.panel import PanelMember
from services.reviews.domain.review import Review
from services.reviews.domain.vocabulary import REVIEW_KINDS
from services.reviews.service_layer.commands import panel_changed
from services.reviews.service_layer.unit_of_work import ReviewsUnitOfWork
from shared.bus import Listeners
from shared.events import Event
from shared.events.referral import (
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    ReferralSubmitted,
    Reviewer,
)

PRODUCER = "reviews"
QUEUE = "cases"

listeners = Listeners(PRODUCER)


@listeners.handles(ReferralSubmitted, queue=QUEUE)
def on_referral_submitted(event: Event[ReferralSubmitted], uow: ReviewsUnitOfWork) -> None:
    """Keep what a review needs of the case: its board, reference and the agencies involved."""
    data = event.data
    with uow:
        if uow.cases.get(data.case_id) is not None:
            return
        uow.cases.add(
            CaseFacts(
                case_id=data.case_id,
                board_id=data.board_id,
                reference=data.reference,
                rule_pack=data.rule_pack,
                incident_on=data.incident_on,
                agencies=list(data.agencies_involved),
            )
        )
        uow.commit()


def _lead_reviewers(reviewers: list[Reviewer], on: date) -> list[PanelMember]:
    """The lead reviewers the decision named, as the panel's first members (checked already by
    the decision; a reviewer without an email address is added when the panel is formed)."""
    return [
        PanelMember(
            member_id=uuid.uuid4().hex,
            role="lead_reviewer",
            name=r.name,
            email=r.email or "",
            organisation=r.organisation,
            agency=r.agency,
            qualifications=r.qualifications,
            declarations=dict(r.declarations),
            added_on=on,
        )
        for r in reviewers
        if r.email
    ]


def _apply(
    uow: ReviewsUnitOfWork,
    event_id: str,
    *,
    case_id: str,
    board_id: str,
    outcome: str,
    on: date,
    method: str | None,
    incident_on: date | None,
    lead_reviewers: list[Reviewer],
) -> None:
    kind = outcome if outcome in REVIEW_KINDS else None
    with uow:
        review = uow.reviews.get(case_id)
        if review is not None:
            if review.has_applied(event_id):
                return
            review.decision_changed(kind, method, on)
        elif kind is None:
            return  # no review, and none was opened
        else:
            case = uow.cases.get(case_id)
            review = Review.open(
                case_id=case_id,
                board_id=board_id,
                review_kind=kind,
                opened_on=on,
                method=method,
                reference=case.reference if case else None,
                incident_on=incident_on or (case.incident_on if case else None),
                agencies=case.agencies if case else [],
            )
            review.panel.extend(_lead_reviewers(lead_reviewers, on))
            if review.panel:  # the lead reviewers the decision named: their home pages list its drafts
                panel_changed(review)
            uow.reviews.add(review)
        review.applied(event_id)
        uow.commit()


@listeners.handles(DecisionRecorded, DecisionChanged, queue=QUEUE)
def on_decision(event: Event[DecisionRecorded] | Event[DecisionChanged], uow: ReviewsUnitOfWork) -> None:
    """A decision that starts a review opens it; a changed one changes its kind or withdraws it."""
    data = event.data
    _apply(
        uow,
        event.event_id,
        case_id=data.case_id,
        board_id=data.board_id,
        outcome=data.outcome,
        on=data.initiated_on or data.decided_on,
        method=data.method,
        incident_on=data.incident_on,
        lead_reviewers=list(data.lead_reviewers),
    )


@listeners.handles(DecisionConfirmed, queue=QUEUE)
def on_decision_confirmed(event: Event[DecisionConfirmed], uow: ReviewsUnitOfWork) -> None:
    """After a challenge the board kept its decision: the review holds the final outcome."""
    data = event.data
    _apply(
        uow,
        event.event_id,
        case_id=data.case_id,
        board_id=data.board_id,
        outcome=data.outcome,
        on=data.confirmed_on,
        method=None,
        incident_on=None,
        lead_reviewers=[],
    )
