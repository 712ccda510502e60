"""The scheduler's unit of work (cosmicpython ``service_layer/unit_of_work.py``), after :mod:`shared.uow`.

A handler opens it (``with uow:``), reads and changes aggregates through its
repositories, and commits. Committing writes each changed schedule in one
single-document write that also holds the events it raised (the outbox).
``calendars`` gives each board's working-day calendar; it is read, never written.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.scheduler.adapters.repository import (
    BoardCalendars,
    CalendarFeedRepository,
    MongoBoardCalendars,
    MongoCalendarFeedRepository,
    MongoScheduleRepository,
    MongoTimetableRepository,
    ScheduleRepository,
    TimetableRepository,
)
from shared.bus.outbox import wake_relays
from shared.uow import PerThreadUnitOfWork, Repository, UnitOfWork


@dataclass
class Repositories:
    schedules: ScheduleRepository
    timetables: TimetableRepository
    feeds: CalendarFeedRepository


class SchedulerUnitOfWork(UnitOfWork):
    calendars: BoardCalendars

    @property
    def schedules(self) -> ScheduleRepository:
        return self._repos().schedules

    @property
    def timetables(self) -> TimetableRepository:
        return self._repos().timetables

    @property
    def feeds(self) -> CalendarFeedRepository:
        return self._repos().feeds

    @abc.abstractmethod
    def _repos(self) -> Repositories: ...

    def repositories(self) -> Iterator[Repository[Any]]:
        repos = self._repos()
        yield repos.schedules
        yield repos.timetables
        yield repos.feeds


class MongoUnitOfWork(PerThreadUnitOfWork[Repositories], SchedulerUnitOfWork):
    """Repositories on MongoDB. One instance serves every thread (web requests, the bus
    worker, the reminder tick): each thread's ``with`` block gets repositories of its own.
    """

    def __init__(self, calendars: BoardCalendars | None = None) -> None:
        super().__init__()
        self.calendars = calendars or MongoBoardCalendars()

    def _open(self) -> Repositories:
        return Repositories(
            MongoScheduleRepository(), MongoTimetableRepository(), MongoCalendarFeedRepository()
        )

    def commit(self) -> None:
        super().commit()
        schedules = self._repos().schedules
        if isinstance(schedules, MongoScheduleRepository) and schedules.announced:
            # Reminders were queued by raw writes, which no save signal reports: tell the relays.
            schedules.announced = 0
            wake_relays()
