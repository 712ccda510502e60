"""Bus consumers of the scheduler: deadlines follow the case's events."""

from __future__ import annotations

from services.scheduler.adapters.store import OUTBOX_DOCUMENTS  # noqa: F401
from services.scheduler.service_layer import handlers
from shared.bus import Subscription
from shared.events import Event

_HANDLERS = {
    "referral.submitted": handlers.on_referral_submitted,
    "decision.recorded": handlers.on_decision,
    "decision.changed": handlers.on_decision,
    "notification.sent": handlers.on_notification_sent,
}


def _dispatch(event: Event) -> None:
    _HANDLERS[event.event_type](event)


# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = ("scheduler.deadlines",)


def subscriptions() -> list[Subscription]:
    # One queue: a case's events are applied one after another, in the order they came.
    return [Subscription(CONSUMERS[0], tuple(_HANDLERS), _dispatch)]
