"""Exchanges and queues, in one place.

- ``<ns>.events``: a durable topic exchange; the routing key is the event type.
  Its alternate exchange ``<ns>.unroutable`` (fanout) takes any event no queue
  is bound to, into the durable queue ``<ns>.unroutable``: an event published
  under a type nobody consumes yet is kept there, counted and shown by the
  dead-letter command, never dropped.
- ``<ns>.<service>.<purpose>``: one durable queue per consuming service and
  purpose, bound to the event types it handles.
- ``<ns>.dead-letter``: a direct exchange; each queue has its own
  ``<queue>.dead-letter`` queue bound under the queue's name. Consumers publish
  refused messages there with the reason in the headers; the queue also names it
  as its broker-side dead-letter exchange, so anything the broker itself
  rejects (a delivery limit, an expiry) lands in the same place.
- Replays go through the default exchange straight to the one queue that
  failed, so the other services do not see the event twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kombu.entity import Exchange, Queue, binding


@dataclass(frozen=True)
class Topology:
    namespace: str = "lscb"
    queue_type: str = ""  # "", "classic" or "quorum"

    @property
    def exchange(self) -> Exchange:
        return Exchange(  # type: ignore[no-untyped-call]
            f"{self.namespace}.events",
            type="topic",
            durable=True,
            arguments={"alternate-exchange": self.unroutable_exchange.name},
        )

    @property
    def unroutable_exchange(self) -> Exchange:
        return Exchange(  # type: ignore[no-untyped-call]
            f"{self.namespace}.unroutable", type="fanout", durable=True
        )

    @property
    def unroutable_queue(self) -> Queue:
        return Queue(  # type: ignore[no-untyped-call]
            f"{self.namespace}.unroutable",
            exchange=self.unroutable_exchange,
            durable=True,
            queue_arguments=self._arguments(),
        )

    @property
    def dead_letter_exchange(self) -> Exchange:
        return Exchange(  # type: ignore[no-untyped-call]
            f"{self.namespace}.dead-letter", type="direct", durable=True
        )

    def queue_name(self, consumer: str) -> str:
        return f"{self.namespace}.{consumer}"

    def _arguments(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        args = dict(extra or {})
        if self.queue_type:
            args["x-queue-type"] = self.queue_type
        return args

    def queue(self, consumer: str, event_types: Iterable[str]) -> Queue:
        name = self.queue_name(consumer)
        return Queue(  # type: ignore[no-untyped-call]
            name,
            bindings=[
                binding(self.exchange, routing_key=t)  # type: ignore[no-untyped-call]
                for t in event_types
            ],
            durable=True,
            queue_arguments=self._arguments(
                {
                    "x-dead-letter-exchange": self.dead_letter_exchange.name,
                    "x-dead-letter-routing-key": name,
                }
            ),
        )

    def dead_letter_queue_name(self, queue_name: str) -> str:
        return f"{queue_name}.dead-letter"

    def dead_letter_queue(self, queue_name: str) -> Queue:
        return Queue(  # type: ignore[no-untyped-call]
            self.dead_letter_queue_name(queue_name),
            exchange=self.dead_letter_exchange,
            routing_key=queue_name,
            durable=True,
            queue_arguments=self._arguments(),
        )
