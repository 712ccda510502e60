"""Rolling upgrades: a consumer accepts the current and the previous version of every event.

Every catalogue entry is published at both versions and read through the
consumer's path (``parse_envelope``, as ``shared.bus.consumer`` calls it, and
once through the in-process bus to a handler):

- at its current version N;
- at N-1, read as N: for the entries already at version 2, the real catalogue's
  rule (N-1 is N without the optional fields N added); for every entry, the next
  release simulated (the entry declared again at N+1 with a field added), so the
  payload of today's producers reaches tomorrow's consumers;
- a step with an upcaster, a step that needs one and has none, and versions
  outside the window, refused with their reason.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import MISSING, dataclass, fields, make_dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from marshmallow import Schema, validate
from marshmallow import fields as mf
from marshmallow_dataclass.union_field import Union as UnionField

from shared.bus import BusRuntime, Subscription
from shared.config import load_settings
from shared.events import CATALOGUE, Event, InvalidEvent, parse_envelope
from shared.events.catalogue import Catalogue, EventSpec

SPECS = [s for s in CATALOGUE if s.version == CATALOGUE.versions(s.event_type)[-1]]


def sample(field: mf.Field) -> Any:
    """A value this field accepts."""
    for v in field.validators:
        if isinstance(v, validate.OneOf):
            return sorted(v.choices, key=str)[0]
    if isinstance(field, UnionField):
        return sample(field.union_fields[0][1])
    if isinstance(field, mf.Nested):
        schema = field.schema
        return [sample_data(schema)] if field.many else sample_data(schema)
    if isinstance(field, mf.List):
        return [sample(field.inner)]
    if isinstance(field, mf.Dict | mf.Mapping):
        return {"k": sample(field.value_field)} if field.value_field is not None else {"k": "v"}
    if isinstance(field, mf.Boolean):
        return True
    if isinstance(field, mf.Number):
        low = next((v.min for v in field.validators if isinstance(v, validate.Range) and v.min), 1)
        return low
    if isinstance(field, mf.NaiveDateTime | mf.AwareDateTime | mf.DateTime):
        return datetime(2026, 1, 5, 10, 0, tzinfo=UTC).isoformat()
    if isinstance(field, mf.Date):
        return "2026-01-05"
    if isinstance(field, mf.UUID):
        return str(uuid.uuid4())
    if isinstance(field, mf.Email):
        return "someone@example.org"
    shortest = max([2, *(v.min or 0 for v in field.validators if isinstance(v, validate.Length))])
    return "x" * shortest


def sample_data(schema: Schema) -> dict[str, Any]:
    return {f.data_key or name: sample(f) for name, f in schema.fields.items() if not f.dump_only}


def required_only(schema: Schema, data: dict[str, Any]) -> dict[str, Any]:
    keep = {f.data_key or name for name, f in schema.fields.items() if f.required}
    return {k: v for k, v in data.items() if k in keep}


def envelope(spec: EventSpec, version: int, data: dict[str, Any]) -> dict[str, Any]:
    event_id = str(uuid.uuid4())
    return {
        "event_id": event_id,
        "event_type": spec.event_type,
        "event_version": version,
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": spec.producers[0] if spec.producers[0] != "*" else "referral",
        "correlation_id": event_id,
        "causation_id": None,
        "data": data,
    }


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.event_type}.v{s.version}")
def test_each_event_at_its_current_version_reaches_the_consumer(spec: EventSpec) -> None:
    data = sample_data(spec.schema)
    assert spec.schema.validate(data) == {}, "the sample must be what a producer sends"
    event = parse_envelope(envelope(spec, spec.version, data))
    assert isinstance(event.data, spec.type)
    assert event.event_version == spec.version


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if s.version > 1], ids=lambda s: f"{s.event_type}.v{s.version - 1}"
)
def test_each_event_at_its_previous_version_is_read_as_the_current_one(spec: EventSpec) -> None:
    """No upcaster: the previous version is the current one without its optional fields."""
    data = required_only(spec.schema, sample_data(spec.schema))
    event = parse_envelope(envelope(spec, spec.version - 1, data))
    assert isinstance(event.data, spec.type)
    assert event.event_version == spec.version - 1
    for f in fields(spec.type):
        if f.name in data:
            continue  # required: sent by the previous version too
        if f.default is not MISSING:
            assert getattr(event.data, f.name) == f.default, f.name
        elif f.default_factory is not MISSING:
            assert getattr(event.data, f.name) == f.default_factory(), f.name


def next_release(spec: EventSpec) -> Catalogue:
    """The catalogue of a release that declares ``spec`` again at N+1, with an optional field added."""
    cls = make_dataclass(
        f"{spec.type.__name__}Next",
        [("added_in_next_release", "str | None", None)],
        bases=(spec.type,),
        frozen=True,
        kw_only=True,
    )
    catalogue = Catalogue()
    catalogue.register(spec.event_type, spec.version, spec.type, spec.producers, spec.description)
    catalogue.register(spec.event_type, spec.version + 1, cls, spec.producers, spec.description)
    return catalogue


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.event_type}.v{s.version}")
def test_the_next_release_reads_each_event_of_todays_producers(spec: EventSpec) -> None:
    catalogue = next_release(spec)
    newer = catalogue.get(spec.event_type)
    data = sample_data(spec.schema)  # what today's producers send
    from_today = parse_envelope(envelope(spec, spec.version, data), catalogue)
    assert isinstance(from_today.data, newer.type)
    assert from_today.data.added_in_next_release is None  # type: ignore[attr-defined]
    from_next = parse_envelope(
        envelope(spec, spec.version + 1, {**data, "added_in_next_release": "new"}), catalogue
    )
    assert from_next.data.added_in_next_release == "new"
    # Two versions back is outside the window.
    if spec.version > 1:
        with pytest.raises(InvalidEvent, match="too old"):
            parse_envelope(envelope(spec, spec.version - 1, data), catalogue)


@dataclass(frozen=True, kw_only=True)
class MeetingV2:
    """A meeting, its time now an instant (v1 had a date and an hour)."""

    meeting_id: str
    starts_at: str


def upcasting_catalogue(with_upcaster: bool) -> Catalogue:
    catalogue = Catalogue()
    catalogue.register("meeting.planned", 2, MeetingV2, ("reviews",), "A meeting was planned.")
    if with_upcaster:

        @catalogue.upcaster("meeting.planned", from_version=1)
        def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
            on, hour = data.pop("on"), data.pop("hour")
            return {**data, "starts_at": f"{on}T{hour:02d}:00:00+00:00"}

    return catalogue


MEETING = EventSpec("meeting.planned", 2, MeetingV2, None, None, ("reviews",), "")  # type: ignore[arg-type]


def test_an_upcaster_brings_a_changed_previous_version_up_to_the_current_one() -> None:
    catalogue = upcasting_catalogue(with_upcaster=True)
    v1 = envelope(MEETING, 1, {"meeting_id": "m1", "on": "2026-02-03", "hour": 9})
    event = parse_envelope(v1, catalogue)
    assert event.data == MeetingV2(meeting_id="m1", starts_at="2026-02-03T09:00:00+00:00")
    broken = envelope(MEETING, 1, {"meeting_id": "m1"})
    with pytest.raises(InvalidEvent, match="cannot be read as v2"):
        parse_envelope(broken, catalogue)
    with pytest.raises(ValueError, match="already has an upcaster"):
        catalogue.upcaster("meeting.planned", 1)(lambda d: d)


def test_without_its_upcaster_a_changed_previous_version_is_refused_naming_what_it_lacks() -> None:
    catalogue = upcasting_catalogue(with_upcaster=False)
    v1 = envelope(MEETING, 1, {"meeting_id": "m1", "on": "2026-02-03", "hour": 9})
    with pytest.raises(InvalidEvent) as refused:
        parse_envelope(v1, catalogue)
    assert "read as v2" in refused.value.reason
    assert "starts_at" in refused.value.errors["data"]


def test_a_version_newer_than_the_consumer_knows_is_refused_with_the_upgrade_order() -> None:
    catalogue = upcasting_catalogue(with_upcaster=True)
    with pytest.raises(InvalidEvent, match="upgrade it before the producer"):
        parse_envelope(envelope(MEETING, 3, {"meeting_id": "m1", "starts_at": "x"}), catalogue)


def test_the_previous_version_crosses_the_bus_to_a_handler_as_the_current_type() -> None:
    spec = next(s for s in SPECS if s.version > 1)
    settings = load_settings({}, APP_ENV="test", DEMO_SEED="0")
    got: list[Event[Any]] = []
    arrived = threading.Event()

    def handler(event: Event[Any]) -> None:
        got.append(event)
        arrived.set()

    consumer = f"versions{uuid.uuid4().hex[:6]}.check"
    runtime = BusRuntime(
        settings, consumer.split(".")[0], [Subscription(consumer, (spec.event_type,), handler)]
    )
    runtime.start()
    try:
        assert runtime.worker is not None and runtime.worker.wait_until_consuming(timeout=10)
        old = envelope(spec, spec.version - 1, required_only(spec.schema, sample_data(spec.schema)))
        runtime.publisher.publish(old)  # validated on the way out too, as the outbox relay does
        assert arrived.wait(10), "the handler never got the event"
    finally:
        runtime.stop()
    assert isinstance(got[0].data, spec.type) and got[0].event_version == spec.version - 1
