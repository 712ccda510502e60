"""Review timetables: templates as data, planned onto a board's working-day calendar.

A template is an ordered list of stages, each opening and falling due a number of
working days after the timetable's start (day 0, usually the day the review was
initiated). Where the source gives the timing (the seven-week below-threshold plan,
000 §6) a week is five working days, so a bank holiday lengthens the week it falls in.
Where the source gives only the order of stages and the length of sessions (001 §6,
002 §2), the offsets are the product's defaults, chosen so that the last stage falls
due inside the six-month aim for completing a review (003 SCR checklist; 000 §7); each
template says which applies in ``timing_source``.

A :class:`Timetable` is the planned stages of one review and what happened to them:
re-planned with a reason (the history is kept), done, held while a parallel process
(criminal proceedings, an inquest, a Domestic Homicide Review, ...) pauses the review,
and moved on by the working days the pause lasted (001 §6; 002 §2.2). Family
involvement waits for criminal proceedings (001 §6 note 9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from services.scheduler.domain.calendar import WorkingCalendar, add_months, is_plain_date
from services.scheduler.domain.errors import ScheduleInputError, StageConflict, StageNotFound

WORKING_DAYS_PER_WEEK = 5

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


# -- templates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageTemplate:
    code: str
    title: str
    activity: str  # what happens, in plain English
    opens: int  # working days after the start
    due: int  # working days after the start; the stage's planned date
    source: str
    effort: str = ""  # length of the session, where the source gives one
    family_involvement: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.opens <= self.due:
            raise ValueError(f"{self.code}: need 0 <= opens <= due")


@dataclass(frozen=True)
class TimetableTemplate:
    code: str
    title: str
    source: str
    timing_source: str  # where the offsets come from
    stages: tuple[StageTemplate, ...]

    def __post_init__(self) -> None:
        codes = [s.code for s in self.stages]
        if len(set(codes)) != len(codes):
            raise ValueError(f"{self.code}: stage codes repeat")
        dues = [s.due for s in self.stages]
        if dues != sorted(dues):
            raise ValueError(f"{self.code}: stages are not in the order they fall due")


def _week(first: int, last: int) -> tuple[int, int]:
    """Weeks ``first``..``last`` of a plan as (opens, due) working-day offsets."""
    return (first - 1) * WORKING_DAYS_PER_WEEK + 1, last * WORKING_DAYS_PER_WEEK


def _weeks(code: str, title: str, activity: str, weeks: tuple[int, int]) -> StageTemplate:
    opens, due = _week(*weeks)
    return StageTemplate(code, title, activity, opens, due, source="000 §6")


BELOW_THRESHOLD_SEVEN_WEEKS = TimetableTemplate(
    code="below_threshold_seven_weeks",
    title="Critical Incident or Learning Review below the SCR threshold, in seven weeks",
    source="000 §6",
    timing_source="000 §6 (weeks of the plan; a week is five working days)",
    stages=(
        _weeks(
            "case_group_letters",
            "Case group identified and letters sent",
            "The review group names the case group and writes to ask for full chronologies, "
            "an audit of the case files and answers to the key questions; practitioners "
            "audit their files, talk to their managers and reply.",
            (1, 2),
        ),
        _weeks(
            "information_analysed",
            "Information returned and analysed",
            "Answers come back and are analysed; review group members meet case group "
            "members and plan the one-to-one conversations and the review meeting.",
            (3, 4),
        ),
        _weeks(
            "preparatory_meetings",
            "One-to-one preparatory meetings",
            "Review group members meet case group members one to one to prepare.",
            (5, 5),
        ),
        _weeks(
            "review_meeting",
            "Review meeting",
            "The review group meets the case group.",
            (6, 6),
        ),
        _weeks(
            "action_plan_published",
            "Action plan and recommendations published",
            "The action plan and recommendations are published and fed back to the case group.",
            (7, 7),
        ),
    ),
)

_SCR_TIMING = (
    "order and session lengths from 001 §6; working-day offsets are product defaults "
    "that finish within the six-month aim (003 SCR checklist)"
)


def _scr(
    code: str,
    title: str,
    offsets: list[tuple[int, int]],
    forum_effort: str,
    analysis_effort: str,
) -> TimetableTemplate:
    """The intensive and targeted SCRs share their stages (001 §6); effort and pace differ."""
    rows = [
        (
            "review_group_initial_meeting",
            "Review group initial meeting",
            "Identify the agencies involved, start the pre-review processes and weigh any "
            "parallel reviews or criminal investigation.",
            "",
        ),
        (
            "spe_chronologies",
            "Significant practice event chronologies",
            "Every agency involved prepares its chronology of significant practice events: "
            "risk, response, partnership and learning.",
            "",
        ),
        (
            "review_group_planning_meeting",
            "Review group planning meeting",
            "Confirm whether the SCR criteria are met, advise on scope and type of review, "
            "consider the lead reviewer and set the parameters of the case group forums.",
            "half a day",
        ),
        (
            "national_panel_engagement",
            "Engagement with the National Panel and peer challenge",
            "The Chair seeks peer challenge where useful, consults the National Panel on the "
            "criteria and tells it who the lead reviewers are.",
            "",
        ),
        (
            "case_group_spe_forums",
            "Case group significant practice event forums",
            "The review group gathers the practitioners' picture of the case in forums of "
            "case workers, episode by episode.",
            forum_effort,
        ),
        (
            "information_audit",
            "Review group information audit",
            "Documents and any interviews with the family are set against what the forums found.",
            "",
        ),
        (
            "spe_analysis_meetings",
            "Significant practice event analysis meetings",
            "The review group evaluates the individual and systemic practice issues and "
            "proposes transferable learning.",
            analysis_effort,
        ),
        (
            "family_involvement",
            "Family and child involvement",
            "The lead reviewers meet the family and the child(ren) to hear their experience "
            "and their view of the practice events.",
            "half a day",
        ),
        (
            "board_progress_report",
            "Progress report to the board",
            "The review group updates the board and confirms the plan for the learning workshop.",
            "",
        ),
        (
            "learning_workshop",
            "Learning workshop",
            "The emerging transferable learning is tested with the case group.",
            "1 day",
        ),
        (
            "initial_report_to_board",
            "Initial report to the board",
            "The lead reviewers present their initial findings to the board.",
            "",
        ),
        (
            "programmes_of_action",
            "Programmes of action",
            "Findings become programmes of action; the family hears what changed.",
            "",
        ),
    ]
    assert len(rows) == len(offsets)
    stages = tuple(
        StageTemplate(
            code=c,
            title=t,
            activity=a,
            opens=o,
            due=d,
            source="001 §6 note 9" if c == "family_involvement" else "001 §6",
            effort=e,
            family_involvement=c == "family_involvement",
        )
        for (c, t, a, e), (o, d) in zip(rows, offsets, strict=True)
    )
    return TimetableTemplate(
        code=code, title=title, source="001 §6", timing_source=_SCR_TIMING, stages=stages
    )


SCR_INTENSIVE = _scr(
    "scr_intensive",
    "Intensive Serious Case Review (North West framework)",
    # (opens, due) working days after the start, for each stage in turn
    [
        (1, 5),
        (6, 25),
        (26, 30),
        (31, 35),
        (36, 50),
        (51, 60),
        (61, 70),
        (71, 75),
        (76, 80),
        (81, 90),
        (91, 105),
        (106, 120),
    ],
    forum_effort="1 day",
    analysis_effort="2 or more half-day sessions",
)

SCR_TARGETED = _scr(
    "scr_targeted",
    "Targeted Serious Case Review (North West framework)",
    [
        (1, 5),
        (6, 20),
        (21, 25),
        (26, 30),
        (31, 40),
        (41, 45),
        (46, 50),
        (51, 55),
        (56, 60),
        (61, 70),
        (71, 80),
        (81, 95),
    ],
    forum_effort="up to 1 day",
    analysis_effort="1 or 2 half-day sessions",
)

GREATER_MANCHESTER_SCR = TimetableTemplate(
    code="greater_manchester_scr",
    title="Serious Case Review, Greater Manchester systems approach",
    source="002 §2",
    timing_source=(
        "order from 002 §2; working-day offsets are product defaults that finish within "
        "the six-month aim (003 SCR checklist)"
    ),
    stages=(
        StageTemplate(
            "threshold_meeting",
            "SCR threshold meeting",
            "Agree the panel, lead reviewer, timetable and period under review; start the "
            "genogram; name the agencies, the parallel processes and an independent panel "
            "chair; ask key agencies for their timelines.",
            1,
            5,
            source="002 §2.1",
        ),
        StageTemplate(
            "initial_review_panel_meeting",
            "Initial review panel meeting",
            "Check Ofsted, the DfE and the National Panel were told; agree the merged "
            "timeline, the family members to invite and the single agency analysis reports; "
            "confirm parallel processes; set the timetable with room for slippage; plan the "
            "learning event.",
            6,
            20,
            source="002 §2.3",
        ),
        StageTemplate(
            "single_agency_analysis_reports",
            "Single agency analysis reports",
            "Each agency writes its analysis report and single agency action plan.",
            21,
            40,
            source="002 §2.4",
        ),
        StageTemplate(
            "family_engagement",
            "Family engagement",
            "Family members are told about the review, supported, and helped to contribute.",
            21,
            50,
            source="002 §2.5; 001 §6 note 9",
            family_involvement=True,
        ),
        StageTemplate(
            "learning_event",
            "Learning event",
            "The lead reviewer runs the practitioners' learning event with the panel.",
            51,
            60,
            source="002 §2.6",
        ),
        StageTemplate(
            "panel_learning_event_outcomes",
            "Review panel meeting: outcomes of the learning event",
            "The first of at least two further panel meetings reviews the learning event.",
            61,
            70,
            source="002 §2.7",
        ),
        StageTemplate(
            "panel_draft_report",
            "Review panel meeting: draft report",
            "The second further panel meeting comments on the draft SCR report.",
            71,
            90,
            source="002 §2.7",
        ),
        StageTemplate(
            "final_report_to_panel",
            "Final report to the review panel",
            "The panel quality-assures the final report and shapes its recommendations.",
            91,
            100,
            source="002 §2.8",
        ),
        StageTemplate(
            "final_report_to_board",
            "Final report to the board",
            "The lead reviewer, with the panel chair, presents the report to the board.",
            101,
            105,
            source="002 §2.8",
        ),
        StageTemplate(
            "board_response_action_plan",
            "Board response and action plan",
            "The board agrees its response and an action plan, including a publication "
            "timeline and feedback to practitioners and the family.",
            106,
            115,
            source="002 §2.9",
        ),
        StageTemplate(
            "sign_off_and_copies",
            "Sign-off and copies to national bodies",
            "The board signs the report off and sends copies to Ofsted, the DfE and the National Panel.",
            116,
            125,
            source="002 §2.9",
        ),
    ),
)

TIMETABLE_TEMPLATES: dict[str, TimetableTemplate] = {
    t.code: t for t in (BELOW_THRESHOLD_SEVEN_WEEKS, SCR_INTENSIVE, SCR_TARGETED, GREATER_MANCHESTER_SCR)
}


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


def _require_date(value: object, name: str) -> date:
    if not is_plain_date(value):
        raise ScheduleInputError([{"field": name, "message": "must be a date"}])
    return value


def plan_timetable(template: TimetableTemplate | str, start: date, calendar: WorkingCalendar) -> list[Stage]:
    """The template's stages planned from ``start`` (day 0) on the board's calendar."""
    t = _template(template)
    _require_date(start, "start")
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
        self.start = _require_date(start, "start")
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
        _require_date(done_on, "done_on")
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
        _require_date(on, "resumed_on")
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
                if q.covers(stage) and q.paused_on <= on and q.resumed_on >= since
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


# -- period under review ------------------------------------------------------------------


REVIEW_PERIOD_MONTHS = 12
REVIEW_PERIOD_EXCEPTIONAL_MONTHS = 24
REVIEW_PERIOD_SOURCE = "002 §2.1"


@dataclass(frozen=True)
class ReviewPeriod:
    start: date
    end: date  # the incident
    exceptional_reason: str | None = None  # recorded only when the period needs one

    @property
    def exceptional(self) -> bool:
        """True when the period reaches back more than 12 months before the incident."""
        return self.exceptional_reason is not None


def check_review_period(
    start: date, incident_on: date, exceptional_reason: str | None = None
) -> ReviewPeriod:
    """Check the period under review: it looks back from the incident no more than
    12 calendar months, or up to 24 when an exceptional reason is recorded (002 §2.1).
    """
    _require_date(incident_on, "incident_on")
    _require_date(start, "review_period_start")
    reason = exceptional_reason.strip() if isinstance(exceptional_reason, str) else None
    if start > incident_on:
        raise ScheduleInputError(
            [{"field": "review_period_start", "message": "must not be after the incident"}]
        )
    if start >= add_months(incident_on, -REVIEW_PERIOD_MONTHS):
        return ReviewPeriod(start, incident_on)  # no reason needed, none kept
    limit = add_months(incident_on, -REVIEW_PERIOD_EXCEPTIONAL_MONTHS)
    if start < limit:
        raise ScheduleInputError(
            [
                {
                    "field": "review_period_start",
                    "message": f"a review looks back at most {REVIEW_PERIOD_EXCEPTIONAL_MONTHS} "
                    f"months before the incident, so not before {limit.isoformat()} "
                    f"({REVIEW_PERIOD_SOURCE})",
                }
            ]
        )
    if not reason:
        raise ScheduleInputError(
            [
                {
                    "field": "exceptional_reason",
                    "message": f"looking back more than {REVIEW_PERIOD_MONTHS} months before the "
                    f"incident needs a recorded exceptional reason ({REVIEW_PERIOD_SOURCE})",
                }
            ]
        )
    return ReviewPeriod(start, incident_on, reason)
