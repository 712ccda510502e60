"""Writing a new version of the final report in the browser, section by section (starting from the
latest version's text), and uploading a version as a Word document; both save it as the API does
(:func:`~services.reviews.service_layer.report.save_version`). The views are put on the report's
blueprint by :mod:`.pages_report`."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from services.reviews.adapters.report_docx import read_sections
from services.reviews.domain.report import BODY
from services.reviews.entrypoints.api import _today, _viewer
from services.reviews.entrypoints.meeting_forms import add_errors, error_list
from services.reviews.entrypoints.meeting_views import audited_form
from services.reviews.entrypoints.report_api import UPLOAD_LIMIT, uow
from services.reviews.entrypoints.report_forms import UploadForm, writing_form
from services.reviews.entrypoints.report_page_support import (
    DONE,
    WRITERS,
    numbers,
    problems_on_sections,
    render,
    report_or_none,
)
from services.reviews.service_layer import report
from shared.auth.access import members
from shared.errors import DomainError, InvalidInput

DOCX = ".docx"


def _on_file(problem: dict[str, Any]) -> dict[str, Any]:
    """A problem with the document read (or a section of it) is one with the file chosen."""
    where = problem.get("field") or ""
    return {**problem, "field": "file"} if where.startswith(("file", "sections")) else problem


@members(*WRITERS)
@audited_form("report", "case_id")
def write(case_id: str) -> ResponseReturnValue:
    latest = max(numbers(report_or_none(case_id)), default=0)
    sections = report.get_version(uow(), _viewer(), case_id, latest)["sections"] if latest else {}
    posted = request.method == "POST"
    # The text of an upload read whole stays editable, so that a new version does not lose it.
    form = writing_form(formdata=posted, whole=BODY in sections or (posted and BODY in request.form))
    if not posted:
        for key, words in sections.items():
            form[key].data = words
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        try:
            made = report.save_version(uow(), _viewer(), case_id, form.sections(), _today())
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            problems = exc.errors() if exc.status != 422 else problems_on_sections(exc.errors())
            errors = add_errors(form, [p if exc.status == 422 else {**p, "field": None} for p in problems])
        else:
            flash(f"Version {made['version']} saved", DONE)
            return redirect(url_for(".version", case_id=case_id, number=made["version"]))
    errors = errors or error_list(form)
    return render(
        "report_write.html",
        case_id,
        422 if errors else 200,
        title="Write a new version of the final report",
        form=form,
        errors=errors,
        latest=latest,
    )


@members(*WRITERS)
@audited_form("report", "case_id")
def upload(case_id: str) -> ResponseReturnValue:
    report_or_none(case_id)  # another board's case: 404; a review the viewer may not see: 403
    posted = request.method == "POST"
    form = UploadForm() if posted else UploadForm(formdata=None)
    errors: list[dict[str, str]] = []
    if posted:
        form.validate()  # the CSRF token
        sent = request.files.get("file")
        data = sent.read(UPLOAD_LIMIT + 1) if sent is not None else b""
        name = (sent.filename or "") if sent is not None else ""
        try:
            if form.errors:
                raise InvalidInput([{"field": None, "message": "The form expired: upload the file again"}])
            if not data:
                raise InvalidInput([{"field": "file", "message": "Select a Word document (.docx) to upload"}])
            if not name.lower().endswith(DOCX):
                raise InvalidInput(
                    [{"field": "file", "message": "The selected file must be a Word document (.docx)"}]
                )
            if len(data) > UPLOAD_LIMIT:
                raise InvalidInput(
                    [{"field": "file", "message": "The selected file must be smaller than 10 MB"}]
                )
            made = report.save_version(uow(), _viewer(), case_id, read_sections(data), _today(), name[:200])
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            errors = add_errors(form, [_on_file(p) for p in exc.errors()])
        else:
            flash(f"Version {made['version']} saved from {name}", DONE)
            return redirect(url_for(".version", case_id=case_id, number=made["version"]))
    return render(
        "report_upload.html",
        case_id,
        422 if errors else 200,
        title="Upload a version of the final report",
        form=form,
        errors=errors,
    )
