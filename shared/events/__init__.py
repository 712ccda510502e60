"""Event envelope and catalogue shared by every service."""

from shared.events import types as _types  # noqa: F401  (registers the catalogue)
from shared.events.catalogue import CATALOGUE, Catalogue, EventSpec, event
from shared.events.envelope import Event, InvalidEvent, new_envelope, parse_envelope

__all__ = [
    "CATALOGUE",
    "Catalogue",
    "Event",
    "EventSpec",
    "InvalidEvent",
    "event",
    "new_envelope",
    "parse_envelope",
]
