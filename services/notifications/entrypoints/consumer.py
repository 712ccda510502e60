"""Bus consumers of the notifications service."""

from __future__ import annotations

from services.notifications.service_layer import handlers
from shared.bus import Subscription
from shared.events import Event

_HANDLERS = {
    "referral.submitted": handlers.on_referral_submitted,
    "decision.recorded": handlers.on_event,
    "decision.changed": handlers.on_event,
    "reviewer.appointed": handlers.on_event,
    "deadline.due_soon": handlers.on_event,
    "deadline.overdue": handlers.on_event,
    "document.generated": handlers.on_document_generated,
}


def _dispatch(event: Event) -> None:
    _HANDLERS[event.event_type](event)


# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = ("notifications.rules",)


def subscriptions() -> list[Subscription]:
    # One queue, so a case's referral is known before its decision is notified.
    return [Subscription(CONSUMERS[0], tuple(_HANDLERS), _dispatch)]
