"""Bus consumers of the referral service."""

from __future__ import annotations

from services.referral.adapters.store import OUTBOX_DOCUMENTS  # noqa: F401  (relayed by this service)
from services.referral.service_layer import handlers
from shared.bus import Subscription


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            "referral.deadlines",
            ("deadline.due_soon", "deadline.overdue"),
            handlers.apply_deadline_event,
        ),
    ]
