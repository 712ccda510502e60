"""The board dashboard (``/dashboard``) for the business unit, the Chair and admins: each figure
of :mod:`..domain.dashboard` as a chart drawn on the server (accessible SVG, no script) with its
data table beside it, for a year chosen with a GET form, and the same figures as CSV
(``/dashboard.csv``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from flask import Blueprint, Response, g, render_template, request
from flask.typing import ResponseReturnValue

from services.scheduler.adapters.dashboard_svg import bar_chart, number
from services.scheduler.domain.dashboard import Dashboard
from services.scheduler.entrypoints.home import board_agencies
from services.scheduler.service_layer.dashboard import dashboard
from shared.audit import audited
from shared.auth.access import members
from shared.framework import today_in_england
from shared.words import plain

blueprint = Blueprint("dashboard", __name__, template_folder="../templates")

VIEWERS = ("business_unit", "chair", "admin")
YEARS_BACK = 6
# Next year too: in the autumn, actions and deadlines already fall due in it.
YEARS_AHEAD = 1
WORDS = {
    "awaiting_decision": "Awaiting the Chair's decision",
    "on_time": "Met on time",
    "late": "Met late",
    "overdue": "Overdue",
    "to_come": "Still to come",
    "open": "Open",
    "closed": "Closed",
    "referral_to_decision": "Referral to decision",
    "decision_to_publication": "Decision to publication",
}


def _year(today: date) -> tuple[int, str | None]:
    """The year asked for, or this year with the reason the one asked for was refused."""
    asked = request.args.get("year", "").strip()
    if not asked:
        return today.year, None
    first, last = today.year - YEARS_BACK + 1, today.year + YEARS_AHEAD
    if asked.isdigit() and first <= int(asked) <= last:
        return int(asked), None
    return today.year, f"Choose a year from {first} to {last}"


def _figures() -> tuple[Dashboard, str | None, dict[str, str]]:
    today = today_in_england()
    year, error = _year(today)
    board_id = g.principal.board_id
    return dashboard(board_id, year, today), error, board_agencies(board_id)


def _label(agencies: dict[str, str]) -> Callable[[str], str]:
    def label(code: str) -> str:
        # The dashboard's own words for its rows ("Awaiting the Chair's decision"), not the
        # product's: elsewhere the same status reads "Awaiting decision".
        return agencies.get(code) or WORDS.get(code) or plain(code, "Not recorded")

    return label


@blueprint.get("/dashboard")
@members(*VIEWERS)
@audited("dashboard.read", "dashboard")
def page() -> ResponseReturnValue:
    figures, error, agencies = _figures()
    label = _label(agencies)
    today = today_in_england()
    charts = [
        {
            "table": t,
            "svg": bar_chart(t, label),
            "rows": [(label(k), number(v, t.unit)) for k, v in t.rows],
        }
        for t in figures.tables
    ]
    years = list(range(today.year + YEARS_AHEAD, today.year - YEARS_BACK, -1))
    status = 400 if error else 200
    return (
        render_template(
            "dashboard.html",
            title="Board dashboard",
            figures=figures,
            charts=charts,
            years=years,
            error=error,
        ),
        status,
    )


@blueprint.get("/dashboard.csv")
@members(*VIEWERS)
@audited("dashboard.export", "dashboard")
def export() -> ResponseReturnValue:
    figures, _, agencies = _figures()
    label = _label(agencies)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Figure", "Row", "Value", "Unit", "Year"])
    for t in figures.tables:
        for key, value in t.rows:
            writer.writerow([t.title, label(key), number(value, "count"), t.unit, figures.year])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=board-dashboard-{figures.year}.csv"},
    )
