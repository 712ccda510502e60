"""Schedule pages: a case's stages and deadlines as a chart, and the board's next 30 days."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from flask import Blueprint, current_app, g, render_template
from markupsafe import Markup

from services.scheduler.adapters.store import Schedule, Timetable
from services.scheduler.service_layer import handlers
from shared.audit import audited
from shared.auth.access import members

blueprint = Blueprint("schedule_pages", __name__, template_folder="../templates")
STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")
STATUS_COLOUR = {
    "overdue": "#d4351c",
    "due_soon": "#f47738",
    "pending": "#1d70b8",
    "met": "#00703c",
    "waived": "#505a5f",
}


def gantt_svg(deadlines: list[dict], stages: list[dict], on: date) -> Markup:
    """A chart drawn on the server: one row per stage (a bar) or deadline (a diamond)."""
    rows = [("stage", s) for s in stages] + [("deadline", d) for d in deadlines]
    if not rows:
        return Markup("")
    dates = [date.fromisoformat(d["due"]) for d in deadlines]
    for s in stages:
        dates.append(date.fromisoformat(s["planned_on"]))
        if s.get("ends_on"):
            dates.append(date.fromisoformat(s["ends_on"]))
    start, end = min(dates + [on]) - timedelta(days=3), max(dates + [on]) + timedelta(days=3)
    span = max((end - start).days, 1)
    label_w, chart_w, row_h = 260, 560, 26
    height = 30 + row_h * len(rows)

    def x(d: date) -> float:
        return label_w + chart_w * (d - start).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + chart_w + 10}" '
        f'height="{height}" aria-labelledby="gantt-title">',
        '<title id="gantt-title">Timetable and deadlines</title>',
        f'<text x="{label_w}" y="14" font-size="12">{escape(start.isoformat())}</text>',
        f'<text x="{label_w + chart_w - 70}" y="14" font-size="12">{escape(end.isoformat())}</text>',
        f'<line x1="{x(on):.1f}" y1="20" x2="{x(on):.1f}" y2="{height}" stroke="#0b0c0c" '
        'stroke-dasharray="4 3"><title>Today</title></line>',
    ]
    for i, (kind, item) in enumerate(rows):
        y = 30 + i * row_h
        if kind == "stage":
            s0 = date.fromisoformat(item["planned_on"])
            s1 = date.fromisoformat(item["ends_on"]) if item.get("ends_on") else s0
            label = item["title"]
            colour = "#00703c" if item.get("done_on") else "#1d70b8"
            parts.append(
                f'<rect x="{x(s0):.1f}" y="{y + 4}" width="{max(x(s1) - x(s0), 4):.1f}" height="14" '
                f'fill="{colour}"><title>{escape(label)}: {s0} to {s1}</title></rect>'
            )
        else:
            due = date.fromisoformat(item["due"])
            label = f"{item['code'].replace('_', ' ')} ({item['status'].replace('_', ' ')})"
            cx, cy = x(due), y + 11
            parts.append(
                f'<polygon points="{cx:.1f},{cy - 7} {cx + 7:.1f},{cy} {cx:.1f},{cy + 7} {cx - 7:.1f},{cy}" '
                f'fill="{STATUS_COLOUR.get(item["status"], "#1d70b8")}"><title>{escape(label)}: due '
                f"{due}</title></polygon>"
            )
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{escape(label[:38])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stages_of(case_id: str) -> list[dict]:
    timetable = Timetable.objects(case_id=case_id).first()
    if timetable is None:
        return []
    stages = []
    for s in timetable.state.get("stages", []):
        stages.append({**s, "ends_on": s["planned_on"], "planned_on": s["opens_on"]})
    return stages


@blueprint.get("/schedule/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "schedule", "case_id")
def case_schedule(case_id: str):
    schedule = handlers.schedule_for(g.principal, case_id)
    on = handlers.today()
    deadlines = handlers.deadline_items(schedule, on, current_app.config["SETTINGS"].DUE_SOON_WORKING_DAYS)
    stages = stages_of(case_id)
    return render_template(
        "schedule.html",
        title=f"Schedule for {schedule.reference or case_id}",
        schedule=schedule,
        deadlines=deadlines,
        stages=stages,
        chart=gantt_svg(deadlines, stages, on),
    )


@blueprint.get("/schedule")
@members(*STAFF)
@audited("case.list", "schedule")
def board_schedule():
    on = handlers.today()
    until = on + timedelta(days=30)
    due_soon_days = current_app.config["SETTINGS"].DUE_SOON_WORKING_DAYS
    rows = []
    for schedule in Schedule.objects(board_id=g.principal.board_id):
        for item in handlers.deadline_items(schedule, on, due_soon_days):
            due = date.fromisoformat(item["due"])
            if item["status"] in ("met", "waived"):
                continue
            if due <= until:
                rows.append({**item, "reference": schedule.reference, "case_id": schedule.case_id})
    rows.sort(key=lambda r: r["due"])
    return render_template("board_schedule.html", title="Due in the next 30 days", rows=rows, until=until)
