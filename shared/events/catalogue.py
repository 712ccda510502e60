"""The catalogue of event types and their versioned payload schemas.

Each event type is registered once per version with the marshmallow schema of
its payload. Producers validate strictly (an unknown field is a bug in the
producer); consumers read tolerantly (fields added in a compatible release are
ignored), so a newer producer does not break an older consumer. A change that
removes or changes the meaning of a field is a new version.

Payloads carry identifiers and the few facts consumers need, never copies of
whole records and never more personal data than a consumer needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import EXCLUDE, RAISE, Schema


@dataclass(frozen=True)
class EventSpec:
    event_type: str
    version: int
    schema: Schema  # strict: used by producers
    receiver: Schema  # tolerant: used by consumers
    description: str


class Catalogue:
    def __init__(self) -> None:
        self._specs: dict[tuple[str, int], EventSpec] = {}

    def register(self, event_type: str, version: int, schema_cls: type[Schema], description: str):
        key = (event_type, version)
        if key in self._specs:
            raise ValueError(f"{event_type} v{version} is already registered")
        self._specs[key] = EventSpec(
            event_type, version, schema_cls(unknown=RAISE), schema_cls(unknown=EXCLUDE), description
        )

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

    def versions(self, event_type: str) -> list[int]:
        return sorted(v for (t, v) in self._specs if t == event_type)

    def event_types(self) -> list[str]:
        return sorted({t for (t, _) in self._specs})

    def __iter__(self):
        return iter(sorted(self._specs.values(), key=lambda s: (s.event_type, s.version)))


CATALOGUE = Catalogue()


def event(event_type: str, version: int, description: str):
    """Class decorator: register a payload schema in the product catalogue."""

    def decorate(schema_cls: type[Schema]) -> type[Schema]:
        CATALOGUE.register(event_type, version, schema_cls, description)
        return schema_cls

    return decorate
