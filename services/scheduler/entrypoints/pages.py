"""Schedule pages: a case's stages and deadlines as a chart, and the board's next 30 days."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask.typing import ResponseReturnValue

from services.scheduler.entrypoints import web
from services.scheduler.entrypoints.gantt import gantt_svg
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.deadlines import CaseSchedule, DeadlinesDue
from services.scheduler.service_layer.messages import GetBoardDeadlinesDue, GetCaseSchedule
from shared.audit import audited
from shared.auth.access import members
from shared.pager import page_asked, pager

blueprint = Blueprint("schedule_pages", __name__, template_folder="../templates")

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


@blueprint.context_processor
def statuses() -> dict[str, dict[str, str]]:
    return {"status_tags": STATUS_TAGS, "status_words": STATUS_WORDS}


@blueprint.get("/schedule/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "schedule", "case_id")
def case_schedule(case_id: str) -> ResponseReturnValue:
    schedule: CaseSchedule = web.handle(GetCaseSchedule(g.principal.board_id, case_id))
    return render_template(
        "schedule.html",
        title=f"Schedule for {schedule.reference or case_id}",
        deadlines=schedule.deadlines,
        counts=schedule.counts,
        chart=gantt_svg(schedule.deadlines, schedule.stages, schedule.today),
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
    )
