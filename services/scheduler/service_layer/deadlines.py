"""Deadlines asked for by people: a preview, a case's deadlines and their status, waivers, what is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.scheduler.adapters.store import Schedule
from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.deadlines import compute_deadlines, deadline_status
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

CLOSED = ("met", "waived")


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
    return compute_deadlines(query.rule_pack, query.milestones, query.review_kind, calendar)


def case_deadlines(
    query: GetCaseDeadlines, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int
) -> list[dict[str, Any]]:
    with uow:
        schedule = schedule_of(uow, query.board_id, query.case_id)
        calendar = uow.calendars.for_board(schedule.board_id)
        return deadline_items(schedule, clock.today(), due_soon_days, calendar)


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
    return CaseSchedule(query.case_id, schedule.reference, today, deadlines, stages)


@dataclass(frozen=True)
class DeadlinesDue:
    until: date
    rows: list[dict[str, Any]]  # deadline items with the case's reference and id, earliest first


def board_deadlines_due(
    query: GetBoardDeadlinesDue, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int
) -> DeadlinesDue:
    on = clock.today()
    until = on + timedelta(days=query.days)
    calendar = uow.calendars.for_board(query.board_id)
    rows = []
    with uow:
        for schedule in uow.schedules.for_board(query.board_id):
            for item in deadline_items(schedule, on, due_soon_days, calendar):
                if item["status"] not in CLOSED and date.fromisoformat(item["due"]) <= until:
                    rows.append({**item, "reference": schedule.reference, "case_id": schedule.case_id})
    rows.sort(key=lambda r: r["due"])
    return DeadlinesDue(until, rows)
