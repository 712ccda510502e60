"""Bus consumers of the documents service (beyond bus checks, which every service answers)."""

from __future__ import annotations

from shared.bus import OutboxDocument, Subscription

OUTBOX_DOCUMENTS: tuple[type[OutboxDocument], ...] = ()


def subscriptions() -> list[Subscription]:
    return []
