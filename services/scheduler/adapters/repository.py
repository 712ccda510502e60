"""Repositories of the scheduler (cosmicpython ``adapters/repository.py``): abstract interfaces, and MongoDB.

Handlers reach the store only through these, by way of the unit of work
(:mod:`services.scheduler.service_layer.unit_of_work`); their unit tests use
in-memory fakes of the same interfaces. ``get``-style methods track what they
return, so that the unit of work's ``commit`` writes it; ``lookup``-style
methods are reads and track nothing. Conditional writes live here: a schedule
is saved only if nobody changed it since it was read, and a reminder is
claimed and queued in one atomic write only if it was not announced yet.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from mongoengine.errors import NotUniqueError, SaveConditionError

from services.scheduler.adapters.store import (
    ANNOUNCED_AT,
    CalendarFeed,
    Schedule,
    TimetableDocument,
    now,
)
from services.scheduler.domain.calendar import DEFAULT_NATION, WorkingCalendar
from services.scheduler.domain.timetable_data import (
    dump_review_period,
    dump_timetable,
    load_review_period,
    load_timetable,
)
from services.scheduler.domain.timetables import ReviewTimetable
from shared.auth.models import Board
from shared.bus.outbox import OutboxEntry
from shared.errors import Conflict
from shared.pagination import MAX_PER_PAGE, PER_PAGE, Page
from shared.uow import Repository

# -- interfaces ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDeadline:
    """An open deadline of one of the board's cases, as the board's list of what is due shows it."""

    case_id: str
    reference: str | None
    deadline_id: str
    code: str
    due: date


class ScheduleRepository(Repository[Schedule]):
    """Each case's schedule: its milestones, deadlines and outbox of reminders."""

    def get(self, case_id: str) -> Schedule | None:
        """The case's schedule, to change."""
        return self._track(self._get(case_id))

    def with_deadline(self, board_id: str, deadline_id: str) -> Schedule | None:
        """The board's schedule holding that deadline, to change."""
        return self._track(self._with_deadline(board_id, deadline_id))

    @abc.abstractmethod
    def _get(self, case_id: str) -> Schedule | None: ...

    @abc.abstractmethod
    def _with_deadline(self, board_id: str, deadline_id: str) -> Schedule | None: ...

    @abc.abstractmethod
    def lookup(self, case_id: str, board_id: str) -> Schedule | None:
        """The board's schedule of that case, to read."""

    @abc.abstractmethod
    def for_board(self, board_id: str) -> list[Schedule]:
        """Every schedule of the board, to read."""

    @abc.abstractmethod
    def open_due(
        self, board_id: str, until: date, page: int = 1, per_page: int = PER_PAGE
    ) -> Page[DueDeadline]:
        """One page of the board's open deadlines (neither met nor waived) due on or before
        ``until``, earliest first, and how many there are: the store picks, sorts and slices them."""

    @abc.abstractmethod
    def open_due_by(self, horizon: date) -> list[Schedule]:
        """Schedules with a deadline neither met nor waived that falls due on or before ``horizon``."""

    @abc.abstractmethod
    def announce(self, schedule: Schedule, deadline_id: str, kind: str, envelope: dict[str, Any]) -> bool:
        """Mark the deadline announced as ``kind`` and queue ``envelope`` in one atomic write.

        False, and nothing written, if it was already announced as ``kind``
        (by this process or another).
        """


class TimetableRepository(Repository[ReviewTimetable]):
    def get(self, case_id: str, board_id: str, calendar: WorkingCalendar) -> ReviewTimetable | None:
        """The board's timetable of that case, planned on ``calendar``, to change."""
        return self._track(self._get(case_id, board_id, calendar))

    @abc.abstractmethod
    def _get(self, case_id: str, board_id: str, calendar: WorkingCalendar) -> ReviewTimetable | None: ...

    @abc.abstractmethod
    def exists(self, case_id: str) -> bool:
        """Whether the case has a timetable, whichever board's."""


class CalendarFeedRepository(Repository[CalendarFeed]):
    def get(self, feed_id: str, board_id: str) -> CalendarFeed | None:
        """The board's feed, to change."""
        return self._track(self._get(feed_id, board_id))

    @abc.abstractmethod
    def _get(self, feed_id: str, board_id: str) -> CalendarFeed | None: ...

    @abc.abstractmethod
    def active_by_token_hash(self, token_hash: str) -> CalendarFeed | None:
        """The feed whose token has that hash, unless revoked, to read."""


class BoardCalendars(abc.ABC):
    """Each board's working-day calendar: its nation's bank holidays and its own closure days."""

    @abc.abstractmethod
    def for_board(self, board_id: str) -> WorkingCalendar: ...


# -- MongoDB --------------------------------------------------------------------------------------


class MongoScheduleRepository(ScheduleRepository):
    def __init__(self) -> None:
        super().__init__()
        self.announced = 0  # reminders queued by raw writes, which the relays are not told of

    def _get(self, case_id: str) -> Schedule | None:
        return Schedule.objects(case_id=case_id).first()

    def _with_deadline(self, board_id: str, deadline_id: str) -> Schedule | None:
        return Schedule.objects(board_id=board_id, deadlines__deadline_id=deadline_id).first()

    def lookup(self, case_id: str, board_id: str) -> Schedule | None:
        return Schedule.objects(case_id=case_id, board_id=board_id).first()

    def for_board(self, board_id: str) -> list[Schedule]:
        return list(Schedule.objects(board_id=board_id))

    def open_due(
        self, board_id: str, until: date, page: int = 1, per_page: int = PER_PAGE
    ) -> Page[DueDeadline]:
        by = datetime.combine(until, datetime.min.time())
        is_open = {"due": {"$lte": by}, "met_on": None, "waived_at": None}
        page, per_page = max(1, page), max(1, min(per_page, MAX_PER_PAGE))
        start = (page - 1) * per_page
        pipeline: list[dict[str, Any]] = [
            # The index on (board_id, deadlines.due) finds the schedules with such a deadline ...
            {"$match": {"board_id": board_id, "deadlines": {"$elemMatch": is_open}}},
            {"$project": {"reference": 1, "deadlines": 1}},
            # ... and of each, only its open deadlines due by then are kept, one row each.
            {"$unwind": "$deadlines"},
            {"$match": {f"deadlines.{k}": v for k, v in is_open.items()}},
            {"$sort": {"deadlines.due": 1, "reference": 1, "_id": 1, "deadlines.deadline_id": 1}},
            {"$facet": {"total": [{"$count": "n"}], "rows": [{"$skip": start}, {"$limit": per_page}]}},
        ]
        found: dict[str, Any] = next(
            iter(Schedule._get_collection().aggregate(pipeline)), {"total": [], "rows": []}
        )
        total = found["total"][0]["n"] if found["total"] else 0
        rows = [
            DueDeadline(
                case_id=row["_id"],
                reference=row.get("reference"),
                deadline_id=row["deadlines"]["deadline_id"],
                code=row["deadlines"]["code"],
                due=row["deadlines"]["due"].date(),
            )
            for row in found["rows"]
        ]
        return Page(rows, total, page, per_page)

    def open_due_by(self, horizon: date) -> list[Schedule]:
        by = datetime.combine(horizon, datetime.min.time())
        return list(
            Schedule.objects(
                __raw__={
                    "deadlines": {"$elemMatch": {"due": {"$lte": by}, "met_on": None, "waived_at": None}}
                }
            )
        )

    def announce(self, schedule: Schedule, deadline_id: str, kind: str, envelope: dict[str, Any]) -> bool:
        flag = ANNOUNCED_AT[kind]
        entry = outbox_entry(envelope).to_mongo().to_dict()
        result = Schedule._get_collection().update_one(
            {"_id": schedule.case_id, "deadlines": {"$elemMatch": {"deadline_id": deadline_id, flag: None}}},
            {"$set": {f"deadlines.$.{flag}": now()}, "$push": {"outbox": entry}},
        )
        claimed = result.modified_count == 1
        self.announced += claimed
        return claimed

    def save(self, schedule: Schedule) -> None:
        """Insert a new schedule, or write a changed one only if its version is still the one read."""
        expected = schedule.version
        schedule.version = expected + 1
        schedule.updated_at = now()
        try:
            if expected == 0 and schedule._created:
                schedule.save(force_insert=True)
            else:
                schedule.save(save_condition={"version": expected})
        except (SaveConditionError, NotUniqueError) as exc:
            # Another scheduler process changed it first: the bus retries the event.
            raise RuntimeError(f"schedule {schedule.case_id} changed concurrently") from exc


class MongoTimetableRepository(TimetableRepository):
    def _get(self, case_id: str, board_id: str, calendar: WorkingCalendar) -> ReviewTimetable | None:
        doc = TimetableDocument.objects(case_id=case_id, board_id=board_id).first()
        if doc is None:
            return None
        return ReviewTimetable(
            case_id=doc.case_id,
            board_id=doc.board_id,
            timetable=load_timetable(doc.state, calendar),
            review_period=load_review_period(doc.state["review_period"]),
        )

    def exists(self, case_id: str) -> bool:
        return TimetableDocument.objects(case_id=case_id).first() is not None

    def save(self, aggregate: ReviewTimetable) -> None:
        state = {
            **dump_timetable(aggregate.timetable),
            "review_period": dump_review_period(aggregate.review_period),
        }
        if not self._is_new(aggregate):
            TimetableDocument.objects(case_id=aggregate.case_id).update_one(
                set__state=state, set__updated_at=now()
            )
            return
        try:
            TimetableDocument(
                case_id=aggregate.case_id,
                board_id=aggregate.board_id,
                template=aggregate.timetable.template.code,
                start_on=aggregate.timetable.start,
                state=state,
            ).save(force_insert=True)
        except NotUniqueError:
            raise Conflict(
                "This case already has a timetable: re-plan its stages instead", field="case_id"
            ) from None
        self._inserted(aggregate)


class MongoCalendarFeedRepository(CalendarFeedRepository):
    def _get(self, feed_id: str, board_id: str) -> CalendarFeed | None:
        return CalendarFeed.objects(feed_id=feed_id, board_id=board_id).first()

    def active_by_token_hash(self, token_hash: str) -> CalendarFeed | None:
        return CalendarFeed.objects(token_hash=token_hash, revoked_at=None).first()

    def save(self, aggregate: CalendarFeed) -> None:
        aggregate.save(force_insert=aggregate._created)


def outbox_entry(envelope: dict[str, Any]) -> OutboxEntry:
    """A pending outbox entry for an envelope, as ``OutboxDocument.raise_event`` appends one: for
    ``announce``, which pushes it in the same update that marks the deadline announced."""
    return OutboxEntry(
        event_id=envelope["event_id"],
        event_type=envelope["event_type"],
        envelope=envelope,
        pending=True,
        created_at=now(),
    )


@lru_cache(maxsize=256)
def _calendar(nation: str, closures: tuple[date, ...]) -> WorkingCalendar:
    return WorkingCalendar(nation, frozenset(closures))


class MongoBoardCalendars(BoardCalendars):
    """Read from the boards of the identity store; one calendar per (nation, closures), kept."""

    def for_board(self, board_id: str) -> WorkingCalendar:
        board = Board.objects(board_id=board_id).only("nation", "closures").first()
        if board is None:
            return _calendar(DEFAULT_NATION, ())
        return _calendar(board.nation or DEFAULT_NATION, tuple(sorted(board.closures or ())))
