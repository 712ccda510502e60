"""Bus consumers of the documents service: documents that events call for."""

from __future__ import annotations

from services.documents.service_layer import handlers
from shared.bus import Subscription


def subscriptions(deps: handlers.Deps) -> list[Subscription]:
    return [Subscription("documents.generate", tuple(handlers.ON_EVENT),
                         lambda event: handlers.on_event(deps, event))]
