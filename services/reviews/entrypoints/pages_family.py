"""The family pages of a review (002 §2.5; 001 §6 note 9): the family's members and how they are
related, the genogram, contacts made, support offered, consent, views given, family meetings, and
the hold while criminal proceedings run. The views call the service layer the API calls
(:mod:`..service_layer.family_commands`), with the API's roles, and are audited as it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from markupsafe import Markup

from services.reviews.entrypoints.api import _deps, _today, _viewer
from services.reviews.entrypoints.family_forms import (
    RELATION_LABELS,
    ConsentForm,
    ContactForm,
    HoldForm,
    MemberForm,
    RelationForm,
    SupportForm,
    ViewsForm,
    with_members,
)
from services.reviews.entrypoints.meeting_forms import ConfirmForm, add_errors, error_list
from services.reviews.entrypoints.meeting_views import audited_form, reference, shown
from services.reviews.service_layer import family_commands as family
from shared.audit import audited
from shared.auth.access import members
from shared.errors import DomainError, NotFound

blueprint = Blueprint("review_family_pages", __name__, template_folder="../templates")

READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")  # as the API
MANAGERS = ("business_unit", "admin")
ALIASES = {"from": "from_"}


def _family(case_id: str) -> dict[str, Any]:
    found: dict[str, Any] = family.get_family(_deps().uow, _viewer(), case_id)
    return found


def _names(found: dict[str, Any]) -> dict[str, str]:
    return {m["id"]: m["name"] for m in found["members"]}


def _done(case_id: str, message: str) -> ResponseReturnValue:
    flash(message, "family")
    return redirect(url_for(".family_page", case_id=case_id))


@blueprint.get("/reviews/<case_id>/family")
@members(*READERS)
@audited("family.read", "family", "case_id")
def family_page(case_id: str) -> ResponseReturnValue:
    found = _family(case_id)
    svg = family.genogram(_deps().uow, _viewer(), case_id)
    return render_template(
        "family.html",
        title="The family",
        case_id=case_id,
        reference=reference(case_id),
        family=found,
        names=_names(found),
        relations=RELATION_LABELS,
        meetings=[shown(m) for m in found["meetings"]],
        genogram=Markup(svg),  # drawn by the service from escaped text, with its title and description
        manages=_viewer().manages,
        done=get_flashed_messages(category_filter=["family"]),
    )


def _form_page(
    case_id: str,
    form: FlaskForm,
    save: Callable[[], str],
    *,
    title: str,
    button: str,
    intro: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    """A family form: on a valid POST, ``save`` calls the service and says what was done."""
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        if form.validate():
            try:
                return _done(case_id, save())
            except DomainError as exc:
                errors = add_errors(form, exc.errors(), ALIASES)
                status = exc.status
        else:
            errors, status = error_list(form), 422
    return render_template(
        "family_form.html",
        title=title,
        case_id=case_id,
        reference=reference(case_id),
        form=form,
        errors=errors,
        button=button,
        intro=intro,
    ), status


def _posted(cls: type[FlaskForm], **data: Any) -> Any:
    return cls() if request.method == "POST" else cls(formdata=None, data=data)


@blueprint.route("/reviews/<case_id>/family/members/new", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family_member", "case_id", "family.read", "family.write")
def add_member(case_id: str) -> ResponseReturnValue:
    _family(case_id)
    form = _posted(MemberForm)

    def save() -> str:
        made = family.add_member(_deps().uow, _viewer(), case_id, form.given())
        return f"{made['name']} added to the family"

    return _form_page(case_id, form, save, title="Add a family member", button="Add this person")


@blueprint.route("/reviews/<case_id>/family/members/<member_id>/change", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family_member", "member_id", "family.read", "family.write")
def change_member(case_id: str, member_id: str) -> ResponseReturnValue:
    kept = next((m for m in _family(case_id)["members"] if m["id"] == member_id), None)
    if kept is None:
        raise NotFound("No such family member in this review", "member_id")
    born = date.fromisoformat(kept["born_on"]) if kept["born_on"] else None
    form = _posted(MemberForm, **{**kept, "born_on": born, "deceased": "yes" if kept["deceased"] else "no"})

    def save() -> str:
        changed = family.change_member(_deps().uow, _viewer(), case_id, member_id, form.given())
        return f"{changed['name']}'s details changed"

    return _form_page(
        case_id, form, save, title=f"Change {kept['name']}'s details", button="Save the changes"
    )


@blueprint.route("/reviews/<case_id>/family/members/<member_id>/consent", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family_member", "member_id", "family.read", "family.write")
def consent(case_id: str, member_id: str) -> ResponseReturnValue:
    name = _names(_family(case_id)).get(member_id, "")
    form = _posted(ConsentForm)

    def save() -> str:
        family.set_consent(_deps().uow, _viewer(), case_id, member_id, form.status.data, form.on.data)
        return f"{name}'s consent recorded"

    return _form_page(case_id, form, save, title=f"Record {name}'s consent", button="Record consent")


@blueprint.route("/reviews/<case_id>/family/relationships/new", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family", "case_id", "family.read", "family.write")
def relate(case_id: str) -> ResponseReturnValue:
    names = _names(_family(case_id))
    form = _posted(RelationForm)
    form.offer(names)

    def save() -> str:
        given = {"from_": form.from_.data, "kind": form.kind.data, "to": form.to.data}
        family.relate(_deps().uow, _viewer(), case_id, given)
        return "Relationship recorded"

    return _form_page(
        case_id,
        form,
        save,
        title="Record how two people are related",
        button="Record the relationship",
        intro="For a parent and child, choose the parent first.",
    )


def _record(
    case_id: str, cls: type[FlaskForm], command: Any, title: str, button: str, said: str
) -> ResponseReturnValue:
    names = _names(_family(case_id))
    form = with_members(_posted(cls), names)
    if not names:
        return redirect(url_for(".add_member", case_id=case_id))

    def save() -> str:
        given = {f.name: f.data for f in form if f.name not in ("csrf_token",)}
        command(_deps().uow, _viewer(), case_id, given)
        return said

    return _form_page(case_id, form, save, title=title, button=button)


@blueprint.route("/reviews/<case_id>/family/contacts/new", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family_contact", "case_id", "family.read", "family.write")
def contact(case_id: str) -> ResponseReturnValue:
    return _record(
        case_id,
        ContactForm,
        family.record_contact,
        "Record a contact with the family",
        "Record the contact",
        "Contact recorded",
    )


@blueprint.route("/reviews/<case_id>/family/support/new", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family_support", "case_id", "family.read", "family.write")
def support(case_id: str) -> ResponseReturnValue:
    return _record(
        case_id,
        SupportForm,
        family.offer_support,
        "Record support offered to the family",
        "Record the support",
        "Support recorded",
    )


@blueprint.route("/reviews/<case_id>/family/views/new", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family_views", "case_id", "family.read", "family.write")
def views(case_id: str) -> ResponseReturnValue:
    return _record(
        case_id,
        ViewsForm,
        family.record_views,
        "Record the views a family member gave",
        "Record their views",
        "Views recorded",
    )


@blueprint.route("/reviews/<case_id>/family/hold", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family", "case_id", "family.read", "family.write")
def hold(case_id: str) -> ResponseReturnValue:
    """Hold the family's involvement: the reason, then a confirmation page, then the hold."""
    _family(case_id)
    form = HoldForm()
    errors: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        if not form.validate():
            errors, status = error_list(form), 422
        elif form.confirmed.data == "yes":
            try:
                family.set_hold(_deps().uow, _viewer(), case_id, True, form.reason.data.strip(), _today())
            except DomainError as exc:
                errors, status = add_errors(form, exc.errors()), exc.status
            else:
                return _done(case_id, "The family's involvement is held")
        else:
            return render_template(
                "family_hold_confirm.html",
                title="Hold the family's involvement?",
                case_id=case_id,
                reference=reference(case_id),
                form=form,
            )
    return render_template(
        "family_hold.html",
        title="Hold the family's involvement",
        case_id=case_id,
        reference=reference(case_id),
        form=form,
        errors=errors,
    ), status


@blueprint.route("/reviews/<case_id>/family/hold/lift", methods=["GET", "POST"])
@members(*MANAGERS)
@audited_form("family", "case_id", "family.read", "family.write")
def lift(case_id: str) -> ResponseReturnValue:
    found = _family(case_id)
    if not found["hold"]["held"]:
        return redirect(url_for(".family_page", case_id=case_id))
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        family.set_hold(_deps().uow, _viewer(), case_id, False, None, _today())
        return _done(case_id, "The hold is lifted: the family can be involved again")
    return render_template(
        "family_lift.html",
        title="Lift the hold?",
        case_id=case_id,
        reference=reference(case_id),
        form=form,
        hold=found["hold"],
    )
