"""Events about keeping records: a board's retention schedule set, and a service applying it.

The referral service keeps the board's settings, so it announces the schedule; each service
keeps a copy and applies it to its own records (:mod:`shared.retention`), then says what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shared.events.base import ident
from shared.events.catalogue import event

REFERRAL = ("referral",)
EVERY_SERVICE = ("*",)


@event("board.retention_set", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class BoardRetentionSet:
    """A board set how many months each type of record is kept (0: kept until the board decides)."""

    board_id: str = ident()
    months: dict[str, int] = field(default_factory=dict)
    set_by: str = ident()


@event("retention.applied", 1, producers=EVERY_SERVICE)
@dataclass(frozen=True, kw_only=True)
class RetentionApplied:
    """A service applied a board's retention schedule to its own records, once for the day."""

    board_id: str = ident()
    service: str = ident()
    ran_on: date
    pseudonymised: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
