"""Benchmark: the shared bus against raw kombu on the same RabbitMQ.

Measures, for each system, in one run:

- latency: publish one message, wait until the handler has run, repeat; median
  and p99 over ``-n`` messages after a warm-up;
- throughput: publish ``-m`` messages back to back (each publish waits for its
  confirm), from the first publish to the last message handled.

The two systems use the same confirm and ack settings:

1. raw kombu: a Connection with ``confirm_publish``, a Producer publishing JSON
   persistent with ``confirm_timeout`` to a durable topic exchange and durable
   queue of its own, and a kombu Consumer (ConsumerMixin) in a thread with the
   same prefetch, acking each message after a trivial handler;
2. the shared bus: ``Publisher.publish(new_envelope(...))`` and a ``Worker`` with
   one ``Subscription``: envelope validation on both sides, the idempotency
   ledger (mongomock, the embedded default), metrics, acks.

Runs alternate (raw, bus, then bus, raw, ...) and the better figure of each
metric is kept, so drift on the machine does not favour one side. Each run has
its own namespace (uuid); its queues and exchanges are deleted afterwards.
The ledger collection is emptied before each bus run, so every run starts from
the same state (within a run it grows by warm-up + n + m documents).

Exit code is 0 (it is a report) unless ``--check`` is given and a target is
missed. ``--profile`` additionally profiles one bus run with cProfile (the
publishing thread and the worker thread separately) and prints the top
functions with their cost per message.

    PYTHONPATH=. .venv/bin/python bench/bus.py [--url URL] [-n 2000] [-m 5000] [--check]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.mixins import ConsumerMixin

from shared import logging as shared_logging
from shared import store
from shared.bus import Publisher, Subscription, Worker
from shared.bus.ledger import COLLECTION as LEDGER_COLLECTION
from shared.bus.topology import Topology
from shared.config import Settings, load_settings
from shared.events import new_envelope

DEFAULT_URL = os.environ.get("BUS_BENCH_URL", "amqp://guest:guest@localhost:5672//")
EVENT_TYPE = "bus.check_requested"
CONSUMER = "bench.check"  # "<service>.<purpose>"
WAIT_TIMEOUT = 30.0

# Targets: bus / raw.
LATENCY_RATIO_MAX = 1.3
THROUGHPUT_RATIO_MIN = 0.75


class BenchError(RuntimeError):
    pass


# -- what the handlers share with the publishing side ---------------------------------


class Tally:
    """Counts handled messages; wakes the publisher when ``target`` is reached.

    Only the consumer thread calls :meth:`hit`; the publishing thread sets the
    target and waits. ``done_at`` is taken in the consumer thread.
    """

    def __init__(self) -> None:
        self.count = 0
        self.target = 0
        self.done_at = 0.0
        self.done = threading.Event()

    def expect(self, more: int) -> None:
        self.done.clear()
        self.target = self.count + more

    def hit(self) -> None:
        self.count += 1
        if self.count >= self.target:
            self.done_at = time.perf_counter()
            self.done.set()

    def wait(self) -> None:
        """Wait for the target; give up only when nothing was handled for WAIT_TIMEOUT."""
        seen = self.count
        while not self.done.wait(WAIT_TIMEOUT):
            if self.count == seen:
                raise BenchError(
                    f"stalled: {self.count} of {self.target} messages handled, "
                    f"none in the last {WAIT_TIMEOUT}s"
                )
            seen = self.count


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds
    throughput: float = 0.0  # messages per second
    ledger_docs: int | None = None  # shared bus only: ledger size at the end of the run

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-len(ordered) * pct // 100))))
    return ordered[rank - 1]


def measure(send: Callable[[int], None], tally: Tally, *, warmup: int, n: int, m: int) -> Result:
    """Warm up, then latency over ``n`` messages, then throughput over ``m``."""
    result = Result()
    for i in range(warmup + n):
        tally.expect(1)
        started = time.perf_counter()
        send(i)
        tally.wait()
        elapsed = time.perf_counter() - started
        if i >= warmup:
            result.latencies.append(elapsed)
    tally.expect(m)
    started = time.perf_counter()
    for i in range(m):
        send(warmup + n + i)
    tally.wait()
    result.throughput = m / (tally.done_at - started)
    return result


# -- 1. raw kombu -----------------------------------------------------------------------


class RawConsumer(ConsumerMixin):
    def __init__(self, connection: Connection, queue: Queue, prefetch: int, tally: Tally):
        self.connection = connection
        self.queue = queue
        self.prefetch = prefetch
        self.tally = tally
        self.ready = threading.Event()

    def get_consumers(self, _Consumer, channel):
        return [
            Consumer(
                channel,
                queues=[self.queue],
                accept=["application/json"],
                callbacks=[self.on_message],
                prefetch_count=self.prefetch,
            )
        ]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self.ready.set()

    def on_message(self, body: Any, message) -> None:
        self.tally.hit()  # the trivial handler
        message.ack()


def run_raw(settings: Settings, *, warmup: int, n: int, m: int) -> Result:
    ns = f"bench-raw-{uuid.uuid4().hex[:12]}"
    exchange = Exchange(f"{ns}.events", type="topic", durable=True)
    queue = Queue(f"{ns}.{CONSUMER}", exchange=exchange, routing_key=EVENT_TYPE, durable=True)
    pub_conn = Connection(settings.BUS_URL, connect_timeout=5, transport_options={"confirm_publish": True})
    sub_conn = Connection(
        settings.BUS_URL,
        heartbeat=20,
        connect_timeout=5,
        transport_options={"confirm_publish": True},
    )
    tally = Tally()
    consumer = RawConsumer(sub_conn, queue, settings.BUS_PREFETCH, tally)
    thread = threading.Thread(target=consumer.run, name="bench-raw-consumer", daemon=True)
    try:
        channel = pub_conn.default_channel
        exchange(channel).declare()
        queue(channel).declare()
        thread.start()
        if not consumer.ready.wait(10):
            raise BenchError("raw consumer did not start consuming")
        producer = Producer(pub_conn, exchange=exchange, auto_declare=False)
        confirm_timeout = settings.BUS_CONFIRM_TIMEOUT

        def send(i: int) -> None:
            body = {
                "event_id": str(uuid.uuid4()),
                "event_type": EVENT_TYPE,
                "event_version": 1,
                "occurred_at": datetime.now(UTC).isoformat(),
                "producer": "bench",
                "correlation_id": None,
                "causation_id": None,
                "data": {"check_id": str(i), "requested_by": "bench"},
            }
            body["correlation_id"] = body["event_id"]
            producer.publish(
                body,
                routing_key=EVENT_TYPE,
                serializer="json",
                delivery_mode=2,
                confirm_timeout=confirm_timeout,
            )

        return measure(send, tally, warmup=warmup, n=n, m=m)
    finally:
        consumer.should_stop = True
        thread.join(10)
        try:
            channel = pub_conn.default_channel
            Queue(queue.name, channel=channel).delete()
            Exchange(exchange.name, channel=channel).delete()
        finally:
            pub_conn.release()
            sub_conn.release()


# -- 2. the shared bus -----------------------------------------------------------------


class ProfiledWorker(Worker):
    """A Worker whose consuming thread runs under cProfile (``--profile`` only)."""

    profile: cProfile.Profile | None = None

    def run(self, *args: Any, **kwargs: Any) -> None:
        self.profile = cProfile.Profile()
        self.profile.enable()
        try:
            super().run(*args, **kwargs)
        finally:
            self.profile.disable()


def bus_settings(url: str) -> Settings:
    return load_settings(
        APP_ENV="development",
        BUS_URL=url,
        BUS_NAMESPACE=f"bench-bus-{uuid.uuid4().hex[:12]}",
        LOG_LEVEL="WARNING",
        MONGODB_URI="",
    )


def delete_bus_topology(settings: Settings) -> None:
    topology = Topology(settings.BUS_NAMESPACE, settings.BUS_QUEUE_TYPE)
    queue = topology.queue_name(CONSUMER)
    with Connection(settings.BUS_URL, connect_timeout=5) as conn:
        channel = conn.default_channel
        for name in (queue, topology.dead_letter_queue_name(queue)):
            Queue(name, channel=channel).delete()
        for name in (topology.exchange.name, topology.dead_letter_exchange.name):
            Exchange(name, channel=channel).delete()


def run_bus(url: str, *, warmup: int, n: int, m: int, profile: cProfile.Profile | None = None):
    settings = bus_settings(url)
    store.database()[LEDGER_COLLECTION].drop()
    tally = Tally()

    def handler(event) -> None:
        tally.hit()

    subscription = Subscription(CONSUMER, (EVENT_TYPE,), handler)
    worker_cls = ProfiledWorker if profile is not None else Worker
    worker = worker_cls(settings, [subscription], name="bench")
    publisher = Publisher(settings)
    try:
        worker.start()
        if not worker.wait_until_consuming(10):
            raise BenchError(f"bus worker did not start consuming: {worker.last_error}")

        def send(i: int) -> None:
            # As the product does: the payload is validated once, when the event is
            # raised (new_envelope); the publisher then sends it as the outbox relay does.
            publisher.publish(
                new_envelope(EVENT_TYPE, {"check_id": str(i), "requested_by": "bench"}, producer="bench"),
                validate=False,
            )

        if profile is not None:
            profile.enable()
        try:
            result = measure(send, tally, warmup=warmup, n=n, m=m)
        finally:
            if profile is not None:
                profile.disable()
        result.ledger_docs = store.database()[LEDGER_COLLECTION].count_documents({})
        return result, worker
    finally:
        worker.stop()
        publisher.close()
        delete_bus_topology(settings)


# -- report ------------------------------------------------------------------------------


def print_table(raw: Summary, bus: Summary, runs: int) -> bool:
    rows = [
        ("latency median (ms)", raw.median * 1e3, bus.median * 1e3, "<=", LATENCY_RATIO_MAX),
        ("latency p99 (ms)", raw.p99 * 1e3, bus.p99 * 1e3, "<=", LATENCY_RATIO_MAX),
        ("throughput (msg/s)", raw.throughput, bus.throughput, ">=", THROUGHPUT_RATIO_MIN),
    ]
    ok = True
    print(f"\nbest of {runs} alternating run(s) per system")
    header = f"{'metric':<22} {'raw kombu':>11} {'shared bus':>11} {'ratio':>7}  {'target':<9} result"
    print(header)
    print("-" * len(header))
    for name, r, b, op, limit in rows:
        ratio = b / r
        passed = ratio <= limit if op == "<=" else ratio >= limit
        ok &= passed
        print(
            f"{name:<22} {r:>11.3f} {b:>11.3f} {ratio:>7.2f}  {op} {limit:<6} {'PASS' if passed else 'FAIL'}"
        )
    return ok


@dataclass
class Summary:
    median: float
    p99: float
    throughput: float


def summarise(results: list[Result]) -> Summary:
    """The better figure of each metric over the runs."""
    return Summary(
        median=min(r.median for r in results),
        p99=min(r.p99 for r in results),
        throughput=max(r.throughput for r in results),
    )


def describe(label: str, r: Result) -> str:
    line = (
        f"  {label:<10} median {r.median * 1e3:8.3f} ms   p99 {r.p99 * 1e3:8.3f} ms   "
        f"throughput {r.throughput:8.1f} msg/s"
    )
    if r.ledger_docs is not None:
        line += f"   (ledger: {r.ledger_docs} documents at the end)"
    return line


def print_profile(title: str, prof: cProfile.Profile, messages: int, limit: int = 25) -> None:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    print(f"\n== {title}: top {limit} by cumulative time, per message over {messages} messages ==")
    print(f"{'cum us/msg':>11} {'self us/msg':>12} {'calls/msg':>10}  function")
    entries = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        entries.append((ct, tt, nc, f"{func} ({_short(filename)}:{line})"))
    entries.sort(reverse=True)
    for ct, tt, nc, name in entries[:limit]:
        print(_profile_row(ct, tt, nc, name, messages))
    entries.sort(key=lambda e: e[1], reverse=True)
    print(f"-- top {limit} by own (self) time --")
    for ct, tt, nc, name in entries[:limit]:
        print(_profile_row(ct, tt, nc, name, messages))


def _profile_row(ct: float, tt: float, nc: int, name: str, messages: int) -> str:
    per = 1e6 / messages
    return f"{ct * per:>11.1f} {tt * per:>12.1f} {nc / messages:>10.2f}  {name}"


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="AMQP URL of the RabbitMQ to use")
    parser.add_argument("-n", type=int, default=2000, help="messages for the latency run")
    parser.add_argument("-m", type=int, default=5000, help="messages for the throughput run")
    parser.add_argument("--warmup", type=int, default=200, help="warm-up messages before latency")
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs per system")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--profile", action="store_true", help="also profile one bus run")
    args = parser.parse_args(argv)
    if not args.url.startswith(("amqp://", "amqps://", "pyamqp://")):
        parser.error("--url must be an AMQP URL: the baseline is raw kombu on RabbitMQ")

    shared_logging.configure("WARNING")
    logging.getLogger().setLevel(logging.WARNING)
    settings = bus_settings(args.url)
    store.connect(settings)

    print(
        f"bus benchmark on {Connection(args.url).as_uri()}: warm-up {args.warmup}, "
        f"latency n={args.n}, throughput m={args.m}, prefetch {settings.BUS_PREFETCH}, "
        f"confirm_timeout {settings.BUS_CONFIRM_TIMEOUT}s, {args.rounds} round(s)"
    )
    sizes = dict(warmup=args.warmup, n=args.n, m=args.m)
    raw_results: list[Result] = []
    bus_results: list[Result] = []
    for rnd in range(args.rounds):
        order = ("raw", "bus") if rnd % 2 == 0 else ("bus", "raw")
        for system in order:
            if system == "raw":
                r = run_raw(settings, **sizes)
                raw_results.append(r)
                print(describe(f"raw #{rnd + 1}", r), flush=True)
            else:
                r, _ = run_bus(args.url, **sizes)
                bus_results.append(r)
                print(describe(f"bus #{rnd + 1}", r), flush=True)

    ok = print_table(summarise(raw_results), summarise(bus_results), args.rounds)

    if args.profile:
        pub_prof = cProfile.Profile()
        _, worker = run_bus(args.url, profile=pub_prof, **sizes)
        total = args.warmup + args.n + args.m
        print_profile("publishing thread (new_envelope + Publisher.publish)", pub_prof, total)
        if worker.profile is not None:
            print_profile("worker thread (Worker)", worker.profile, total)

    if args.check and not ok:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
