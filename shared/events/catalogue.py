"""The catalogue of event types: each declared once, with its version, Python type and schemas.

An event type is a frozen dataclass decorated with :func:`event`. The
decorator derives its marshmallow schemas from the type hints
(marshmallow-dataclass), so the payload is declared in one place and checked
both ways: producers validate strictly (an unknown field is a bug in the
producer); consumers read tolerantly (fields added in a compatible release are
ignored), so a newer producer does not break an older consumer. A change that
removes a field or changes its meaning is a new version, declared beside the
old one.

Rolling upgrades: a consumer accepts the current version of every event and the
one before it, so services can be upgraded one at a time while the others go on
publishing. A payload of the previous version is turned into the current one
before it is loaded: by the upcaster the catalogue holds for that step
(:meth:`Catalogue.upcaster`), or, where there is none, as the current version
without the optional fields the current version added (they take their
defaults). A step that adds a required field, removes a field or changes what a
field means must come with an upcaster; without one, such a payload is refused
naming the fields it lacks, and waits in the dead-letter queue until it is
replayed. Older versions are refused.

Each entry also names the services that may produce it, so a test can check
that every event a service waits for is published by someone, and that no
service publishes what the catalogue does not declare.

Payloads carry identifiers and the few facts consumers need, never copies of
whole records and never more personal data than a consumer needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import marshmallow_dataclass
from marshmallow import EXCLUDE, RAISE, Schema

T = TypeVar("T")
# Turns the ``data`` of an event of one version into the ``data`` of the next version.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class EventSpec:
    event_type: str
    version: int
    type: type
    schema: Schema  # strict: used by producers
    receiver: Schema  # tolerant: used by consumers
    producers: tuple[str, ...]
    description: str


class Catalogue:
    def __init__(self) -> None:
        self._specs: dict[tuple[str, int], EventSpec] = {}
        self._by_type: dict[type, EventSpec] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(
        self, event_type: str, version: int, cls: type, producers: tuple[str, ...], description: str
    ) -> EventSpec:
        key = (event_type, version)
        if key in self._specs:
            raise ValueError(f"{event_type} v{version} is already registered")
        schema_cls = marshmallow_dataclass.class_schema(cls)
        spec = EventSpec(
            event_type,
            version,
            cls,
            schema_cls(unknown=RAISE),
            schema_cls(unknown=EXCLUDE),
            producers,
            description,
        )
        self._specs[key] = spec
        self._by_type[cls] = spec
        return spec

    def get(self, event_type: str, version: int | None = None) -> EventSpec:
        if version is None:
            versions = self.versions(event_type)
            if not versions:
                raise LookupError(f"unknown event type {event_type!r}")
            version = versions[-1]
        try:
            return self._specs[(event_type, version)]
        except KeyError:
            if self.versions(event_type):
                raise LookupError(f"unknown event_version {version} for {event_type!r}") from None
            raise LookupError(f"unknown event type {event_type!r}") from None

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Decorator: the function turning ``from_version`` data into ``from_version + 1`` data."""

        def register(fn: Upcaster) -> Upcaster:
            key = (event_type, from_version)
            if key in self._upcasters:
                raise ValueError(f"{event_type} v{from_version} already has an upcaster")
            self._upcasters[key] = fn
            return fn

        return register

    def receivable(self, event_type: str, version: int) -> tuple[EventSpec, Upcaster | None]:
        """What a consumer loads a received (type, version) with: the current spec, and the upcaster
        that brings previous-version data up to it (None for the current version, or for a step
        whose previous version is the current one less optional fields).
        """
        versions = self.versions(event_type)
        if not versions:
            raise LookupError(f"unknown event type {event_type!r}")
        latest = versions[-1]
        if version == latest:
            return self._specs[(event_type, latest)], None
        if version == latest - 1:
            return self._specs[(event_type, latest)], self._upcasters.get((event_type, version))
        if version > latest:
            raise LookupError(
                f"unknown event_version {version} for {event_type!r}: this consumer knows up to "
                f"v{latest} (upgrade it before the producer)"
            )
        raise LookupError(
            f"event_version {version} of {event_type!r} is too old: "
            f"consumers accept v{latest} and v{latest - 1}"
        )

    def spec_for(self, cls: type) -> EventSpec:
        try:
            return self._by_type[cls]
        except KeyError:
            raise LookupError(f"{cls.__name__} is not an event type of the catalogue") from None

    def versions(self, event_type: str) -> list[int]:
        return sorted(v for (t, v) in self._specs if t == event_type)

    def event_types(self) -> list[str]:
        return sorted({t for (t, _) in self._specs})

    def __iter__(self) -> Iterator[EventSpec]:
        return iter(sorted(self._specs.values(), key=lambda s: (s.event_type, s.version)))


CATALOGUE = Catalogue()


def event(event_type: str, version: int, *, producers: tuple[str, ...]) -> Callable[[type[T]], type[T]]:
    """Class decorator: declare a payload dataclass as an event type of the product catalogue.

    ``producers`` names the services that publish it (``"*"`` for every service);
    the class docstring is the event's description.
    """

    def decorate(cls: type[T]) -> type[T]:
        description = " ".join((cls.__doc__ or "").split())
        CATALOGUE.register(event_type, version, cls, producers, description)
        cls.event_type = event_type  # type: ignore[attr-defined]
        cls.event_version = version  # type: ignore[attr-defined]
        return cls

    return decorate


def spec_of(payload: Any) -> EventSpec:
    return CATALOGUE.spec_for(type(payload))


def type_name(cls: type) -> str:
    """The event type name a payload class is declared under (``type_name(DecisionRecorded)``)."""
    return CATALOGUE.spec_for(cls).event_type
