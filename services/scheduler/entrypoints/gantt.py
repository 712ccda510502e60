"""A case's stages and deadlines as a chart drawn on the server (SVG, no script needed)."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from typing import Any

from markupsafe import Markup

STATUS_COLOUR = {
    "overdue": "#d4351c",
    "due_soon": "#f47738",
    "pending": "#1d70b8",
    "met": "#00703c",
    "met_late": "#a36a00",  # amber, dark enough to stand out on white (4.5:1)
    "waived": "#505a5f",
}


def gantt_svg(deadlines: list[dict[str, Any]], stages: list[dict[str, Any]], on: date) -> Markup:
    """One row per stage (a bar from its opening to its planned date) or deadline (a diamond).

    ``deadlines`` are deadline items (ISO ``due``, ``code``, ``status``); ``stages`` have
    ``title`` and the dates ``opens_on``, ``planned_on`` and ``done_on``.
    """
    rows = [("stage", s) for s in stages] + [("deadline", d) for d in deadlines]
    if not rows:
        return Markup("")
    dates = [date.fromisoformat(d["due"]) for d in deadlines]
    for s in stages:
        dates += [s["opens_on"], s["planned_on"]]
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
            s0, s1 = item["opens_on"], item["planned_on"]
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
