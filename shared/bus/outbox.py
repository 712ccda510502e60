"""The transactional outbox.

A state change and the events it raises are written together: the events are
appended to the ``outbox`` list of the very document that changed, so one
single-document write stores both (atomic on MongoDB and mongomock alike; no
multi-document transaction is needed). A relay then publishes each pending
entry with publisher confirms and marks it sent.

Once the broker has confirmed an event it is removed from the outbox. If the
process dies between the confirm and that removal, the relay publishes the
event again later: a repeat, never a loss.
Consumers skip the repeat through the idempotency ledger. On the in-process
bus, whose queues die with the process, the relay first writes the event to
the bus journal (:mod:`shared.bus.journal`), which keeps it until every
consumer has handled it.

Order is kept per document, not across documents.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from shared.bus.journal import Journal

log = get_logger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxEntry(EmbeddedDocument):  # type: ignore[misc]  # mongoengine is untyped
    event_id = StringField(required=True)
    event_type = StringField(required=True)
    envelope = DictField(required=True)
    pending = BooleanField(default=True, required=True)
    created_at = DateTimeField(required=True)


class OutboxDocument(Document):  # type: ignore[misc]  # mongoengine is untyped
    """Base for any document whose changes raise events."""

    meta: dict[str, Any] = {"abstract": True}

    outbox = ListField(EmbeddedDocumentField(OutboxEntry))
    outbox_lease_until = DateTimeField()

    def raise_event(self, payload: Any, *, producer: str) -> dict[str, Any]:
        """Queue an event (a payload of a catalogue type) to be published once this document is saved.

        The correlation id of the request or message being handled is carried
        over, and that message becomes the new event's cause.
        """
        envelope = new_envelope(
            payload,
            producer=producer,
            correlation_id=current("correlation_id"),
            causation_id=current("causation_id"),
        )
        self.outbox.append(
            OutboxEntry(
                event_id=envelope["event_id"],
                event_type=envelope["event_type"],
                envelope=envelope,
                pending=True,
                created_at=_now(),
            )
        )
        return envelope

    @classmethod
    def ensure_outbox_index(cls) -> None:
        cls._get_collection().create_index("outbox.pending", name="outbox_pending")


# Relays running in this process, told when an outbox document is saved.
_relays: weakref.WeakSet[OutboxRelay] = weakref.WeakSet()


def wake_relays() -> None:
    """Tell this process's relays that new events are waiting (after a raw outbox write)."""
    for relay in list(_relays):
        relay.wake()


def _on_saved(sender: object, document: object, **kwargs: Any) -> None:
    if not isinstance(document, OutboxDocument):
        return
    envelopes = [e.envelope for e in document.outbox if e.pending]
    if envelopes:
        for relay in list(_relays):
            relay.hint(type(document), document.pk, envelopes)


signals.post_save.connect(_on_saved)


def _oldest_pending(coll: Any, oldest: datetime | None) -> datetime | None:
    """The earlier of ``oldest`` and the creation time of the oldest pending entry in ``coll``."""
    for doc in coll.find(_PENDING, {"outbox": 1}):
        for entry in doc.get("outbox") or ():
            created = entry.get("created_at")
            if not entry.get("pending") or not isinstance(created, datetime):
                continue
            created = created if created.tzinfo else created.replace(tzinfo=UTC)
            oldest = created if oldest is None or created < oldest else oldest
    return oldest


class OutboxRelay:
    """Publishes pending outbox entries of the given document classes.

    A save in this process hands the relay the events it just stored, so the
    usual path costs one write per document: the relay publishes them and,
    once the broker has confirmed, removes them from the outbox. Every
    ``full_scan_interval`` seconds (and whenever it is woken without a hint)
    the relay also leases and relays any document with pending events: those
    saved by other processes, or left by a relay that died. If a sweep and a
    hint meet the same events, they are published twice: a repeat, which
    consumers skip, never a loss.
    """

    def __init__(
        self,
        publisher: Publisher,
        documents: Iterable[type[OutboxDocument]],
        *,
        name: str,
        interval: float = 0.5,
        full_scan_interval: float = 5.0,
        lease: timedelta = timedelta(seconds=30),
        journal: Journal | None = None,
        dead_letter_queues: Iterable[str] = (),
    ) -> None:
        self.publisher = publisher
        # The queues whose dead letters this relay counts for /metrics (its service's own).
        self.dead_letter_queues = list(dead_letter_queues)
        self.journal = journal
        self.documents = list(documents)
        self.name = name
        self.interval = interval
        self.full_scan_interval = full_scan_interval
        self.lease = lease
        self.last_error: str | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._hints: deque[tuple[type[OutboxDocument], Any, list[dict[str, Any]]]] = deque()
        self._last_full_scan = 0.0
        self._sweep = True  # woken without a hint: look everywhere
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
        self._sweep = True
        self._wake.set()

    def hint(self, cls: type[OutboxDocument], pk: Any, envelopes: list[dict[str, Any]]) -> None:
        if cls in self.documents:
            self._hints.append((cls, pk, envelopes))
            self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            full = self._sweep or time.monotonic() - self._last_full_scan >= self.full_scan_interval
            self._sweep = False
            try:
                self.run_once(full=full)
            except Exception as exc:  # noqa: BLE001 - keep relaying after a store hiccup
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("outbox.relay_error", relay=self.name)
            self._wake.wait(self.interval)

    # -- one pass ----------------------------------------------------------------

    def run_once(self, full: bool = True) -> int:
        """Publish what is pending; returns how many events were published.

        The hinted documents go first; ``full`` also sweeps every collection.
        """
        published = 0
        try:
            while self._hints:
                cls, pk, envelopes = self._hints.popleft()
                published += self._relay_hinted(cls._get_collection(), pk, envelopes)
            if full:
                self._last_full_scan = time.monotonic()
                pending_docs = 0
                oldest: datetime | None = None
                for cls in self.documents:
                    coll = cls._get_collection()
                    # The documents with pending events, then each leased by its id: one pass over
                    # them. (A lease on the pending query itself reads every pending document each
                    # time on the embedded store, so a backlog of n took n * n reads.)
                    for found in list(coll.find(_PENDING, {"_id": 1})):
                        published += self._relay(coll, self._lease({"_id": found["_id"], **_PENDING}, coll))
                    waiting = coll.count_documents(_PENDING)
                    pending_docs += waiting
                    if waiting:
                        oldest = _oldest_pending(coll, oldest)
                metrics.OUTBOX_PENDING.labels(self.name).set(pending_docs)
                age = (_now() - oldest).total_seconds() if oldest is not None else 0.0
                metrics.OUTBOX_OLDEST_PENDING.labels(self.name).set(max(age, 0.0))
                self._count_unroutable()
                self._count_dead_letters()
                if self.journal is not None:
                    self.journal.sweep()
        except PublishError as exc:
            self.last_error = str(exc)
            log.warning("outbox.publish_failed", relay=self.name, error=str(exc))
            return published
        if published:
            self.last_error = None
        return published

    def _count_dead_letters(self) -> None:
        for queue in self.dead_letter_queues:
            try:
                count = self.publisher.dead_letter_count(queue)
            except Exception:  # noqa: BLE001 - a count is not worth a failed pass
                continue
            metrics.DEAD_LETTER_MESSAGES.labels(queue).set(count)

    def _count_unroutable(self) -> None:
        try:
            count = self.publisher.unroutable_count()
        except Exception:  # noqa: BLE001 - a count is not worth a failed pass
            return
        metrics.UNROUTABLE.set(count)
        if count:
            log.error("bus.unroutable_events", count=count, see="python -m services.deadletters list")

    def _lease(self, query: dict[str, Any], coll: Any) -> dict[str, Any] | None:
        now = _now()
        leased: dict[str, Any] | None = coll.find_one_and_update(
            {
                **query,
                "$or": [{"outbox_lease_until": None}, {"outbox_lease_until": {"$lt": now}}],
            },
            {"$set": {"outbox_lease_until": now + self.lease}},
            return_document=ReturnDocument.AFTER,
        )
        return leased

    def _relay(self, coll: Any, doc: dict[str, Any] | None) -> int:
        if doc is None:
            return 0  # published already, or another relay holds it
        sent: list[dict[str, Any]] = []
        try:
            for entry in doc.get("outbox", []):
                if entry.get("pending"):
                    # Validated against the catalogue when it was raised.
                    self.publisher.publish(entry["envelope"], validate=False)
                    sent.append(entry["envelope"])
        finally:
            # Confirmed events leave the outbox and the lease ends, in one write.
            # A crash before it publishes them again later: a repeat, never a loss.
            self._journal(sent)
            self.mark_sent(coll, doc["_id"], [e["event_id"] for e in sent])
        return len(sent)

    def _relay_hinted(self, coll: Any, doc_id: Any, envelopes: list[dict[str, Any]]) -> int:
        sent: list[dict[str, Any]] = []
        try:
            for envelope in envelopes:
                self.publisher.publish(envelope, validate=False)
                sent.append(envelope)
        finally:
            if sent:
                self._journal(sent)
                self.mark_sent(coll, doc_id, [e["event_id"] for e in sent], release=False)
        return len(sent)

    def _journal(self, sent: list[dict[str, Any]]) -> None:
        # On the in-process bus, published events are journalled before they leave the outbox:
        # if this raises, they stay in the outbox and are published again later.
        if sent and self.journal is not None:
            self.journal.keep(sent)

    def mark_sent(self, coll: Any, doc_id: Any, event_ids: list[str], release: bool = True) -> None:
        """Remove confirmed events from the outbox (and end this relay's lease), in one write."""
        update: dict[str, Any] = {"$set": {"outbox_lease_until": None}} if release else {}
        if event_ids:
            update["$pull"] = {"outbox": {"event_id": {"$in": event_ids}}}
        if update:
            coll.update_one({"_id": doc_id}, update)


_PENDING = {"outbox": {"$elemMatch": {"pending": True}}}
