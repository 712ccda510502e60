"""The scheduler's documents: each case's schedule (an aggregate with an outbox), timetables, calendar feeds.

A :class:`Schedule` is the aggregate the deadline handlers change: its methods keep
what was met, waived or announced of each deadline when the deadlines are worked out
again. The rules themselves are in the domain (:mod:`services.scheduler.domain`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

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

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.deadlines import compute_deadlines
from services.scheduler.domain.notices import deadlines_met
from services.scheduler.domain.rules import SCR_DECISION
from shared.bus import OutboxDocument
from shared.errors import InvalidInput, NotFound


def now() -> datetime:
    return datetime.now(UTC)


# What a deadline keeps when it is worked out again; what it was announced keeps only if it did not move.
_KEPT = ("met_on", "met_by", "waived_reason", "waived_by", "waived_at")
_KEPT_IF_UNMOVED = ("due_soon_announced_at", "overdue_announced_at")


# A reminder's kind (the deadline's status when it is announced) -> the field recording that it was.
ANNOUNCED_AT = {"due_soon": "due_soon_announced_at", "overdue": "overdue_announced_at"}


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

    @property
    def open(self) -> bool:
        """Neither met nor waived."""
        return self.met_on is None and self.waived_at is None

    def announced(self, kind: str) -> bool:
        """Whether a reminder of ``kind`` (``due_soon``, ``overdue``) went out for this due date."""
        return getattr(self, ANNOUNCED_AT[kind]) is not None


class Schedule(OutboxDocument):
    meta: dict[str, Any] = {
        "collection": "schedules",
        # deadlines.due: the reminders' sweep (open_due_by). board_id and deadlines.due: a
        # board's list of what is due (open_due), a page at a time, and its calendar feed.
        "indexes": ["deadlines.due", ("board_id", "deadlines.due")],
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

    def dated_milestones(self) -> dict[str, date]:
        return {k: date.fromisoformat(v) for k, v in self.milestones.items() if v}

    def has_applied(self, event_id: str) -> bool:
        return event_id in self.applied_events

    def applied(self, event_id: str) -> None:
        """Remember an event as applied, so that a repeat of it changes nothing."""
        self.applied_events.append(event_id)

    def set_milestone(self, name: str, on: date | None) -> None:
        if on is None:
            self.milestones.pop(name, None)
        else:
            self.milestones[name] = on.isoformat()

    def recompute(self, calendar: WorkingCalendar) -> None:
        """Work every deadline out again, keeping what was met, waived or announced of each."""
        computed = compute_deadlines(self.rule_pack, self.dated_milestones(), self.review_kind, calendar)
        before = {(d.code, d.occurrence): d for d in self.deadlines}
        records = []
        for dl in computed:
            old = before.get((dl.code, dl.occurrence))
            record = DeadlineRecord(
                deadline_id=old.deadline_id if old else str(uuid.uuid4()),
                code=dl.code,
                occurrence=dl.occurrence,
                due=dl.due,
                rule=dl.rule,
                source=dl.source,
                concerns=dl.concerns,
            )
            if old is not None:
                # A deadline that moved is announced afresh.
                kept = _KEPT + _KEPT_IF_UNMOVED if old.due == dl.due else _KEPT
                for name in kept:
                    setattr(record, name, getattr(old, name))
            records.append(record)
        self.deadlines = records

    def record_decision(
        self, *, decided_on: date, initiated_on: date | None, outcome: str, calendar: WorkingCalendar, by: str
    ) -> None:
        """The Chair decided (or changed the decision): new dates, a kind of review, deadlines again."""
        self.set_milestone("decided_on", decided_on)
        self.set_milestone("initiated_on", initiated_on)
        self.review_kind = outcome
        self.recompute(calendar)
        # The Chair deciding discharges the duty to decide.
        self.mark_met(SCR_DECISION.code, decided_on, by)

    def mark_met(self, code: str, on: date, by: str) -> None:
        for d in self.deadlines:
            if d.code == code and d.met_on is None:
                d.met_on, d.met_by = on, by

    def record_notice(self, template: str, role: str, on: date, by: str) -> None:
        """A notification was sent: meet the deadlines it completes (domain ``notices``)."""
        told = set(self.notified.get(template, [])) | {role}
        self.notified[template] = sorted(told)
        for code in deadlines_met(template, told):
            self.mark_met(code, on, by)

    def deadline(self, deadline_id: str) -> DeadlineRecord:
        for d in self.deadlines:
            if d.deadline_id == deadline_id:
                return d
        raise NotFound("There is no such deadline", field="deadline_id")

    def waive(self, deadline_id: str, reason: str, by: str, at: datetime) -> DeadlineRecord:
        """A recorded decision that a deadline no longer applies; it needs a reason."""
        if not reason or not reason.strip():
            raise InvalidInput([{"field": "reason", "message": "Say why the deadline is waived"}])
        record = self.deadline(deadline_id)
        record.waived_reason, record.waived_by, record.waived_at = reason.strip(), by, at
        return record


def new_schedule(
    *, case_id: str, board_id: str, reference: str, rule_pack: str, milestones: Mapping[str, date]
) -> Schedule:
    return Schedule(
        case_id=case_id,
        board_id=board_id,
        reference=reference,
        rule_pack=rule_pack,
        milestones={name: on.isoformat() for name, on in milestones.items()},
    )


class TimetableDocument(Document):
    """A case's review timetable; ``state`` is the domain timetable as plain data."""

    meta = {"collection": "timetables", "indexes": ["board_id"]}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    template = StringField(required=True)
    start_on = DateField(required=True)
    state = DictField()  # domain.timetable_data, with the review period beside it
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
