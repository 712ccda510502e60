"""Sending what is due: the dispatcher the worker runs every few seconds.

Each due notification is leased, rendered and given its letters (opened from
their seal only now). Then, in this order:

1. the attempt is saved: ``sending``, its number, its start, and the
   Message-ID (or Notify reference) every attempt of it carries, made once
   from its ledger key;
2. the message goes to the board's channel, outside any write;
3. the answer is saved: ``sent`` with ``notification.sent`` in the same write;
   a refusal before the server had the message, a later attempt (temporary)
   or ``failed`` with ``notification.failed`` (permanent, or the retry window
   closed); a link that failed after the server had the whole message,
   ``uncertain``, never tried again on its own.

If the process dies between 1 and 3 the notification stays ``sending``: the
next dispatcher to start, or any dispatcher once the attempt's lease has
ended, makes it ``uncertain`` (it may have gone). A person then checks with
the recipient and resends it (with the same Message-ID) or marks it
delivered. One notification going wrong never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.notifications.adapters.boards import ChannelFor
from services.notifications.adapters.channels import (
    Attachment,
    Channel,
    DeliveryError,
    Message,
    PermanentDeliveryError,
    Receipt,
    UncertainDeliveryError,
)
from services.notifications.adapters.messages import RenderedMessage
from services.notifications.adapters.repository import ConcurrentChange
from services.notifications.adapters.store import Notification
from services.notifications.domain import delivery, wording
from services.notifications.domain.delivery import RetryPolicy
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared import crypto
from shared.logging import bound, get_logger

log = get_logger(__name__)

Clock = Callable[[], datetime]
Render = Callable[[str, Mapping[str, Any]], RenderedMessage]
Alert = Callable[[Mapping[str, int]], None]
# How long an attempt may take before another dispatcher counts it as abandoned (uncertain):
# well beyond a channel's timeouts (SMTP's apply to each step of the transaction).
LEASE = timedelta(minutes=5)
SETTLE_TRIES = 3

RESTARTED = (
    "the dispatcher was restarted during this attempt, so the server's answer was never recorded: "
    "it may have been delivered"
)
ABANDONED = (
    "this attempt did not finish within its lease (the process stopped or hung during it), "
    "so the server's answer was never recorded: it may have been delivered"
)


class LetterUnavailable(Exception):
    """A letter to attach cannot be had: retrying will not bring it."""


@dataclass(frozen=True)
class Attempt:
    """One try at one notification, saved as ``sending`` before its message goes."""

    notification_id: str
    number: int
    channel: Channel
    message: Message


Outcome = Receipt | DeliveryError


class Dispatcher:
    """The worker's periodic job: ``dispatch``, told on its first run that it has just started."""

    def __init__(self, run: Callable[..., int]) -> None:
        self._run = run
        self._started = False

    def __call__(self) -> int:
        starting, self._started = not self._started, True
        return self._run(starting=starting)


def dispatch(
    uow: NotificationsUnitOfWork,
    channel_for: ChannelFor,
    render: Render,
    clock: Clock,
    retry: RetryPolicy,
    limit: int = 100,
    *,
    starting: bool = False,
    alert: Alert | None = None,
) -> int:
    """Send every notification that is due; returns how many were tried.

    ``starting``: this is the dispatcher's first run in its process, so any
    attempt still ``sending`` was cut short by the end of a previous one.
    ``alert`` is told how many notifications are uncertain and failed.
    """
    abandoned(uow, clock, all_of_them=starting)
    tried = 0
    while tried < limit:
        with uow:
            at = clock()
            n = uow.notifications.claim_next(at, at + LEASE)
            if n is None:
                break
            tried += 1
            trace = {"correlation_id": n.correlation_id} if n.correlation_id else {}
            trace["causation_id"] = n.source_event_id
            with bound(**trace):
                try:
                    begun = begin(n, channel_for, render, uow, at)
                except Exception as exc:  # noqa: BLE001 - one bad notification never stops the others
                    log.exception("notifications.attempt_crashed", notification_id=n.notification_id)
                    begun = None
                    _fail(n, at, f"unexpected error: {type(exc).__name__}")
                try:
                    uow.commit()  # the attempt is saved before anything goes
                except ConcurrentChange:
                    log.warning("notifications.changed_before_attempt", notification_id=n.notification_id)
                    continue
        if begun is not None:
            with bound(**trace):
                settle(uow, begun, transmit(begun), retry, clock)
    if alert is not None:
        with uow:
            alert(uow.notifications.counts(delivery.ALERTING))
    return tried


def begin(
    n: Notification, channel_for: ChannelFor, render: Render, uow: NotificationsUnitOfWork, at: datetime
) -> Attempt | None:
    """Make the message and mark the attempt ``sending``; None when it cannot go (its state says why)."""
    channel = channel_for(n.board_id)
    if channel is None:
        n.not_sent(at, "no channel configured for this board (set SMTP_HOST or Notify)")
        log.warning("notifications.not_sent", notification_id=n.notification_id, reason=n.status_reason)
        return None
    try:
        rendered = render(n.template, message_context(n))
    except Exception as exc:  # noqa: BLE001 - a template error fails this notification only
        _fail(n, at, f"template error: {type(exc).__name__}: {exc}")
        return None
    try:
        attachments = tuple(_attachment(uow, document_id) for document_id in n.attachments)
    except LetterUnavailable as exc:
        _fail(n, at, str(exc))
        return None
    # Made once, before the first attempt, and carried by every attempt on this channel.
    message_id = n.message_id if n.message_id and n.channel == channel.name else None
    n.sending(at, channel.name, message_id or channel.identify(n.notification_id), at + LEASE)
    message = Message(
        to=n.address,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        attachments=attachments,
        reference=n.notification_id,
        message_id=n.message_id,
    )
    return Attempt(n.notification_id, n.attempts, channel, message)


def message_context(n: Notification) -> dict[str, Any]:
    """What the message template reads: the ledger's context, with the words of the case's pack
    filled in for a notification recorded before they travelled with it (read as ``wt2015``)."""
    pack = n.context.get("rule_pack")
    return {
        **wording.context(pack),
        "recipient_title": wording.role_name(pack, n.recipient_role),
        **n.context,
        "recipient_role": n.recipient_role,
        "recipient_name": n.recipient_name,
    }


def transmit(attempt: Attempt) -> Outcome:
    """The channel's one try: its receipt, or the error that says how it went."""
    try:
        return attempt.channel.send(attempt.message)
    except DeliveryError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a fault in the channel itself: the message may have gone
        log.exception("notifications.channel_crashed", notification_id=attempt.notification_id)
        return UncertainDeliveryError(f"the {attempt.channel.name} channel failed: {type(exc).__name__}")


def settle(
    uow: NotificationsUnitOfWork, attempt: Attempt, outcome: Outcome, retry: RetryPolicy, clock: Clock
) -> None:
    """Save what the server answered, on the notification as it is now."""
    for _ in range(SETTLE_TRIES):
        with uow:
            n = uow.notifications.get(attempt.notification_id)
            if n is None or not _answer(n, attempt, outcome, retry, clock()):
                return
            try:
                uow.commit()
                return
            except ConcurrentChange:
                continue  # a receipt or a person wrote it meanwhile: decide again on what they wrote
    log.error(
        "notifications.answer_not_saved", notification_id=attempt.notification_id, attempt=attempt.number
    )


def _answer(n: Notification, attempt: Attempt, outcome: Outcome, retry: RetryPolicy, at: datetime) -> bool:
    """Apply the answer to attempt ``attempt.number``; False when it has nothing to change."""
    if n.attempts != attempt.number or n.status not in delivery.NOT_YET_GONE:
        log.info("notifications.late_answer", notification_id=n.notification_id, status=n.status)
        return False
    if isinstance(outcome, Receipt):  # it went: whatever was decided meanwhile, it need not go again
        n.sent(at, outcome.provider_id)
        log.info(
            "notifications.sent",
            notification_id=n.notification_id,
            template=n.template,
            role=n.recipient_role,
            channel=n.channel,
            message_id=n.message_id,
        )
        return True
    if n.status == delivery.PENDING:  # a person asked for it again while it was uncertain
        return False
    if isinstance(outcome, UncertainDeliveryError):
        _uncertain(n, at, outcome.reason)
    elif isinstance(outcome, PermanentDeliveryError):
        _fail(n, at, outcome.reason)
    else:
        when = retry.next_attempt(at, n.first_attempt_at, n.attempts)
        if when is None:
            _fail(n, at, f"still failing when the retry window closed: {outcome.reason}")
        else:
            n.retry_at(at, when, outcome.reason)
    return True


def abandoned(uow: NotificationsUnitOfWork, clock: Clock, *, all_of_them: bool) -> int:
    """Make ``uncertain`` the attempts no dispatcher will finish; returns how many.

    ``all_of_them``: every notification still ``sending`` (this dispatcher has
    just started); otherwise only those whose lease has ended. A dispatcher
    still at work on one keeps its answer: it is applied on top (``_answer``).
    """
    at = clock()
    lease_ended_by = None if all_of_them else at
    with uow:
        ids = [n.notification_id for n in uow.notifications.in_flight(lease_ended_by)]
    made = 0
    for notification_id in ids:
        with uow:
            n = uow.notifications.get(notification_id)
            if n is None or n.status != delivery.SENDING:
                continue
            _uncertain(n, at, RESTARTED if all_of_them else ABANDONED)
            try:
                uow.commit()
                made += 1
            except ConcurrentChange:
                continue  # its dispatcher saved the answer first
    return made


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


def _uncertain(n: Notification, at: datetime, reason: str) -> None:
    n.uncertain(at, reason)
    log.error(
        "notifications.uncertain",
        notification_id=n.notification_id,
        message_id=n.message_id,
        attempt=n.attempts,
        reason=reason[:200],
    )


def _fail(n: Notification, at: datetime, reason: str) -> None:
    n.failed(at, reason)
    log.error("notifications.failed", notification_id=n.notification_id, reason=reason[:200])
