"""The one envelope every message on the bus travels in.

A producer builds an envelope with :func:`new_envelope`; the payload is checked
against the catalogue's schema for (event_type, event_version) before it is
stored in an outbox or published. A consumer checks it again with
:func:`parse_envelope` on receipt, accepting the current version and the one
before it (brought up to the current one: see ``shared/events/catalogue.py``).
Anything that fails either check is refused with :class:`InvalidEvent`, which
names what was wrong.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared import tracing
from shared.events.catalogue import CATALOGUE, Catalogue

P = TypeVar("P")


class InvalidEvent(ValueError):
    """A message is not a valid event: bad envelope, unknown type or version, bad payload."""

    def __init__(self, reason: str, errors: dict[str, Any] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.errors = errors or {}


class UtcDateTime(fields.AwareDateTime):
    """An ISO 8601 instant that must carry a timezone; always serialised in UTC."""

    def __init__(self, **kwargs: Any):
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is not None:
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    event_id = fields.UUID(required=True)
    event_type = fields.String(
        required=True, validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+$", error="must look like aggregate.verb")
    )
    event_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = UtcDateTime(required=True)
    producer = fields.String(required=True, validate=validate.Length(min=1, max=64))
    correlation_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    causation_id = fields.String(required=True, allow_none=True, validate=validate.Length(max=128))
    data = fields.Dict(required=True, keys=fields.String())
    # W3C trace context of the span that raised the event (shared/tracing.py), where there was one.
    traceparent = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"),
    )


_ENVELOPE = EnvelopeSchema()


def new_envelope(
    payload: Any,
    *,
    producer: str,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    catalogue: Catalogue = CATALOGUE,
) -> dict[str, Any]:
    """Build a JSON-ready envelope for a payload of a catalogue event type, validated.

    Refused with :class:`InvalidEvent` when the payload breaks its schema or the
    producer is not one the catalogue names for this event type.
    """
    try:
        spec = catalogue.spec_for(type(payload))
    except LookupError as exc:
        raise InvalidEvent(str(exc)) from exc
    if "*" not in spec.producers and producer not in spec.producers:
        raise InvalidEvent(f"{producer} is not a producer of {spec.event_type} (the catalogue names it)")
    event_id = str(uuid.uuid4())
    data = spec.schema.dump(payload)
    errors = spec.schema.validate(data)
    if errors:
        raise InvalidEvent(f"{spec.event_type} v{spec.version} payload is invalid", {"data": errors})
    envelope = {
        "event_id": event_id,
        "event_type": spec.event_type,
        "event_version": spec.version,
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": producer,
        "correlation_id": correlation_id or event_id,
        "causation_id": causation_id,
        "data": data,
    }
    traceparent = tracing.current_traceparent()
    if traceparent is not None:
        envelope["traceparent"] = traceparent
    _check_envelope(envelope)
    return envelope


def _check_envelope(envelope: Any) -> dict[str, Any]:
    if not isinstance(envelope, dict):
        raise InvalidEvent("message is not a JSON object")
    try:
        loaded: dict[str, Any] = _ENVELOPE.load(envelope)
    except ValidationError as exc:
        raise InvalidEvent("envelope is invalid", _messages(exc)) from exc
    return loaded


def _messages(exc: ValidationError) -> dict[str, Any]:
    return exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}


def parse_envelope(envelope: Any, catalogue: Catalogue = CATALOGUE) -> Event[Any]:
    """Validate a received envelope and its payload; return the loaded :class:`Event`."""
    loaded = _check_envelope(envelope)
    version = loaded["event_version"]
    try:
        spec, upcast = catalogue.receivable(loaded["event_type"], version)
    except LookupError as exc:
        raise InvalidEvent(str(exc)) from exc
    raw_data = loaded["data"]
    if upcast is not None:
        try:
            raw_data = upcast(dict(raw_data))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidEvent(
                f"{spec.event_type} v{version} payload cannot be read as v{spec.version}: {exc}"
            ) from exc
    try:
        data = spec.receiver.load(raw_data)
    except ValidationError as exc:
        read_as = "" if version == spec.version else f" (read as v{spec.version})"
        raise InvalidEvent(
            f"{spec.event_type} v{version} payload is invalid{read_as}", {"data": exc.messages}
        ) from exc
    return Event(
        event_id=str(loaded["event_id"]),
        event_type=loaded["event_type"],
        event_version=loaded["event_version"],
        occurred_at=loaded["occurred_at"],
        producer=loaded["producer"],
        correlation_id=loaded["correlation_id"],
        causation_id=loaded["causation_id"],
        data=data,
        raw=envelope,
    )


@dataclass(frozen=True, slots=True)
class Event(Generic[P]):
    """A received, validated event. ``data`` is the payload as its catalogue type."""

    event_id: str
    event_type: str
    event_version: int
    occurred_at: datetime
    producer: str
    correlation_id: str
    causation_id: str | None
    data: P
    raw: dict[str, Any] = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return f"<Event {self.event_type} v{self.event_version} {self.event_id}>"
