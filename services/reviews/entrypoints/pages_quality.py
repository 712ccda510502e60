"""The quality marker self-assessment (004) and interim learning (003) pages of a review. The
views call the service layer the API calls (:mod:`..service_layer.conduct`), with the API's
roles, and are audited as it is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints.api import _deps, _today, _viewer
from services.reviews.entrypoints.meeting_forms import add_errors, error_list
from services.reviews.entrypoints.meeting_views import audited_form, reference
from services.reviews.entrypoints.quality_forms import InterimForm, MarkerForm, answer_field
from services.reviews.service_layer import conduct
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError, NotFound

blueprint = Blueprint("review_quality_pages", __name__, template_folder="../templates")

READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")  # as the API
ASSESSORS = ("business_unit", "admin", "chair")
PANEL_OR_MANAGERS = ("business_unit", "admin", "panel_member", "lead_reviewer")
STAGES = (
    ("review_setup", "Setting the review up"),
    ("running_the_review", "Running the review"),
    ("review_outputs", "What the review produces"),
)


@blueprint.get("/reviews/<case_id>/quality")
@members(*READERS)
@audited("review.read", "quality", "case_id")
def quality(case_id: str) -> ResponseReturnValue:
    markers = conduct.get_quality(_deps().uow, _viewer(), case_id)["markers"]
    viewer = _viewer()
    return render_template(
        "quality.html",
        title="Quality markers",
        case_id=case_id,
        reference=reference(case_id),
        stages=[(title, [m for m in markers if m["stage"] == code]) for code, title in STAGES],
        assesses=viewer.manages or "chair" in viewer.roles,
        done=get_flashed_messages(category_filter=["quality"]),
    )


def _marker(case_id: str, code: str) -> dict[str, Any]:
    for m in conduct.get_quality(_deps().uow, _viewer(), case_id)["markers"]:
        if m["marker"] == code:
            found: dict[str, Any] = m
            return found
    raise NotFound("No such quality marker", "marker")


@blueprint.route("/reviews/<case_id>/quality/<marker>", methods=["GET", "POST"])
@members(*ASSESSORS)
@audited_form("quality", "case_id", "review.read", "review.write")
def assess(case_id: str, marker: str) -> ResponseReturnValue:
    found = _marker(case_id, marker)
    posted = request.method == "POST"
    form = MarkerForm.of(found["questions"], formdata=posted)
    errors: list[dict[str, str]] = []
    status = 200
    if posted:
        if form.validate():
            given = {"marker": marker, "answers": form.answers()}
            try:
                conduct.put_quality(_deps().uow, _viewer(), case_id, given, _today())
            except DomainError as exc:
                problems = [{**p, "field": answer_field(p.get("field") or "")} for p in exc.errors()]
                errors, status = add_errors(form, problems), exc.status
            else:
                flash(f"Self-assessment saved: {found['title']}", "quality")
                return redirect(url_for(".quality", case_id=case_id))
        else:
            errors, status = error_list(form), 422
    return render_template(
        "quality_marker.html",
        title=found["title"],
        case_id=case_id,
        reference=reference(case_id),
        marker=found,
        form=form,
        errors=errors,
    ), status


# -- interim learning ---------------------------------------------------------------------------


@blueprint.get("/reviews/<case_id>/interim-learning")
@members(*READERS)
@audited("review.read", "interim_learning", "case_id")
def interim(case_id: str) -> ResponseReturnValue:
    viewer = _viewer()
    items = conduct.list_interim_learning(_deps().uow, viewer, case_id)["items"]
    return render_template(
        "interim_list.html",
        title="Interim learning",
        case_id=case_id,
        reference=reference(case_id),
        items=items,
        agencies=_deps().uow.directory.agencies(viewer.board_id),
        records=bool(viewer.manages or viewer.roles & {"panel_member", "lead_reviewer"}),
        done=get_flashed_messages(category_filter=["interim"]),
    )


@blueprint.route("/reviews/<case_id>/interim-learning/new", methods=["GET", "POST"])
@members(*PANEL_OR_MANAGERS)
@audited_form("interim_learning", "case_id", "review.read", "review.write")
def add_interim(case_id: str) -> ResponseReturnValue:
    uow, viewer = _deps().uow, _viewer()
    conduct.list_interim_learning(uow, viewer, case_id)  # another board's case: 404
    posted = request.method == "POST"
    form = InterimForm() if posted else InterimForm(formdata=None)
    form.offer(uow.directory.agencies(viewer.board_id))
    errors: list[dict[str, str]] = []
    status = 200
    if posted:
        if form.validate():
            try:
                conduct.record_interim_learning(uow, viewer, case_id, form.given())
            except DomainError as exc:
                errors, status = add_errors(form, exc.errors()), exc.status
            else:
                flash("Interim learning recorded", "interim")
                return redirect(url_for(".interim", case_id=case_id))
        else:
            errors, status = error_list(form), 422
    return render_template(
        "family_form.html",
        title="Record interim learning",
        case_id=case_id,
        reference=reference(case_id),
        form=form,
        errors=errors,
        button="Record the learning",
        intro="An improvement the case has shown, and the corrective action taken while the review runs.",
        back=url_for(".interim", case_id=case_id),
    ), status
