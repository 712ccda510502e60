"""The board dashboard: its projection of each case, kept from events (queue
``scheduler.dashboard``), and the figures for a board and a year, from that projection, the
cases' deadlines (kept in the projection whenever a case's schedule is saved) and the actions
(:mod:`..domain.dashboard`).

Each handler sets what its event says; a repeat sets the same again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mongoengine import signals

from services.scheduler.adapters.dashboard_store import facts_of, note, note_action, note_deadlines
from services.scheduler.adapters.store import Schedule
from services.scheduler.domain.dashboard import Dashboard, build
from services.scheduler.service_layer.handlers import listeners
from shared.events import Event
from shared.events.referral import DecisionChanged, DecisionRecorded, ReferralSubmitted
from shared.events.report import PublicationDecided, ReportPublished
from shared.events.reviews import (
    ActionAdded,
    ActionClosed,
    LearningSummaryCompleted,
    ReviewOpened,
    ReviewStageChanged,
)

QUEUE = "dashboard"


@listeners.handles(ReferralSubmitted, queue=QUEUE)
def on_referral(event: Event[ReferralSubmitted]) -> None:
    d = event.data
    note(d.case_id, d.board_id, referred_on=d.board_notified_on)


@listeners.handles(DecisionRecorded, DecisionChanged, queue=QUEUE)
def on_decision(event: Event[DecisionRecorded] | Event[DecisionChanged]) -> None:
    d = event.data
    note(d.case_id, d.board_id, decided_on=d.decided_on, outcome=d.outcome)


@listeners.handles(ReviewOpened, queue=QUEUE)
def on_review_opened(event: Event[ReviewOpened]) -> None:
    d = event.data
    note(d.case_id, d.board_id, review_kind=d.review_kind, opened_on=d.opened_on)


@listeners.handles(ReviewStageChanged, queue=QUEUE)
def on_stage(event: Event[ReviewStageChanged]) -> None:
    d = event.data
    note(d.case_id, d.board_id, stage=d.stage, review_kind=d.review_kind)


@listeners.handles(LearningSummaryCompleted, queue=QUEUE)
def on_learning(event: Event[LearningSummaryCompleted]) -> None:
    d = event.data
    note(d.case_id, d.board_id, themes=list(d.themes))


@listeners.handles(ReportPublished, queue=QUEUE)
def on_published(event: Event[ReportPublished]) -> None:
    d = event.data
    note(d.case_id, d.board_id, published_on=d.published_on)


@listeners.handles(PublicationDecided, queue=QUEUE)
def on_publication_decided(event: Event[PublicationDecided]) -> None:
    d = event.data
    note(d.case_id, d.board_id, not_published=not d.publish)  # the latest decision holds


@listeners.handles(ActionAdded, queue=QUEUE)
def on_action_added(event: Event[ActionAdded]) -> None:
    d = event.data
    note_action(d.action_id, d.board_id, owner_agency=d.owner_agency, due=d.due_on)


@listeners.handles(ActionClosed, queue=QUEUE)
def on_action_closed(event: Event[ActionClosed]) -> None:
    d = event.data
    note_action(d.action_id, d.board_id, owner_agency=d.owner_agency, due=d.due_on, closed_on=d.closed_on)


def _day(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _schedule_saved(sender: Any, document: Schedule, **_: Any) -> None:
    """A case's schedule was saved: keep its deadlines as they now stand."""
    rows = [
        (_day(d.due), _day(d.met_on) if d.met_on else None, d.waived_at is not None)
        for d in document.deadlines
        if d.due is not None
    ]
    note_deadlines(document.case_id, document.board_id, rows)


signals.post_save.connect(_schedule_saved, sender=Schedule)


def dashboard(board_id: str, year: int, today: date) -> Dashboard:
    """The board's figures for ``year``, as they stand ``today``."""
    cases, actions, deadlines = facts_of(board_id, year)
    return build(year, today, cases, deadlines, actions)
