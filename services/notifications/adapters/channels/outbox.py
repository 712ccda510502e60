"""The development outbox: a channel that keeps each email, whole, instead of sending it.

Like Django's file or locmem email backends. ``make run`` has no mail server, so
without ``SMTP_HOST`` or Notify the product still sends its statutory emails
somewhere a person can open them: each one is built exactly as the SMTP channel
would build it (headers, text and HTML bodies, attachments), sealed like the
letters it carries, and stored in the notifications service's own store. Pages
at ``/notifications/outbox`` list them. Nothing goes to a real address.
Production refuses this channel (``shared.config``, ``MAIL_OUTBOX``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from mongoengine import DateTimeField, Document, IntField, ListField, StringField

from services.notifications.adapters.channels.base import (
    Message,
    PermanentDeliveryError,
    Receipt,
    safe_filename,
)
from services.notifications.adapters.channels.smtp import SmtpChannel
from shared import crypto

NAME = "outbox"
DELIVERED = "delivered to the development outbox, not to a real address"


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxMail(Document):
    """One email as it would have left: its MIME source, sealed; a few headers to list it by."""

    meta: dict[str, Any] = {"collection": "mail_outbox", "indexes": [("board_id", "-stored_at")]}

    mail_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    message_id = StringField(required=True)
    to = StringField(required=True)
    subject = StringField(required=True)
    attachment_names = ListField(StringField())
    size = IntField(required=True)
    stored_at = DateTimeField(required=True, default=_now)
    sealed = StringField(required=True)  # crypto.seal_bytes of the whole message

    def email(self) -> EmailMessage:
        parsed: EmailMessage = message_from_bytes(crypto.open_bytes(self.sealed), policy=policy.default)
        return parsed


@dataclass(frozen=True)
class OpenedMail:
    """What the message page shows of one stored email."""

    mail: OutboxMail
    headers: dict[str, str]
    text: str
    attachments: list[tuple[str, str, bytes]]  # (filename, content type, data)


def open_mail(mail: OutboxMail) -> OpenedMail:
    email = mail.email()
    body = email.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    attachments = []
    for part in email.iter_attachments():
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        attachments.append((safe_filename(part.get_filename() or ""), part.get_content_type(), data))
    headers = {
        name: str(email[name]) for name in ("From", "To", "Subject", "Date", "Message-ID") if email[name]
    }
    return OpenedMail(mail, headers, text, attachments)


class OutboxChannel:
    """Keeps the message in the outbox; the receipt says it was delivered there."""

    name = NAME

    def __init__(self, sender: str, board_id: str) -> None:
        self._builder = SmtpChannel("outbox.invalid", 25, sender, starttls="never")
        self.board_id = board_id

    def identify(self, reference: str) -> str:
        return self._builder.identify(reference)

    def send(self, message: Message) -> Receipt:
        try:
            email = self._builder.build(message)
        except (ValueError, TypeError) as exc:
            raise PermanentDeliveryError(f"the message could not be built ({type(exc).__name__})") from exc
        source = email.as_bytes(policy=policy.SMTP)
        OutboxMail(
            board_id=self.board_id,
            message_id=email["Message-ID"],
            to=message.to,
            subject=message.subject,
            attachment_names=[safe_filename(a.filename) for a in message.attachments],
            size=len(source),
            sealed=crypto.seal_bytes(source),
        ).save(force_insert=True)
        return Receipt(channel=self.name, provider_id=email["Message-ID"])
