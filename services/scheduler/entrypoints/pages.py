"""Schedule pages: a case's stages and deadlines as a chart, and the board's next 30 days."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from services.scheduler.entrypoints import web
from services.scheduler.entrypoints.gantt import gantt_svg
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.deadlines import CaseSchedule, DeadlinesDue
from services.scheduler.service_layer.messages import GetBoardDeadlinesDue, GetCaseSchedule
from shared.audit import audited
from shared.auth.access import members
from shared.pagination import PER_PAGE, Page, PageQuery

blueprint = Blueprint("schedule_pages", __name__, template_folder="../templates")


@blueprint.get("/schedule/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "schedule", "case_id")
def case_schedule(case_id: str) -> ResponseReturnValue:
    schedule: CaseSchedule = web.handle(GetCaseSchedule(g.principal.board_id, case_id))
    return render_template(
        "schedule.html",
        title=f"Schedule for {schedule.reference or case_id}",
        deadlines=schedule.deadlines,
        chart=gantt_svg(schedule.deadlines, schedule.stages, schedule.today),
    )


@blueprint.get("/schedule")
@members(*STAFF)
@audited("case.list", "schedule")
def board_schedule() -> ResponseReturnValue:
    page, per_page = page_asked()
    due: DeadlinesDue = web.handle(GetBoardDeadlinesDue(g.principal.board_id, 30, page, per_page))
    return render_template(
        "board_schedule.html",
        title="Due in the next 30 days",
        rows=due.rows.items,
        pager=pager(due.rows, "deadlines"),
        until=due.until,
    )


def page_asked() -> tuple[int, int]:
    """``page`` and ``per_page`` from the address; the first page when they are not numbers in range
    (only an edited address has them so, and the list is still the right one)."""
    asked = {k: request.args[k] for k in ("page", "per_page") if request.args.get(k)}
    try:
        loaded = PageQuery().load(asked)
    except ValidationError:
        loaded = PageQuery().load({})
    return loaded["page"], loaded["per_page"]


def pager(page: Page[Any], noun: str) -> dict[str, Any]:
    """The total, which of them the page shows, and the GOV.UK pagination links (None for one page)."""
    first = (page.page - 1) * page.per_page + 1
    if page.items:
        summary = f"Showing {first:,} to {first + len(page.items) - 1:,} of {page.total:,} {noun}"
    else:
        summary = f"{page.total:,} {noun}" if page.total else f"No {noun}"
    size = "" if page.per_page == PER_PAGE else f"&per_page={page.per_page}"

    def href(number: int) -> str:
        return f"{request.path}?page={number}{size}"

    if page.pages == 1:
        return {"summary": summary, "nav": None}
    shown = sorted({1, page.pages, *range(max(1, page.page - 1), min(page.pages, page.page + 1) + 1)})
    items: list[dict[str, Any]] = []
    for number, before in zip(shown, [0, *shown], strict=False):
        if number - before > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.page})
    nav: dict[str, Any] = {"items": items, "landmarkLabel": noun}
    if page.has_previous:
        nav["previous"] = {"href": href(min(page.page, page.pages + 1) - 1)}
    if page.has_next:
        nav["next"] = {"href": href(page.page + 1)}
    return {"summary": summary, "nav": nav}
