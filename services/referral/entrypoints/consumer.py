"""Bus consumers of the referral service, built from the listeners its handlers declare."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.referral.service_layer.handlers import listeners
from shared.bus import Subscription

# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = tuple(listeners.queues())


def subscriptions(dependencies: Mapping[str, Any]) -> list[Subscription]:
    return listeners.subscriptions(dependencies)
