"""In-memory fakes of the scheduler's unit of work and repositories (cosmicpython ``FakeUnitOfWork``).

Each fake keeps what a store would (a schedule as the document ``to_mongo()`` gives,
a timetable as plain data) and builds a fresh object on every read, so a change
reaches the "store" only when the unit of work commits it. :class:`Scheduler` is the
message bus wired on them, as the handler tests drive it.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time
from typing import Any

from services.scheduler.adapters.repository import (
    BoardCalendars,
    CalendarFeedRepository,
    DueDeadline,
    ScheduleRepository,
    TimetableRepository,
    outbox_entry,
)
from services.scheduler.adapters.store import ANNOUNCED_AT, CalendarFeed, DeadlineRecord, Schedule
from services.scheduler.bootstrap import messagebus
from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.timetable_data import (
    dump_review_period,
    dump_timetable,
    load_review_period,
    load_timetable,
)
from services.scheduler.domain.timetables import ReviewTimetable
from services.scheduler.service_layer.unit_of_work import Repositories, SchedulerUnitOfWork
from shared.errors import Conflict
from shared.events import Event, parse_envelope
from shared.pagination import PER_PAGE, Page, paginate


class FixedClock:
    def __init__(self, today: date) -> None:
        self.day = today

    def today(self) -> date:
        return self.day

    def now(self) -> datetime:
        return datetime.combine(self.day, time(12), tzinfo=UTC)


class FakeBoardCalendars(BoardCalendars):
    def __init__(self, calendars: dict[str, WorkingCalendar] | None = None) -> None:
        self.calendars = calendars or {}

    def for_board(self, board_id: str) -> WorkingCalendar:
        return self.calendars.get(board_id) or WorkingCalendar()


class FakeScheduleRepository(ScheduleRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, dict[str, Any]] = {}

    def _load(self, son: dict[str, Any]) -> Schedule:
        return Schedule._from_son(copy.deepcopy(son))

    def _all(self) -> list[Schedule]:
        return [self._load(son) for son in self.stored.values()]

    def _get(self, case_id: str) -> Schedule | None:
        son = self.stored.get(case_id)
        return self._load(son) if son is not None else None

    def _with_deadline(self, board_id: str, deadline_id: str) -> Schedule | None:
        return next(
            (
                s
                for s in self._all()
                if s.board_id == board_id and any(d.deadline_id == deadline_id for d in s.deadlines)
            ),
            None,
        )

    def lookup(self, case_id: str, board_id: str) -> Schedule | None:
        found = self._get(case_id)
        return found if found is not None and found.board_id == board_id else None

    def for_board(self, board_id: str) -> list[Schedule]:
        return [s for s in self._all() if s.board_id == board_id]

    def open_due(
        self, board_id: str, until: date, page: int = 1, per_page: int = PER_PAGE
    ) -> Page[DueDeadline]:
        rows = [
            DueDeadline(s.case_id, s.reference, d.deadline_id, d.code, d.due)
            for s in self.for_board(board_id)
            for d in s.deadlines
            if d.open and d.due <= until
        ]
        rows.sort(key=lambda r: (r.due, r.reference or "", r.case_id, r.deadline_id))
        return paginate(rows, page, per_page)

    def open_due_by(self, horizon: date) -> list[Schedule]:
        return [s for s in self._all() if any(d.open and d.due <= horizon for d in s.deadlines)]

    def announce(self, schedule: Schedule, deadline_id: str, kind: str, envelope: dict[str, Any]) -> bool:
        stored = self._get(schedule.case_id)
        assert stored is not None
        record = stored.deadline(deadline_id)
        if record.announced(kind):
            return False
        setattr(record, ANNOUNCED_AT[kind], datetime.now(UTC))
        stored.outbox.append(outbox_entry(envelope))
        self.stored[stored.case_id] = copy.deepcopy(stored.to_mongo().to_dict())
        return True

    def save(self, schedule: Schedule) -> None:
        before = self.stored.get(schedule.case_id)
        if (before is None) != schedule._created or (before and before["version"] != schedule.version):
            raise RuntimeError(f"schedule {schedule.case_id} changed concurrently")
        schedule.version += 1
        schedule._created = False
        self.stored[schedule.case_id] = copy.deepcopy(schedule.to_mongo().to_dict())

    def pending_events(self) -> list[Event[Any]]:
        """What the outbox relay would publish: every pending event, as a consumer receives it."""
        return [parse_envelope(entry.envelope) for s in self._all() for entry in s.outbox if entry.pending]


class FakeTimetableRepository(TimetableRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, tuple[str, dict[str, Any]]] = {}  # case_id -> (board_id, state)

    def _get(self, case_id: str, board_id: str, calendar: WorkingCalendar) -> ReviewTimetable | None:
        found = self.stored.get(case_id)
        if found is None or found[0] != board_id:
            return None
        state = copy.deepcopy(found[1])
        return ReviewTimetable(
            case_id, board_id, load_timetable(state, calendar), load_review_period(state["review_period"])
        )

    def exists(self, case_id: str) -> bool:
        return case_id in self.stored

    def save(self, aggregate: ReviewTimetable) -> None:
        if self._is_new(aggregate) and aggregate.case_id in self.stored:
            raise Conflict("This case already has a timetable", field="case_id")
        state = {
            **dump_timetable(aggregate.timetable),
            "review_period": dump_review_period(aggregate.review_period),
        }
        self.stored[aggregate.case_id] = (aggregate.board_id, state)


class FakeCalendarFeedRepository(CalendarFeedRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, dict[str, Any]] = {}

    def _all(self) -> list[CalendarFeed]:
        return [CalendarFeed._from_son(copy.deepcopy(son)) for son in self.stored.values()]

    def _get(self, feed_id: str, board_id: str) -> CalendarFeed | None:
        return next((f for f in self._all() if f.feed_id == feed_id and f.board_id == board_id), None)

    def active_by_token_hash(self, token_hash: str) -> CalendarFeed | None:
        return next((f for f in self._all() if f.token_hash == token_hash and f.revoked_at is None), None)

    def save(self, aggregate: CalendarFeed) -> None:
        self.stored[aggregate.feed_id] = copy.deepcopy(aggregate.to_mongo().to_dict())


class FakeUnitOfWork(SchedulerUnitOfWork):
    def __init__(self, calendars: BoardCalendars | None = None) -> None:
        self.calendars = calendars or FakeBoardCalendars()
        self.repos = Repositories(
            FakeScheduleRepository(), FakeTimetableRepository(), FakeCalendarFeedRepository()
        )
        self.commits = 0

    def _repos(self) -> Repositories:
        return self.repos

    def commit(self) -> None:
        super().commit()
        self.commits += 1


class Scheduler:
    """The message bus on fakes, with what the tests read back."""

    def __init__(self, today: date = date(2027, 1, 4), due_soon_days: int = 3) -> None:
        self.uow = FakeUnitOfWork()
        self.clock = FixedClock(today)
        self.bus = messagebus(uow=self.uow, clock=self.clock, due_soon_days=due_soon_days)

    def handle(self, message: object) -> object:
        return self.bus.handle(message)

    def stored(self, case_id: str = "c1") -> Schedule:
        son = self.uow.repos.schedules.stored[case_id]
        return Schedule._from_son(son)

    def deadlines(self, case_id: str = "c1") -> dict[str, DeadlineRecord]:
        return {d.code: d for d in self.stored(case_id).deadlines}

    def events(self) -> list:
        return self.uow.repos.schedules.pending_events()
