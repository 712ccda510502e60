"""The log of a review's emails (meeting invitations, contribution requests and reminders to an
agency's contact), and the agency contacts the requests named, for the reminders that follow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mongoengine import DateField, DateTimeField, DictField, Document, IntField, ListField, StringField


def _now() -> datetime:
    return datetime.now(UTC)


class ReviewMail(Document):
    """One email to one person, keyed by what it is (a meeting's version and attendee, a
    contribution's request or reminder): it exists, and goes, once."""

    meta: dict[str, Any] = {"collection": "review_mail", "indexes": [("board_id", "-created_at"), "case_id"]}

    key = StringField(primary_key=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    template = StringField(required=True)
    address = StringField(required=True)
    channel = StringField()
    message_id = StringField()
    status = StringField(required=True)  # sending, sent, delivered, failed, not_sent
    status_reason = StringField()
    attempts = IntField(default=0)
    created_at = DateTimeField(default=_now)
    sent_at = DateTimeField()
    history = ListField(DictField())

    def note(self, text: str) -> None:
        self.history.append({"at": _now().isoformat(), "text": text})


class ContributionContact(Document):
    """Who at an agency was asked for a contribution (``contribution.requested``)."""

    meta: dict[str, Any] = {"collection": "contribution_contacts"}

    contribution_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    reference = StringField()
    agency = StringField(required=True)
    kind = StringField(required=True)
    due_on = DateField()
    email = StringField()
    name = StringField()
    link = StringField()
