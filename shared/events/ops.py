"""Operations events: the bus check every service takes part in."""

from __future__ import annotations

from dataclasses import dataclass

from shared.events.base import ident
from shared.events.catalogue import event

EVERY_SERVICE = ("*",)


@event("bus.check_requested", 1, producers=EVERY_SERVICE)
@dataclass(frozen=True, kw_only=True)
class BusCheckRequested:
    """An operator asked every service to answer over the bus."""

    check_id: str = ident()
    requested_by: str = ident()


@event("bus.check_answered", 1, producers=EVERY_SERVICE)
@dataclass(frozen=True, kw_only=True)
class BusCheckAnswered:
    """A service answered a bus check."""

    check_id: str = ident()
    requested_by: str = ident()
    answered_by: str = ident()
