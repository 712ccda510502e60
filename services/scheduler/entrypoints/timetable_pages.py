"""The review timetable's forms: planning it from a template, moving a stage's date with the
reason, marking a stage done, and holding the review while a parallel process runs. The
handlers are the API's (:mod:`.timetables_api`)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from services.scheduler.domain.timetable_templates import TIMETABLE_TEMPLATES
from services.scheduler.domain.timetables import FURTHEST_PLANNED, PARALLEL_PROCESSES
from services.scheduler.entrypoints import web
from services.scheduler.entrypoints.pages import PLANNERS, blueprint, timetable_of
from services.scheduler.entrypoints.schedule_forms import (
    DoneForm,
    PauseForm,
    PlanForm,
    ReplanForm,
    ResumeForm,
    add_errors,
    error_list,
)
from services.scheduler.service_layer.deadlines import CaseSchedule
from services.scheduler.service_layer.messages import (
    GetCaseSchedule,
    MarkStageDone,
    Message,
    PauseTimetable,
    PlanTimetable,
    ReplanStage,
    ResumeTimetable,
)
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.words import plain


def _schedule(case_id: str) -> CaseSchedule:
    found: CaseSchedule = web.handle(GetCaseSchedule(g.principal.board_id, case_id))
    return found


def _render(
    template: str, schedule: CaseSchedule, form: Any, errors: list[dict[str, str]] | None = None, **more: Any
) -> ResponseReturnValue:
    status = more.pop("status", 200)
    return render_template(
        template,
        case_id=schedule.case_id,
        reference=schedule.reference,
        form=form,
        errors=errors if errors is not None else error_list(form),
        **more,
    ), status


def _send(
    command: Message, template: str, schedule: CaseSchedule, form: Any, done: str, **more: Any
) -> ResponseReturnValue:
    try:
        web.handle(command)
    except DomainError as exc:
        return _render(template, schedule, form, add_errors(form, exc.errors()), status=exc.status, **more)
    flash(done, "schedule")
    return redirect(url_for(".case_schedule", case_id=schedule.case_id))


# -- planning the timetable ------------------------------------------------------------------------


def _plan_form(formdata: bool) -> PlanForm:
    form = PlanForm() if formdata else PlanForm(formdata=None)
    form.offer({code: t.title for code, t in TIMETABLE_TEMPLATES.items()})
    return form


def _render_plan(schedule: CaseSchedule, form: PlanForm, **more: Any) -> ResponseReturnValue:
    return _render(
        "plan.html", schedule, form, title=f"Plan the review's timetable: case {schedule.reference}", **more
    )


@blueprint.get("/schedule/cases/<case_id>/plan")
@members(*PLANNERS)
@audited("case.read", "timetable", "case_id")
def plan_page(case_id: str) -> ResponseReturnValue:
    schedule = _schedule(case_id)
    if timetable_of(case_id) is not None:
        return redirect(url_for(".case_schedule", case_id=case_id))
    return _render_plan(schedule, _plan_form(formdata=False))


@blueprint.post("/schedule/cases/<case_id>/plan")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def plan(case_id: str) -> ResponseReturnValue:
    schedule = _schedule(case_id)
    form = _plan_form(formdata=True)
    if not form.validate():
        return _render_plan(schedule, form, status=422)
    command = PlanTimetable(
        g.principal.board_id,
        case_id,
        form.template.data,
        form.start_on.entered(),
        form.review_period_start.entered(),
        (form.exceptional_reason.data or "").strip() or None,
    )
    return _send(
        command, "plan.html", schedule, form, "Timetable planned", title="Plan the review's timetable"
    )


# -- a stage: a new date, or done ----------------------------------------------------------------


def _stage(case_id: str, code: str) -> Any:
    timetable = timetable_of(case_id)
    stage = next((s for s in timetable.timetable.stages if s.code == code), None) if timetable else None
    if stage is None:
        abort(404)
    return stage


def _replan_form(formdata: bool) -> ReplanForm:
    form = ReplanForm() if formdata else ReplanForm(formdata=None)
    form.configure(FURTHEST_PLANNED)  # a plan may lie further ahead than other dates
    return form


@blueprint.get("/schedule/cases/<case_id>/stages/<code>/replan")
@members(*PLANNERS)
@audited("case.read", "timetable", "case_id")
def replan_page(case_id: str, code: str) -> ResponseReturnValue:
    stage = _stage(case_id, code)
    form = _replan_form(formdata=False)
    return _render(
        "replan.html", _schedule(case_id), form, stage=stage, title=f"Change the date of {stage.title}"
    )


@blueprint.post("/schedule/cases/<case_id>/stages/<code>/replan")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def replan(case_id: str, code: str) -> ResponseReturnValue:
    stage, schedule = _stage(case_id, code), _schedule(case_id)
    form = _replan_form(formdata=True)
    more = {"stage": stage, "title": f"Change the date of {stage.title}"}
    if not form.validate():
        return _render("replan.html", schedule, form, status=422, **more)
    command = ReplanStage(
        g.principal.board_id, case_id, code, form.planned_on.entered(), (form.reason.data or "").strip()
    )
    return _send(command, "replan.html", schedule, form, f"New date for {stage.title}", **more)


@blueprint.get("/schedule/cases/<case_id>/stages/<code>/done")
@members(*PLANNERS)
@audited("case.read", "timetable", "case_id")
def done_page(case_id: str, code: str) -> ResponseReturnValue:
    stage = _stage(case_id, code)
    return _render(
        "stage_done.html",
        _schedule(case_id),
        DoneForm(formdata=None),
        stage=stage,
        title=f"Mark {stage.title} done",
    )


@blueprint.post("/schedule/cases/<case_id>/stages/<code>/done")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def done(case_id: str, code: str) -> ResponseReturnValue:
    stage, schedule = _stage(case_id, code), _schedule(case_id)
    form = DoneForm()
    more = {"stage": stage, "title": f"Mark {stage.title} done"}
    if not form.validate():
        return _render("stage_done.html", schedule, form, status=422, **more)
    command = MarkStageDone(g.principal.board_id, case_id, code, form.done_on.entered())
    return _send(command, "stage_done.html", schedule, form, f"{stage.title}: done", **more)


# -- holding the review while a parallel process runs, and ending the hold ------------------------


def _processes(case_id: str) -> tuple[Any, dict[str, str]]:
    """The timetable, and the parallel processes not holding it now (each may hold it once at a time)."""
    timetable = timetable_of(case_id)
    if timetable is None:
        abort(404)
    holding = {p.process for p in timetable.timetable.pauses if p.active}
    free = {code: plain(code) for code in PARALLEL_PROCESSES if code not in holding}
    return timetable, free


def _pause_form(free: dict[str, str], formdata: bool) -> PauseForm:
    form = PauseForm() if formdata else PauseForm(formdata=None)
    form.offer(free)
    return form


@blueprint.get("/schedule/cases/<case_id>/pauses")
@members(*PLANNERS)
@audited("case.read", "timetable", "case_id")
def pause_page(case_id: str) -> ResponseReturnValue:
    _, free = _processes(case_id)
    return _render(
        "pause.html", _schedule(case_id), _pause_form(free, formdata=False), title="Hold the review"
    )


@blueprint.post("/schedule/cases/<case_id>/pauses")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def pause(case_id: str) -> ResponseReturnValue:
    _, free = _processes(case_id)
    schedule, form = _schedule(case_id), _pause_form(free, formdata=True)
    if not form.validate():
        return _render("pause.html", schedule, form, status=422, title="Hold the review")
    command = PauseTimetable(
        g.principal.board_id,
        case_id,
        form.held_by.data,
        form.paused_on.entered(),
        form.scope.data,
        (form.note.data or "").strip(),
    )
    done = f"The review is held for {PARALLEL_PROCESSES[form.held_by.data]}"
    return _send(command, "pause.html", schedule, form, done, title="Hold the review")


@blueprint.get("/schedule/cases/<case_id>/pauses/<process>/resume")
@members(*PLANNERS)
@audited("case.read", "timetable", "case_id")
def resume_page(case_id: str, process: str) -> ResponseReturnValue:
    held = _held(case_id, process)
    return _render(
        "resume.html", _schedule(case_id), ResumeForm(formdata=None), held=held, title="End the hold"
    )


def _held(case_id: str, process: str) -> Any:
    timetable = timetable_of(case_id)
    found = (
        next((p for p in timetable.timetable.pauses if p.active and p.process == process), None)
        if timetable
        else None
    )
    if found is None:
        abort(404)
    return found


@blueprint.post("/schedule/cases/<case_id>/pauses/<process>/resume")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def resume(case_id: str, process: str) -> ResponseReturnValue:
    held, schedule, form = _held(case_id, process), _schedule(case_id), ResumeForm()
    if not form.validate():
        return _render("resume.html", schedule, form, status=422, held=held, title="End the hold")
    command = ResumeTimetable(g.principal.board_id, case_id, process, form.resumed_on.entered())
    done = f"The hold for {PARALLEL_PROCESSES[process]} has ended: held stages move on"
    return _send(command, "resume.html", schedule, form, done, held=held, title="End the hold")
