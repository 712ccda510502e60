"""Bus consumers of the reviews service: the listeners declared at its handlers, by queue.

One queue, ``reviews.cases``: a case's referral and decision events are applied one after
another, in the order they came.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The learning repository's listeners (queue ``learning``) declare themselves on ``listeners``.
import services.reviews.service_layer.learning_handlers  # noqa: F401
from services.reviews.service_layer.handlers import listeners
from shared.bus import Subscription

# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = tuple(listeners.queues())


def subscriptions(dependencies: Mapping[str, Any]) -> list[Subscription]:
    """The handlers' subscriptions, each handler given its dependencies by parameter name."""
    return listeners.subscriptions(dependencies)
