"""The shared bus against the real RabbitMQ on this machine.

These tests never skip: if the broker is down they fail (see conftest.broker_url).
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from mongoengine import StringField

from shared.bus import OutboxRelay, PermanentError, Publisher, Subscription, Worker
from shared.bus.deadletters import DeadLetters
from shared.bus.outbox import OutboxDocument
from shared.events import new_envelope
from shared.events.ops import BusCheckRequested
from tests.support import close_my_broker_connections, delete_topology, wait_for

pytestmark = pytest.mark.broker


def envelope(n: int | str = 1, **kwargs):
    return new_envelope(
        BusCheckRequested(check_id=str(n), requested_by="referral"), producer="referral", **kwargs
    )


class Recorder:
    """A handler that records each event it was called with (its effect)."""

    def __init__(self, fail_times: int = 0, permanent: bool = False):
        self.calls: list[str] = []
        self.fail_times = fail_times
        self.permanent = permanent
        self.lock = threading.Lock()

    def __call__(self, event):
        with self.lock:
            self.calls.append(event.event_id)
            if self.permanent:
                raise PermanentError("no such case")
            if len(self.calls) <= self.fail_times:
                raise ConnectionError("the store blinked")


@pytest.fixture
def bus(amqp_settings):
    """Start workers on the real broker; stop them and delete the namespace afterwards."""
    started: list[Worker] = []
    publishers: list[Publisher] = []

    class Bus:
        settings = amqp_settings

        def worker(self, *subscriptions: Subscription, name="test") -> Worker:
            w = Worker(amqp_settings, subscriptions, name=name)
            w.start()
            assert w.wait_until_consuming(10), w.last_error
            started.append(w)
            return w

        def publisher(self) -> Publisher:
            p = Publisher(amqp_settings)
            publishers.append(p)
            return p

    yield Bus()
    for w in started:
        w.stop()
    for p in publishers:
        p.close()
    consumers = [s.consumer for w in started for s in w.subscriptions]
    delete_topology(amqp_settings, consumers)


def dead_letters(settings, consumer):
    return DeadLetters(settings).list([f"{settings.BUS_NAMESPACE}.{consumer}"])


def test_published_events_are_handled_once_each(bus):
    handler = Recorder()
    bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    publisher = bus.publisher()
    sent = [envelope(n) for n in range(50)]
    for env in sent:
        publisher.publish(env)
    wait_for(lambda: len(handler.calls) >= 50)
    assert sorted(handler.calls) == sorted(e["event_id"] for e in sent)


def test_one_event_reaches_every_consuming_service(bus):
    handlers = {name: Recorder() for name in ("scheduler", "documents", "notifications")}
    for name, handler in handlers.items():
        bus.worker(Subscription(f"{name}.test", ("bus.check_requested",), handler), name=name)
    env = envelope()
    bus.publisher().publish(env)
    for handler in handlers.values():
        wait_for(lambda h=handler: h.calls)
        assert handler.calls == [env["event_id"]]


def test_a_repeated_event_has_its_effect_once(bus):
    handler = Recorder()
    worker = bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    publisher = bus.publisher()
    env = envelope()
    publisher.publish(env)
    publisher.publish(env)
    publisher.publish(envelope("after"))
    wait_for(lambda: len(handler.calls) >= 2)
    wait_for(lambda: worker.ledger.is_done("scheduler.test", env["event_id"]))
    assert Counter(handler.calls)[env["event_id"]] == 1


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"this is not json", "undecodable message"),
        (json.dumps({"event_type": "bus.check_requested"}).encode(), "envelope is invalid"),
        ("unknown-version", "unknown event_version 9"),
        ("bad-payload", "payload is invalid"),
    ],
)
def test_bad_messages_go_to_the_dead_letter_queue_and_consuming_goes_on(bus, body, reason):
    handler = Recorder()
    worker = bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    if body == "unknown-version":
        env = envelope()
        env["event_version"] = 9
        body = json.dumps(env).encode()
    elif body == "bad-payload":
        env = envelope()
        del env["data"]["check_id"]
        body = json.dumps(env).encode()
    publisher = bus.publisher()
    publisher.publish_raw(body, exchange=worker.topology.exchange, routing_key="bus.check_requested")
    good = envelope("good")
    publisher.publish(good)
    wait_for(lambda: handler.calls)
    assert handler.calls == [good["event_id"]]
    letters = wait_for(lambda: dead_letters(bus.settings, "scheduler.test"))
    assert len(letters) == 1
    assert reason in letters[0].reason


def test_transient_failures_are_retried_then_handled(bus):
    handler = Recorder(fail_times=2)
    bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    env = envelope()
    bus.publisher().publish(env)
    wait_for(lambda: len(handler.calls) == 3)
    assert dead_letters(bus.settings, "scheduler.test") == []


def test_a_handler_that_keeps_failing_is_dead_lettered_with_the_reason(bus):
    handler = Recorder(fail_times=100)
    bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    bus.publisher().publish(envelope())
    letters = wait_for(lambda: dead_letters(bus.settings, "scheduler.test"))
    assert len(handler.calls) == bus.settings.BUS_HANDLER_MAX_ATTEMPTS
    assert "handler failed after 3 attempts: ConnectionError: the store blinked" in letters[0].reason


def test_a_permanent_failure_is_dead_lettered_without_retrying(bus):
    handler = Recorder(permanent=True)
    bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    bus.publisher().publish(envelope())
    letters = wait_for(lambda: dead_letters(bus.settings, "scheduler.test"))
    assert len(handler.calls) == 1
    assert "refused by handler: no such case" in letters[0].reason


def test_dead_letters_are_listed_without_loss_and_replayed_to_their_queue(bus):
    handler = Recorder(permanent=True)
    worker = bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    other = Recorder()
    bus.worker(Subscription("documents.test", ("bus.check_requested",), other), name="documents")
    env = envelope()
    bus.publisher().publish(env)
    queue = f"{bus.settings.BUS_NAMESPACE}.scheduler.test"
    wait_for(lambda: dead_letters(bus.settings, "scheduler.test"))
    # Listing twice shows the same message: listing does not consume.
    assert [d.message_id for d in dead_letters(bus.settings, "scheduler.test")] == [env["event_id"]]
    handler.permanent = False  # the cause is mended
    replayed = DeadLetters(bus.settings).replay(queue)
    assert [d.message_id for d in replayed] == [env["event_id"]]
    wait_for(lambda: worker.ledger.is_done("scheduler.test", env["event_id"]))
    assert dead_letters(bus.settings, "scheduler.test") == []
    assert other.calls == [env["event_id"]]  # the replay went to the failed queue only


def test_quorum_queues_work_on_this_broker(amqp_settings):
    settings = amqp_settings.with_overrides(BUS_QUEUE_TYPE="quorum")
    handler = Recorder()
    worker = Worker(settings, [Subscription("scheduler.test", ("bus.check_requested",), handler)], name="q")
    worker.start()
    try:
        assert worker.wait_until_consuming(10), worker.last_error
        publisher = Publisher(settings)
        publisher.publish(envelope())
        wait_for(lambda: handler.calls)
        publisher.close()
    finally:
        worker.stop()
        delete_topology(settings, ["scheduler.test"])


class Job(OutboxDocument):
    meta = {"collection": "test_jobs"}
    name = StringField(required=True)


def test_broker_interruption_loses_nothing_and_duplicates_no_effect(bus):
    """Events go through the outbox; the broker drops our connections mid-stream, twice."""
    handler = Recorder()
    worker = bus.worker(Subscription("scheduler.test", ("bus.check_requested",), handler))
    relay = OutboxRelay(bus.publisher(), [Job], name="test", interval=0.05)
    relay.start()
    total = 300
    expected = []
    try:
        for n in range(total):
            job = Job(name=f"job {n}")
            expected.append(
                job.raise_event(
                    BusCheckRequested(check_id=str(n), requested_by="referral"), producer="referral"
                )["event_id"]
            )
            job.save()
            if n in (100, 200):
                assert close_my_broker_connections() >= 1
        wait_for(lambda: len(set(handler.calls)) >= total, timeout=60)
        wait_for(lambda: Job.objects(outbox__pending=True).count() == 0, timeout=30)
    finally:
        relay.stop()
    assert set(handler.calls) == set(expected)  # nothing lost
    assert len(handler.calls) == total, Counter(handler.calls).most_common(3)  # no effect twice
    assert worker.connected.is_set()  # the consumer came back by itself
