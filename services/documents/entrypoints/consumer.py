"""Bus consumers of the documents service: the referral service's events, on one queue.

The listeners are declared at their handlers (:mod:`..service_layer.handlers`); this
module turns them into subscriptions with their dependencies injected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.documents.service_layer.handlers import listeners
from shared.bus import Subscription

# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS: tuple[str, ...] = tuple(listeners.queues())


def subscriptions(dependencies: Mapping[str, Any]) -> list[Subscription]:
    return listeners.subscriptions(dependencies)
