"""The learning pages: a review's learning summary and products, and the board's searchable
learning repository.

This module holds a review's learning summary (every field of the North West template, 001
Appendix B: shown, completed and changed) and the learning products made from it (seven-minute
briefings, practitioner forums, case-file audits, training); the repository's search and the
board's choice to share its learning with its region are in :mod:`.learning_page_repository`,
put on this blueprint below. Every view calls the service layer the API calls
(:mod:`..service_layer.learning`), with the API's roles, and is audited as the API is."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from services.reviews.domain.learning import TEXT_FIELDS
from services.reviews.entrypoints import learning_page_repository as repository
from services.reviews.entrypoints.api import _deps, _today, _viewer
from services.reviews.entrypoints.learning_api import DECIDERS, SEARCHERS
from services.reviews.entrypoints.learning_forms import ProductForm, SummaryForm
from services.reviews.entrypoints.meeting_forms import add_errors, error_list
from services.reviews.entrypoints.meeting_views import reference
from services.reviews.service_layer import learning
from shared import words
from shared.audit import audited
from shared.auth.access import members
from shared.auth.models import Board
from shared.errors import DomainError, NotFound

blueprint = Blueprint("learning_pages", __name__, template_folder="../templates")

DONE = "learning"

# Codes of the learning vocabulary that their parts would spell out less well.
WORDS = {
    "multi_agency_working": "Multi-agency working",
    "suicide_and_self_harm": "Suicide and self-harm",
    "seven_minute_briefing": "Seven-minute briefing",
    "case_file_audit": "Case-file audit",
    "practitioner_forum": "Practitioner forum",
}

# The summary's fields as the summary list shows them, in the template's order.
SHOWN = (
    ("board_area", "Board's area"),
    ("completed_on", "Date completed"),
    ("review_type", "Type of review"),
    ("incident_month", "Month of the incident"),
    ("reference", "Review reference"),
    ("summary", "Summary"),
    ("case_learning", "What was learnt about the case"),
    ("method_learning", "What was learnt about the review and its method"),
    ("single_agency_recommendations", "Key single-agency recommendations"),
    ("multi_agency_recommendations", "Key multi-agency recommendations"),
    ("changes", "How the changes will be made, and who is doing what"),
    ("impact_audit", "How the impact will be audited"),
    ("other_comments", "Other comments"),
    ("themes", "Themes"),
)


ANCHORS = {"completed_on": "completed_on-day", "incident_month": "incident_month-month"}


def summary_rows(saved: dict[str, Any]) -> list[dict[str, Any]]:
    """The saved summary as the summary list shows it: each field's paragraphs, dates in words."""
    rows = []
    for name, label in SHOWN:
        value = saved.get(name)
        if name == "completed_on":
            paragraphs = [words.long_date(value)]
        elif name == "incident_month":
            paragraphs = [f"{date.fromisoformat(f'{value}-01'):%B %Y}" if value else "Not known"]
        elif name == "themes":
            paragraphs = ["; ".join(words.plain(t) for t in value or [])]
        else:
            paragraphs = [p.strip() for p in str(value or "").splitlines() if p.strip()] or ["None"]
        rows.append(
            {"name": name, "label": label, "paragraphs": paragraphs, "anchor": ANCHORS.get(name, name)}
        )
    return rows


@blueprint.record_once
def _words(state: Any) -> None:
    words.register(WORDS)


def _decides() -> bool:
    return bool(_viewer().roles & set(DECIDERS))


def _render(template: str, case_id: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template(template, case_id=case_id, reference=reference(case_id), **context), status


def _summary_or_none(case_id: str) -> dict[str, Any] | None:
    """The review's learning summary, None when it has not been completed yet (the review itself,
    checked first by the caller, is another board's: 404; one the viewer may not see: 403)."""
    try:
        return learning.get_summary(_deps().uow, _viewer(), case_id)
    except NotFound:
        return None


# -- the learning summary page ------------------------------------------------------------------


@blueprint.get("/reviews/<case_id>/learning-summary")
@members(*SEARCHERS)
@audited("review.read", "learning_summary", "case_id")
def summary(case_id: str) -> ResponseReturnValue:
    products = learning.list_products(_deps().uow, _viewer(), case_id)["items"]  # 404, 403 first
    saved = _summary_or_none(case_id)
    agencies = _deps().uow.directory.agencies(_viewer().board_id)
    return _render(
        "learning_summary.html",
        case_id,
        title="Learning summary",
        saved=saved,
        rows=summary_rows(saved) if saved else [],
        products=products,
        agencies=agencies,
        decides=_decides(),
        done=get_flashed_messages(category_filter=[DONE]),
    )


def _summary_form(case_id: str, posted: bool) -> SummaryForm:
    form = SummaryForm() if posted else SummaryForm(formdata=None)
    if posted:
        return form
    saved = _summary_or_none(case_id)
    if saved is not None:
        form.fill(saved)
    else:
        board = Board.objects(board_id=_viewer().board_id).only("name").first()
        form.board_area.data = board.name if board is not None else ""
    return form


def _render_form(
    case_id: str, form: SummaryForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    return _render(
        "learning_summary_form.html",
        case_id,
        status,
        title="Complete the learning summary",
        form=form,
        errors=errors,
        labels=TEXT_FIELDS,
    )


@blueprint.get("/reviews/<case_id>/learning-summary/change")
@members(*DECIDERS)
@audited("review.read", "learning_summary", "case_id")
def change_summary(case_id: str) -> ResponseReturnValue:
    learning.list_products(_deps().uow, _viewer(), case_id)  # another board's case: 404
    return _render_form(case_id, _summary_form(case_id, posted=False), [])


@blueprint.post("/reviews/<case_id>/learning-summary")
@members(*DECIDERS)
@audited("review.write", "learning_summary", "case_id")
def save_summary(case_id: str) -> ResponseReturnValue:
    form = _summary_form(case_id, posted=True)
    if not form.validate():
        return _render_form(case_id, form, error_list(form), 422)
    try:
        learning.put_summary(_deps().uow, _viewer(), case_id, form.given(), _today())
    except DomainError as exc:
        return _render_form(case_id, form, add_errors(form, exc.errors()), exc.status)
    flash(
        "The learning summary was saved. Its document is being made, and the summary is in "
        "the board's learning repository.",
        DONE,
    )
    return redirect(url_for(".summary", case_id=case_id))


# -- learning products ---------------------------------------------------------------------------


def _render_product(
    case_id: str, form: ProductForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    return _render(
        "learning_product_form.html",
        case_id,
        status,
        title="Record a learning product",
        form=form,
        errors=errors,
    )


@blueprint.get("/reviews/<case_id>/learning-products/new")
@members(*DECIDERS)
@audited("review.read", "learning_product", "case_id")
def product_page(case_id: str) -> ResponseReturnValue:
    learning.list_products(_deps().uow, _viewer(), case_id)  # another board's case: 404
    form = ProductForm(formdata=None)
    form.offer(_deps().uow.directory.agencies(_viewer().board_id))
    form.product_id.data = uuid.uuid4().hex
    return _render_product(case_id, form, [])


@blueprint.post("/reviews/<case_id>/learning-products/new")
@members(*DECIDERS)
@audited("review.write", "learning_product", "case_id")
def add_product(case_id: str) -> ResponseReturnValue:
    form = ProductForm()
    form.offer(_deps().uow.directory.agencies(_viewer().board_id))
    if not form.validate():
        return _render_product(case_id, form, error_list(form), 422)
    try:
        done = learning.add_product(_deps().uow, _viewer(), case_id, form.given(), form.key())
    except DomainError as exc:
        return _render_product(case_id, form, add_errors(form, exc.errors(), {"date": "on"}), exc.status)
    flash(f"{words.plain(done['kind'])} recorded: {done['title']}", DONE)
    return redirect(url_for(".summary", case_id=case_id) + "#products")


# -- the pages of the other module, on this blueprint --------------------------------------------

for rule, view, methods in (
    ("/learning", repository.search, ["GET"]),
    ("/learning/sharing", repository.sharing, ["GET", "POST"]),
    ("/learning/sharing/check", repository.sharing_check, ["GET"]),
    ("/learning/sharing/check", repository.share, ["POST"]),
):
    blueprint.add_url_rule(rule, view.__name__, view, methods=methods)
