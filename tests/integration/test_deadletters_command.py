"""The dead-letter command, run as an operator would, against the real broker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from services.deadletters import consumers
from services.scheduler.bootstrap import bootstrap
from tests.support import delete_topology, wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.broker
QUEUE = "scheduler.bus-check-requests"  # the scheduler's consumer the messages below are sent to


def command(settings, *args: str) -> str:
    env = {
        **os.environ,
        "BUS_URL": settings.BUS_URL,
        "BUS_NAMESPACE": settings.BUS_NAMESPACE,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "services.deadletters", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def running_scheduler(settings) -> Iterator[Any]:
    """The scheduler, consuming; the service's queues are deleted afterwards."""
    service = bootstrap(settings).start()
    try:
        assert service.runtime.worker.wait_until_consuming(10)
        yield service
    finally:
        service.stop()
        delete_topology(settings, consumers())


def send_undecodable(service, body: bytes, message_id: str, headers: dict | None = None) -> None:
    """A message the scheduler's bus-check consumer cannot decode, so it dead-letters it."""
    service.runtime.publisher.publish_raw(
        body,
        exchange=service.runtime.worker.topology.exchange,
        routing_key="bus.check_requested",
        headers=headers,
        message_id=message_id,
    )


def test_list_and_replay_a_dead_letter_of_a_running_service(amqp_settings):
    with running_scheduler(amqp_settings) as service:
        send_undecodable(service, b"{not json", "m-1")

        def listed():
            items = json.loads(command(amqp_settings, "list", "--json"))
            return items if items else None

        items = wait_for(listed, timeout=20)
        assert [(i["queue"], i["message_id"]) for i in items] == [
            (f"{amqp_settings.BUS_NAMESPACE}.{QUEUE}", "m-1")
        ]
        assert "undecodable message" in items[0]["reason"]
        assert "m-1" in command(amqp_settings, "list", "--queue", QUEUE)

        out = command(amqp_settings, "replay", QUEUE, "--id", "m-1")
        assert out.startswith("replayed 1 message(s)")
        # Still not JSON: the consumer refuses it again, and it is kept again, not lost.
        again = wait_for(listed, timeout=20)
        assert [i["message_id"] for i in again] == ["m-1"]


def test_every_service_consumer_is_known_to_the_command(settings):
    from services.embedded import bootstrap_all

    running = {s.consumer for svc in bootstrap_all(settings) for s in svc.runtime.subscriptions}
    assert set(consumers()) == running


def test_a_message_kombu_cannot_decompress_is_listed_raw_and_replayed_byte_for_byte(amqp_settings):
    with running_scheduler(amqp_settings) as service:
        # A body no decoder can open, under a compression kombu does not know: the consumer
        # keeps it in the dead-letter queue, and the command must not stop at it.
        send_undecodable(
            service, b"\x00\xffnot what it claims", "bad-1", headers={"compression": "application/x-unknown"}
        )
        send_undecodable(service, b"{also not json", "bad-2")

        def both_listed():
            items = json.loads(command(amqp_settings, "list", "--json", "--queue", QUEUE))
            return items if len(items) == 2 else None

        items = {i["message_id"]: i for i in wait_for(both_listed, timeout=20)}
        assert items["bad-1"]["body"].startswith("raw bytes: ")
        assert "not what it claims" in items["bad-1"]["body"]
        assert items["bad-2"]["body"] == "{also not json"
        out = command(amqp_settings, "replay", QUEUE)
        assert out.startswith("replayed 2 message(s)")
        again = wait_for(both_listed, timeout=20)  # refused again, and kept again
        assert {i["message_id"] for i in again} == {"bad-1", "bad-2"}


def test_an_event_no_queue_is_bound_to_is_kept_listed_and_replayed_once_someone_listens(amqp_settings):
    from shared.bus import Publisher, Subscription, Worker
    from shared.events import new_envelope
    from shared.events.ops import BusCheckRequested

    publisher = Publisher(amqp_settings)
    envelope = new_envelope(BusCheckRequested(check_id="c-1", requested_by="referral"), producer="referral")
    try:
        publisher.publish(envelope)  # nobody consumes bus.check_requested in this namespace yet
        items = json.loads(command(amqp_settings, "list", "--json", "--queue", "unroutable"))
        assert [(i["message_id"], i["event_type"]) for i in items] == [
            (envelope["event_id"], "bus.check_requested")
        ]
        assert "no queue was bound to 'bus.check_requested'" in items[0]["reason"]
        assert publisher.unroutable_count() == 1

        received = []
        worker = Worker(
            amqp_settings,
            [Subscription("scheduler.late", ("bus.check_requested",), received.append)],
            name="late",
        )
        worker.start()
        try:
            assert worker.wait_until_consuming(10)
            out = command(amqp_settings, "replay", "unroutable")
            assert out.startswith("replayed 1 message(s)")
            wait_for(lambda: received, timeout=20)
            assert received[0].event_id == envelope["event_id"]
            assert publisher.unroutable_count() == 0
        finally:
            worker.stop()
    finally:
        publisher.close()
        delete_topology(amqp_settings, ["scheduler.late"])
