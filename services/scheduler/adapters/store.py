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
    BooleanField,
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
from services.scheduler.domain.milestones import REVIEW_KINDS
from services.scheduler.domain.notices import deadlines_met, milestone_dated_by
from services.scheduler.domain.rules import RULE_PACKS, SCR_DECISION
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
    # Whether the incident is notifiable (ReferralSubmitted.notifiable); schedules kept before
    # the scheduler read it were all treated as notifiable, and still are.
    notifiable = BooleanField(default=True)
    milestones = DictField()  # name -> ISO date
    deadlines = EmbeddedDocumentListField(DeadlineRecord)
    notified = DictField()  # template -> recipient roles told so far
    # Deadline code -> {"on": ISO date, "by": event type}: done, whether or not it was due yet
    # (a rapid review recorded before the Panel's notification dates its deadline).
    completed = DictField()
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
        # An outcome the scheduler has no rule for (one the referral service added since) gives
        # the deadlines of any kind of review, rather than refusing the decision.
        kind = self.review_kind if self.review_kind in REVIEW_KINDS else None
        computed = compute_deadlines(
            self.rule_pack, self.dated_milestones(), kind, calendar, notifiable=self.notifiable
        )
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
            done = self.completed.get(dl.code)
            if done is not None and record.met_on is None:
                record.met_on, record.met_by = date.fromisoformat(done["on"]), done["by"]
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

    def record_outcome(self, outcome: str, calendar: WorkingCalendar) -> None:
        """The final outcome after a challenge, the decision kept (decision.confirmed): the
        kind of review it is, should the schedule not have it yet. Its dates do not move."""
        if outcome != self.review_kind:
            self.review_kind = outcome
            if outcome == "no_review":  # no review, so none was initiated
                self.set_milestone("initiated_on", None)
            self.recompute(calendar)

    def mark_met(self, code: str, on: date, by: str) -> None:
        for d in self.deadlines:
            if d.code == code and d.met_on is None:
                d.met_on, d.met_by = on, by

    def record_done(self, code: str, on: date, by: str) -> None:
        """What a deadline waits for was done on ``on``: met now, or as soon as it falls due."""
        self.completed.setdefault(code, {"on": on.isoformat(), "by": by})
        self.mark_met(code, on, by)

    def record_notice(self, template: str, role: str, on: date, by: str, calendar: WorkingCalendar) -> None:
        """A notification was sent: meet the deadlines it completes, and date the milestone it
        marks, if any (domain ``notices``).

        Kept as done, not only marked on the deadlines there are now: the notices of a decision
        may be applied before the decision itself (its message redelivered after the scheduler
        was killed while handling it), and the deadline the decision then adds is met by them.
        """
        told = set(self.notified.get(template, [])) | {role}
        self.notified[template] = sorted(told)
        milestone = milestone_dated_by(template, role)
        if milestone is not None and milestone not in self.milestones:
            self.set_milestone(milestone, on)
            self.recompute(calendar)
        for code in deadlines_met(RULE_PACKS[self.rule_pack], template, told):
            self.record_done(code, on, by)

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
    *,
    case_id: str,
    board_id: str,
    reference: str,
    rule_pack: str,
    milestones: Mapping[str, date],
    notifiable: bool = True,
) -> Schedule:
    return Schedule(
        case_id=case_id,
        board_id=board_id,
        reference=reference,
        rule_pack=rule_pack,
        notifiable=notifiable,
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
