"""Contributions' due dates, as the scheduler keeps them: one record per contribution an agency
was asked for, with when it was met and which reminders went, and the reminders' outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mongoengine import DateField, DateTimeField, ListField, StringField

from shared.bus import OutboxDocument


def now() -> datetime:
    return datetime.now(UTC)


# A reminder's kind -> the field recording that it went.
ANNOUNCED_AT = {"due_soon": "due_soon_announced_at", "overdue": "overdue_announced_at"}


class ContributionDeadline(OutboxDocument):
    meta: dict[str, Any] = {
        "collection": "contribution_deadlines",
        # The reminders' sweep: open ones due by a day.
        "indexes": [("met_on", "due"), "case_id"],
    }

    deadline_id = StringField(primary_key=True)  # the contribution's id
    case_id = StringField(required=True)
    board_id = StringField(required=True)
    agency = StringField(required=True)
    kind = StringField(required=True)
    due = DateField(required=True)
    met_on = DateField()
    met_by = StringField()  # the event type that met it
    due_soon_announced_at = DateTimeField()
    overdue_announced_at = DateTimeField()
    applied_events = ListField(StringField())
    updated_at = DateTimeField(default=now)


OUTBOX_DOCUMENTS = (ContributionDeadline,)
