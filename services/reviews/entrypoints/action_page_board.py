"""The board's side of the action plans: its response that goes with a review's plan (written, then
checked before it is recorded, since the plan document follows), and its list of every action
across its reviews, found by filters in the address and a page at a time. Routes of the
``review_action_pages`` blueprint, as the API's (actions_api.py) with its roles, audited as it is.

While the response is being written, what has been entered is kept in the session
(``action_plan_draft``) until the check page records it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from services.reviews.domain.actions import STATUSES
from services.reviews.entrypoints.action_forms import ResponseForm
from services.reviews.entrypoints.api import _deps, _today, _viewer
from services.reviews.entrypoints.meeting_forms import ConfirmForm, add_errors, error_list
from services.reviews.entrypoints.meeting_views import audited_form
from services.reviews.entrypoints.pages_actions import (
    DECIDERS,
    DONE,
    READERS,
    agencies,
    blueprint,
    board_response,
    plan,
    render,
    shown,
)
from services.reviews.service_layer import actions
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError
from shared.pager import page_asked, pager
from shared.pagination import Page
from shared.words import plain

DRAFT = "action_plan_draft"
LISTS = ("dissemination", "actions_taken")
TEXTS = ("publication_notes", "feedback_practitioners", "feedback_family", "impact", "further_work")


# -- the board's response with the plan -----------------------------------------------------------


def _draft(case_id: str) -> dict[str, Any] | None:
    kept: dict[str, Any] | None = session.get(DRAFT)
    return kept if kept and kept.get("case_id") == case_id else None


def _as_form(kept: dict[str, Any]) -> MultiDict[str, Any]:
    """A recorded response or a draft as the form's boxes hold it (each list one item a line)."""
    day = date.fromisoformat(kept["planned_publication_on"]) if kept.get("planned_publication_on") else None
    boxes: list[tuple[str, Any]] = [(name, kept.get(name) or "") for name in TEXTS]
    boxes += [(name, "\n".join(kept.get(name) or [])) for name in LISTS]
    parts = (str(day.day), str(day.month), str(day.year)) if day else ("", "", "")
    boxes += [("planned_publication_on", part) for part in parts]
    return MultiDict(boxes)


@blueprint.route("/reviews/<case_id>/actions/response", methods=["GET", "POST"])
@members(*DECIDERS)
@audited("review.read", "action_plan", "case_id")  # a draft: nothing is written
def response(case_id: str) -> ResponseReturnValue:
    plan(case_id)  # another board's review: 404
    posted = request.method == "POST"
    if posted:
        form = ResponseForm()
    else:
        kept = _draft(case_id) or board_response(case_id)
        form = ResponseForm(formdata=_as_form(kept)) if kept else ResponseForm(formdata=None)
    if posted and form.validate():
        given = form.given()
        day = given["planned_publication_on"]
        session[DRAFT] = {
            **given,
            "case_id": case_id,
            "planned_publication_on": day.isoformat() if day else None,
        }
        return redirect(url_for(".check_response", case_id=case_id))
    errors = error_list(form) if posted else []
    return render(
        "actions_response.html",
        case_id,
        422 if errors else 200,
        title="The board's response to the review",
        form=form,
        errors=errors,
    )


@blueprint.route("/reviews/<case_id>/actions/response/check", methods=["GET", "POST"])
@members(*DECIDERS)
@audited_form("action_plan", "case_id")
def check_response(case_id: str) -> ResponseReturnValue:
    plan(case_id)  # another board's review: 404
    draft = _draft(case_id)
    if draft is None:
        return redirect(url_for(".response", case_id=case_id))
    form = ConfirmForm()
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST" and form.validate():
        planned = draft["planned_publication_on"]
        given = {
            **{k: v for k, v in draft.items() if k != "case_id"},
            "planned_publication_on": date.fromisoformat(planned) if planned else None,
        }
        try:
            actions.record_response(_deps().uow, _viewer(), case_id, given, _today())
        except DomainError as exc:
            errors, status = add_errors(form, exc.errors()), exc.status
        else:
            session.pop(DRAFT, None)
            flash("The board's response is recorded: the action plan document will follow", DONE)
            return redirect(url_for(".action_plan", case_id=case_id))
    return render(
        "actions_response_check.html",
        case_id,
        status,
        title="Check the board's response before recording it",
        draft=draft,
        form=form,
        errors=errors,
    )


# -- the board's actions across its reviews -------------------------------------------------------


def _filters(named: dict[str, str]) -> dict[str, Any]:
    """The filters the address asks for; a value the list does not know is not a filter."""
    agency = request.args.get("agency") or None
    status = request.args.get("status") or None
    return {
        "overdue": True if request.args.get("overdue") == "true" else None,
        "agency": agency if agency in named else None,
        "status": status if status in STATUSES else None,
    }


def _select(choices: dict[str, str], chosen: str | None, everything: str) -> list[dict[str, Any]]:
    return [
        {"value": "", "text": everything, "selected": chosen is None},
        *({"value": k, "text": v, "selected": k == chosen} for k, v in choices.items()),
    ]


@blueprint.get("/actions")
@members(*READERS)
@audited("action.list", "action")
def board_actions() -> ResponseReturnValue:
    named = agencies()
    asked = _filters(named)
    viewer = _viewer()
    found = actions.list_board_actions(_deps().uow, viewer, _today(), **asked, **page_asked())
    page: Page[dict[str, Any]] = Page(
        items=[shown(a, named) for a in found["items"]],
        total=found["total"],
        page=found["page"],
        per_page=found["per_page"],
    )
    return render_template(
        "actions_board.html",
        title="The board's actions",
        found=page,
        pager=pager(page, "actions", label="Pages of the board's actions"),
        asked=asked,
        narrowed=any(v is not None for v in asked.values()),
        agency_only=viewer.agency_only,
        own_agency=named.get(viewer.agency or "") or plain(viewer.agency),
        agency_items=_select(named, asked["agency"], "All agencies"),
        status_items=_select({s: plain(s) for s in STATUSES}, asked["status"], "Any status"),
    )
