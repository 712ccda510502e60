"""The work queue's records of review meetings and of draft referrals (:mod:`.work_store`).

A meeting is kept with its attendees' email addresses, to match the signed-in reviewer; a draft
with only its title and when it was saved: never its answers.
"""

from __future__ import annotations

from mongoengine import BooleanField, DateTimeField, Document, IntField, ListField, StringField

from services.scheduler.domain import work


class WorkDraft(Document):
    """A referral its author is writing: only its title and when it was saved (no answers)."""

    meta = {
        "collection": "work_drafts",
        "indexes": [
            ("board_id", "user_id", "-updated_at"),
            {"fields": ["updated_at"], "expireAfterSeconds": work.DRAFT_LIFETIME_DAYS * 24 * 3600},
        ],
    }

    draft_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    user_id = StringField(required=True)
    agency = StringField()
    title = StringField()
    updated_at = DateTimeField(required=True)


class WorkMeeting(Document):
    """A meeting of a review and who is invited to it, by email, as the latest invitation said."""

    meta = {
        "collection": "work_meetings",
        "indexes": [("board_id", "attendee_emails", "cancelled", "starts_at")],
    }

    meeting_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    reference = StringField()
    kind = StringField()
    title = StringField()
    starts_at = DateTimeField(required=True)
    attendee_emails = ListField(StringField())
    sequence = IntField(default=0)
    cancelled = BooleanField(default=False)
