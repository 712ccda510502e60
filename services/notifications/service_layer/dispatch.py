"""Sending what is due: the dispatcher the worker runs every few seconds.

Each due notification is leased, rendered, given its letters (opened from
their seal only now) and handed to the board's channel once. A temporary
failure is tried again with exponential backoff until the retry window
closes; a permanent failure stops at once. Every outcome is kept, with the
event it raises (``notification.sent`` or ``notification.failed``) in the
same write; one notification going wrong never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from services.notifications.adapters.boards import ChannelFor
from services.notifications.adapters.channels import (
    Attachment,
    DeliveryError,
    Message,
    PermanentDeliveryError,
)
from services.notifications.adapters.messages import RenderedMessage
from services.notifications.adapters.store import Notification
from services.notifications.domain.delivery import RetryPolicy
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared import crypto
from shared.logging import bound, get_logger

log = get_logger(__name__)

Clock = Callable[[], datetime]
Render = Callable[[str, Mapping[str, Any]], RenderedMessage]
LEASE = timedelta(minutes=5)


class LetterUnavailable(Exception):
    """A letter to attach cannot be had: retrying will not bring it."""


def dispatch(
    uow: NotificationsUnitOfWork,
    channel_for: ChannelFor,
    render: Render,
    clock: Clock,
    retry: RetryPolicy,
    limit: int = 100,
) -> int:
    """Send every notification that is due; returns how many were tried."""
    tried = 0
    while tried < limit:
        with uow:
            at = clock()
            n = uow.notifications.claim_next(at, at + LEASE)
            if n is None:
                break
            tried += 1
            trace = {"correlation_id": n.correlation_id} if n.correlation_id else {}
            with bound(**trace, causation_id=n.source_event_id):
                try:
                    attempt(uow, n, channel_for, render, retry, at)
                except Exception as exc:  # noqa: BLE001 - one bad notification never stops the others
                    log.exception("notifications.attempt_crashed", notification_id=n.notification_id)
                    _fail(n, at, f"unexpected error: {type(exc).__name__}")
                uow.commit()
    return tried


def attempt(
    uow: NotificationsUnitOfWork,
    n: Notification,
    channel_for: ChannelFor,
    render: Render,
    retry: RetryPolicy,
    at: datetime,
) -> None:
    """One try at sending one notification; its new state is written when the caller commits."""
    channel = channel_for(n.board_id)
    if channel is None:
        n.not_sent(at, "no channel configured for this board (set SMTP_HOST or Notify)")
        log.warning("notifications.not_sent", notification_id=n.notification_id, reason=n.status_reason)
        return
    n.attempted(at, channel.name)
    try:
        rendered = render(
            n.template, {**n.context, "recipient_role": n.recipient_role, "recipient_name": n.recipient_name}
        )
    except Exception as exc:  # noqa: BLE001 - a template error fails this notification only
        _fail(n, at, f"template error: {type(exc).__name__}: {exc}")
        return
    try:
        attachments = tuple(_attachment(uow, document_id) for document_id in n.attachments)
    except LetterUnavailable as exc:
        _fail(n, at, str(exc))
        return
    message = Message(
        to=n.address,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        attachments=attachments,
        reference=n.notification_id,
    )
    try:
        receipt = channel.send(message)
    except PermanentDeliveryError as exc:
        _fail(n, at, exc.reason)
        return
    except DeliveryError as exc:
        when = retry.next_attempt(at, n.first_attempt_at, n.attempts)
        if when is None:
            _fail(n, at, f"still failing when the retry window closed: {exc.reason}")
        else:
            n.retry_at(at, when, exc.reason)
        return
    n.sent(at, receipt.provider_id)
    log.info(
        "notifications.sent",
        notification_id=n.notification_id,
        template=n.template,
        role=n.recipient_role,
        channel=channel.name,
    )


def _attachment(uow: NotificationsUnitOfWork, document_id: str) -> Attachment:
    """The letter, opened from its seal for this send only."""
    letter = uow.letters.get(document_id)
    if letter is None:
        raise LetterUnavailable(f"letter {document_id} is not in the notifications store")
    try:
        data = crypto.open_bytes(letter.sealed)
    except ValueError as exc:
        raise LetterUnavailable(f"letter {document_id} cannot be opened: {exc}") from None
    if hashlib.sha256(data).hexdigest() != letter.content_hash:
        raise LetterUnavailable(f"letter {document_id} is not the file its event described")
    return Attachment(filename=letter.filename, content_type=letter.content_type, data=data)


def _fail(n: Notification, at: datetime, reason: str) -> None:
    n.failed(at, reason)
    log.error("notifications.failed", notification_id=n.notification_id, reason=reason[:200])
