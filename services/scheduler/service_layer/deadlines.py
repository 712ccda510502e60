"""Deadlines asked for by people: a preview, a case's deadlines and their status, waivers, what is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.scheduler.adapters.store import Schedule
from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.deadlines import compute_deadlines, count_statuses, deadline_status
from services.scheduler.domain.rules import Deadline
from services.scheduler.service_layer.clock import Clock
from services.scheduler.service_layer.messages import (
    GetBoardDeadlinesDue,
    GetCaseDeadlines,
    GetCaseSchedule,
    PreviewDeadlines,
    WaiveDeadline,
)
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.errors import NotFound
from shared.pagination import Page, paginate


def schedule_of(uow: SchedulerUnitOfWork, board_id: str, case_id: str) -> Schedule:
    """The board's schedule of the case, to read; :class:`NotFound` if there is none."""
    schedule = uow.schedules.lookup(case_id, board_id)
    if schedule is None:
        raise NotFound("There is no schedule for this case", field="case_id")
    return schedule


def deadline_items(
    schedule: Schedule, on: date, due_soon_days: int, calendar: WorkingCalendar
) -> list[dict[str, Any]]:
    """The schedule's deadlines as the API shows them, each with its status on ``on``."""
    return [
        {
            "id": d.deadline_id,
            "code": d.code,
            "occurrence": d.occurrence,
            "due": d.due.isoformat(),
            "status": deadline_status(d.due, on, d.met_on, d.waived_at is not None, due_soon_days, calendar),
            "rule": d.rule,
            "source": d.source,
            "concerns": d.concerns,
            "met_on": d.met_on.isoformat() if d.met_on else None,
            "waived_reason": d.waived_reason,
        }
        for d in schedule.deadlines
    ]


def preview_deadlines(query: PreviewDeadlines, uow: SchedulerUnitOfWork) -> list[Deadline]:
    calendar = uow.calendars.for_board(query.board_id)
    return compute_deadlines(
        query.rule_pack, query.milestones, query.review_kind, calendar, notifiable=query.notifiable
    )


@dataclass(frozen=True)
class CaseDeadlines:
    page: Page[dict[str, Any]]
    counts: dict[str, int]  # status -> how many of the case's deadlines (all pages) stand at it


def case_deadlines(
    query: GetCaseDeadlines, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int
) -> CaseDeadlines:
    """A case's deadlines are held on its one schedule, a few per rule of its pack: the page
    is cut from them here, not by the store."""
    with uow:
        schedule = schedule_of(uow, query.board_id, query.case_id)
        calendar = uow.calendars.for_board(schedule.board_id)
        items = deadline_items(schedule, clock.today(), due_soon_days, calendar)
    counts = count_statuses(i["status"] for i in items)
    return CaseDeadlines(paginate(items, query.page, query.per_page), counts)


def waive_deadline(
    cmd: WaiveDeadline, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int
) -> dict[str, Any]:
    """Waive one deadline with a reason; returns it as the API shows it."""
    with uow:
        schedule = uow.schedules.with_deadline(cmd.board_id, cmd.deadline_id)
        if schedule is None:
            raise NotFound("There is no such deadline", field="deadline_id")
        schedule.waive(cmd.deadline_id, cmd.reason, by=cmd.user_id, at=clock.now())
        uow.commit()
        items = deadline_items(schedule, clock.today(), due_soon_days, uow.calendars.for_board(cmd.board_id))
    return next(i for i in items if i["id"] == cmd.deadline_id)


@dataclass(frozen=True)
class CaseSchedule:
    case_id: str
    reference: str | None
    today: date
    deadlines: list[dict[str, Any]]
    stages: list[dict[str, Any]]  # title, opens_on, planned_on, done_on (dates)
    counts: dict[str, int]  # status -> how many deadlines stand at it


def case_schedule(
    query: GetCaseSchedule, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int
) -> CaseSchedule:
    today = clock.today()
    with uow:
        schedule = schedule_of(uow, query.board_id, query.case_id)
        calendar = uow.calendars.for_board(schedule.board_id)
        timetable = uow.timetables.get(query.case_id, query.board_id, calendar)
        deadlines = deadline_items(schedule, today, due_soon_days, calendar)
    stages = [
        {"title": s.title, "opens_on": s.opens_on, "planned_on": s.planned_on, "done_on": s.done_on}
        for s in (timetable.timetable.stages if timetable else [])
    ]
    counts = count_statuses(d["status"] for d in deadlines)
    return CaseSchedule(query.case_id, schedule.reference, today, deadlines, stages, counts)


@dataclass(frozen=True)
class DeadlinesDue:
    until: date
    rows: Page[dict[str, Any]]  # case_id, reference, code, due (a date), status; the earliest first


def board_deadlines_due(
    query: GetBoardDeadlinesDue, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int
) -> DeadlinesDue:
    on = clock.today()
    until = on + timedelta(days=query.days)
    calendar = uow.calendars.for_board(query.board_id)
    with uow:
        due = uow.schedules.open_due(query.board_id, until, query.page, query.per_page)
    rows = [
        {
            "case_id": d.case_id,
            "reference": d.reference,
            "code": d.code,
            "due": d.due,
            "status": deadline_status(d.due, on, None, False, due_soon_days, calendar),
        }
        for d in due.items
    ]
    return DeadlinesDue(until, Page(rows, due.total, due.page, due.per_page))
