"""Bus consumers of the notifications service: the queues its listeners declared.

Every listener is on one queue, ``notifications.rules``, so a case's referral
and decision are known before its letters arrive. ``bootstrap()`` subscribes
them; ``services.deadletters`` finds their dead letters by these names.
"""

from __future__ import annotations

from services.notifications.service_layer.handlers import listeners

CONSUMERS = tuple(listeners.queues())
