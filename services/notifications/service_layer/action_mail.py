"""Reminders to the owners of the actions in a board's action plan (000 §9-§11): when an open
action falls due soon or is overdue (``deadline.due_soon`` / ``deadline.overdue`` of code
``action_due``, the deadline's id the action's), its owner is emailed. Who owns each action is
kept from ``action.added``; a closed action (``action.closed``) is not reminded. (The business
unit's reminder is the ledger's, as for every deadline.)

Each email exists once (:func:`.review_mail.send_once`): a repeated event sends nothing again.
"""

from __future__ import annotations

from typing import Any

from mongoengine import DateField, Document, StringField

from services.notifications.adapters.boards import ChannelFor
from services.notifications.service_layer.dispatch import Render
from services.notifications.service_layer.handlers import listeners
from services.notifications.service_layer.review_mail import QUEUE, Clock, send_once
from shared.events import Event
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.reviews import ActionAdded, ActionClosed
from shared.logging import get_logger
from shared.words import long_date

log = get_logger(__name__)

ACTION_DUE = "action_due"


class ActionOwner(Document):
    """Who owns an action of an action plan, and what it is (``action.added``)."""

    meta: dict[str, Any] = {"collection": "action_owners"}

    action_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    reference = StringField()
    action = StringField(required=True)
    success_measure = StringField()
    owner_agency = StringField(required=True)
    email = StringField(required=True)
    due_on = DateField()
    closed_on = DateField()


@listeners.handles(ActionAdded, queue=QUEUE)
def on_action_added(event: Event[ActionAdded]) -> None:
    d = event.data
    ActionOwner(
        action_id=d.action_id,
        board_id=d.board_id,
        case_id=d.case_id,
        reference=d.reference,
        action=d.action,
        success_measure=d.success_measure,
        owner_agency=d.owner_agency,
        email=d.owner_email,
        due_on=d.due_on,
    ).save()


@listeners.handles(ActionClosed, queue=QUEUE)
def on_action_closed(event: Event[ActionClosed]) -> None:
    ActionOwner.objects(action_id=event.data.action_id).update_one(set__closed_on=event.data.closed_on)


@listeners.handles(DeadlineDueSoon, DeadlineOverdue, queue=QUEUE)
def on_action_deadline(
    event: Event[DeadlineDueSoon] | Event[DeadlineOverdue],
    channel_for: ChannelFor,
    render: Render,
    clock: Clock,
) -> None:
    data = event.data
    if data.code != ACTION_DUE:
        return  # another deadline
    owner: ActionOwner | None = ActionOwner.objects(action_id=data.deadline_id).first()
    if owner is None or owner.closed_on is not None:
        log.info("notifications.action_reminder_skipped", case_id=data.case_id)
        return
    send_once(
        key=f"action:{data.deadline_id}:{event.event_type}:{data.due.isoformat()}",
        board_id=data.board_id,
        case_id=data.case_id,
        to=owner.email,
        template="action_reminder",
        context={
            "action": owner.action,
            "success_measure": owner.success_measure,
            "agency": owner.owner_agency,
            "reference": owner.reference,
            "due": long_date(data.due),
            "overdue": isinstance(data, DeadlineOverdue),
        },
        channel_for=channel_for,
        render=render,
        clock=clock,
    )
