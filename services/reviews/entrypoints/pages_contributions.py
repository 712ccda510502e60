"""The contribution pages: the business unit asks an agency for a contribution; the agency's author
writes it (an analysis report's sections or a single agency review's answers here, a chronology's
entries in :mod:`.pages_chronology`) and submits it after a check; the business unit or the panel
accepts it or returns it with comments. Each view calls the service layer the API calls, with the
same roles allowed, and is audited as the API is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.reviews.domain.contributions import EDITABLE
from services.reviews.domain.vocabulary import (
    CHRONOLOGY,
    DEFAULT_DUE_WORKING_DAYS,
    KEY_QUESTIONS,
    SAAR,
    SAAR_SECTIONS,
    SIGNIFICANCE_QUESTIONS,
    SUBMITTED,
)
from services.reviews.entrypoints.api import TAKING_PART, _deps, _on_behalf, _today, _viewer
from services.reviews.entrypoints.forms_common import ConfirmForm, error_list, with_problems
from services.reviews.entrypoints.forms_contributions import RequestForm, ReturnForm, writing_form
from services.reviews.service_layer import commands
from shared.audit import audited
from shared.auth.access import members
from shared.auth.models import AGENCY_ROLES
from shared.errors import DomainError
from shared.idempotency import derived_id

blueprint = Blueprint("contribution_pages", __name__, template_folder="../templates")

MANAGERS = ("business_unit", "admin")
WRITERS = ("business_unit", "admin", "agency_practitioner", "agency_manager")
PANEL_OR_MANAGERS = ("business_unit", "admin", "panel_member", "lead_reviewer")
DONE = "contributions"
PAGE = "contribution_pages.contribution"
SUBMIT_PAGE = ("contribution_submit.html", "Check your contribution before submitting it")
RETURN_PAGE = ("contribution_return.html", "Return the contribution to its agency")


def agencies() -> dict[str, str]:
    found: dict[str, str] = _deps().uow.directory.agencies(g.principal.board_id)
    return found


def headings(kind: str) -> dict[str, str]:
    """What a report's or a review's long text fields are headed."""
    if kind == SAAR:
        from shared.words import plain

        return {k: plain(k) for k in SAAR_SECTIONS}
    return dict(KEY_QUESTIONS)


def found(case_id: str, contribution_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The review and the contribution as the viewer may see them (another agency's is not found)."""
    viewer = _viewer()
    review = commands.get_review(_deps().uow, viewer, case_id)
    contribution = commands.get_contribution(_deps().uow, viewer, case_id, contribution_id)
    return review, contribution


def may_write(contribution: dict[str, Any]) -> bool:
    """As the service layer's rule (access.require_author): its agency's staff, or the business unit."""
    viewer = _viewer()
    author = viewer.manages or bool(viewer.roles & AGENCY_ROLES) and viewer.agency == contribution["agency"]
    return author and contribution["status"] in EDITABLE


def may_judge(review: dict[str, Any], contribution: dict[str, Any]) -> bool:
    """As access.require_panel_or_manager: the business unit, or a member of the review's panel."""
    viewer = _viewer()
    on_panel = bool(viewer.roles & {"panel_member", "lead_reviewer"}) and any(
        m["email"].lower() == (viewer.email or "").lower() for m in review["panel"]
    )
    return contribution["status"] == SUBMITTED and (viewer.manages or on_panel)


# -- asking an agency ----------------------------------------------------------------------------


def render_form_page(
    page: tuple[str, str],
    case_id: str,
    review: dict[str, Any],
    c: dict[str, Any],
    form: Any,
    errors: list[dict[str, str]],
    status: int = 200,
    **extra: Any,
) -> ResponseReturnValue:
    """A page of one contribution with a form: ``page`` is its template and title; ``extra`` what
    else the template shows."""
    template, title = page
    return render_template(
        template,
        title=title,
        case_id=case_id,
        review=review,
        c=c,
        agencies=agencies(),
        form=form,
        errors=errors,
        **extra,
    ), status


def _request_form(formdata: bool) -> RequestForm:
    form = RequestForm() if formdata else RequestForm(formdata=None)
    form.offer(agencies())
    return form


def _render_request(
    case_id: str, review: dict[str, Any], form: RequestForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    default_due = (
        _deps().uow.directory.working_days(g.principal.board_id).add(_today(), DEFAULT_DUE_WORKING_DAYS)
    )
    return render_template(
        "contribution_request.html",
        title="Ask an agency for a contribution",
        case_id=case_id,
        review=review,
        form=form,
        errors=errors,
        default_due=default_due,
    ), status


@blueprint.get("/reviews/<case_id>/contributions/request")
@members(*MANAGERS)
@audited("review.read", "review", "case_id")
def request_page(case_id: str) -> ResponseReturnValue:
    review = commands.get_review(_deps().uow, _viewer(), case_id)
    return _render_request(case_id, review, _request_form(False), [])


@blueprint.post("/reviews/<case_id>/contributions/request")
@members(*MANAGERS)
@audited("review.write", "contribution", "case_id")
def request_contribution(case_id: str) -> ResponseReturnValue:
    review = commands.get_review(_deps().uow, _viewer(), case_id)
    form = _request_form(True)
    if not form.validate():
        return _render_request(case_id, review, form, error_list(form), 422)
    contribution_id = derived_id("contribution")
    try:
        made = commands.request_contribution(
            _deps().uow,
            _viewer(),
            case_id,
            agency=form.agency.data,
            kind=form.kind.data,
            due_on=form.due_on.data,
            today=_today(),
            contribution_id=contribution_id,
            contact_email=(form.contact_email.data or "").strip() or None,
            contact_name=(form.contact_name.data or "").strip() or None,
            link=lambda cid: f"{request.host_url.rstrip('/')}/reviews/{case_id}/contributions/{cid}",
        )
    except DomainError as exc:
        return _render_request(case_id, review, form, with_problems(form, exc.errors()), exc.status)
    return redirect(url_for(".requested", case_id=case_id, contribution_id=made["id"]))


@blueprint.get("/reviews/<case_id>/contributions/<contribution_id>/requested")
@members(*MANAGERS)
@audited("contribution.read", "contribution", "contribution_id")
def requested(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, contribution = found(case_id, contribution_id)
    return render_template(
        "contribution_requested.html",
        title="Contribution requested",
        case_id=case_id,
        review=review,
        c=contribution,
        agencies=agencies(),
    )


# -- one contribution ---------------------------------------------------------------------------


def render_contribution(
    case_id: str,
    review: dict[str, Any],
    contribution: dict[str, Any],
    form: Any = None,
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    writes = may_write(contribution)
    if form is None and writes and contribution["kind"] != CHRONOLOGY:
        form = writing_form(contribution["kind"], formdata=False)
        for key in headings(contribution["kind"]):
            form[key].data = (contribution["sections"] or contribution["answers"]).get(key, "")
    return render_template(
        "contribution.html",
        title=f"{contribution['kind']}",
        case_id=case_id,
        review=review,
        c=contribution,
        agencies=agencies(),
        headings=headings(contribution["kind"]),
        questions=SIGNIFICANCE_QUESTIONS,
        may_write=writes,
        may_judge=may_judge(review, contribution),
        form=form,
        judge=ConfirmForm(),
        errors=errors or [],
        done=get_flashed_messages(category_filter=[DONE]),
    ), status


@blueprint.get("/reviews/<case_id>/contributions/<contribution_id>")
@members(*TAKING_PART)
@audited("contribution.read", "contribution", "contribution_id")
def contribution(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, found_ = found(case_id, contribution_id)
    return render_contribution(case_id, review, found_)


@blueprint.post("/reviews/<case_id>/contributions/<contribution_id>")
@members(*WRITERS)
@audited("contribution.write", "contribution", "contribution_id")
def write(case_id: str, contribution_id: str) -> ResponseReturnValue:
    """Save an analysis report's sections or a review's answers: any of them, while a draft."""
    review, found_ = found(case_id, contribution_id)
    kind = found_["kind"]
    form = writing_form(kind) if kind != CHRONOLOGY else None
    if form is None or not form.validate():
        return render_contribution(case_id, review, found_, form, error_list(form) if form else [], 422)
    given: dict[str, str] = {k: form[k].data or "" for k in headings(kind)}
    viewer = _viewer()
    try:
        saved = commands.write_contribution(
            _deps().uow,
            viewer,
            case_id,
            contribution_id,
            today=_today(),
            sections=given if kind == SAAR else None,
            answers=None if kind == SAAR else given,
        )
    except DomainError as exc:
        return render_contribution(
            case_id, review, found_, form, with_problems(form, exc.errors()), exc.status
        )
    _on_behalf(viewer, saved)
    if request.form.get("then") == "later":
        flash("Your work was saved. You can come back to it from your home page.", DONE)
        return redirect("/home")
    return redirect(url_for(".submit_page", case_id=case_id, contribution_id=contribution_id))


# -- submitting, accepting, returning ----------------------------------------------------------


@blueprint.get("/reviews/<case_id>/contributions/<contribution_id>/submit")
@members(*WRITERS)
@audited("contribution.read", "contribution", "contribution_id")
def submit_page(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, found_ = found(case_id, contribution_id)
    return render_form_page(
        SUBMIT_PAGE,
        case_id,
        review,
        found_,
        ConfirmForm(),
        [],
        headings=headings(found_["kind"]),
        questions=SIGNIFICANCE_QUESTIONS,
    )


@blueprint.post("/reviews/<case_id>/contributions/<contribution_id>/submit")
@members(*WRITERS)
@audited("contribution.write", "contribution", "contribution_id")
def submit(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, found_ = found(case_id, contribution_id)
    form = ConfirmForm()
    if not form.validate():
        return redirect(url_for(".submit_page", case_id=case_id, contribution_id=contribution_id))
    viewer = _viewer()
    try:
        done = commands.move_contribution(_deps().uow, viewer, case_id, contribution_id, "submit", _today())
    except DomainError as exc:
        problems = [{"field": None, "message": e["message"]} for e in exc.errors()]
        return render_form_page(
            SUBMIT_PAGE,
            case_id,
            review,
            found_,
            form,
            with_problems(form, problems),
            exc.status,
            headings=headings(found_["kind"]),
            questions=SIGNIFICANCE_QUESTIONS,
        )
    _on_behalf(viewer, done)
    flash("Your contribution was submitted to the review panel", DONE)
    return redirect(url_for(PAGE, case_id=case_id, contribution_id=contribution_id))


@blueprint.post("/reviews/<case_id>/contributions/<contribution_id>/accept")
@members(*PANEL_OR_MANAGERS)
@audited("contribution.write", "contribution", "contribution_id")
def accept(case_id: str, contribution_id: str) -> ResponseReturnValue:
    if not ConfirmForm().validate():
        return redirect(url_for(PAGE, case_id=case_id, contribution_id=contribution_id))
    commands.move_contribution(_deps().uow, _viewer(), case_id, contribution_id, "accept", _today())
    flash("The contribution was accepted", DONE)
    return redirect(url_for(PAGE, case_id=case_id, contribution_id=contribution_id))


@blueprint.get("/reviews/<case_id>/contributions/<contribution_id>/return")
@members(*PANEL_OR_MANAGERS)
@audited("contribution.read", "contribution", "contribution_id")
def return_page(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, found_ = found(case_id, contribution_id)
    return render_form_page(RETURN_PAGE, case_id, review, found_, ReturnForm(formdata=None), [])


@blueprint.post("/reviews/<case_id>/contributions/<contribution_id>/return")
@members(*PANEL_OR_MANAGERS)
@audited("contribution.write", "contribution", "contribution_id")
def send_back(case_id: str, contribution_id: str) -> ResponseReturnValue:
    review, found_ = found(case_id, contribution_id)
    form = ReturnForm()
    if not form.validate():
        return render_form_page(RETURN_PAGE, case_id, review, found_, form, error_list(form), 422)
    try:
        commands.move_contribution(
            _deps().uow, _viewer(), case_id, contribution_id, "return", _today(), form.comments.data.strip()
        )
    except DomainError as exc:
        return render_form_page(
            RETURN_PAGE, case_id, review, found_, form, with_problems(form, exc.errors()), exc.status
        )
    flash("The contribution was returned to its agency with your comments", DONE)
    return redirect(url_for(PAGE, case_id=case_id, contribution_id=contribution_id))
