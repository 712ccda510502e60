"""The log of account emails (invitations and password resets): whether each went, never the link."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mongoengine import DateTimeField, DictField, Document, IntField, ListField, StringField


def _now() -> datetime:
    return datetime.now(UTC)


class AccountMail(Document):
    """One account email, keyed by the event that asked for it."""

    meta: dict[str, Any] = {"collection": "account_mail", "indexes": [("board_id", "-created_at")]}

    event_id = StringField(primary_key=True)
    link_id = StringField(required=True)
    board_id = StringField(required=True)
    purpose = StringField(required=True)
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
