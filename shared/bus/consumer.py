"""Consuming events: validated, idempotent, acknowledged only after success.

A :class:`Subscription` names a consumer (``<service>.<purpose>``), the event
types it wants and its handler. A :class:`Worker` consumes every subscription
of one service on one connection and never dies on a bad message:

- a body that is not JSON, an envelope with missing fields, or an unknown event
  type or version goes straight to the dead-letter queue with the reason;
- an event this consumer already handled is acknowledged and skipped;
- a handler that raises :class:`PermanentError` is dead-lettered at once; any
  other exception is retried a bounded number of times with backoff, then
  dead-lettered with the reason;
- the message is acknowledged only after the handler succeeded and the ledger
  recorded it. If the dead-letter publish itself fails, the message is not
  acknowledged, so the broker redelivers it: nothing is lost.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kombu.connection import Connection
from kombu.message import Message
from kombu.messaging import Consumer
from kombu.mixins import ConsumerMixin
from prometheus_client import Counter, Histogram

from shared import foreground, metrics, tracing
from shared.bus.connection import make_connection
from shared.bus.ledger import Claim, Ledger, MemoryLedger, ledger_for
from shared.bus.publisher import Publisher
from shared.bus.topology import Topology
from shared.config import Settings
from shared.events import Event, InvalidEvent, parse_envelope
from shared.logging import bound, get_logger

log = get_logger(__name__)

Handler = Callable[[Event[Any]], None]


@functools.lru_cache(maxsize=1024)
def _handled(consumer: str, event_type: str, outcome: str) -> Counter:
    """The metric's child for these labels, looked up once (on every message it adds up)."""
    return metrics.EVENTS_HANDLED.labels(consumer, event_type, outcome)


@functools.lru_cache(maxsize=256)
def _handler_seconds(consumer: str) -> Histogram:
    return metrics.HANDLER_SECONDS.labels(consumer)


class PermanentError(Exception):
    """Raised by a handler when retrying cannot help (for example, an unknown case)."""


@dataclass(frozen=True)
class Subscription:
    consumer: str  # "<service>.<purpose>", unique across the product
    event_types: tuple[str, ...]
    handler: Handler = field(compare=False)

    @property
    def service(self) -> str:
        return self.consumer.split(".", 1)[0]


# Headers a dead-lettered message carries.
REASON = "x-lscb-dead-letter-reason"
QUEUE = "x-lscb-original-queue"
ROUTING_KEY = "x-lscb-original-routing-key"
AT = "x-lscb-dead-lettered-at"


class Worker(ConsumerMixin):
    """Consumes every subscription of one service. Run it in a thread with :meth:`start`."""

    def __init__(
        self,
        settings: Settings,
        subscriptions: Iterable[Subscription],
        *,
        name: str,
        ledger: Ledger | MemoryLedger | None = None,
        topology: Topology | None = None,
    ) -> None:
        self.settings = settings
        self.name = name
        self.subscriptions = list(subscriptions)
        self.topology = topology or Topology(settings.BUS_NAMESPACE, settings.BUS_QUEUE_TYPE)
        self.ledger = ledger or ledger_for(settings)
        self.connection: Connection = make_connection(settings, heartbeat=20)
        self.dead_letters = Publisher(settings, self.topology)
        self.connected = threading.Event()
        self.last_error: str | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.run, name=f"bus-worker-{self.name}", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 5.0) -> None:
        self.should_stop = True
        if self._thread is not None:
            self._thread.join(timeout)
        self.dead_letters.close()

    def wait_until_consuming(self, timeout: float = 10.0) -> bool:
        return self.connected.wait(timeout)

    def run(self, _tokens: int = 1, **kwargs: Any) -> None:
        # ConsumerMixin.run survives connection errors only; survive the rest too.
        while not self.should_stop:
            try:
                super().run(_tokens, **kwargs)  # type: ignore[no-untyped-call]
            except Exception as exc:  # noqa: BLE001 - the loop must not die
                self._mark_down(exc)
                log.exception("bus.worker_error", worker=self.name)
                time.sleep(1.0)

    # -- ConsumerMixin hooks --------------------------------------------------------

    def get_consumers(self, _Consumer: Callable[..., Consumer], channel: Any) -> list[Consumer]:
        consumers = []
        for sub in self.subscriptions:
            queue = self.topology.queue(sub.consumer, sub.event_types)
            dlq = self.topology.dead_letter_queue(queue.name)
            dlq(channel).declare()  # type: ignore[no-untyped-call]
            consumers.append(
                Consumer(  # type: ignore[no-untyped-call]
                    channel,
                    queues=[queue],
                    accept=["application/json"],
                    callbacks=[self._callback(sub, queue.name)],
                    on_decode_error=self._decode_error_handler(sub, queue.name),
                    prefetch_count=self.settings.BUS_PREFETCH,
                )
            )
        return consumers

    def on_consume_ready(
        self, connection: Connection, channel: Any, consumers: list[Consumer], **kwargs: Any
    ) -> None:
        self.connected.set()
        self.last_error = None
        metrics.BUS_CONNECTED.labels(self.name).set(1)
        log.info("bus.consuming", worker=self.name, queues=[s.consumer for s in self.subscriptions])

    def on_consume_end(self, connection: Connection, channel: Any) -> None:
        self._mark_down(None)

    def on_connection_error(self, exc: Exception, interval: float) -> None:
        self._mark_down(exc)
        log.warning(
            "bus.unreachable",
            worker=self.name,
            url=self.connection.as_uri(),
            error=str(exc),
            retry_in=interval,
        )

    def _mark_down(self, exc: Exception | None) -> None:
        self.connected.clear()
        if exc is not None:
            self.last_error = f"{type(exc).__name__}: {exc}"
        metrics.BUS_CONNECTED.labels(self.name).set(0)

    # -- message handling -----------------------------------------------------------

    def _decode_error_handler(
        self, sub: Subscription, queue_name: str
    ) -> Callable[[Message, Exception], None]:
        def on_decode_error(message: Message, exc: Exception) -> None:
            # kombu's default acknowledges and drops the message; keep it instead.
            self._dead_letter(message, sub, queue_name, f"undecodable message: {exc}")

        return on_decode_error

    def _callback(self, sub: Subscription, queue_name: str) -> Callable[[Any, Message], None]:
        def on_message(body: Any, message: Message) -> None:
            foreground.wait()  # the requests being answered first
            self.handle(sub, queue_name, body, message)

        return on_message

    def handle(self, sub: Subscription, queue_name: str, body: Any, message: Message) -> None:
        try:
            event = parse_envelope(body)
        except InvalidEvent as exc:
            detail = json.dumps(exc.errors, sort_keys=True) if exc.errors else ""
            self._dead_letter(message, sub, queue_name, f"invalid event: {exc.reason} {detail}".strip())
            return
        if event.event_type not in sub.event_types:
            self._dead_letter(message, sub, queue_name, f"{sub.consumer} does not handle {event.event_type}")
            return

        with bound(
            correlation_id=event.correlation_id,
            causation_id=event.event_id,
            event_type=event.event_type,
            consumer=sub.consumer,
        ):
            claim = self.ledger.claim(sub.consumer, event.event_id)
            if claim is Claim.DONE:
                metrics.EVENTS_HANDLED.labels(sub.consumer, event.event_type, "duplicate").inc()
                log.info("bus.duplicate_skipped", event_id=event.event_id)
                message.ack()  # type: ignore[no-untyped-call]
                return
            if claim is Claim.BUSY:
                # Another delivery of this event is being handled; look again shortly.
                time.sleep(0.2)
                message.requeue()  # type: ignore[no-untyped-call]
                return
            # The handler's span continues the trace of whatever raised the event (shared/tracing.py).
            with tracing.consuming(
                event.raw.get("traceparent"), sub.service, f"{sub.consumer} {event.event_type}"
            ):
                self._run_handler(sub, queue_name, event, message)

    def _run_handler(self, sub: Subscription, queue_name: str, event: Event[Any], message: Message) -> None:
        max_attempts = max(1, self.settings.BUS_HANDLER_MAX_ATTEMPTS)
        for attempt in range(1, max_attempts + 1):
            started = time.perf_counter()
            try:
                sub.handler(event)
            except PermanentError as exc:
                self.ledger.release(sub.consumer, event.event_id)
                self._dead_letter(message, sub, queue_name, f"refused by handler: {exc}")
                return
            except Exception as exc:  # noqa: BLE001 - every failure is retried then kept
                metrics.EVENTS_HANDLED.labels(sub.consumer, event.event_type, "retry").inc()
                if attempt == max_attempts:
                    self.ledger.release(sub.consumer, event.event_id)
                    reason = f"handler failed after {attempt} attempts: {type(exc).__name__}: {exc}"
                    log.error("bus.handler_failed", attempts=attempt, error=str(exc))
                    self._dead_letter(message, sub, queue_name, reason)
                    return
                delay = self.settings.BUS_RETRY_BACKOFF * (2 ** (attempt - 1))
                log.warning("bus.handler_retry", attempt=attempt, retry_in=delay, error=str(exc))
                time.sleep(delay)
                continue
            finally:
                _handler_seconds(sub.consumer).observe(time.perf_counter() - started)
            self.ledger.complete(sub.consumer, event.event_id)
            message.ack()  # type: ignore[no-untyped-call]
            _handled(sub.consumer, event.event_type, "handled").inc()
            return

    def _dead_letter(self, message: Message, sub: Subscription, queue_name: str, reason: str) -> None:
        headers = dict(message.headers or {})
        headers.update(
            {
                REASON: reason[:2000],
                QUEUE: queue_name,
                ROUTING_KEY: message.delivery_info.get("routing_key", ""),
                AT: datetime.now(UTC).isoformat(),
            }
        )
        # Raises if the broker will not take it: the message then stays unacknowledged
        # and comes back, rather than being dropped.
        self.dead_letters.publish_raw(
            message.body,
            exchange=self.topology.dead_letter_exchange,
            routing_key=queue_name,
            headers=headers,
            content_type=message.content_type,
            content_encoding=message.content_encoding,
            message_id=message.properties.get("message_id"),
            correlation_id=message.properties.get("correlation_id"),
            message_type=message.properties.get("type"),
        )
        message.ack()  # type: ignore[no-untyped-call]
        metrics.DEAD_LETTERED.labels(queue_name).inc()
        metrics.EVENTS_HANDLED.labels(
            sub.consumer, str(message.properties.get("type")), "dead_lettered"
        ).inc()
        log.error("bus.dead_lettered", queue=queue_name, reason=reason.splitlines()[0])
