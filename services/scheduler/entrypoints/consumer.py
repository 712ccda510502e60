"""Bus consumers of the scheduler: the listeners declared at its handlers, by queue.

Two queues:

- ``scheduler.deadlines``: a case's events are applied to its deadlines one after another,
  in the order they came (:mod:`..service_layer.handlers`);
- ``scheduler.work``: the same events and the notifications' failures keep the work queue
  the home pages read (:mod:`..service_layer.work`).
- ``scheduler.contributions``: the due dates of contributions agencies are asked for in a
  review (:mod:`..service_layer.contribution_deadlines`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The action plans' dates (queues ``deadlines`` and ``actions``).
import services.scheduler.service_layer.actions  # noqa: F401

# Contributions' due dates declare their listeners on the handlers' ``listeners`` (queue
# ``contributions``).
import services.scheduler.service_layer.contribution_deadlines  # noqa: F401

# The board dashboard's projection of each case (queue ``dashboard``).
import services.scheduler.service_layer.dashboard  # noqa: F401

# Publication's deadlines declare their listeners on the handlers' ``listeners`` (queue ``deadlines``).
import services.scheduler.service_layer.publication  # noqa: F401

# The work queue's module declares its listeners on the handlers' ``listeners`` (queue ``work``).
from services.scheduler.service_layer import work  # noqa: F401
from services.scheduler.service_layer.handlers import listeners
from shared.bus import Subscription

# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS = tuple(listeners.queues())


def subscriptions(dependencies: Mapping[str, Any]) -> list[Subscription]:
    """The handlers' subscriptions, each handler given its dependencies by parameter name."""
    return listeners.subscriptions(dependencies)
