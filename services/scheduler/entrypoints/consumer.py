"""Bus consumers of the scheduler: the listeners declared at its handlers, by queue.

One queue, ``scheduler.deadlines``: a case's events are applied one after another, in
the order they came.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.scheduler.service_layer.handlers import listeners
from shared.bus import Subscription

# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = tuple(listeners.queues())


def subscriptions(dependencies: Mapping[str, Any]) -> list[Subscription]:
    """The handlers' subscriptions, each handler given its dependencies by parameter name."""
    return listeners.subscriptions(dependencies)
