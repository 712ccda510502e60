"""A review's timetable: its template planned onto the board's working-day calendar, and what happens to it.

A :class:`Timetable` is the planned stages of one review and what happened to them:
re-planned with a reason (the history is kept), done, held while a parallel process
(criminal proceedings, an inquest, a Domestic Homicide Review, ...) pauses the review,
and moved on by the working days the pause lasted (001 §6; 002 §2.2). Family
involvement waits for criminal proceedings (001 §6 note 9). The templates are data in
:mod:`services.scheduler.domain.timetable_templates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from services.scheduler.domain.calendar import WorkingCalendar, is_plain_date, require_date
from services.scheduler.domain.errors import ScheduleInputError, StageConflict, StageNotFound
from services.scheduler.domain.review_period import ReviewPeriod
from services.scheduler.domain.timetable_templates import TIMETABLE_TEMPLATES, TimetableTemplate

PauseScope = Literal["review", "family_involvement"]
PAUSE_SCOPES: tuple[str, ...] = ("review", "family_involvement")

# Processes running alongside a review that can move its timetable (001 §6; 002 §2.2).
PARALLEL_PROCESSES: dict[str, str] = {
    "criminal_proceedings": "criminal investigation and proceedings (police, CPS)",
    "inquest": "the coroner's inquest",
    "domestic_homicide_review": "a Domestic Homicide Review",
    "mappa": "a MAPPA review",
    "youth_justice": "a youth justice serious incident process",
    "health_serious_incident": "a health serious incident process",
}
PARALLEL_PROCESSES_SOURCE = "001 §6; 002 §2.2"
FAMILY_WAITS_FOR = "criminal_proceedings"
FAMILY_WAITS_SOURCE = "001 §6 note 9"

# How far ahead a plan may lie: a date a review means to reach (a stage re-planned, the
# planned publication), not one that happened. Every other date of a case is at most a
# year ahead (``shared.validation.Day``); a plan can be further, because a parallel
# process holds the review until it ends (001 §6; 002 §2.2), and criminal proceedings
# with a trial and an appeal can take years. Five years covers them; a date further
# ahead is a typing slip.
FURTHEST_PLANNED = timedelta(days=5 * 366)


# -- planned stages -------------------------------------------------------------------------


@dataclass(frozen=True)
class StageChange:
    """One move of a stage's planned date, and why."""

    previous_on: date
    new_on: date
    reason: str
    kind: Literal["replanned", "paused"]


@dataclass
class Stage:
    code: str
    title: str
    activity: str
    source: str
    effort: str
    family_involvement: bool
    opens_on: date
    planned_on: date
    done_on: date | None = None
    held_since: date | None = None  # set while a parallel process holds the stage
    history: list[StageChange] = field(default_factory=list)

    @property
    def status(self) -> Literal["done", "held", "planned"]:
        if self.done_on is not None:
            return "done"
        return "held" if self.held_since is not None else "planned"

    @property
    def first_planned_on(self) -> date:
        return self.history[0].previous_on if self.history else self.planned_on


def _template(template: TimetableTemplate | str) -> TimetableTemplate:
    if isinstance(template, TimetableTemplate):
        return template
    try:
        return TIMETABLE_TEMPLATES[template]
    except (KeyError, TypeError):
        known = ", ".join(TIMETABLE_TEMPLATES)
        raise ScheduleInputError(
            [{"field": "template", "message": f"unknown timetable {template!r}; expected {known}"}]
        ) from None


def plan_timetable(template: TimetableTemplate | str, start: date, calendar: WorkingCalendar) -> list[Stage]:
    """The template's stages planned from ``start`` (day 0) on the board's calendar."""
    t = _template(template)
    require_date(start, "start")
    return [
        Stage(
            code=s.code,
            title=s.title,
            activity=s.activity,
            source=s.source,
            effort=s.effort,
            family_involvement=s.family_involvement,
            opens_on=calendar.add_working_days(start, s.opens),
            planned_on=calendar.add_working_days(start, s.due),
        )
        for s in t.stages
    ]


@dataclass
class Pause:
    process: str
    paused_on: date
    scope: PauseScope
    note: str = ""
    resumed_on: date | None = None
    working_days: int | None = None  # set on resume

    @property
    def active(self) -> bool:
        return self.resumed_on is None

    def covers(self, stage: Stage) -> bool:
        return self.scope == "review" or stage.family_involvement


class Timetable:
    """The planned stages of one review, and the changes made to them."""

    def __init__(self, template: TimetableTemplate | str, start: date, calendar: WorkingCalendar) -> None:
        self.template = _template(template)
        self.start = require_date(start, "start")
        self.calendar = calendar
        self.stages: list[Stage] = plan_timetable(self.template, start, calendar)
        self.pauses: list[Pause] = []

    # -- reading --------------------------------------------------------------------------

    def stage(self, code: str) -> Stage:
        for s in self.stages:
            if s.code == code:
                return s
        raise StageNotFound(f"this timetable has no stage {code!r}", field="stage")

    @property
    def active_pauses(self) -> list[Pause]:
        return [p for p in self.pauses if p.active]

    def _active(self, process: str) -> Pause | None:
        for p in self.pauses:
            if p.process == process and p.active:
                return p
        return None

    # -- changes ----------------------------------------------------------------------------

    def replan(self, code: str, new_on: date, reason: str) -> Stage:
        """Move a stage's planned date; a reason is required and the old date is kept."""
        stage = self.stage(code)
        problems = []
        if not is_plain_date(new_on):
            problems.append({"field": "planned_on", "message": "must be a date"})
        elif new_on < self.start:
            problems.append({"field": "planned_on", "message": "cannot be before the timetable's start"})
        if not isinstance(reason, str) or not reason.strip():
            problems.append({"field": "reason", "message": "say why the stage is re-planned"})
        if problems:
            raise ScheduleInputError(problems)
        if stage.done_on is not None:
            raise StageConflict(f"stage {code!r} is already done", field="stage")
        stage.history.append(StageChange(stage.planned_on, new_on, reason.strip(), "replanned"))
        stage.planned_on = new_on
        if stage.opens_on > new_on:
            stage.opens_on = new_on
        return stage

    def mark_done(self, code: str, done_on: date) -> Stage:
        stage = self.stage(code)
        require_date(done_on, "done_on")
        if done_on < self.start:
            raise ScheduleInputError(
                [{"field": "done_on", "message": "cannot be before the timetable's start"}]
            )
        if stage.done_on is not None:
            raise StageConflict(f"stage {code!r} is already done", field="stage")
        if stage.family_involvement and self._active(FAMILY_WAITS_FOR) is not None:
            raise StageConflict(
                f"{stage.title} waits until the criminal proceedings are over ({FAMILY_WAITS_SOURCE})",
                field="stage",
            )
        stage.done_on = done_on
        stage.held_since = None
        return stage

    def pause(self, process: str, on: date, *, scope: PauseScope = "review", note: str = "") -> Pause:
        """A parallel process holds the review (or, with scope ``family_involvement``,
        only its family stages) from ``on``. Undone stages planned on or after ``on`` are
        held until every pause covering them has ended.
        """
        problems = []
        if process not in PARALLEL_PROCESSES:
            problems.append(
                {
                    "field": "process",
                    "message": f"unknown parallel process {process!r}; "
                    f"expected one of {', '.join(PARALLEL_PROCESSES)}",
                }
            )
        if scope not in PAUSE_SCOPES:
            problems.append({"field": "scope", "message": f"expected one of {PAUSE_SCOPES}"})
        if not is_plain_date(on):
            problems.append({"field": "paused_on", "message": "must be a date"})
        if problems:
            raise ScheduleInputError(problems)
        if self._active(process) is not None:
            held = PARALLEL_PROCESSES[process]
            raise StageConflict(f"{held} already holds this review", field="process")
        p = Pause(process=process, paused_on=on, scope=scope, note=note)
        self.pauses.append(p)
        for stage in self.stages:
            if (
                stage.done_on is None
                and stage.held_since is None
                and stage.planned_on >= on
                and p.covers(stage)
            ):
                stage.held_since = on
        return p

    def resume(self, process: str, on: date) -> Pause:
        """End a pause; stages no other pause holds move on by the working days they waited."""
        p = self._active(process)
        if p is None:
            raise StageConflict(f"{process!r} is not holding this review", field="process")
        require_date(on, "resumed_on")
        if on < p.paused_on:
            raise ScheduleInputError([{"field": "resumed_on", "message": "cannot be before the pause began"}])
        p.resumed_on = on
        p.working_days = self.calendar.working_days_between(p.paused_on, on)
        still = self.active_pauses
        cal = self.calendar
        for stage in self.stages:
            since = stage.held_since
            if since is None or stage.done_on is not None:
                continue
            if any(q.covers(stage) for q in still):
                continue
            stage.held_since = None
            shift = cal.working_days_between(since, on)
            if shift <= 0:
                continue
            new_on = cal.add_working_days(stage.planned_on, shift)
            held_by = " and ".join(
                PARALLEL_PROCESSES[q.process]
                for q in self.pauses
                # every pause covering the stage has ended by now (else it is still held)
                if q.covers(stage) and q.paused_on <= on and (q.resumed_on or on) >= since
            )
            reason = (
                f"held by {held_by} from {since.isoformat()} to {on.isoformat()}: "
                f"{shift} working days ({PARALLEL_PROCESSES_SOURCE})"
            )
            stage.history.append(StageChange(stage.planned_on, new_on, reason, "paused"))
            stage.planned_on = new_on
            if stage.opens_on >= since:
                stage.opens_on = cal.add_working_days(stage.opens_on, shift)
        return p


@dataclass
class ReviewTimetable:
    """The timetable of one case's review, with the period under review it was planned for."""

    case_id: str
    board_id: str
    timetable: Timetable
    review_period: ReviewPeriod
