"""The notifications ledger, the recipients directory and what documents each case has."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    IntField,
    ListField,
    StringField,
)

from shared.bus import OutboxDocument


def now() -> datetime:
    return datetime.now(UTC)


class Recipient(Document):
    meta = {"collection": "recipients", "indexes": [("board_id", "role"), "case_id"]}

    recipient_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    role = StringField(required=True)
    name = StringField(required=True, max_length=200)
    email = StringField(required=True, max_length=254)
    case_id = StringField()  # for case group members and family contacts: their case only
    active = BooleanField(default=True)
    created_at = DateTimeField(default=now)

    def as_dict(self) -> dict:
        return {
            "id": self.recipient_id,
            "role": self.role,
            "name": self.name,
            "email": self.email,
            "case_id": self.case_id,
            "active": self.active,
        }


class Notification(OutboxDocument):
    """One message to one recipient. The key makes it exist once per (event, recipient, template)."""

    meta = {
        "collection": "notifications",
        "indexes": [
            {"fields": ["idempotency_key"], "unique": True},
            ("board_id", "case_id"),
            ("status", "next_attempt_at"),
        ],
    }

    notification_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    idempotency_key = StringField(required=True)
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    case_reference = StringField()
    recipient_id = StringField(required=True)
    recipient_role = StringField(required=True)
    recipient_name = StringField()
    address = StringField(required=True)
    channel = StringField()  # smtp or notify; None until a channel is configured
    template = StringField(required=True)
    context = DictField()  # what the template needs: references, dates, names of professionals
    status = StringField(
        required=True
    )  # waiting_documents, pending, sending, sent, delivered, failed, bounced, not_sent
    status_reason = StringField()
    needs_documents = ListField(StringField())  # kinds still awaited
    attachments = ListField(StringField())  # document ids
    attempts = IntField(default=0)
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


class CaseDocument(Document):
    """The newest version of each kind of document a case has, as document.generated told us."""

    meta = {
        "collection": "notification_case_documents",
        "indexes": [{"fields": ["case_id", "kind"], "unique": True}],
    }

    case_id = StringField(required=True)
    kind = StringField(required=True)
    document_id = StringField(required=True)
    version = IntField(required=True)
    caused_by = StringField()


class CaseFacts(Document):
    """What the messages about a case need to say: its reference and the Chair's decision."""

    meta = {"collection": "notification_cases"}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    reference = StringField()
    data = DictField()


OUTBOX_DOCUMENTS = (Notification,)
