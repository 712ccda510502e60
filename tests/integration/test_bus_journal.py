"""The in-process bus's journal on the embedded store: kept until handled, handed out again at start."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from mongoengine import StringField

from shared import store
from shared.bus import Ledger, OutboxRelay, Subscription
from shared.bus.journal import COLLECTION, Journal
from shared.bus.outbox import OutboxDocument
from shared.bus.topology import Topology
from shared.config import load_settings
from shared.embedded_store import forget
from shared.events.ops import BusCheckRequested


@pytest.fixture
def folder_store(tmp_path):
    store.disconnect()
    store.connect(load_settings(APP_ENV="test", EMBEDDED_STORE_DIR=str(tmp_path / "var")))
    yield
    store.disconnect()
    forget(tmp_path / "var")
    store.connect(load_settings(APP_ENV="test", MONGODB_URI=""))


class Thing(OutboxDocument):
    meta = {"collection": "test_journal_things"}
    name = StringField(required=True)


class Publisher:
    def __init__(self):
        self.published: list[dict] = []
        self.raw: list[tuple[str, dict]] = []

    def publish(self, envelope, validate=True):
        self.published.append(envelope)

    def publish_raw(self, body, *, exchange, routing_key, **kwargs):
        assert exchange == ""  # straight to one queue
        self.raw.append((routing_key, json.loads(body)))


def noop(event):
    return None


DEADLINES = Subscription("scheduler.deadlines", ("bus.check_requested",), noop)
DOCUMENTS = Subscription("documents.generate", ("bus.check_requested",), noop)


def raise_one(n: int) -> str:
    thing = Thing(name=f"t{n}")
    envelope = thing.raise_event(
        BusCheckRequested(check_id=f"c{n}", requested_by="referral"), producer="referral"
    )
    thing.save()
    return envelope["event_id"]


def test_a_published_event_stays_journalled_until_every_consumer_has_handled_it(folder_store):
    ledger = Ledger()
    journal = Journal(ledger)
    journal.register([DEADLINES, DOCUMENTS])
    relay = OutboxRelay(Publisher(), [Thing], name="test", journal=journal)
    event_id = raise_one(1)
    assert relay.run_once() == 1
    assert Thing._get_collection().find_one()["outbox"] == []  # left the outbox...
    assert store.database()[COLLECTION].find_one({"_id": event_id})  # ...for the journal
    ledger.claim(DEADLINES.consumer, event_id)
    ledger.complete(DEADLINES.consumer, event_id)
    assert journal.sweep(force=True) == 0  # documents has not handled it yet
    ledger.claim(DOCUMENTS.consumer, event_id)
    ledger.complete(DOCUMENTS.consumer, event_id)
    assert journal.sweep(force=True) == 1
    assert store.database()[COLLECTION].count_documents({}) == 0


def test_a_sweep_that_took_long_puts_the_next_one_off_by_twenty_times_as_long(folder_store, monkeypatch):
    from shared.bus import journal as journal_module

    clock = {"now": 1000.0}
    monkeypatch.setattr(journal_module.time, "monotonic", lambda: clock["now"])
    journal = Journal(Ledger())
    journal.register([DEADLINES])
    relay = OutboxRelay(Publisher(), [Thing], name="test", journal=journal)
    swept = journal._sweep

    def slow_sweep():
        clock["now"] += 2.0  # a big journal: two seconds to read
        return swept()

    monkeypatch.setattr(journal, "_sweep", slow_sweep)
    raise_one(1)
    relay.run_once(full=False)
    journal.ledger.claim(DEADLINES.consumer, relay.publisher.published[0]["event_id"])
    journal.ledger.complete(DEADLINES.consumer, relay.publisher.published[0]["event_id"])
    assert journal.sweep() == 1  # the first one runs: 2 s
    raise_one(2)
    relay.run_once(full=False)
    event_id = relay.publisher.published[1]["event_id"]
    journal.ledger.claim(DEADLINES.consumer, event_id)
    journal.ledger.complete(DEADLINES.consumer, event_id)
    clock["now"] += 10.0  # past the usual 5 s, short of 20 x 2 s from the last start
    assert journal.sweep() == 0
    clock["now"] += 28.5  # 40.5 s after the last one started
    assert journal.sweep() == 1
    clock["now"] += 1.0
    assert journal.sweep(force=True) == 0  # forced, it runs at once (nothing left)


def test_at_start_each_consumer_gets_what_it_had_not_finished_and_claims_of_the_dead_are_released(
    folder_store,
):
    ledger = Ledger()
    before = Journal(ledger)
    handled, half_done, untouched = (f"e{n}" for n in range(3))
    before.keep(
        [
            {"event_id": e, "event_type": "bus.check_requested", "correlation_id": "c", "data": {}}
            for e in (handled, half_done, untouched)
        ]
    )
    for e in (handled,):
        ledger.claim(DEADLINES.consumer, e)
        ledger.complete(DEADLINES.consumer, e)
    ledger.claim(DEADLINES.consumer, half_done)  # its process died while handling it
    ledger.collection.update_one(
        {"event_id": half_done}, {"$set": {"claimed_at": datetime.now(UTC) - timedelta(minutes=5)}}
    )

    after = Journal(ledger)  # the next process
    publisher = Publisher()
    assert after.redeliver([DEADLINES], publisher, Topology("lscb")) == 2
    assert publisher.raw == [
        ("lscb.scheduler.deadlines", {**entry, "event_id": e})
        for e, entry in (
            (half_done, {"event_type": "bus.check_requested", "correlation_id": "c", "data": {}}),
            (untouched, {"event_type": "bus.check_requested", "correlation_id": "c", "data": {}}),
        )
    ]
    assert ledger.claim(DEADLINES.consumer, half_done).value == "claimed"  # the dead process's claim went


def test_a_sweep_removes_finished_events_a_hundred_at_a_time(folder_store, monkeypatch):
    journal = Journal(Ledger())
    journal.register([DEADLINES])
    relay = OutboxRelay(Publisher(), [Thing], name="test", journal=journal)
    for n in range(250):
        raise_one(n)
    relay.run_once(full=False)
    for envelope in relay.publisher.published:
        journal.ledger.claim(DEADLINES.consumer, envelope["event_id"])
        journal.ledger.complete(DEADLINES.consumer, envelope["event_id"])
    deleted: list[int] = []
    coll = store.database()[COLLECTION]
    delete_many = type(coll).delete_many

    def counted(self, filter, *args, **kwargs):
        deleted.append(len(filter["_id"]["$in"]))
        return delete_many(self, filter, *args, **kwargs)

    monkeypatch.setattr(type(coll), "delete_many", counted)
    assert journal.sweep(force=True) == 250
    assert deleted == [100, 100, 50] and coll.count_documents({}) == 0
