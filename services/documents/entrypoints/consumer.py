"""Bus consumers of the documents service: documents that events call for."""

from __future__ import annotations

from services.documents.service_layer import handlers
from shared.bus import Subscription

# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = ("documents.generate",)


def subscriptions(deps: handlers.Deps) -> list[Subscription]:
    return [
        Subscription(CONSUMERS[0], tuple(handlers.ON_EVENT), lambda event: handlers.on_event(deps, event))
    ]
