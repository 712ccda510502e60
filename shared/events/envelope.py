"""The one envelope every message on the bus travels in.

A producer builds an envelope with :func:`new_envelope`; the payload is checked
against the catalogue's schema for (event_type, event_version) before it is
stored in an outbox or published. A consumer checks it again with
:func:`parse_envelope` on receipt. Anything that fails either check is refused
with :class:`InvalidEvent`, which names what was wrong.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.events.catalogue import CATALOGUE, Catalogue


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

    def _serialize(self, value, attr, obj, **kwargs):
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


_ENVELOPE = EnvelopeSchema()


def new_envelope(
    event_type: str,
    data: dict[str, Any],
    *,
    producer: str,
    version: int | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    catalogue: Catalogue = CATALOGUE,
) -> dict[str, Any]:
    """Build a JSON-ready envelope, validating the payload against the catalogue.

    ``version`` defaults to the newest version of ``event_type`` in the catalogue.
    """
    spec = catalogue.get(event_type, version)
    event_id = str(uuid.uuid4())
    payload = spec.schema.dump(data)
    errors = spec.schema.validate(payload)
    for unknown in sorted(set(data) - set(spec.schema.fields)):
        errors[unknown] = ["Unknown field."]
    if errors:
        raise InvalidEvent(f"{event_type} v{spec.version} payload is invalid", {"data": errors})
    envelope = {
        "event_id": event_id,
        "event_type": event_type,
        "event_version": spec.version,
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": producer,
        "correlation_id": correlation_id or event_id,
        "causation_id": causation_id,
        "data": payload,
    }
    _check_envelope(envelope)
    return envelope


def _check_envelope(envelope: Any) -> dict[str, Any]:
    if not isinstance(envelope, dict):
        raise InvalidEvent("message is not a JSON object")
    try:
        return _ENVELOPE.load(envelope)
    except ValidationError as exc:
        raise InvalidEvent("envelope is invalid", exc.messages) from exc


def parse_envelope(envelope: Any, catalogue: Catalogue = CATALOGUE) -> Event:
    """Validate a received envelope and its payload; return the loaded :class:`Event`."""
    loaded = _check_envelope(envelope)
    try:
        spec = catalogue.get(loaded["event_type"], loaded["event_version"])
    except LookupError as exc:
        raise InvalidEvent(str(exc)) from exc
    try:
        data = spec.receiver.load(loaded["data"])
    except ValidationError as exc:
        raise InvalidEvent(
            f"{spec.event_type} v{spec.version} payload is invalid", {"data": exc.messages}
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


class Event:
    """A received, validated event. ``data`` holds the payload loaded into Python types."""

    __slots__ = (
        "event_id",
        "event_type",
        "event_version",
        "occurred_at",
        "producer",
        "correlation_id",
        "causation_id",
        "data",
        "raw",
    )

    def __init__(self, **kwargs: Any):
        for name in self.__slots__:
            setattr(self, name, kwargs[name])

    def __repr__(self) -> str:
        return f"<Event {self.event_type} v{self.event_version} {self.event_id}>"
