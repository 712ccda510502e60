"""The due dates of the actions in boards' action plans, as the scheduler keeps them: one record
per action, with when it was closed and which reminders went, and the reminders' outbox."""

from __future__ import annotations

from typing import Any

from mongoengine import DateField, DateTimeField, ListField, StringField

from services.scheduler.adapters.contribution_store import now
from shared.bus import OutboxDocument


class ActionDeadline(OutboxDocument):
    meta: dict[str, Any] = {
        "collection": "action_deadlines",
        # The reminders' sweep: open ones due by a day; the dashboard: a board's.
        "indexes": [("met_on", "due"), "case_id", "board_id"],
    }

    deadline_id = StringField(primary_key=True)  # the action's id
    case_id = StringField(required=True)
    board_id = StringField(required=True)
    owner_agency = StringField(required=True)
    due = DateField(required=True)
    added_on = DateField()
    met_on = DateField()  # the day the action was closed
    rag = StringField()  # the latest progress report's rating
    due_soon_announced_at = DateTimeField()
    overdue_announced_at = DateTimeField()
    applied_events = ListField(StringField())
    updated_at = DateTimeField(default=now)


OUTBOX_DOCUMENTS = (ActionDeadline,)
