"""Each case's schedule: its milestones and deadlines, with an outbox of reminders."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from mongoengine import (
    DateField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentListField,
    IntField,
    ListField,
    StringField,
)

from shared.bus import OutboxDocument


def now() -> datetime:
    return datetime.now(UTC)


class DeadlineRecord(EmbeddedDocument):
    deadline_id = StringField(required=True)
    code = StringField(required=True)
    occurrence = IntField(default=1)
    due = DateField(required=True)
    rule = StringField(required=True)
    source = StringField(required=True)
    concerns = StringField(required=True)
    met_on = DateField()
    met_by = StringField()  # what discharged it: an event type
    waived_reason = StringField()
    waived_by = StringField()
    waived_at = DateTimeField()
    due_soon_announced_at = DateTimeField()
    overdue_announced_at = DateTimeField()


class Schedule(OutboxDocument):
    meta = {
        "collection": "schedules",
        "indexes": ["board_id", "deadlines.due"],
    }

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    reference = StringField()
    rule_pack = StringField(required=True)
    review_kind = StringField()
    milestones = DictField()  # name -> ISO date
    deadlines = EmbeddedDocumentListField(DeadlineRecord)
    notified = DictField()  # template -> recipient roles told so far
    applied_events = ListField(StringField())
    version = IntField(default=0)
    updated_at = DateTimeField(default=now)


class StageRecord(EmbeddedDocument):
    code = StringField(required=True)
    title = StringField(required=True)
    planned_on = DateField(required=True)
    ends_on = DateField()
    done_on = DateField()
    waits_for = StringField()
    history = ListField(DictField())


class Timetable(Document):
    meta = {"collection": "timetables", "indexes": ["board_id"]}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    template = StringField(required=True)
    start_on = DateField(required=True)
    state = DictField()  # the domain timetable, serialised
    updated_at = DateTimeField(default=now)


class CalendarFeed(Document):
    """A subscribable calendar URL. Only a hash of its token is kept."""

    meta = {"collection": "calendar_feeds", "indexes": [{"fields": ["token_hash"], "unique": True}]}

    feed_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    token_hash = StringField(required=True)
    board_id = StringField(required=True)
    case_id = StringField()  # None: the whole board
    user_id = StringField(required=True)
    created_at = DateTimeField(default=now)
    revoked_at = DateTimeField()


OUTBOX_DOCUMENTS = (Schedule,)
