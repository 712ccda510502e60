"""The clock the handlers read: the statutory day in England, and the instant in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol

from shared.framework import today_in_england


class Clock(Protocol):
    def today(self) -> date: ...

    def now(self) -> datetime: ...


class SystemClock:
    def today(self) -> date:
        return today_in_england()

    def now(self) -> datetime:
        return datetime.now(UTC)
