"""What the notifications API takes and gives: request schemas, and the JSON of a notification."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from services.notifications.adapters.store import Notification
from services.notifications.domain.rules import ROLES


class RecipientSchema(Schema):
    class Meta:
        unknown = RAISE

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(required=True)
    case_id = fields.String(load_default=None)


class DeliveryReceiptSchema(Schema):
    """GOV.UK Notify's delivery-status callback; only the fields this service reads."""

    class Meta:
        unknown = EXCLUDE

    reference = fields.String(required=True, validate=validate.Length(min=1, max=128))
    status = fields.String(required=True, validate=validate.Length(min=1, max=64))


def notification_json(n: Notification) -> dict[str, Any]:
    return {
        "id": n.notification_id,
        "case_id": n.case_id,
        "recipient": {"role": n.recipient_role, "name": n.recipient_name, "email": n.address},
        "channel": n.channel,
        "template": n.template,
        "status": n.status,
        "status_reason": n.status_reason,
        "attempts": n.attempts,
        "sent_at": n.sent_at.isoformat() if n.sent_at else None,
        "delivered_at": n.delivered_at.isoformat() if n.delivered_at else None,
        "attachments": list(n.attachments),
        "source_event_type": n.source_event_type,
        "created_at": n.created_at.isoformat(),
    }
