"""The notifications service's MongoDB documents: the ledger, the directory, the case projection, letters.

``Notification`` is the aggregate whose changes raise events: each change of
state and the event it raises are stored in one single-document write (the
outbox), through :mod:`services.notifications.adapters.repository`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    IntField,
    ListField,
    StringField,
)

from services.notifications.adapters.channels import outbox
from services.notifications.domain import delivery
from shared.bus import OutboxDocument
from shared.events.notifications import NotificationFailed, NotificationSent, NotificationUncertain

PRODUCER = "notifications"


def now() -> datetime:
    return datetime.now(UTC)


class Recipient(Document):
    meta: dict[str, Any] = {"collection": "recipients", "indexes": [("board_id", "role"), "case_id"]}

    recipient_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    role = StringField(required=True)
    name = StringField(required=True, max_length=200)
    email = StringField(required=True, max_length=254)
    case_id = StringField()  # for case group members and family contacts: their case only
    active = BooleanField(default=True)
    created_at = DateTimeField(default=now)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.recipient_id,
            "role": self.role,
            "name": self.name,
            "email": self.email,
            "case_id": self.case_id,
            "active": self.active,
        }


class Notification(OutboxDocument):
    """One message to one recipient. The key makes it exist once per (event, recipient, template).

    Its id is derived from the key (``delivery.notification_id``), and its
    ``message_id``, recorded before the first attempt, is what every attempt
    carries: the SMTP Message-ID or Notify's reference. ``version`` grows with
    every write, so two writers (the dispatcher, Notify's receipts, a person)
    never overwrite each other's change unseen.
    """

    meta: dict[str, Any] = {
        "collection": "notifications",
        "strict": False,  # records written before letters travelled with their event have more fields
        "indexes": [
            {"fields": ["idempotency_key"], "unique": True},
            ("board_id", "case_id"),
            ("status", "next_attempt_at"),
            ("board_id", "status", "created_at"),
        ],
    }

    notification_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    idempotency_key = StringField(required=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    case_reference = StringField()
    recipient_id = StringField(required=True)  # "-" when nobody in the directory has the role
    recipient_role = StringField(required=True)
    recipient_name = StringField()
    address = StringField(required=True)
    channel = StringField()  # smtp or notify; None until a channel is configured
    template = StringField(required=True)
    context = DictField()  # what the template needs: references, dates, names of professionals
    status = StringField(required=True)  # one of delivery.STATUSES
    status_reason = StringField()
    attachments = ListField(StringField())  # ids of letters kept sealed in notification_letters
    message_id = StringField()  # the SMTP Message-ID or Notify reference of every attempt
    attempts = IntField(default=0)
    attempt_at = DateTimeField()  # when the latest attempt began: the day it went, if it went
    next_attempt_at = DateTimeField()
    lease_until = DateTimeField()
    first_attempt_at = DateTimeField()
    sent_at = DateTimeField()
    delivered_at = DateTimeField()
    provider_id = StringField()
    source_event_id = StringField(required=True)
    source_event_type = StringField(required=True)
    correlation_id = StringField()
    created_at = DateTimeField(default=now)
    history = ListField(DictField())
    version = IntField(default=0)

    # -- what happens to it ---------------------------------------------------------------

    def note(self, at: datetime, text: str) -> None:
        self.history.append({"at": at.isoformat(), "text": text})

    def not_sent(self, at: datetime, reason: str) -> None:
        self.status, self.status_reason, self.lease_until = delivery.NOT_SENT, reason, None
        self.note(at, reason)

    def sending(self, at: datetime, channel: str, message_id: str, lease_until: datetime) -> None:
        """An attempt begins: saved before the first byte goes to the server."""
        if self.message_id != message_id:
            self.note(at, f"identified as {message_id} on {channel}")
        self.status, self.channel, self.message_id = delivery.SENDING, channel, message_id
        self.attempts += 1
        self.attempt_at, self.lease_until = at, lease_until
        self.first_attempt_at = self.first_attempt_at or at

    def retry_at(self, at: datetime, when: datetime, reason: str) -> None:
        self.status, self.next_attempt_at, self.lease_until = delivery.PENDING, when, None
        self.status_reason = reason
        self.note(at, f"attempt {self.attempts} failed, retrying: {reason}")

    def sent(self, at: datetime, provider_id: str | None) -> None:
        """The server took it (250 at the end of DATA, or Notify's 201).

        The development outbox is the message's destination itself: it is delivered there.
        """
        self.status, self.status_reason = delivery.SENT, None
        self.provider_id, self.lease_until = provider_id, None
        if self.channel == outbox.NAME:
            self.status, self.status_reason, self.delivered_at = delivery.DELIVERED, outbox.DELIVERED, at
            self.note(at, outbox.DELIVERED)
        else:
            self.note(at, f"sent by {self.channel}")
        self._went(self._attempt_at(at))

    def uncertain(self, at: datetime, reason: str) -> None:
        """Nobody knows whether attempt ``attempts`` went: never resent without a person."""
        self.status, self.status_reason, self.lease_until = delivery.UNCERTAIN, reason[:500], None
        self.note(at, f"attempt {self.attempts} uncertain: {reason[:200]}")
        self.raise_event(NotificationUncertain(**self._about(), reason=reason[:500]), producer=PRODUCER)

    def confirmed_delivered(self, at: datetime, confirmed_by: str) -> None:
        """A person checked with the recipient: the uncertain attempt did arrive."""
        self.note(at, f"{confirmed_by} confirmed that attempt {self.attempts} arrived")
        self.status, self.status_reason, self.delivered_at = delivery.DELIVERED, None, at
        self._went(self._attempt_at(at))

    def failed(self, at: datetime, reason: str) -> None:
        self.status, self.status_reason, self.lease_until = delivery.FAILED, reason[:500], None
        self.note(at, f"failed: {reason[:200]}")
        self.raise_event(NotificationFailed(**self._about(), reason=reason[:500]), producer=PRODUCER)

    def resend(self, at: datetime, requested_by: str, recipient: Recipient | None = None) -> None:
        """Try again, with the same Message-ID (or Notify reference) as before."""
        if recipient is not None:
            self.recipient_id, self.address = recipient.recipient_id, recipient.email
            self.recipient_name = recipient.name
        self.status, self.status_reason, self.next_attempt_at = delivery.PENDING, None, at
        self.first_attempt_at, self.lease_until = None, None
        self.note(at, f"resend requested by {requested_by}")

    def reported(self, at: datetime, provider_status: str) -> bool:
        """Apply a delivery receipt from Notify; False when the status says nothing new."""
        new = delivery.NOTIFY_REPORTS.get(provider_status)
        if new is None:
            return False
        went = new == delivery.DELIVERED and self.status in delivery.NOT_YET_GONE
        self.status = new
        if new == delivery.DELIVERED:
            self.delivered_at, self.status_reason = at, None
        else:
            self.status_reason = f"Notify reported {provider_status}"
        self.note(at, f"Notify reported {provider_status}")
        if went:  # Notify's receipt came first (an uncertain attempt, or before our own write)
            self._went(self._attempt_at(at))
        return True

    def _attempt_at(self, at: datetime) -> datetime:
        return self.attempt_at or at

    def _went(self, sent_at: datetime) -> None:
        """It left for its recipient on ``sent_at``: the one event that says so, in the same write."""
        self.sent_at = sent_at
        self.raise_event(
            NotificationSent(**self._about(), source_event_id=self.source_event_id, sent_on=sent_at.date()),
            producer=PRODUCER,
        )

    def _about(self) -> dict[str, str]:
        return {
            "case_id": self.case_id,
            "board_id": self.board_id,
            "notification_id": self.notification_id,
            "recipient_role": self.recipient_role,
            "template": self.template,
        }


class CaseRecord(Document):
    """What the messages about a case need to say (``domain.case.Case``): reference, pack, decisions."""

    meta: dict[str, Any] = {"collection": "notification_cases", "strict": False}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    reference = StringField()
    rule_pack = StringField()  # the pack the case was screened under, for life
    decisions = DictField()  # deciding event id -> the decision's facts, plain values


class LetterRecord(Document):
    """A letter to attach (``domain.letters.Letter``), kept sealed as it arrived, by document id."""

    meta: dict[str, Any] = {"collection": "notification_letters", "indexes": ["case_id"]}

    document_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    kind = StringField(required=True)
    version = IntField(required=True)
    filename = StringField(required=True)
    content_type = StringField(required=True)
    content_hash = StringField(required=True)
    sealed = StringField(required=True)  # shared.crypto.seal_bytes of the file
    received_at = DateTimeField(default=now)


OUTBOX_DOCUMENTS = (Notification,)
