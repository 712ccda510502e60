"""A service's bus machinery: its consumers and its outbox relay, run in threads."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from shared.bus.consumer import Subscription, Worker
from shared.bus.journal import Journal, process_journal
from shared.bus.outbox import OutboxDocument, OutboxRelay
from shared.bus.publisher import Publisher
from shared.config import Settings
from shared.logging import get_logger

log = get_logger(__name__)


class BusRuntime:
    def __init__(
        self,
        settings: Settings,
        name: str,
        subscriptions: Iterable[Subscription] = (),
        outbox_documents: Iterable[type[OutboxDocument]] = (),
    ):
        self.settings = settings
        self.name = name
        self.subscriptions = list(subscriptions)
        self.publisher = Publisher(settings)
        self.worker = Worker(settings, self.subscriptions, name=name) if self.subscriptions else None
        # The in-process bus forgets its queues when the process dies; a store that does not
        # keeps each published event until every consumer has handled it (shared.bus.journal).
        self.journal: Journal | None = None
        if settings.embedded_bus and not settings.in_memory_store:
            self.journal = process_journal()
            self.journal.register(self.subscriptions)
        self.relay = OutboxRelay(
            self.publisher,
            outbox_documents,
            name=name,
            interval=settings.OUTBOX_POLL_INTERVAL,
            journal=self.journal,
            dead_letter_queues=[self.publisher.topology.queue_name(s.consumer) for s in self.subscriptions],
        )
        self.started = False

    def start(self) -> BusRuntime:
        if self.worker:
            self.worker.start()
        self.relay.start()
        if self.journal is not None and self.worker is not None:
            threading.Thread(target=self._redeliver, name=f"journal-{self.name}", daemon=True).start()
        self.started = True
        log.info("bus.runtime_started", service=self.name, bus=self.publisher._connection.as_uri())
        return self

    def _redeliver(self) -> None:
        """Once consuming, take up what this service's consumers had not finished before a restart."""
        assert self.journal is not None and self.worker is not None
        try:
            if self.worker.wait_until_consuming(timeout=60):
                self.journal.redeliver(self.subscriptions, self.publisher, self.worker.topology)
        except Exception:  # noqa: BLE001 - the events stay journalled for the next start
            log.exception("bus.journal_redelivery_failed", service=self.name)

    def stop(self) -> None:
        self.relay.stop()
        if self.worker:
            self.worker.stop()
        self.publisher.close()
        self.started = False

    def check(self) -> str | None:
        """None when the bus is reachable, else what is wrong."""
        if self.worker is not None and self.started:
            if self.worker.connected.is_set():
                return None
            return f"consumer not connected ({self.worker.last_error or 'connecting'})"
        try:
            self.publisher.ping()
        except Exception as exc:  # noqa: BLE001
            return f"unreachable: {type(exc).__name__}: {exc}"
        return None
