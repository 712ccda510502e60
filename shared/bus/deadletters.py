"""Listing and replaying dead-lettered messages.

Listing takes each message off a dead-letter queue without acknowledging it,
then closes the channel, which puts every message back. Replaying publishes a
message (with confirms) straight to the queue it failed on, through the
default exchange, and only then removes it from the dead-letter queue.

Messages are read as the broker holds them (AMQP ``basic.get``), never decoded
or decompressed by kombu: a message that cannot be decoded (a bad
``compression`` header, a body that is not JSON) is listed raw and replayed
byte for byte, instead of stopping the command for its whole queue.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kombu.entity import Exchange, Queue

from shared.bus import consumer as c
from shared.bus.connection import make_connection
from shared.bus.publisher import Publisher
from shared.bus.topology import Topology
from shared.config import Settings

_DEAD_LETTER_HEADERS = (c.REASON, c.QUEUE, c.ROUTING_KEY, c.AT)

# Where a replayed message goes: exchange, routing key and headers.
_Route = tuple[Exchange | str, str, dict[str, Any]]


@dataclass
class DeadLetter:
    queue: str
    message_id: str | None
    event_type: str | None
    reason: str
    dead_lettered_at: str | None
    body: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class RawMessage:
    """A message as the broker handed it over, body untouched."""

    body: bytes
    properties: dict[str, Any]
    delivery_tag: int
    routing_key: str = ""

    @property
    def headers(self) -> dict[str, Any]:
        return dict(self.properties.get("application_headers") or {})


def _get(channel: Any, queue_name: str) -> RawMessage | None:
    raw = channel.basic_get(queue=queue_name, no_ack=False)
    if raw is None:
        return None
    body = raw.body if isinstance(raw.body, bytes) else str(raw.body).encode("utf-8")
    routing_key = (getattr(raw, "delivery_info", None) or {}).get("routing_key", "")
    return RawMessage(
        body=body, properties=dict(raw.properties), delivery_tag=raw.delivery_tag, routing_key=routing_key
    )


def _shown(body: bytes) -> str:
    """The body as text where it is text; otherwise its bytes, escaped, so nothing is hidden."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return "raw bytes: " + body.decode("utf-8", errors="backslashreplace")


def _describe(queue_name: str, message: RawMessage) -> DeadLetter:
    headers = message.headers
    reason = headers.get(c.REASON)
    if reason is None and headers.get("x-death"):
        # Dead-lettered by the broker itself (delivery limit, expiry, rejection).
        reason = f"broker: {headers['x-death'][0].get('reason', 'unknown')}"
    return DeadLetter(
        queue=headers.get(c.QUEUE, queue_name),
        message_id=message.properties.get("message_id"),
        event_type=message.properties.get("type"),
        reason=str(reason or "unknown"),
        dead_lettered_at=headers.get(c.AT),
        body=_shown(message.body),
    )


def _browse(conn: Any, queue: Queue, described_as: str | None = None) -> list[tuple[RawMessage, DeadLetter]]:
    """Every message on ``queue``, read without acknowledging: closing the channel puts them back."""
    seen: list[tuple[RawMessage, DeadLetter]] = []
    channel = conn.channel()
    try:
        q = queue(channel)
        q.declare()  # type: ignore[no-untyped-call]
        while (message := _get(channel, q.name)) is not None:
            seen.append((message, _describe(described_as or q.name, message)))
    finally:
        channel.close()  # unacknowledged messages go back on the queue
    return seen


class DeadLetters:
    def __init__(self, settings: Settings, topology: Topology | None = None) -> None:
        self.settings = settings
        self.topology = topology or Topology(settings.BUS_NAMESPACE, settings.BUS_QUEUE_TYPE)

    def _dlq(self, queue_name: str) -> Queue:
        return self.topology.dead_letter_queue(queue_name)

    def list(self, queue_names: Iterable[str]) -> list[DeadLetter]:
        found: list[DeadLetter] = []
        with make_connection(self.settings) as conn:
            for name in queue_names:
                found.extend(info for _, info in _browse(conn, self._dlq(name), name))
        return found

    def unroutable(self) -> builtins.list[DeadLetter]:
        """Events published under a type no queue was bound to (kept by the alternate exchange)."""
        found: list[DeadLetter] = []
        with make_connection(self.settings) as conn:
            for message, info in _browse(conn, self.topology.unroutable_queue):
                info.reason = f"no queue was bound to {message.routing_key!r} when it was published"
                found.append(info)
        return found

    def replay_unroutable(self, message_ids: Iterable[str] | None = None) -> builtins.list[DeadLetter]:
        """Publish kept events again under their own type, once a consumer for them exists."""

        def route(message: RawMessage) -> _Route:
            return self.topology.exchange, message.routing_key, message.headers

        return self._replay(self.topology.unroutable_queue, None, message_ids, route)

    def replay(
        self, queue_name: str, message_ids: Iterable[str] | None = None
    ) -> builtins.list[DeadLetter]:  # ``list`` here is the method above
        """Replay the chosen messages (all when ``message_ids`` is None) to ``queue_name``."""

        def route(message: RawMessage) -> _Route:
            headers = {
                k: v
                for k, v in (message.headers or {}).items()
                if k not in _DEAD_LETTER_HEADERS and k != "x-death"
            }
            headers["x-lscb-replayed-at"] = datetime.now(UTC).isoformat()
            return "", queue_name, headers

        return self._replay(self._dlq(queue_name), queue_name, message_ids, route)

    def _replay(
        self,
        queue: Queue,
        described_as: str | None,
        message_ids: Iterable[str] | None,
        route: Callable[[RawMessage], _Route],
    ) -> builtins.list[DeadLetter]:
        """Publish the chosen messages of ``queue`` where ``route`` says, then remove them from it."""
        wanted = set(message_ids) if message_ids is not None else None
        replayed: list[DeadLetter] = []
        publisher = Publisher(self.settings, self.topology)
        try:
            with make_connection(self.settings) as conn:
                channel = conn.channel()
                try:
                    q = queue(channel)
                    q.declare()  # type: ignore[no-untyped-call]
                    # Only what is there now: a replayed message that fails again comes
                    # back to this queue and must wait for the next replay, not loop.
                    waiting = q.queue_declare(passive=True).message_count  # type: ignore[no-untyped-call]
                    for _ in range(waiting):
                        message = _get(channel, q.name)
                        if message is None:
                            break
                        info = _describe(described_as or q.name, message)
                        if wanted is not None and info.message_id not in wanted:
                            continue
                        exchange, routing_key, headers = route(message)
                        publisher.publish_raw(
                            message.body,
                            exchange=exchange,
                            routing_key=routing_key,
                            headers=headers,
                            content_type=message.properties.get("content_type"),
                            content_encoding=message.properties.get("content_encoding"),
                            message_id=info.message_id,
                            correlation_id=message.properties.get("correlation_id"),
                            message_type=info.event_type,
                        )
                        channel.basic_ack(message.delivery_tag)
                        replayed.append(info)
                finally:
                    channel.close()
        finally:
            publisher.close()
        return replayed


def format_table(items: list[DeadLetter]) -> str:
    if not items:
        return "no dead-lettered messages"
    lines = []
    for d in items:
        lines.append(f"{d.queue}\t{d.message_id}\t{d.event_type}\t{d.dead_lettered_at}\t{d.reason}")
    return "queue\tmessage_id\tevent_type\tdead_lettered_at\treason\n" + "\n".join(lines)


def to_json(items: list[DeadLetter]) -> str:
    return json.dumps([d.as_dict() for d in items], indent=2)
