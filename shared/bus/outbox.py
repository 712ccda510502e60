"""The transactional outbox.

A state change and the events it raises are written together: the events are
appended to the ``outbox`` list of the very document that changed, so one
single-document write stores both (atomic on MongoDB and mongomock alike; no
multi-document transaction is needed). A relay then publishes each pending
entry with publisher confirms and marks it sent.

If the process dies after the broker confirmed an event but before it was
marked sent, the relay publishes it again later: a repeat, never a loss.
Consumers skip the repeat through the idempotency ledger.

Order is kept per document, not across documents.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocument,
    EmbeddedDocumentField,
    ListField,
    StringField,
    signals,
)
from pymongo import ReturnDocument

from shared import metrics
from shared.bus.publisher import Publisher, PublishError
from shared.events import new_envelope
from shared.logging import current, get_logger

log = get_logger(__name__)

SENT_RETENTION = timedelta(days=30)


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxEntry(EmbeddedDocument):
    event_id = StringField(required=True)
    event_type = StringField(required=True)
    envelope = DictField(required=True)
    pending = BooleanField(default=True, required=True)
    created_at = DateTimeField(required=True)
    sent_at = DateTimeField()


class OutboxDocument(Document):
    """Base for any document whose changes raise events."""

    meta = {"abstract": True}

    outbox = ListField(EmbeddedDocumentField(OutboxEntry))
    outbox_lease_until = DateTimeField()

    def raise_event(self, event_type: str, data: dict[str, Any], *, producer: str) -> dict:
        """Queue an event to be published once this document is saved.

        The correlation id of the request or message being handled is carried
        over, and that message becomes the new event's cause.
        """
        envelope = new_envelope(
            event_type,
            data,
            producer=producer,
            correlation_id=current("correlation_id"),
            causation_id=current("causation_id"),
        )
        self.outbox.append(
            OutboxEntry(
                event_id=envelope["event_id"],
                event_type=event_type,
                envelope=envelope,
                pending=True,
                created_at=_now(),
            )
        )
        return envelope

    @classmethod
    def ensure_outbox_index(cls) -> None:
        cls._get_collection().create_index("outbox.pending", name="outbox_pending")


# Relays running in this process, woken when an outbox document is saved.
_relays: weakref.WeakSet[OutboxRelay] = weakref.WeakSet()


def wake_relays() -> None:
    """Tell this process's relays that new events are waiting (after a raw outbox write)."""
    for relay in list(_relays):
        relay.wake()


def _wake_relays(sender, document, **kwargs) -> None:
    if isinstance(document, OutboxDocument) and any(e.pending for e in document.outbox):
        wake_relays()


signals.post_save.connect(_wake_relays)


class OutboxRelay:
    """Publishes pending outbox entries of the given document classes."""

    def __init__(
        self,
        publisher: Publisher,
        documents: Iterable[type[OutboxDocument]],
        *,
        name: str,
        interval: float = 0.5,
        lease: timedelta = timedelta(seconds=30),
    ):
        self.publisher = publisher
        self.documents = list(documents)
        self.name = name
        self.interval = interval
        self.lease = lease
        self.last_error: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        _relays.add(self)

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> threading.Thread:
        for cls in self.documents:
            cls.ensure_outbox_index()
        self._thread = threading.Thread(target=self._loop, name=f"outbox-{self.name}", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_once()
            except Exception as exc:  # noqa: BLE001 - keep relaying after a store hiccup
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("outbox.relay_error", relay=self.name)
            self._wake.wait(self.interval)

    # -- one pass ----------------------------------------------------------------

    def run_once(self) -> int:
        """Publish every pending entry once; return how many were published."""
        published = 0
        pending_docs = 0
        for cls in self.documents:
            coll = cls._get_collection()
            while True:
                doc = self._lease_next(coll)
                if doc is None:
                    break
                try:
                    published += self._publish_document(coll, doc)
                except PublishError as exc:
                    self.last_error = str(exc)
                    log.warning("outbox.publish_failed", relay=self.name, error=str(exc))
                    break
                finally:
                    self._release(coll, doc["_id"])
            pending_docs += coll.count_documents({"outbox": {"$elemMatch": {"pending": True}}})
        metrics.OUTBOX_PENDING.labels(self.name).set(pending_docs)
        if published:
            self.last_error = None
        return published

    def _lease_next(self, coll) -> dict | None:
        now = _now()
        return coll.find_one_and_update(
            {
                "outbox": {"$elemMatch": {"pending": True}},
                "$or": [{"outbox_lease_until": None}, {"outbox_lease_until": {"$lt": now}}],
            },
            {"$set": {"outbox_lease_until": now + self.lease}},
            return_document=ReturnDocument.AFTER,
        )

    def _publish_document(self, coll, doc: dict) -> int:
        count = 0
        for entry in doc.get("outbox", []):
            if not entry.get("pending"):
                continue
            self.publisher.publish(entry["envelope"])
            self.mark_sent(coll, doc["_id"], entry["event_id"])
            count += 1
        return count

    def mark_sent(self, coll, doc_id: Any, event_id: str) -> None:
        coll.update_one(
            {"_id": doc_id, "outbox.event_id": event_id},
            {"$set": {"outbox.$.pending": False, "outbox.$.sent_at": _now()}},
        )

    def _release(self, coll, doc_id: Any) -> None:
        coll.update_one({"_id": doc_id}, {"$set": {"outbox_lease_until": None}})
        coll.update_one(
            {"_id": doc_id},
            {"$pull": {"outbox": {"pending": False, "sent_at": {"$lt": _now() - SENT_RETENTION}}}},
        )
