"""The chronology pages: an agency's author adds, changes and removes entries (each saved as it is
made, so the author can come back later) or imports them from a CSV file; the business unit, the
Chair and the panel read every agency's submitted and accepted entries merged, filtered by agency
and period. The views call the service layer the API calls, with the same roles, audited alike."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from wtforms import SelectField

from services.reviews.adapters.records import load_entry
from services.reviews.domain.vocabulary import SIGNIFICANCE_QUESTIONS
from services.reviews.entrypoints.api import _deps, _on_behalf, _today, _viewer
from services.reviews.entrypoints.chronology_csv import OPTIONAL, REQUIRED, read_chronology
from services.reviews.entrypoints.forms_common import ConfirmForm, DayField, Select, error_list, with_problems
from services.reviews.entrypoints.forms_contributions import EntryForm, ImportForm
from services.reviews.entrypoints.pages_contributions import (
    DONE,
    PAGE,
    WRITERS,
    agencies,
    found,
    render_form_page,
)
from services.reviews.entrypoints.schemas import ChronologyQuery
from services.reviews.service_layer import commands
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError, InvalidInput, NotFound
from shared.events.reviews import ChronologyEntry
from shared.pager import page_asked, pager
from shared.pagination import paginate

blueprint = Blueprint("chronology_pages", __name__, template_folder="../templates")
READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
BASE = "/reviews/<case_id>/contributions/<contribution_id>"
IMPORT_PAGE = ("chronology_import.html", "Import the chronology from a CSV file")
IMPORT_COLUMNS: dict[str, Any] = {
    "required": REQUIRED,
    "optional": OPTIONAL,
    "questions": SIGNIFICANCE_QUESTIONS,
}
EXAMPLE = [
    {
        "date": "2025-03-14",
        "time": "10:15",
        "event": "Health visitor's home visit: the child was seen and weighed",
        "source": "Health visiting record 14/03/2025",
        "significance": "The first weight below the expected centile",
        "changed_assessment": "yes",
        "pattern": "no",
        "statutory_event": "no",
        "significant_to_child": "yes",
        "significant_to_adult": "",
        "learning_point": "",
    },
    {
        "date": "02/04/2025",
        "event": "Police attended a report of shouting at the address",
        "source": "Incident log 2025-0402-117",
    },
]


def _entries(c: dict[str, Any]) -> list[ChronologyEntry]:
    return [load_entry(e) for e in c["entries"]]


def _save(case_id: str, contribution_id: str, entries: list[ChronologyEntry]) -> dict[str, Any]:
    viewer = _viewer()
    saved = commands.write_contribution(
        _deps().uow, viewer, case_id, contribution_id, today=_today(), entries=entries
    )
    _on_behalf(viewer, saved)
    return saved


def _after_entry(case_id: str, contribution_id: str, message: str) -> ResponseReturnValue:
    flash(message, DONE)
    if request.form.get("then") == "later":
        return redirect("/home")
    return redirect(url_for(PAGE, case_id=case_id, contribution_id=contribution_id) + "#entries")


def _render_entry(
    case_id: str,
    review: dict[str, Any],
    c: dict[str, Any],
    form: EntryForm,
    errors: list[dict[str, str]],
    number: int | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    title = "Change an entry" if number is not None else "Add an entry to the chronology"
    return render_form_page(
        ("entry.html", title),
        case_id,
        review,
        c,
        form,
        errors,
        status,
        number=number,
        questions=SIGNIFICANCE_QUESTIONS,
    )


def _numbered(c: dict[str, Any], number: int) -> int:
    """The index of entry ``number`` (counted from 1 as the page shows it), or 404."""
    if not 1 <= number <= len(c["entries"]):
        raise NotFound("No such entry in this chronology", "entry")
    return number - 1


@blueprint.get(f"{BASE}/entries/add")
@blueprint.get(f"{BASE}/entries/<int:number>")
@members(*WRITERS)
@audited("contribution.read", "contribution", "contribution_id")
def entry_page(case_id: str, contribution_id: str, number: int | None = None) -> ResponseReturnValue:
    review, c = found(case_id, contribution_id)
    form = EntryForm(formdata=None)
    if number is not None:
        form.fill(c["entries"][_numbered(c, number)])
    return _render_entry(case_id, review, c, form, [], number)


@blueprint.post(f"{BASE}/entries/add")
@blueprint.post(f"{BASE}/entries/<int:number>")
@members(*WRITERS)
@audited("contribution.write", "contribution", "contribution_id")
def save_entry(case_id: str, contribution_id: str, number: int | None = None) -> ResponseReturnValue:
    review, c = found(case_id, contribution_id)
    index = _numbered(c, number) if number is not None else None
    form = EntryForm()
    if not form.validate():
        return _render_entry(case_id, review, c, form, error_list(form), number, 422)
    entries = _entries(c)
    entry = ChronologyEntry(**form.given())
    if index is None:
        entries.append(entry)
    else:
        entries[index] = entry
    try:
        _save(case_id, contribution_id, entries)
    except DomainError as exc:
        return _render_entry(case_id, review, c, form, with_problems(form, exc.errors()), number, exc.status)
    return _after_entry(case_id, contribution_id, "The entry was saved")


@blueprint.get(f"{BASE}/entries/<int:number>/remove")
@members(*WRITERS)
@audited("contribution.read", "contribution", "contribution_id")
def remove_entry_page(case_id: str, contribution_id: str, number: int) -> ResponseReturnValue:
    review, c = found(case_id, contribution_id)
    entry = c["entries"][_numbered(c, number)]
    return render_template(
        "entry_remove.html",
        title="Remove an entry",
        case_id=case_id,
        review=review,
        c=c,
        entry=entry,
        number=number,
        form=ConfirmForm(),
    )


@blueprint.post(f"{BASE}/entries/<int:number>/remove")
@members(*WRITERS)
@audited("contribution.write", "contribution", "contribution_id")
def remove_entry(case_id: str, contribution_id: str, number: int) -> ResponseReturnValue:
    _, c = found(case_id, contribution_id)
    index = _numbered(c, number)
    if not ConfirmForm().validate():
        return redirect(
            url_for(".remove_entry_page", case_id=case_id, contribution_id=contribution_id, number=number)
        )
    entries = _entries(c)
    del entries[index]
    _save(case_id, contribution_id, entries)
    return _after_entry(case_id, contribution_id, "The entry was removed")


# -- importing a CSV file --------------------------------------------------------------------------


def _where(field: str) -> str:
    """A CSV problem's place in words: "Row 3, date" for ``rows.3.date``."""
    parts = field.split(".")
    if parts[0] == "rows" and len(parts) > 1:
        return f"Row {parts[1]}" + (f", column {parts[2]}" if len(parts) > 2 else "")
    if parts[0] == "entries" and len(parts) > 1 and parts[1].isdigit():
        return f"Event {int(parts[1]) + 1} of the file"
    return ""


@blueprint.get(f"{BASE}/import")
@members(*WRITERS)
@audited("contribution.read", "contribution", "contribution_id")
def import_page(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, c = found(case_id, contribution_id)
    return render_form_page(IMPORT_PAGE, case_id, review, c, ImportForm(formdata=None), [], **IMPORT_COLUMNS)


@blueprint.post(f"{BASE}/import")
@members(*WRITERS)
@audited("contribution.write", "contribution", "contribution_id")
def import_file(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, c = found(case_id, contribution_id)
    form = ImportForm()
    form.validate()  # the CSRF token
    upload = request.files.get("file")
    data = upload.read() if upload is not None else b""
    try:
        if form.errors:
            raise InvalidInput([{"field": None, "message": "The form expired: upload the file again"}])
        if not data:
            raise InvalidInput([{"field": "file", "message": "Choose a CSV file to upload"}])
        entries = [ChronologyEntry(**e) for e in read_chronology(data)]
        _save(case_id, contribution_id, entries)
    except DomainError as exc:
        problems = [
            {"field": "file", "message": f"{_where(e.get('field') or '')}: {e['message']}".lstrip(": ")}
            for e in exc.errors()
        ]
        return render_form_page(
            IMPORT_PAGE, case_id, review, c, form, with_problems(form, problems), exc.status, **IMPORT_COLUMNS
        )
    flash(f"{len(entries)} entries were imported from the file", DONE)
    return redirect(url_for(PAGE, case_id=case_id, contribution_id=contribution_id) + "#entries")


@blueprint.get(f"{BASE}/example.csv")
@members(*WRITERS)
def example_csv(case_id: str, contribution_id: str) -> ResponseReturnValue:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EXAMPLE[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(EXAMPLE)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="chronology-example.csv"'},
    )


# -- the merged chronology -----------------------------------------------------------------------


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    agency = SelectField("Agency", widget=Select(), validate_choice=False)
    period_from = DayField("From", called="The start of the period")
    period_to = DayField("To", called="The end of the period")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@blueprint.get("/reviews/<case_id>/chronology")
@members(*READERS)
@audited("review.read", "chronology", "case_id")
def chronology(case_id: str) -> ResponseReturnValue:
    viewer = _viewer()
    review = commands.get_review(_deps().uow, viewer, case_id)
    names = agencies()
    form = FilterForm(request.args)
    form.agency.choices = [("", "All agencies"), *names.items()]
    errors: list[dict[str, str]] = []
    if not form.validate():
        errors = error_list(form)
    asked = {
        "agency": form.agency.data or None,
        "from": _iso(form.period_from.data),
        "to": _iso(form.period_to.data),
    }
    try:
        query = ChronologyQuery().load({k: v for k, v in asked.items() if v} if not errors else {})
    except ValidationError as exc:  # the period ends before it starts: as the API says it
        errors = with_problems(
            form,
            [
                {"field": "period_to", "message": str(m)}
                for m in dict(exc.normalized_messages()).get("to", [])
            ],
        )
        query = ChronologyQuery().load({})
    merged = commands.merged_chronology(
        _deps().uow, viewer, case_id, agency=query["agency"], since=query["from_"], until=query["to"]
    )
    page = paginate(merged["entries"], **page_asked())
    return render_template(
        "chronology.html",
        title="Multi-agency chronology",
        case_id=case_id,
        review=review,
        agencies=names,
        form=form,
        errors=errors,
        found=page,
        pager=pager(page, "entries", label="Pages of the chronology"),
        questions=SIGNIFICANCE_QUESTIONS,
    ), (422 if errors else 200)
