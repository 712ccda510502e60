"""The in-process bus's journal: events kept in the store until every consumer has handled them.

On RabbitMQ a confirmed event is the broker's to keep. kombu's in-process
``memory://`` transport (the bus of ``make run``) keeps its queues in the
process's memory, so once the outbox relay has handed an event over, a SIGKILL
would lose it. With the in-process bus and a store that outlives the process
(the embedded store in a folder, or MongoDB), the relay therefore writes each
event it published to this journal before it removes it from the outbox, and:

- at start, once a service consumes, it hands each of its consumers straight
  (to that consumer's queue only) every journalled event of a type it handles
  that the idempotency ledger does not record as done by it; claims left
  ``processing`` by the process that died are released first;
- every few seconds, an event every consumer in the process has handled
  leaves the journal.

A consumer that already handled an event skips a repeat through the ledger, so
the journal adds repeats, never a second effect. An event a handler refused
(dead-lettered) stays in the journal, and is offered to that consumer again at
the next start: under ``make run`` the dead-letter queues live in memory too.
One process uses a journal at a time (``make run`` holds the store folder).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING

from shared import store
from shared.bus.consumer import Subscription
from shared.bus.ledger import Ledger
from shared.bus.publisher import Publisher
from shared.bus.topology import Topology
from shared.logging import get_logger

log = get_logger(__name__)

COLLECTION = "bus_journal"
SWEEP_INTERVAL = 5.0
# A sweep reads the whole journal, which grows while consumers have a backlog: the next one waits
# at least this many times as long as the last took, so sweeping never takes more than about a
# twentieth of the process's time.
SWEEP_SPACING = 20.0
DELETE_BATCH = 100  # finished events removed in one write


def _now() -> datetime:
    return datetime.now(UTC)


class Journal:
    """The journal of one process: which consumers it runs, what they still have to handle."""

    def __init__(self, ledger: Ledger, sweep_interval: float = SWEEP_INTERVAL) -> None:
        self.ledger = ledger
        self.sweep_interval = sweep_interval
        self.started_at = _now()
        self._consumers: dict[str, set[str]] = {}  # event type -> consumers in this process
        self._lock = threading.Lock()
        self._next_sweep = 0.0  # time.monotonic() of the next sweep
        self._indexed = False

    @property
    def collection(self) -> Any:  # a pymongo or mongomock collection
        coll = store.database()[COLLECTION]
        if not self._indexed:
            coll.create_index([("event_type", ASCENDING)], name="event_type")
            self._indexed = True
        return coll

    def register(self, subscriptions: Iterable[Subscription]) -> None:
        """Count these consumers among those an event waits for (call before any service starts)."""
        with self._lock:
            for sub in subscriptions:
                for event_type in sub.event_types:
                    self._consumers.setdefault(event_type, set()).add(sub.consumer)

    # -- the relay's side -------------------------------------------------------------

    def keep(self, envelopes: Iterable[dict[str, Any]]) -> None:
        """Journal events just published (before they leave their outbox)."""
        coll = self.collection
        for envelope in envelopes:
            coll.update_one(
                {"_id": envelope["event_id"]},
                {
                    "$setOnInsert": {
                        "event_type": envelope["event_type"],
                        "envelope": envelope,
                        "kept_at": _now(),
                    }
                },
                upsert=True,
            )

    def sweep(self, force: bool = False) -> int:
        """Remove the events every consumer in this process has handled; how many went. Runs at
        most every ``sweep_interval`` seconds, and :data:`SWEEP_SPACING` times as long as the last
        sweep took (``force``: now)."""
        now = time.monotonic()
        if not force and now < self._next_sweep:
            return 0
        try:
            return self._sweep()
        finally:
            took = time.monotonic() - now
            self._next_sweep = now + max(self.sweep_interval, SWEEP_SPACING * took)

    def _sweep(self) -> int:
        with self._lock:
            consumers = {t: set(c) for t, c in self._consumers.items()}
        waiting: dict[str, set[str]] = {}  # consumer -> the journalled events it is waited on for
        types: dict[str, str] = {}
        for entry in self.collection.find({}, {"event_type": 1}):
            types[entry["_id"]] = entry["event_type"]
            for consumer in consumers.get(entry["event_type"], ()):
                waiting.setdefault(consumer, set()).add(entry["_id"])
        unfinished: set[str] = set()
        for consumer, event_ids in waiting.items():
            unfinished |= event_ids - self.ledger.done_among(consumer, list(event_ids))
        finished = [event_id for event_id in types if event_id not in unfinished]
        for start in range(0, len(finished), DELETE_BATCH):  # short writes: requests go between them
            self.collection.delete_many({"_id": {"$in": finished[start : start + DELETE_BATCH]}})
        return len(finished)

    # -- at start -----------------------------------------------------------------------

    def unfinished(self, sub: Subscription) -> list[dict[str, Any]]:
        """Journalled events of the consumer's types that it has not handled, oldest first."""
        entries = list(self.collection.find({"event_type": {"$in": list(sub.event_types)}}).sort("kept_at"))
        done = self.ledger.done_among(sub.consumer, [e["_id"] for e in entries])
        return [e["envelope"] for e in entries if e["_id"] not in done]

    def redeliver(
        self, subscriptions: Iterable[Subscription], publisher: Publisher, topology: Topology
    ) -> int:
        """Hand each consumer what it had not handled when the last process stopped; how many."""
        sent = 0
        for sub in subscriptions:
            # Only a process that died can have left a claim older than this one.
            self.ledger.collection.delete_many(
                {"consumer": sub.consumer, "status": "processing", "claimed_at": {"$lt": self.started_at}}
            )
            for envelope in self.unfinished(sub):
                publisher.publish_raw(
                    json.dumps(envelope),
                    exchange="",  # the default exchange: this consumer's queue only
                    routing_key=topology.queue_name(sub.consumer),
                    message_id=envelope["event_id"],
                    correlation_id=envelope.get("correlation_id"),
                    message_type=envelope["event_type"],
                )
                sent += 1
        if sent:
            log.info("bus.journal_redelivered", events=sent)
        return sent


_journal: Journal | None = None
_journal_lock = threading.Lock()


def process_journal() -> Journal:
    """The journal every service in this process shares (they share one in-process bus)."""
    global _journal
    with _journal_lock:
        if _journal is None:
            _journal = Journal(Ledger())
        return _journal
