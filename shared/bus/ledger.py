"""The idempotency ledger: which consumer has handled which event.

A unique index on (consumer, event_id) makes the claim atomic on MongoDB and
on mongomock alike. A claim is ``processing`` while the handler runs and
``done`` once it succeeded; a failed handler releases its claim so a retry can
run; a claim left by a crashed process can be taken over once its lease ends.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from shared import store
from shared.config import Settings

COLLECTION = "processed_messages"
RETENTION = timedelta(days=180)
BATCH = 1000  # events asked about in one query


class Claim(enum.Enum):
    CLAIMED = "claimed"  # run the handler
    DONE = "done"  # already handled: acknowledge and skip
    BUSY = "busy"  # another delivery is being handled right now: try later


def _now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    def __init__(self, lease: timedelta = timedelta(seconds=60)) -> None:
        self.lease = lease
        self._indexed = False

    @property
    def collection(self) -> Any:  # a pymongo or mongomock collection
        coll = store.database()[COLLECTION]
        if not self._indexed:
            coll.create_index(
                [("consumer", ASCENDING), ("event_id", ASCENDING)],
                unique=True,
                name="consumer_event_unique",
            )
            coll.create_index("done_at", expireAfterSeconds=int(RETENTION.total_seconds()), name="done_ttl")
            self._indexed = True
        return coll

    def claim(self, consumer: str, event_id: str) -> Claim:
        coll = self.collection
        for _ in range(3):
            now = _now()
            try:
                coll.insert_one(
                    {
                        "consumer": consumer,
                        "event_id": event_id,
                        "status": "processing",
                        "claimed_at": now,
                        "lease_until": now + self.lease,
                    }
                )
                return Claim.CLAIMED
            except DuplicateKeyError:
                pass
            taken = coll.find_one_and_update(
                {
                    "consumer": consumer,
                    "event_id": event_id,
                    "status": "processing",
                    "lease_until": {"$lt": now},
                },
                {"$set": {"claimed_at": now, "lease_until": now + self.lease}},
            )
            if taken is not None:
                return Claim.CLAIMED
            existing = coll.find_one({"consumer": consumer, "event_id": event_id})
            if existing is None:
                continue  # released in between: try to claim again
            return Claim.DONE if existing["status"] == "done" else Claim.BUSY
        return Claim.BUSY

    def complete(self, consumer: str, event_id: str) -> None:
        self.collection.update_one(
            {"consumer": consumer, "event_id": event_id},
            {"$set": {"status": "done", "done_at": _now()}, "$unset": {"lease_until": ""}},
        )

    def release(self, consumer: str, event_id: str) -> None:
        self.collection.delete_one({"consumer": consumer, "event_id": event_id, "status": "processing"})

    def is_done(self, consumer: str, event_id: str) -> bool:
        doc = self.collection.find_one({"consumer": consumer, "event_id": event_id})
        return bool(doc and doc["status"] == "done")

    def done_among(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        """Which of these events the consumer has handled: one query a thousand events, on the
        (consumer, event_id) index, where asking of each would be one query each."""
        done: set[str] = set()
        for start in range(0, len(event_ids), BATCH):
            batch = list(event_ids[start : start + BATCH])
            found = self.collection.find(
                {"consumer": consumer, "event_id": {"$in": batch}, "status": "done"}, {"event_id": 1}
            )
            done.update(doc["event_id"] for doc in found)
        return done


class MemoryLedger:
    """The same claims kept in this process's memory, for the in-memory store.

    When the store itself lives in this process's memory (mongomock, which has
    no indexes and scans a collection on every lookup), a dict under a lock
    gives the same guarantee at a fraction of the cost. On MongoDB and on the
    embedded store in a folder, which outlive the process and may be shared by
    several, every process uses :class:`Ledger` instead.
    """

    def __init__(self, lease: timedelta = timedelta(seconds=60)) -> None:
        self.lease = lease
        self._claims: dict[tuple[str, str], tuple[str, datetime | None]] = {}
        self._lock = threading.Lock()

    def claim(self, consumer: str, event_id: str) -> Claim:
        key, now = (consumer, event_id), _now()
        with self._lock:
            found = self._claims.get(key)
            if found is None or (found[0] == "processing" and found[1] is not None and found[1] < now):
                self._claims[key] = ("processing", now + self.lease)
                return Claim.CLAIMED
            return Claim.DONE if found[0] == "done" else Claim.BUSY

    def complete(self, consumer: str, event_id: str) -> None:
        with self._lock:
            self._claims[(consumer, event_id)] = ("done", None)

    def release(self, consumer: str, event_id: str) -> None:
        with self._lock:
            if self._claims.get((consumer, event_id), ("",))[0] == "processing":
                del self._claims[(consumer, event_id)]

    def is_done(self, consumer: str, event_id: str) -> bool:
        with self._lock:
            return self._claims.get((consumer, event_id), ("",))[0] == "done"

    def done_among(self, consumer: str, event_ids: Sequence[str]) -> set[str]:
        with self._lock:
            return {e for e in event_ids if self._claims.get((consumer, e), ("",))[0] == "done"}


_MEMORY_LEDGER = MemoryLedger()


def ledger_for(settings: Settings) -> Ledger | MemoryLedger:
    """The ledger that matches the store: kept in the store, or this process's own when the store is."""
    return _MEMORY_LEDGER if settings.in_memory_store else Ledger()
