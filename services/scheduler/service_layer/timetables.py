"""Review timetables: planned from a template for a case, then re-planned, done, paused and resumed."""

from __future__ import annotations

from collections.abc import Callable

from services.scheduler.domain.review_period import check_review_period
from services.scheduler.domain.timetables import ReviewTimetable, Timetable
from services.scheduler.service_layer.deadlines import schedule_of
from services.scheduler.service_layer.messages import (
    GetTimetable,
    MarkStageDone,
    PauseTimetable,
    PlanTimetable,
    ReplanStage,
    ResumeTimetable,
)
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.errors import Conflict, NotFound


def plan_timetable(cmd: PlanTimetable, uow: SchedulerUnitOfWork) -> ReviewTimetable:
    """Plan the case's review from a template, for a period under review checked against the incident."""
    with uow:
        schedule = schedule_of(uow, cmd.board_id, cmd.case_id)
        if uow.timetables.exists(cmd.case_id):
            raise Conflict("This case already has a timetable: re-plan its stages instead", field="case_id")
        incident_on = schedule.dated_milestones()["incident_on"]
        period = check_review_period(cmd.review_period_start, incident_on, cmd.exceptional_reason)
        calendar = uow.calendars.for_board(schedule.board_id)
        timetable = ReviewTimetable(
            case_id=cmd.case_id,
            board_id=schedule.board_id,
            timetable=Timetable(cmd.template, cmd.start_on, calendar),
            review_period=period,
        )
        uow.timetables.add(timetable)
        uow.commit()
    return timetable


def _timetable(uow: SchedulerUnitOfWork, board_id: str, case_id: str) -> ReviewTimetable:
    timetable = uow.timetables.get(case_id, board_id, uow.calendars.for_board(board_id))
    if timetable is None:
        raise NotFound("This case has no timetable yet", field="case_id")
    return timetable


def get_timetable(query: GetTimetable, uow: SchedulerUnitOfWork) -> ReviewTimetable:
    with uow:
        return _timetable(uow, query.board_id, query.case_id)


def _change(
    uow: SchedulerUnitOfWork, board_id: str, case_id: str, change: Callable[[Timetable], object]
) -> ReviewTimetable:
    with uow:
        timetable = _timetable(uow, board_id, case_id)
        change(timetable.timetable)
        uow.commit()
    return timetable


def replan_stage(cmd: ReplanStage, uow: SchedulerUnitOfWork) -> ReviewTimetable:
    return _change(uow, cmd.board_id, cmd.case_id, lambda t: t.replan(cmd.code, cmd.planned_on, cmd.reason))


def mark_stage_done(cmd: MarkStageDone, uow: SchedulerUnitOfWork) -> ReviewTimetable:
    return _change(uow, cmd.board_id, cmd.case_id, lambda t: t.mark_done(cmd.code, cmd.done_on))


def pause_timetable(cmd: PauseTimetable, uow: SchedulerUnitOfWork) -> ReviewTimetable:
    return _change(
        uow,
        cmd.board_id,
        cmd.case_id,
        lambda t: t.pause(cmd.process, cmd.paused_on, scope=cmd.scope, note=cmd.note),
    )


def resume_timetable(cmd: ResumeTimetable, uow: SchedulerUnitOfWork) -> ReviewTimetable:
    return _change(uow, cmd.board_id, cmd.case_id, lambda t: t.resume(cmd.process, cmd.resumed_on))
