"""Event envelope and catalogue shared by every service.

Each family of events is declared once, in its own module; importing this
package registers them all in :data:`CATALOGUE`.
"""

from shared.events import (  # noqa: F401 (registers)
    accounts,
    deadlines,
    documents,
    notifications,
    ops,
    referral,
    report,
    retention,
    reviews,
)
from shared.events.catalogue import CATALOGUE, Catalogue, EventSpec, event, spec_of, type_name
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
    "spec_of",
    "type_name",
]
