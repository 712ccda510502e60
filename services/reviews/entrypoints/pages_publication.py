"""The publication pages: planning the date, the copies to the national bodies, publishing or
not, and keeping the report online.

Where publication stands (``/reviews/<case_id>/publication``) with the next steps; each step
calls the service layer the JSON API calls (:mod:`..service_layer.publication`), with the API's
roles, and is audited as the API is: showing a form as a read, sending it as a write. What the
domain refuses is shown on the field it names, with every other problem of the form at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints.api import _today, _viewer
from services.reviews.entrypoints.meeting_forms import ConfirmForm, add_errors, error_list
from services.reviews.entrypoints.meeting_views import audited_form
from services.reviews.entrypoints.publication_forms import (
    ALIASES,
    FINAL_CHOICES,
    RETENTION_CHOICES,
    PanelAdviceForm,
    PlanForm,
    PublishedForm,
    ReasonForm,
    RetentionForm,
    SentOutsideForm,
)
from services.reviews.entrypoints.report_api import uow
from services.reviews.service_layer import publication
from shared import audit, words
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.words import long_date

blueprint = Blueprint("review_publication_pages", __name__, template_folder="../templates")

MANAGERS = ("business_unit", "admin")  # as the API: plan, copies, published, retention
DECIDERS = (*MANAGERS, "chair")  # as the API: decision and the Panel's advice
DRAFT = "publication_reason"
NATIONAL_BODIES = ("Ofsted", "the Department for Education (DfE)", "the National Panel")
ATTACHMENTS = ("final_report", "board_response")

WORDS = {
    "final_report": "Final report",
    "board_response": "The board's response",
    "publication_retention": "Published report kept on the website",
}


@blueprint.record_once
def _words(state: BlueprintSetupState) -> None:
    words.register(WORDS)


def _status(case_id: str) -> dict[str, Any]:
    return publication.status(uow(), _viewer(), case_id, _today())


def _render(
    template: str, case_id: str, found: dict[str, Any], status: int = 200, **context: Any
) -> ResponseReturnValue:
    return (
        render_template(template, case_id=case_id, reference=found["reference"] or "", pub=found, **context),
        status,
    )


def _back(case_id: str, message: str) -> ResponseReturnValue:
    flash(message, "publication")
    return redirect(url_for(".entry", case_id=case_id))


def _failed(form: Any, exc: DomainError) -> list[dict[str, str]]:
    return add_errors(form, exc.errors(), ALIASES)


# -- where publication stands -----------------------------------------------------------------


def _entry(
    case_id: str, form: RetentionForm | None = None, errors: list[dict[str, str]] | None = None
) -> Any:
    found, viewer = _status(case_id), _viewer()
    return _render(
        "publication_entry.html",
        case_id,
        found,
        422 if errors else 200,
        title="Publication of the final report",
        manages=viewer.manages,
        form=form or RetentionForm(formdata=None),
        errors=errors or [],
        kept=dict(RETENTION_CHOICES),
        finals=dict(FINAL_CHOICES),
        done=get_flashed_messages(category_filter=["publication"]),
    )


@blueprint.get("/reviews/<case_id>/publication")
@members(*DECIDERS)
@audited("review.read", "publication", "case_id")
def entry(case_id: str) -> ResponseReturnValue:
    return _entry(case_id)


@blueprint.post("/reviews/<case_id>/publication/retention")
@members(*MANAGERS)
@audited("review.write", "publication", "case_id")
def retention(case_id: str) -> ResponseReturnValue:
    form = RetentionForm()
    errors = error_list(form) if not form.validate() else []
    if not errors:
        try:
            done = publication.retention(
                uow(),
                _viewer(),
                case_id,
                form.decision.data,
                form.decided_on.entered(),
                form.reason.data or "",
                _today(),
            )
        except DomainError as exc:
            errors = _failed(form, exc)
        else:
            if done["retention"] == "withdraw":
                return _back(case_id, "Recorded: the report is withdrawn from the website")
            return _back(case_id, "Recorded: the report stays on the website")
    return _entry(case_id, form, errors)


# -- planning the date --------------------------------------------------------------------------


@blueprint.route("/reviews/<case_id>/publication/plan", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("publication", "case_id")
def plan(case_id: str) -> ResponseReturnValue:
    found = _status(case_id)
    posted = request.method == "POST"
    form = PlanForm() if posted else PlanForm(formdata=None, data={"planned_on": found["planned_on"]})
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        try:
            done = publication.plan(uow(), _viewer(), case_id, form.planned_on.entered(), _today())
        except DomainError as exc:
            errors = _failed(form, exc)
        else:
            return _back(
                case_id,
                f"Publication planned for {long_date(done['planned_on'])}: the copies are due by "
                f"{long_date(done['copies_due_on'])}",
            )
    errors = errors or error_list(form)
    return _render(
        "publication_plan.html",
        case_id,
        found,
        422 if errors else 200,
        title="Plan the publication date",
        form=form,
        errors=errors,
    )


# -- the copies ---------------------------------------------------------------------------------


@blueprint.route("/reviews/<case_id>/publication/copies", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("publication", "case_id")
def copies(case_id: str) -> ResponseReturnValue:
    found = _status(case_id)
    form = ConfirmForm()
    errors: list[dict[str, str]] = []
    if request.method == "POST" and form.validate():
        try:
            publication.send_copies(uow(), _viewer(), case_id, None, _today())
        except DomainError as exc:
            errors = [{"text": e["message"], "href": "#main-content"} for e in exc.errors()]
        else:
            return _back(
                case_id, "The copies are being sent to Ofsted, the DfE and the National Panel, once each"
            )
    return _render(
        "publication_copies.html",
        case_id,
        found,
        422 if errors else 200,
        title="Send the copies to Ofsted, the DfE and the National Panel",
        form=form,
        errors=errors,
        bodies=NATIONAL_BODIES,
        attachments=ATTACHMENTS,
    )


@blueprint.route("/reviews/<case_id>/publication/copies/sent-outside", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("publication", "case_id")
def sent_outside(case_id: str) -> ResponseReturnValue:
    found = _status(case_id)
    posted = request.method == "POST"
    form = SentOutsideForm() if posted else SentOutsideForm(formdata=None)
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        sent_on = form.sent_on.entered()
        try:
            publication.send_copies(uow(), _viewer(), case_id, sent_on, _today())
        except DomainError as exc:
            errors = _failed(form, exc)
        else:
            audit.record(
                "publication.copies_recorded_as_sent_outside",
                resource=("publication", case_id),
                detail=f"sent on {sent_on.isoformat()}, outside the product",
            )
            return _back(case_id, f"Recorded: the copies were sent on {long_date(sent_on)}")
    errors = errors or error_list(form)
    return _render(
        "publication_sent_outside.html",
        case_id,
        found,
        422 if errors else 200,
        title="Record copies sent outside the product",
        form=form,
        errors=errors,
    )


# -- not publishing -----------------------------------------------------------------------------


@blueprint.route("/reviews/<case_id>/publication/not-publishing", methods=["GET", "POST"])
@members(*DECIDERS)
@audited("review.read", "publication", "case_id")  # a draft: nothing is written
def not_publishing(case_id: str) -> ResponseReturnValue:
    found = _status(case_id)
    posted = request.method == "POST"
    kept = session.get(DRAFT) or {}
    given = kept.get("reason", "") if kept.get("case_id") == case_id else ""
    form = ReasonForm() if posted else ReasonForm(formdata=None, data={"reason": given})
    if posted and form.validate():
        session[DRAFT] = {"case_id": case_id, "reason": form.reason.data.strip()}
        return redirect(url_for(".not_publishing_check", case_id=case_id))
    errors = error_list(form)
    return _render(
        "publication_not_publishing.html",
        case_id,
        found,
        422 if errors else 200,
        title="Decide not to publish the report",
        form=form,
        errors=errors,
    )


@blueprint.route("/reviews/<case_id>/publication/not-publishing/check", methods=["GET", "POST"])
@members(*DECIDERS)
@audited_form("publication", "case_id")
def not_publishing_check(case_id: str) -> ResponseReturnValue:
    kept = session.get(DRAFT) or {}
    if kept.get("case_id") != case_id:
        return redirect(url_for(".not_publishing", case_id=case_id))
    found = _status(case_id)
    form = ConfirmForm()
    errors: list[dict[str, str]] = []
    if request.method == "POST" and form.validate():
        try:
            publication.decide(uow(), _viewer(), case_id, False, kept["reason"], _today())
        except DomainError as exc:
            errors = [{"text": e["message"], "href": "#main-content"} for e in exc.errors()]
        else:
            session.pop(DRAFT, None)
            return _back(
                case_id, "Recorded: the report will not be published. The DfE and the Panel are told why"
            )
    return _render(
        "publication_not_publishing_check.html",
        case_id,
        found,
        422 if errors else 200,
        title="Check the decision before telling the DfE and the National Panel",
        form=form,
        errors=errors,
        reason=kept["reason"],
    )


@blueprint.route("/reviews/<case_id>/publication/panel-advice", methods=["GET", "POST"])
@members(*DECIDERS)
@audited_form("publication", "case_id")
def panel_advice(case_id: str) -> ResponseReturnValue:
    found = _status(case_id)
    posted = request.method == "POST"
    form = PanelAdviceForm() if posted else PanelAdviceForm(formdata=None)
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        given = {
            "advice": form.advice.data.strip(),
            "received_on": form.received_on.entered(),
            "final_publish": form.final_publish(),
            "final_reason": form.final_reason.data or "",
        }
        try:
            publication.panel_advice(uow(), _viewer(), case_id, given, _today())
        except DomainError as exc:
            errors = _failed(form, exc)
        else:
            told = (
                " Ofsted, the DfE and the Panel are told the final decision."
                if given["final_publish"] is not None
                else ""
            )
            return _back(case_id, f"The Panel's advice is recorded.{told}")
    errors = errors or error_list(form)
    return _render(
        "publication_panel_advice.html",
        case_id,
        found,
        422 if errors else 200,
        title="Record the National Panel's advice",
        form=form,
        errors=errors,
    )


# -- published ----------------------------------------------------------------------------------


@blueprint.route("/reviews/<case_id>/publication/published", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("publication", "case_id")
def published(case_id: str) -> ResponseReturnValue:
    found = _status(case_id)
    posted = request.method == "POST"
    form = PublishedForm() if posted else PublishedForm(formdata=None)
    form.today = _today()
    errors: list[dict[str, str]] = []
    if posted and form.validate():
        on: date = form.published_on.entered()
        url = form.url.data.strip()
        try:
            publication.published(uow(), _viewer(), case_id, on, url, _today())
        except DomainError as exc:
            errors = _failed(form, exc)
        else:
            return _back(case_id, f"Recorded: the report was published on {long_date(on)}")
    errors = errors or error_list(form)
    return _render(
        "publication_published.html",
        case_id,
        found,
        422 if errors else 200,
        title="Record the report published",
        form=form,
        errors=errors,
        copy_page=f"/documents/cases/{case_id}/published-copy",
    )
