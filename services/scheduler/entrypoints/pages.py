"""Schedule pages: a case's timetable and deadlines as a chart and tables, the board's next 30
days, and waiving a deadline (with its reason, after a confirmation). The timetable's forms are
in :mod:`.timetable_pages`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from services.scheduler.domain.timetables import PARALLEL_PROCESSES
from services.scheduler.entrypoints import web
from services.scheduler.entrypoints.gantt import gantt_svg
from services.scheduler.entrypoints.schedule_forms import WaiveForm, add_errors, error_list
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.deadlines import CaseSchedule, DeadlinesDue
from services.scheduler.service_layer.messages import (
    GetBoardDeadlinesDue,
    GetCaseSchedule,
    GetTimetable,
    WaiveDeadline,
)
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError, NotFound
from shared.pager import page_asked, pager
from shared.words import plain, register

blueprint = Blueprint("schedule_pages", __name__, template_folder="../templates")

WAIVERS = ("business_unit", "chair", "admin")  # as the API's waive
PLANNERS = ("business_unit", "admin")  # as the API's timetable changes
OPEN = ("pending", "due_soon", "overdue")  # a deadline that can still be waived

# How each status of a deadline is shown: GOV.UK tag colours, and words. A deadline met late is
# amber (the yellow tag), not green: late is not on time.
STATUS_TAGS = {
    "pending": "govuk-tag--blue",
    "due_soon": "govuk-tag--orange",
    "overdue": "govuk-tag--red",
    "met": "govuk-tag--green",
    "met_late": "govuk-tag--yellow",
    "waived": "govuk-tag--grey",
}
STATUS_WORDS = {
    "pending": "Pending",
    "due_soon": "Due soon",
    "overdue": "Overdue",
    "met": "Met on time",
    "met_late": "Met late",
    "waived": "Waived",
}


# The parallel processes as the pages name them ("The coroner's inquest").
register({code: text[:1].upper() + text[1:] for code, text in PARALLEL_PROCESSES.items()})


@blueprint.context_processor
def statuses() -> dict[str, dict[str, str]]:
    return {"status_tags": STATUS_TAGS, "status_words": STATUS_WORDS}


def shown(deadline: dict[str, Any]) -> dict[str, Any]:
    """A deadline as the pages show it: its dates as dates, for the ``long_date`` filter."""
    met = deadline.get("met_on")
    return {
        **deadline,
        "due": date.fromisoformat(deadline["due"]),
        "met_on": date.fromisoformat(met) if met else None,
    }


def timetable_of(case_id: str) -> Any:
    """The case's review timetable, or None before it is planned."""
    try:
        return web.handle(GetTimetable(g.principal.board_id, case_id))
    except NotFound:
        return None


@blueprint.get("/schedule/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "schedule", "case_id")
def case_schedule(case_id: str) -> ResponseReturnValue:
    schedule: CaseSchedule = web.handle(GetCaseSchedule(g.principal.board_id, case_id))
    return render_template(
        "schedule.html",
        title=f"Schedule for {schedule.reference or case_id}",
        case_id=case_id,
        reference=schedule.reference,
        deadlines=[shown(d) for d in schedule.deadlines],
        counts=schedule.counts,
        chart=gantt_svg(schedule.deadlines, schedule.stages, schedule.today),
        timetable=timetable_of(case_id),
        can_waive=g.principal.has_any(WAIVERS),
        can_plan=g.principal.has_any(PLANNERS),
        open_statuses=OPEN,
        done=get_flashed_messages(category_filter=["schedule"]),
        feed_form=FlaskForm(),
    )


@blueprint.get("/schedule")
@members(*STAFF)
@audited("case.list", "schedule")
def board_schedule() -> ResponseReturnValue:
    due: DeadlinesDue = web.handle(GetBoardDeadlinesDue(g.principal.board_id, 30, **page_asked()))
    return render_template(
        "board_schedule.html",
        title="Due in the next 30 days",
        rows=due.rows.items,
        pager=pager(due.rows, "deadlines"),
        until=due.until,
        done=get_flashed_messages(category_filter=["schedule"]),
        feed_form=FlaskForm(),
    )


# -- waiving a deadline ----------------------------------------------------------------------------


def _deadline(case_id: str, deadline_id: str) -> tuple[CaseSchedule, dict[str, Any]]:
    schedule: CaseSchedule = web.handle(GetCaseSchedule(g.principal.board_id, case_id))
    found = next((d for d in schedule.deadlines if d["id"] == deadline_id), None)
    if found is None:
        abort(404)
    return schedule, shown(found)


def _render_waive(
    schedule: CaseSchedule,
    deadline: dict[str, Any],
    form: WaiveForm,
    *,
    confirm: bool = False,
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "waive_confirm.html" if confirm else "waive.html",
        title=("Are you sure you want to waive this deadline?" if confirm else "Waive a deadline")
        + f": case {schedule.reference or schedule.case_id}",
        case_id=schedule.case_id,
        reference=schedule.reference,
        deadline=deadline,
        form=form,
        can_waive=deadline["status"] in OPEN,
        errors=errors if errors is not None else error_list(form),
    ), status


@blueprint.get("/schedule/cases/<case_id>/deadlines/<deadline_id>/waive")
@members(*WAIVERS)
@audited("case.read", "deadline", "deadline_id")
def waive_page(case_id: str, deadline_id: str) -> ResponseReturnValue:
    schedule, deadline = _deadline(case_id, deadline_id)
    return _render_waive(schedule, deadline, WaiveForm(formdata=None))


@blueprint.post("/schedule/cases/<case_id>/deadlines/<deadline_id>/waive")
@members(*WAIVERS)
@audited("case.write", "deadline", "deadline_id")
def waive(case_id: str, deadline_id: str) -> ResponseReturnValue:
    """First the reason; then a confirmation page, which sends the reason back with
    ``confirmed``; only then is the deadline waived."""
    schedule, deadline = _deadline(case_id, deadline_id)
    form = WaiveForm()
    if not form.validate():
        return _render_waive(schedule, deadline, form, status=422)
    if request.form.get("action") == "change":  # back from the confirmation, the reason kept
        return _render_waive(schedule, deadline, form)
    if form.confirmed.data != "yes":
        form.confirmed.data = "yes"
        return _render_waive(schedule, deadline, form, confirm=True)
    reason = (form.reason.data or "").strip()
    try:
        web.handle(WaiveDeadline(g.principal.board_id, g.principal.user_id, deadline_id, reason))
    except DomainError as exc:
        errors = add_errors(form, exc.errors())
        return _render_waive(schedule, deadline, form, errors=errors, status=exc.status)
    flash(f"Deadline waived: {plain(deadline['code'])}", "schedule")
    return redirect(url_for(".case_schedule", case_id=case_id))


# The timetable's forms and the calendar links are views of this blueprint too.
from services.scheduler.entrypoints import feed_pages, timetable_pages  # noqa: E402, F401
