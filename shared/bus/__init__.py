"""The product's message bus on kombu: RabbitMQ in production, in-process for development."""

from shared.bus.consumer import PermanentError, Subscription, Worker
from shared.bus.ledger import Claim, Ledger, MemoryLedger, ledger_for
from shared.bus.listeners import Listeners, inject
from shared.bus.outbox import OutboxDocument, OutboxRelay
from shared.bus.publisher import Publisher, PublishError
from shared.bus.runtime import BusRuntime
from shared.bus.topology import Topology

__all__ = [
    "BusRuntime",
    "Claim",
    "Ledger",
    "Listeners",
    "MemoryLedger",
    "OutboxDocument",
    "OutboxRelay",
    "PermanentError",
    "PublishError",
    "Publisher",
    "Subscription",
    "Topology",
    "Worker",
    "inject",
    "ledger_for",
]
