"""Publishing envelopes with confirms, persistence and bounded reconnects."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from kombu.entity import Exchange
from kombu.messaging import Producer

from shared import metrics
from shared.bus.connection import make_connection
from shared.bus.topology import Topology
from shared.config import Settings
from shared.events import parse_envelope
from shared.logging import get_logger

log = get_logger(__name__)


class PublishError(RuntimeError):
    """The broker did not confirm the message within the retry budget."""


class Publisher:
    """Publishes validated envelopes to the events exchange.

    Thread-safe: one lock guards the connection, which kombu does not share
    between threads. ``publish`` returns only once the broker has confirmed
    the message (on AMQP); otherwise it raises :class:`PublishError` and the
    caller keeps the event to try again.
    """

    def __init__(self, settings: Settings, topology: Topology | None = None) -> None:
        self.settings = settings
        self.topology = topology or Topology(settings.BUS_NAMESPACE, settings.BUS_QUEUE_TYPE)
        self._connection = make_connection(settings)
        self._producer: Producer | None = None
        self._lock = threading.Lock()
        self._declared: set[str] = set()

    # -- public -----------------------------------------------------------------

    def publish(self, envelope: dict[str, Any], *, validate: bool = True) -> None:
        """Publish an event envelope under its event type."""
        if validate:
            parse_envelope(envelope)
        self._send(
            json.dumps(envelope),
            exchange=self.topology.exchange,
            routing_key=envelope["event_type"],
            headers={},
            message_id=envelope["event_id"],
            correlation_id=envelope["correlation_id"],
            message_type=envelope["event_type"],
        )
        metrics.EVENTS_PUBLISHED.labels(envelope["event_type"]).inc()

    def publish_raw(
        self,
        body: bytes | str,
        *,
        exchange: Exchange | str,
        routing_key: str,
        headers: dict[str, Any] | None = None,
        content_type: str | None = "application/json",
        content_encoding: str | None = "utf-8",
        message_id: str | None = None,
        correlation_id: str | None = None,
        message_type: str | None = None,
    ) -> None:
        """Publish bytes as they are: for dead-lettering and replays."""
        self._send(
            body,
            exchange=exchange,
            routing_key=routing_key,
            headers=headers or {},
            content_type=content_type,
            content_encoding=content_encoding,
            message_id=message_id,
            correlation_id=correlation_id,
            message_type=message_type,
        )

    def ping(self) -> None:
        """Raise if the broker cannot be reached now (one attempt, short timeout)."""
        with self._lock:
            self._connection.ensure_connection(max_retries=1, timeout=2)  # type: ignore[no-untyped-call]

    def close(self) -> None:
        with self._lock:
            self._producer = None
            self._connection.release()  # type: ignore[no-untyped-call]

    # -- internals ---------------------------------------------------------------

    def _declare(self, exchange: Exchange | str) -> None:
        if isinstance(exchange, Exchange) and exchange.name not in self._declared:
            channel = self._connection.default_channel
            if exchange.name == self.topology.exchange.name:
                # Where events nobody consumes go: declared before the exchange that names it.
                self.topology.unroutable_queue(channel).declare()  # type: ignore[no-untyped-call]
            exchange(channel).declare()  # type: ignore[no-untyped-call]
            self._declared.add(exchange.name)

    def unroutable_count(self) -> int:
        """How many events wait in the unroutable queue (declared here if it is missing)."""
        with self._lock:
            queue = self.topology.unroutable_queue(self._connection.default_channel)
            queue.declare()  # type: ignore[no-untyped-call]
            declared = queue.queue_declare(passive=True)  # type: ignore[no-untyped-call]
            return int(declared.message_count)

    def dead_letter_count(self, queue_name: str) -> int:
        """How many messages wait in the dead-letter queue of ``queue_name`` (declared if missing)."""
        with self._lock:
            queue = self.topology.dead_letter_queue(queue_name)(self._connection.default_channel)
            queue.declare()  # type: ignore[no-untyped-call]
            declared = queue.queue_declare(passive=True)  # type: ignore[no-untyped-call]
            return int(declared.message_count)

    def _publish_declared(self, body: bytes | str, **kwargs: Any) -> Any:
        assert self._producer is not None  # made by _send before kombu calls this
        self._declare(kwargs["exchange"])
        return self._producer.publish(body, **kwargs)  # type: ignore[no-untyped-call]

    def _on_revive(self, channel: object) -> None:
        self._declared.clear()

    def _errback(self, exc: Exception, interval: float) -> None:
        log.warning("bus.publish_retry", error=str(exc), retry_in=interval)

    def _send(
        self,
        body: bytes | str,
        *,
        exchange: Exchange | str,
        routing_key: str,
        headers: dict[str, Any],
        message_id: str | None,
        correlation_id: str | None,
        message_type: str | None,
        content_type: str | None = "application/json",
        content_encoding: str | None = "utf-8",
    ) -> None:
        started = time.perf_counter()
        with self._lock:
            if self._producer is None:
                self._producer = Producer(self._connection, auto_declare=False)  # type: ignore[no-untyped-call]
                # kombu's retrying wrapper, built once per producer rather than per message.
                self._safe_publish: Callable[..., Any] = self._connection.ensure(  # type: ignore[no-untyped-call]
                    self._producer,
                    self._publish_declared,
                    errback=self._errback,
                    on_revive=self._on_revive,
                    max_retries=self.settings.BUS_PUBLISH_MAX_RETRIES,
                    interval_start=0.1,
                    interval_step=0.5,
                    interval_max=2.0,
                )
            kwargs: dict[str, Any] = {
                "exchange": exchange,
                "routing_key": routing_key,
                "headers": headers,
                "delivery_mode": 2,  # persistent
                "content_type": content_type,
                "content_encoding": content_encoding,
                "message_id": message_id,
                "correlation_id": correlation_id,
                "type": message_type,
                "retry": False,
            }
            if not self.settings.embedded_bus:
                kwargs["confirm_timeout"] = self.settings.BUS_CONFIRM_TIMEOUT
            try:
                self._safe_publish(body, **kwargs)
            except Exception as exc:
                # Drop the producer so the next call starts on a fresh channel.
                self._producer = None
                self._declared.clear()
                try:
                    self._connection.collect()  # type: ignore[no-untyped-call]
                except Exception:  # noqa: BLE001 - best effort cleanup
                    pass
                metrics.PUBLISH_FAILURES.inc()
                raise PublishError(f"could not publish to {routing_key}: {exc}") from exc
        metrics.PUBLISH_SECONDS.observe(time.perf_counter() - started)
