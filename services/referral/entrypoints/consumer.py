"""Bus consumers of the referral service."""

from __future__ import annotations

from services.referral.adapters.store import OUTBOX_DOCUMENTS  # noqa: F401  (relayed by this service)
from services.referral.service_layer import handlers
from shared.bus import Subscription

# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = ("referral.deadlines",)


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            CONSUMERS[0],
            ("deadline.due_soon", "deadline.overdue"),
            handlers.apply_deadline_event,
        ),
    ]
