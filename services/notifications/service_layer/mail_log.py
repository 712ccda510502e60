"""Sending one logged email (an account email, a review's email): every attempt carries the same
Message-ID and is counted, and the log says whether it went. A refusal that may pass (a server
down) is raised, so the bus tries again; one that will not is logged as failed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.notifications.adapters.account_mail import AccountMail
from services.notifications.adapters.channels import (
    Attachment,
    Channel,
    DeliveryError,
    Message,
    TemporaryDeliveryError,
)
from services.notifications.adapters.channels.outbox import DELIVERED as IN_OUTBOX
from services.notifications.adapters.channels.outbox import NAME as OUTBOX
from services.notifications.adapters.messages import RenderedMessage
from services.notifications.adapters.review_mail import ReviewMail


def send_logged(
    mail: AccountMail | ReviewMail,
    channel: Channel,
    rendered: RenderedMessage,
    *,
    to: str,
    reference: str,
    clock: Callable[[], datetime],
    attachments: tuple[Attachment, ...] = (),
) -> bool:
    """Send ``rendered`` to ``to`` by ``channel``, keeping each attempt in ``mail``: True if it
    went, False if it was refused for good (``mail.status_reason`` says why)."""
    mail.channel = channel.name
    mail.message_id = mail.message_id or channel.identify(reference)
    mail.attempts += 1
    mail.status = "sending"
    mail.save()
    message = Message(
        to=to,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        attachments=attachments,
        reference=reference,
        message_id=mail.message_id,
    )
    try:
        channel.send(message)
    except DeliveryError as exc:
        mail.status_reason = exc.reason[:500]
        mail.note(f"attempt {mail.attempts} failed: {exc.reason[:200]}")
        if isinstance(exc, TemporaryDeliveryError):
            mail.save()
            raise  # the bus tries again later
        mail.status = "failed"
        mail.save()
        return False
    mail.sent_at = clock()
    mail.status, mail.status_reason = ("delivered", IN_OUTBOX) if channel.name == OUTBOX else ("sent", None)
    mail.note(mail.status_reason or f"sent by {channel.name}")
    mail.save()
    return True
