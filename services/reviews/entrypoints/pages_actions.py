"""The action plan pages: actions from the recommendations, their progress and closing.

A review's plan lists its actions (agency staff see their own agency's), each with a page of its
own: its details, the progress reported (red, amber or green, a note and the evidence), a form to
report more, and closing it with the evidence of its impact after a confirmation. The business unit
adds actions. The board's response that goes with the plan, and the board's list of every action,
are in :mod:`.action_page_board`. The views call the service layer the API calls
(:mod:`..service_layer.actions`) with the API's roles, and are audited as the API is.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints.action_forms import (
    RAG_TAGS,
    RAG_WORDS,
    STATUS_TAGS,
    ActionForm,
    CloseForm,
    ProgressForm,
)
from services.reviews.entrypoints.api import _deps, _today, _viewer
from services.reviews.entrypoints.meeting_forms import add_errors, error_list
from services.reviews.entrypoints.meeting_views import audited_form, reference
from services.reviews.service_layer import actions
from shared.audit import audited
from shared.auth.access import members
from shared.auth.models import AGENCY_ROLES
from shared.errors import DomainError, NotFound
from shared.idempotency import derived_id
from shared.words import long_date, plain

blueprint = Blueprint("review_action_pages", __name__, template_folder="../templates")

# The API's roles (actions_api.py), route by route.
READERS = ("business_unit", "admin", "chair", "agency_practitioner", "agency_manager")
MANAGERS = ("business_unit", "admin")
REPORTERS = ("business_unit", "admin", "agency_practitioner", "agency_manager")
DECIDERS = ("business_unit", "admin", "chair")
DONE = "actions"


@blueprint.app_template_global()
def action_rag_tag(rag: str | None) -> dict[str, str] | None:
    """The latest rating as a GOV.UK tag's text and colour (the words say it, not the colour alone)."""
    if not rag:
        return None
    return {"text": RAG_WORDS.get(rag, plain(rag)), "classes": RAG_TAGS.get(rag, "")}


@blueprint.app_template_global()
def action_status_tag(status: str) -> dict[str, str]:
    return {"text": plain(status), "classes": STATUS_TAGS.get(status, "")}


def agencies() -> dict[str, str]:
    found: dict[str, str] = _deps().uow.directory.agencies(g.principal.board_id)
    return found


def shown(action: dict[str, Any], named: dict[str, str]) -> dict[str, Any]:
    """An action as the pages show it: its agency by name, its reports newest first."""
    history = sorted(action["progress"], key=lambda p: p["reported_on"], reverse=True)
    return {
        **action,
        "agency_name": named.get(action["owner_agency"]) or plain(action["owner_agency"]),
        "history": history,
    }


def plan(case_id: str) -> list[dict[str, Any]]:
    """The review's actions the viewer may see (agency staff: their agency's), as the API lists them."""
    named = agencies()
    found = actions.list_review_actions(_deps().uow, _viewer(), case_id, _today())["items"]
    return [shown(a, named) for a in found]


def one(case_id: str, action_id: str) -> dict[str, Any]:
    for action in plan(case_id):
        if action["id"] == action_id:
            return action
    raise NotFound("No such action in this review's plan", "action_id")


def board_response(case_id: str) -> dict[str, Any] | None:
    """The board's response recorded with the plan (PUT /action-plan), or None."""
    return actions.get_response(_deps().uow, _viewer(), case_id)


def render(template: str, case_id: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template(template, case_id=case_id, reference=reference(case_id), **context), status


def may_report(action: dict[str, Any]) -> bool:
    """Whether the page offers the progress form; the service layer decides when it is sent."""
    viewer = _viewer()
    return action["status"] != "closed" and (viewer.manages or bool(viewer.roles & AGENCY_ROLES))


# -- the review's plan --------------------------------------------------------------------------


@blueprint.get("/reviews/<case_id>/actions")
@members(*READERS)
@audited("review.read", "action", "case_id")
def action_plan(case_id: str) -> ResponseReturnValue:
    items = plan(case_id)
    viewer = _viewer()
    return render(
        "actions_plan.html",
        case_id,
        title="Action plan",
        items=items,
        response=None if viewer.agency_only else board_response(case_id),
        manages=viewer.manages,
        decides=viewer.manages or "chair" in viewer.roles,
        agency_only=viewer.agency_only,
        done=get_flashed_messages(category_filter=[DONE]),
    )


@blueprint.route("/reviews/<case_id>/actions/new", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("action", "case_id")
def add_action(case_id: str) -> ResponseReturnValue:
    actions.list_review_actions(_deps().uow, _viewer(), case_id, _today())  # another board's: 404
    posted = request.method == "POST"
    form = ActionForm() if posted else ActionForm(formdata=None)
    form.offer(agencies())
    errors: list[dict[str, str]] = []
    status = 200
    if posted and form.validate():
        try:
            added = actions.add_action(
                _deps().uow, _viewer(), case_id, form.given(), _today(), derived_id("action")
            )
        except DomainError as exc:
            errors, status = add_errors(form, exc.errors()), exc.status
        else:
            flash(f"Action added to the plan, due {long_date(added['due_on'])}", DONE)
            return redirect(url_for(".action_plan", case_id=case_id))
    elif posted:
        errors, status = error_list(form), 422
    return render("actions_add.html", case_id, status, title="Add an action", form=form, errors=errors)


# -- one action: its progress and closing -------------------------------------------------------


def _action_page(
    case_id: str, action: dict[str, Any], form: ProgressForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    viewer = _viewer()
    return render(
        "actions_view.html",
        case_id,
        status,
        title="Action",
        action=action,
        form=form,
        errors=errors,
        reports=may_report(action),
        closes=viewer.manages and action["status"] != "closed",
        done=get_flashed_messages(category_filter=[DONE]),
    )


@blueprint.get("/reviews/<case_id>/actions/<action_id>")
@members(*READERS)
@audited("review.read", "action", "action_id")
def action_page(case_id: str, action_id: str) -> ResponseReturnValue:
    return _action_page(case_id, one(case_id, action_id), ProgressForm(formdata=None), [])


@blueprint.post("/reviews/<case_id>/actions/<action_id>/progress")
@members(*REPORTERS)
@audited("review.write", "action", "action_id")
def report_progress(case_id: str, action_id: str) -> ResponseReturnValue:
    form = ProgressForm()
    if not form.validate():
        return _action_page(case_id, one(case_id, action_id), form, error_list(form), 422)
    try:
        actions.report_progress(_deps().uow, _viewer(), case_id, action_id, form.given(), _today())
    except DomainError as exc:
        if exc.status in (403, 404):
            raise  # refused or not found, as the API answers
        return _action_page(
            case_id, one(case_id, action_id), form, add_errors(form, exc.errors()), exc.status
        )
    flash(f"Progress reported: {RAG_WORDS[form.rag.data]}", DONE)
    return redirect(url_for(".action_page", case_id=case_id, action_id=action_id))


@blueprint.route("/reviews/<case_id>/actions/<action_id>/close", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("action", "action_id")
def close_action(case_id: str, action_id: str) -> ResponseReturnValue:
    action = one(case_id, action_id)
    posted = request.method == "POST"
    form = CloseForm() if posted else CloseForm(formdata=None)
    if action["status"] == "closed" and not posted:
        return redirect(url_for(".action_page", case_id=case_id, action_id=action_id))
    errors: list[dict[str, str]] = []
    status = 200
    if posted and form.validate():
        evidence = form.evidence_of_impact.data or ""
        try:
            actions.close_action(_deps().uow, _viewer(), case_id, action_id, evidence, _today())
        except DomainError as exc:
            errors, status = add_errors(form, exc.errors()), exc.status
        else:
            flash("Action closed with the evidence of its impact", DONE)
            return redirect(url_for(".action_page", case_id=case_id, action_id=action_id))
    if posted and not errors:
        errors, status = error_list(form), 422
    return render(
        "actions_close.html",
        case_id,
        status,
        title="Close the action",
        action=action,
        form=form,
        errors=errors,
    )


# The board's response and the board's list of actions add their routes to this blueprint.
from services.reviews.entrypoints import action_page_board  # noqa: E402, F401
