"""The board's calendar closures: the days the board is closed, added and removed by its
business unit and administrators (``service_layer/closures.py``). Linked from the board's
settings; every change is in the audit log."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, g, get_flashed_messages, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from services.scheduler.entrypoints.schedule_forms import DayField, add_errors, error_list
from services.scheduler.service_layer import closures
from shared import audit
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.framework import today_in_england
from shared.words import long_date

blueprint = Blueprint("closures", __name__)
KEEPERS = ("business_unit", "admin")
PAGE = "/schedule/closures"


class ClosureForm(FlaskForm):
    day = DayField(
        "Which day is the board closed?",
        called="The closure day",
        required="Enter the day the board is closed",
        past_only=False,
        ahead=timedelta(days=2 * 366),
    )


class RemoveForm(FlaskForm):
    """A remove button: only its CSRF token."""


def _page(
    form: ClosureForm, errors: list[dict[str, str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    board_id = g.principal.board_id
    return render_template(
        "closures.html",
        title="Calendar closures",
        form=form,
        errors=errors if errors is not None else error_list(form),
        closures=closures.closures(board_id),
        bank_holidays=closures.upcoming_bank_holidays(board_id, today_in_england()),
        messages=get_flashed_messages(category_filter=["closures"]),
    ), status


@blueprint.route(PAGE, methods=["GET", "POST"])
@members(*KEEPERS)
def closures_page() -> ResponseReturnValue:
    form = ClosureForm()
    if not form.is_submitted():
        return _page(ClosureForm(formdata=None))
    day = form.day.data if form.validate() else None
    if day is None:
        return _page(form, status=422)
    try:
        closures.add(g.principal.board_id, day)
    except InvalidInput as exc:
        return _page(form, add_errors(form, exc.errors()), 422)
    audit.record("board.closure_added", resource=("board", g.principal.board_id), detail=day.isoformat())
    flash(f"The board is closed on {long_date(day)}.", "closures")
    return redirect(url_for("closures.closures_page"))


@blueprint.post(f"{PAGE}/<day>/remove")
@members(*KEEPERS)
def remove(day: str) -> ResponseReturnValue:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if RemoveForm().validate_on_submit():
        if not closures.remove(g.principal.board_id, when):
            abort(404)
        audit.record(
            "board.closure_removed", resource=("board", g.principal.board_id), detail=when.isoformat()
        )
        flash(f"{long_date(when)} is a working day again.", "closures")
    return redirect(url_for("closures.closures_page"))
