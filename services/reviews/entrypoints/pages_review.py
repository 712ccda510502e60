"""The review's pages: the board's reviews, a case's review, adding to its panel, and its terms of
reference (drafted, commented on, agreed). Each view calls the service layer the API calls, with
the same roles allowed, and is audited as the API is."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, get_flashed_messages, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from services.reviews.domain.vocabulary import DECLARATIONS
from services.reviews.entrypoints.api import TAKING_PART, _deps, _today, _viewer
from services.reviews.entrypoints.forms_common import ConfirmForm, error_list, with_problems
from services.reviews.entrypoints.forms_review import CommentForm, PanelMemberForm, TermsForm
from services.reviews.service_layer import commands
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError, NotFound
from shared.framework import CASE_FACTORS, CONTEXT_FACTORS
from shared.idempotency import derived_id
from shared.pager import page_asked, pager
from shared.pagination import Page

blueprint = Blueprint("review_pages", __name__, template_folder="../templates")

MANAGERS = ("business_unit", "admin")
READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
DECIDERS = ("business_unit", "admin", "chair")
PANEL_OR_MANAGERS = ("business_unit", "admin", "panel_member", "lead_reviewer")
DONE = "reviews"


def _agencies() -> dict[str, str]:
    agencies: dict[str, str] = _deps().uow.directory.agencies(g.principal.board_id)
    return agencies


def _review(case_id: str) -> dict[str, Any]:
    """The review as the viewer may see it; another board's is not found, a refused one forbidden."""
    return commands.get_review(_deps().uow, _viewer(), case_id)


@blueprint.get("/reviews")
@members(*TAKING_PART)
@audited("review.list", "review")
def reviews() -> ResponseReturnValue:
    found = commands.list_reviews(_deps().uow, _viewer(), **page_asked())
    page: Page[dict[str, Any]] = Page(
        items=found["items"], total=found["total"], page=found["page"], per_page=found["per_page"]
    )
    return render_template(
        "reviews.html", title="Reviews", found=page, pager=pager(page, "reviews", label="Pages of reviews")
    )


@blueprint.get("/reviews/<case_id>")
@members(*TAKING_PART)
@audited("review.read", "review", "case_id")
def review(case_id: str) -> ResponseReturnValue:
    try:
        found = _review(case_id)
    except NotFound:
        # The Review tab is on every page of a case: before a review opens, it says why there is none
        # (the same words for a case of another board, which tell nothing of it).
        return render_template("no_review.html", title="No review yet", case_id=case_id), 404
    viewer = _viewer()
    return render_template(
        "review.html",
        title="Review",
        review=found,
        agencies=_agencies(),
        declarations=DECLARATIONS,
        manages=viewer.manages,
        sees_everything=not viewer.agency_only,
        done=get_flashed_messages(category_filter=[DONE]),
    )


# -- the panel ---------------------------------------------------------------------------------


def _member_form(formdata: bool) -> PanelMemberForm:
    form = PanelMemberForm() if formdata else PanelMemberForm(formdata=None)
    form.offer(_agencies())
    return form


def _render_member(
    case_id: str,
    found: dict[str, Any],
    form: PanelMemberForm,
    errors: list[dict[str, str]],
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "panel_member.html",
        title="Add a member to the panel",
        case_id=case_id,
        review=found,
        form=form,
        errors=errors,
    ), status


@blueprint.get("/reviews/<case_id>/panel/add")
@members(*MANAGERS)
@audited("review.read", "review", "case_id")
def add_member_page(case_id: str) -> ResponseReturnValue:
    return _render_member(case_id, _review(case_id), _member_form(False), [])


@blueprint.post("/reviews/<case_id>/panel/add")
@members(*MANAGERS)
@audited("review.write", "review", "case_id")
def add_member(case_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    form = _member_form(True)
    if not form.validate():
        return _render_member(case_id, found, form, error_list(form), 422)
    given = {**form.given(), "member_id": derived_id("panel_member")}
    try:
        member = commands.add_panel_member(_deps().uow, _viewer(), case_id, given, _today())
    except DomainError as exc:
        return _render_member(case_id, found, form, with_problems(form, exc.errors()), exc.status)
    flash(f"{member['name']} was added to the panel", DONE)
    return redirect(url_for(".review", case_id=case_id))


def _member(found: dict[str, Any], member_id: str) -> dict[str, Any]:
    member = next((m for m in found["panel"] if m["id"] == member_id), None)
    if member is None:
        raise NotFound("No such member of the panel", "member_id")
    return member


def _render_change(
    case_id: str,
    found: dict[str, Any],
    member_id: str,
    form: PanelMemberForm,
    errors: list[dict[str, str]],
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "panel_member.html",
        title="Change a member of the panel",
        case_id=case_id,
        review=found,
        form=form,
        errors=errors,
        action=url_for(".change_member", case_id=case_id, member_id=member_id),
    ), status


@blueprint.get("/reviews/<case_id>/panel/<member_id>")
@members(*MANAGERS)
@audited("review.read", "review", "case_id")
def change_member_page(case_id: str, member_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    form = _member_form(False)
    form.fill(_member(found, member_id))
    return _render_change(case_id, found, member_id, form, [])


@blueprint.post("/reviews/<case_id>/panel/<member_id>")
@members(*MANAGERS)
@audited("review.write", "review", "case_id")
def change_member(case_id: str, member_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    _member(found, member_id)
    form = _member_form(True)
    if not form.validate():
        return _render_change(case_id, found, member_id, form, error_list(form), 422)
    try:
        commands.change_panel_member(_deps().uow, _viewer(), case_id, member_id, form.given())
    except DomainError as exc:
        return _render_change(case_id, found, member_id, form, with_problems(form, exc.errors()), exc.status)
    flash(f"{form.name.data.strip()}'s details were changed", DONE)
    return redirect(url_for(".review", case_id=case_id))


@blueprint.get("/reviews/<case_id>/panel/<member_id>/remove")
@members(*MANAGERS)
@audited("review.read", "review", "case_id")
def remove_member_page(case_id: str, member_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    member = _member(found, member_id)
    return render_template(
        "panel_remove.html",
        title="Remove a member from the panel",
        case_id=case_id,
        review=found,
        member=member,
        form=ConfirmForm(),
    )


@blueprint.post("/reviews/<case_id>/panel/<member_id>/remove")
@members(*MANAGERS)
@audited("review.write", "review", "case_id")
def remove_member(case_id: str, member_id: str) -> ResponseReturnValue:
    member = _member(_review(case_id), member_id)
    if not ConfirmForm().validate():
        return redirect(url_for(".remove_member_page", case_id=case_id, member_id=member_id))
    commands.change_panel_member(_deps().uow, _viewer(), case_id, member_id, None)
    flash(f"{member['name']} was removed from the panel", DONE)
    return redirect(url_for(".review", case_id=case_id))


# -- terms of reference ------------------------------------------------------------------------


@blueprint.get("/reviews/<case_id>/terms-of-reference")
@members(*READERS)
@audited("review.read", "terms_of_reference", "case_id")
def terms(case_id: str) -> ResponseReturnValue:
    return _render_terms(case_id, _review(case_id), CommentForm(formdata=None), [])


def _render_terms(
    case_id: str, found: dict[str, Any], form: CommentForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    roles = set(g.principal.roles)
    viewer = _viewer()
    on_panel = any(m["email"].lower() == (viewer.email or "").lower() for m in found["panel"])
    return render_template(
        "terms.html",
        title="Terms of reference",
        case_id=case_id,
        review=found,
        terms=found["terms_of_reference"],
        agencies=_agencies(),
        form=form,
        errors=errors,
        may_draft=bool(roles & set(MANAGERS)),
        may_agree=bool(roles & set(DECIDERS)),
        may_comment=bool(roles & set(DECIDERS)) or on_panel,
        case_factors=CASE_FACTORS,
        context_factors=CONTEXT_FACTORS,
        done=get_flashed_messages(category_filter=[DONE]),
    ), status


@blueprint.post("/reviews/<case_id>/terms-of-reference/comments")
@members(*READERS)
@audited("review.write", "terms_of_reference", "case_id")
def comment(case_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    form = CommentForm()
    if not form.validate():
        return _render_terms(case_id, found, form, error_list(form), 422)
    try:
        commands.comment_on_terms(_deps().uow, _viewer(), case_id, form.comment.data.strip())
    except DomainError as exc:
        return _render_terms(
            case_id, found, form, with_problems(form, exc.errors(), {"text": "comment"}), exc.status
        )
    flash("Your comment was added", DONE)
    return redirect(url_for(".terms", case_id=case_id) + "#comments")


def _terms_form(formdata: bool) -> TermsForm:
    form = TermsForm() if formdata else TermsForm(formdata=None)
    form.offer(_agencies())
    return form


def _render_edit(
    case_id: str, found: dict[str, Any], form: TermsForm, errors: list[dict[str, str]], status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "terms_edit.html",
        title="Draft the terms of reference",
        case_id=case_id,
        review=found,
        form=form,
        errors=errors,
    ), status


@blueprint.get("/reviews/<case_id>/terms-of-reference/edit")
@members(*MANAGERS)
@audited("review.read", "terms_of_reference", "case_id")
def edit_terms_page(case_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    form = _terms_form(False)
    if found["terms_of_reference"]:
        form.fill(found["terms_of_reference"])
    else:
        form.agencies.data = [a for a in found["agencies"] if a in dict(form.agencies.choices or [])]
        form.method.data = found["method"]
    return _render_edit(case_id, found, form, [])


@blueprint.post("/reviews/<case_id>/terms-of-reference/edit")
@members(*MANAGERS)
@audited("review.write", "terms_of_reference", "case_id")
def edit_terms(case_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    form = _terms_form(True)
    if not form.validate():
        return _render_edit(case_id, found, form, error_list(form), 422)
    try:
        commands.put_terms(_deps().uow, _viewer(), case_id, form.given())
    except DomainError as exc:
        return _render_edit(case_id, found, form, with_problems(form, exc.errors()), exc.status)
    flash("The draft terms of reference were saved", DONE)
    return redirect(url_for(".terms", case_id=case_id))


@blueprint.get("/reviews/<case_id>/terms-of-reference/agree")
@members(*DECIDERS)
@audited("review.read", "terms_of_reference", "case_id")
def agree_terms_page(case_id: str) -> ResponseReturnValue:
    found = _review(case_id)
    return render_template(
        "terms_agree.html",
        title="Agree the terms of reference",
        case_id=case_id,
        review=found,
        form=ConfirmForm(),
    )


@blueprint.post("/reviews/<case_id>/terms-of-reference/agree")
@members(*DECIDERS)
@audited("review.write", "terms_of_reference", "case_id")
def agree_terms(case_id: str) -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate():
        return redirect(url_for(".agree_terms_page", case_id=case_id))
    try:
        commands.agree_terms(_deps().uow, _viewer(), case_id, _today())
    except DomainError as exc:
        found = _review(case_id)
        errors = with_problems(form, exc.errors())
        return render_template(
            "terms_agree.html",
            title="Agree the terms of reference",
            case_id=case_id,
            review=found,
            form=form,
            errors=errors,
        ), exc.status
    flash("The terms of reference were agreed. The terms of reference document will be produced.", DONE)
    return redirect(url_for(".review", case_id=case_id))
