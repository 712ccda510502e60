"""The store and the outbox on mongomock, on the embedded store in a folder, and on a real MongoDB.

Set MONGODB_URI to run these against a MongoDB server; where a Docker engine
runs, testcontainers starts one. Neither exists on the development machine,
where the real-MongoDB third is skipped with that reason.
"""

from __future__ import annotations

import os
import uuid

import pytest
from mongoengine import StringField

from shared import store
from shared.bus import Claim, Ledger, OutboxRelay, PublishError
from shared.bus.outbox import _PENDING, OutboxDocument
from shared.config import load_settings
from shared.events import parse_envelope
from shared.events.ops import BusCheckRequested


def _docker_engine() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(params=["mongomock", "embedded", "mongodb"])
def backend(request, tmp_path):
    if request.param == "mongomock":
        yield "mongomock"
        return
    if request.param == "embedded":
        from shared.embedded_store import forget

        store.disconnect()
        store.connect(load_settings(APP_ENV="test", EMBEDDED_STORE_DIR=str(tmp_path / "var")))
        try:
            yield "embedded"
        finally:
            store.disconnect()
            forget(tmp_path / "var")
            store.connect(load_settings(APP_ENV="test", MONGODB_URI=""))
        return
    uri = os.environ.get("MONGODB_URI")
    container = None
    if not uri:
        if not _docker_engine():
            pytest.skip("real MongoDB: MONGODB_URI is unset and no Docker engine is running")
        from testcontainers.mongodb import MongoDbContainer

        container = MongoDbContainer("mongo:7").start()
        uri = container.get_connection_url()
    db = f"lscb_test_{uuid.uuid4().hex[:8]}"
    store.disconnect()
    store.connect(load_settings(APP_ENV="test", MONGODB_URI=uri, MONGODB_DB=db))
    try:
        yield "mongodb"
    finally:
        store.database().client.drop_database(store.database().name)
        store.disconnect()
        store.connect(load_settings(APP_ENV="test", MONGODB_URI=""))
        if container is not None:
            container.stop()


class Widget(OutboxDocument):
    meta = {"collection": "test_widgets"}
    name = StringField(required=True)


class FakePublisher:
    """Records what it publishes; can fail on demand."""

    def __init__(self):
        self.published: list[dict] = []
        self.fail = False

    def publish(self, envelope, validate=True):
        if self.fail:
            raise PublishError("broker unreachable")
        parse_envelope(envelope)
        self.published.append(envelope)


def make_widget(n=1) -> Widget:
    w = Widget(name=f"w{n}")
    w.raise_event(BusCheckRequested(check_id=f"c{n}", requested_by="referral"), producer="referral")
    return w


def test_state_and_events_are_stored_in_one_write(backend):
    w = make_widget()
    w.save()
    raw = Widget._get_collection().find_one({"_id": w.id})
    assert raw["name"] == "w1"
    assert [e["pending"] for e in raw["outbox"]] == [True]
    assert raw["outbox"][0]["envelope"]["event_type"] == "bus.check_requested"


def test_relay_publishes_pending_events_once_and_marks_them_sent(backend):
    publisher = FakePublisher()
    relay = OutboxRelay(publisher, [Widget], name="test")
    for n in range(3):
        make_widget(n).save()
    assert relay.run_once() == 3
    assert relay.run_once() == 0
    assert len(publisher.published) == 3
    for raw in Widget._get_collection().find():
        assert raw["outbox"] == [] and raw.get("outbox_lease_until") is None  # sent, lease ended


def test_events_stay_pending_while_the_broker_is_down(backend):
    publisher = FakePublisher()
    publisher.fail = True
    relay = OutboxRelay(publisher, [Widget], name="test")
    make_widget().save()
    assert relay.run_once() == 0
    assert relay.last_error
    raw = Widget._get_collection().find_one()
    assert [e["pending"] for e in raw["outbox"]] == [True]  # kept, and the lease ended
    assert raw.get("outbox_lease_until") is None
    publisher.fail = False
    assert relay.run_once() == 1


def test_a_crash_between_publish_and_mark_repeats_never_loses(backend):
    publisher = FakePublisher()
    relay = OutboxRelay(publisher, [Widget], name="test")
    from datetime import timedelta

    relay.lease = timedelta(seconds=-1)  # a crashed relay's lease has run out
    make_widget().save()
    original = relay.mark_sent

    def crash(*args, **kwargs):
        raise RuntimeError("process died before marking")

    relay.mark_sent = crash
    with pytest.raises(RuntimeError):
        relay.run_once()
    relay.mark_sent = original
    assert relay.run_once() == 1
    ids = [e["event_id"] for e in publisher.published]
    assert len(ids) == 2 and len(set(ids)) == 1  # the same event twice: a repeat


def test_a_leased_document_is_left_to_its_relay(backend):
    publisher = FakePublisher()
    first = OutboxRelay(publisher, [Widget], name="a")
    second = OutboxRelay(publisher, [Widget], name="b")
    make_widget().save()
    second._hints.clear()  # as if the save happened in another process
    doc = first._lease(_PENDING, Widget._get_collection())
    assert doc is not None
    assert second.run_once(full=True) == 0  # another relay holds the lease


def test_a_save_hands_its_events_to_the_relay_without_a_sweep(backend):
    publisher = FakePublisher()
    relay = OutboxRelay(publisher, [Widget], name="test")
    make_widget(1).save()
    make_widget(2).save()
    assert relay.run_once(full=False) == 2  # from the hints alone
    assert [e["data"]["check_id"] for e in publisher.published] == ["c1", "c2"]
    assert all(raw["outbox"] == [] for raw in Widget._get_collection().find())
    assert relay.run_once(full=True) == 0


def test_ledger_claims_once_per_consumer(backend):
    ledger = Ledger()
    assert ledger.claim("scheduler.deadlines", "e1") is Claim.CLAIMED
    assert ledger.claim("scheduler.deadlines", "e1") is Claim.BUSY
    assert ledger.claim("documents.generate", "e1") is Claim.CLAIMED
    ledger.complete("scheduler.deadlines", "e1")
    assert ledger.claim("scheduler.deadlines", "e1") is Claim.DONE


def test_a_released_claim_can_be_claimed_again(backend):
    ledger = Ledger()
    ledger.claim("c", "e1")
    ledger.release("c", "e1")
    assert ledger.claim("c", "e1") is Claim.CLAIMED


def test_a_stale_claim_is_taken_over(backend):
    from datetime import timedelta

    ledger = Ledger(lease=timedelta(seconds=-1))  # every claim is already stale
    assert ledger.claim("c", "e1") is Claim.CLAIMED
    assert ledger.claim("c", "e1") is Claim.CLAIMED


def test_store_ping(backend):
    store.ping()


def test_the_in_memory_ledger_keeps_the_same_claims():
    from datetime import timedelta

    from shared.bus import MemoryLedger

    ledger = MemoryLedger()
    assert ledger.claim("scheduler.deadlines", "e1") is Claim.CLAIMED
    assert ledger.claim("scheduler.deadlines", "e1") is Claim.BUSY
    assert ledger.claim("documents.generate", "e1") is Claim.CLAIMED
    ledger.release("documents.generate", "e1")
    assert ledger.claim("documents.generate", "e1") is Claim.CLAIMED
    ledger.complete("scheduler.deadlines", "e1")
    assert ledger.claim("scheduler.deadlines", "e1") is Claim.DONE
    assert ledger.is_done("scheduler.deadlines", "e1")
    stale = MemoryLedger(lease=timedelta(seconds=-1))
    assert stale.claim("c", "e") is Claim.CLAIMED and stale.claim("c", "e") is Claim.CLAIMED


def test_the_ledger_follows_the_store():
    from shared.bus import Ledger, MemoryLedger, ledger_for

    assert isinstance(ledger_for(load_settings(APP_ENV="test", MONGODB_URI="")), MemoryLedger)
    # The embedded store in a folder outlives the process, and so must the record of what was handled.
    assert isinstance(ledger_for(load_settings(APP_ENV="test", EMBEDDED_STORE_DIR="var")), Ledger)
    real = load_settings(APP_ENV="test", MONGODB_URI="mongodb://db.example.org:27017/lscb")
    assert isinstance(ledger_for(real), Ledger)


def test_the_ledger_says_which_of_many_events_a_consumer_has_handled(backend):
    from shared.bus import MemoryLedger

    for ledger in (Ledger(), MemoryLedger()):
        events = [f"e{i}" for i in range(2300)]  # more than one query's worth
        for i, event_id in enumerate(events):
            ledger.claim("scheduler.deadlines", event_id)
            if i % 3 == 0:
                ledger.complete("scheduler.deadlines", event_id)
        ledger.claim("documents.generate", "e1")
        ledger.complete("documents.generate", "e1")  # another consumer's is not this one's
        done = ledger.done_among("scheduler.deadlines", events + ["unknown"])
        assert done == {e for i, e in enumerate(events) if i % 3 == 0}
        assert ledger.done_among("documents.generate", events) == {"e1"}
        assert ledger.done_among("scheduler.deadlines", []) == set()
