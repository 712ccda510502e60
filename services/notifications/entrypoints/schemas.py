"""What the notifications API takes and gives: the request schemas its views validate with, and the
shapes of what they answer (the JSON of a notification, in a list and whole, and of a recipient)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, pre_load, validate

from services.notifications.adapters.store import Notification
from services.notifications.domain import delivery
from services.notifications.domain.rules import ROLES
from shared.pagination import PageQuery, page_schema

STATUSES = delivery.STATUSES

# -- requests -----------------------------------------------------------------------------------


class NotificationQuery(PageQuery):
    """Filters of the ledger, and the page; each filter left out (or left blank) matches everything."""

    class Meta:
        unknown = RAISE

    case_id = fields.String(metadata={"description": "Only this case's notifications"})
    status = fields.String(
        validate=validate.OneOf(STATUSES), metadata={"description": "Only notifications in this status"}
    )

    @pre_load
    def _blank_is_left_out(self, data: Any, **_: Any) -> Any:
        if hasattr(data, "items"):
            return {key: value for key, value in data.items() if value != ""}
        return data


class NewRecipient(Schema):
    """A recipient to add to the directory; the service layer checks and normalises the address."""

    class Meta:
        unknown = RAISE

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(
        required=True,
        validate=validate.Length(min=1, max=254),
        metadata={"description": "An email address; kept as its normalised form"},
    )
    case_id = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "For case group members and family contacts: their case only"},
    )


class DeliveryReceiptSchema(Schema):
    """GOV.UK Notify's delivery-status callback; only the fields this service reads."""

    class Meta:
        unknown = EXCLUDE

    reference = fields.String(required=True, validate=validate.Length(min=1, max=128))
    status = fields.String(required=True, validate=validate.Length(min=1, max=64))


# -- answers ------------------------------------------------------------------------------------


class RecipientOut(Schema):
    """``Recipient.as_dict()``."""

    id = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = fields.String(required=True)
    email = fields.String(required=True)
    case_id = fields.String(required=True, allow_none=True)
    active = fields.Boolean(required=True)


RecipientPage = page_schema(RecipientOut)


class NotificationRecipient(Schema):
    role = fields.String(required=True)
    name = fields.String(required=True, allow_none=True)
    email = fields.String(required=True)


class NotificationOut(Schema):
    """:func:`notification_json`: what a list of notifications shows of each."""

    id = fields.String(required=True)
    case_id = fields.String(required=True)
    case_reference = fields.String(required=True, allow_none=True)
    recipient = fields.Nested(NotificationRecipient, required=True)
    channel = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "smtp or notify; null until a channel is configured and tried"},
    )
    template = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    status_reason = fields.String(required=True, allow_none=True)
    attempts = fields.Integer(required=True)
    sent_at = fields.DateTime(required=True, allow_none=True)
    delivered_at = fields.DateTime(required=True, allow_none=True)
    attachments = fields.List(
        fields.String(), required=True, metadata={"description": "Ids of the letters attached"}
    )
    message_id = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The Message-ID (SMTP) or reference (GOV.UK Notify) every attempt carries; "
            "null until the first attempt"
        },
    )
    source_event_type = fields.String(required=True)
    created_at = fields.DateTime(required=True)


NotificationPage = page_schema(NotificationOut)


class HistoryEntry(Schema):
    at = fields.DateTime(required=True)
    text = fields.String(required=True)


class NotificationDetail(NotificationOut):
    """:func:`notification_detail_json`: the whole record of one notification."""

    attempt_at = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "When the latest attempt began"}
    )
    next_attempt_at = fields.DateTime(required=True, allow_none=True)
    history = fields.List(fields.Nested(HistoryEntry), required=True)


def _instant(value: datetime | None) -> str | None:
    """The store hands back naive UTC datetimes; an instant in the API always carries its offset."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def notification_json(n: Notification) -> dict[str, Any]:
    return {
        "id": n.notification_id,
        "case_id": n.case_id,
        "case_reference": n.case_reference,
        "recipient": {"role": n.recipient_role, "name": n.recipient_name, "email": n.address},
        "channel": n.channel,
        "template": n.template,
        "status": n.status,
        "status_reason": n.status_reason,
        "attempts": n.attempts,
        "sent_at": _instant(n.sent_at),
        "delivered_at": _instant(n.delivered_at),
        "attachments": list(n.attachments),
        "message_id": n.message_id,
        "source_event_type": n.source_event_type,
        "created_at": _instant(n.created_at),
    }


def notification_detail_json(n: Notification) -> dict[str, Any]:
    return {
        **notification_json(n),
        "attempt_at": _instant(n.attempt_at),
        "next_attempt_at": _instant(n.next_attempt_at) if n.status == delivery.PENDING else None,
        "history": [{"at": entry["at"], "text": entry["text"]} for entry in n.history],
    }
