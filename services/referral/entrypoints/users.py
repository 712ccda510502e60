"""The users pages: the board's people, inviting someone, their roles and agency, deactivating,
reactivating, unlocking, and sending a link to create a password.

For admins and the business unit (``service_layer/accounts.py`` says who may change whom).
Every change is in the audit log, naming who made it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, get_flashed_messages, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import Field, RadioField, SelectMultipleField, StringField, SubmitField

from services.referral.entrypoints.forms.widgets import Checkboxes, Radios
from services.referral.service_layer import accounts
from shared import audit
from shared.auth.access import members
from shared.auth.links import INVITATION
from shared.auth.models import ROLES
from shared.errors import InvalidInput
from shared.pager import page_asked, pager
from shared.words import plain

blueprint = Blueprint("users", __name__)
MANAGERS = accounts.MANAGERS


def link_url(purpose: str, token: str) -> str:
    endpoint = "accounts.invitation" if purpose == INVITATION else "accounts.password_reset"
    return url_for(endpoint, token=token, _external=True)


def _secret() -> str:
    key: str = current_app.config["SETTINGS"].SECRET_KEY
    return key


class RolesForm(FlaskForm):
    roles = SelectMultipleField("Roles", widget=Checkboxes(), validate_choice=False)
    agency = RadioField(
        "Agency",
        widget=Radios(),
        validate_choice=False,
        description="For agency practitioners and managers: they see only their agency's cases.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def offer(self, agencies: dict[str, str], may_grant_admin: bool) -> None:
        self.roles.choices = [(r, plain(r)) for r in ROLES if may_grant_admin or r != accounts.ADMIN]
        self.agency.choices = list(agencies.items())


class InviteForm(RolesForm):
    name = StringField("Full name", widget=GovTextInput())
    email = StringField("Email address", widget=GovTextInput())
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


def _show_problems(form: FlaskForm, problems: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every problem on its field and in the summary, in the order of the form's fields."""
    order = [f.name for f in form]
    problems = sorted(problems, key=lambda p: order.index(p["field"]) if p["field"] in order else len(order))
    out = []
    for p in problems:
        field: Field | None = getattr(form, p["field"], None) if p["field"] else None
        if field is not None:
            field.errors = [*list(field.errors or []), p["message"]]
            out.append({"text": p["message"], "href": f"#{field.id}"})
        else:
            out.append({"text": p["message"], "href": "#main-content"})
    return out


@blueprint.get("/admin/users")
@members(*MANAGERS)
def users_page() -> ResponseReturnValue:
    page = accounts.members_of(g.principal.board_id, **page_asked())
    audit.record("user.list", resource=("board", g.principal.board_id))
    return render_template(
        "admin/users.html",
        title="Users",
        people=page.items,
        pager=pager(page, "users"),
        agencies=accounts.agencies_of(g.principal.board_id),
        messages=get_flashed_messages(),
    )


@blueprint.route("/admin/users/invite", methods=["GET", "POST"])
@members(*MANAGERS)
def invite_page() -> ResponseReturnValue:
    form = InviteForm()
    form.offer(accounts.agencies_of(g.principal.board_id), accounts.ADMIN in g.principal.roles)
    errors = None
    if form.validate_on_submit():
        try:
            user = accounts.invite(
                g.principal,
                form.name.data or "",
                form.email.data or "",
                list(form.roles.data or []),
                form.agency.data or None,
                secret_key=_secret(),
                link_url=link_url,
            )
        except InvalidInput as exc:
            errors = _show_problems(form, exc.errors())
            audit.record("user.invited", outcome="failed", resource=("user", "-"), detail="invalid input")
        else:
            audit.record(
                "user.invited", resource=("user", user.user_id), detail=f"roles {','.join(form.roles.data)}"
            )
            if user.password_hash:
                flash(
                    f"{user.email} already had an account: they use this board with the password they have."
                )
            else:
                flash(f"We have sent an invitation to {user.email}. The link in it works for 72 hours.")
            return redirect(url_for("users.user_page", user_id=user.user_id))
    status = 422 if errors or form.errors else 200
    return render_template(
        "admin/user_form.html", title="Invite a user", form=form, errors=errors, inviting=True
    ), status


@blueprint.get("/admin/users/<user_id>")
@members(*MANAGERS)
def user_page(user_id: str) -> ResponseReturnValue:
    person = accounts.member(accounts.find(g.principal, user_id), g.principal.board_id)
    audit.record("user.read", resource=("user", user_id))
    return render_template(
        "admin/user.html",
        title=person.user.name,
        person=person,
        agencies=accounts.agencies_of(g.principal.board_id),
        yourself=user_id == g.principal.user_id,
        messages=get_flashed_messages(),
    )


@blueprint.route("/admin/users/<user_id>/roles", methods=["GET", "POST"])
@members(*MANAGERS)
def roles_page(user_id: str) -> ResponseReturnValue:
    person = accounts.member(accounts.find(g.principal, user_id), g.principal.board_id)
    form = RolesForm()
    form.offer(accounts.agencies_of(g.principal.board_id), accounts.ADMIN in g.principal.roles)
    errors = None
    if not form.is_submitted():
        form.roles.data, form.agency.data = person.roles, person.agency
    elif form.validate():
        try:
            _, detail = accounts.change_roles(
                g.principal, user_id, list(form.roles.data or []), form.agency.data or None
            )
        except InvalidInput as exc:
            errors = _show_problems(form, exc.errors())
        else:
            audit.record("user.roles_changed", resource=("user", user_id), detail=detail)
            flash(f"{person.user.name}'s roles are changed.")
            return redirect(url_for("users.user_page", user_id=user_id))
    status = 422 if errors or form.errors else 200
    return render_template(
        "admin/user_form.html",
        title=f"Change {person.user.name}'s roles",
        form=form,
        errors=errors,
        person=person,
    ), status


class ConfirmForm(FlaskForm):
    submit = SubmitField("Deactivate account", widget=GovSubmitInput())


@blueprint.route("/admin/users/<user_id>/deactivate", methods=["GET", "POST"])
@members(*MANAGERS)
def deactivate_page(user_id: str) -> ResponseReturnValue:
    """A consequential change: a page asks to confirm it first."""
    person = accounts.member(accounts.find(g.principal, user_id), g.principal.board_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.set_active(g.principal, user_id, False)
        audit.record("user.deactivated", resource=("user", user_id))
        flash(f"{person.user.name} can no longer sign in to this board.")
        return redirect(url_for("users.user_page", user_id=user_id))
    return render_template(
        "admin/deactivate.html", title=f"Deactivate {person.user.name}", person=person, form=form
    )


class ActionForm(FlaskForm):
    """A button that acts at once: only its CSRF token."""


def _act() -> bool:
    """The button's form came from this site (its CSRF token)."""
    return bool(ActionForm().validate_on_submit())


@blueprint.post("/admin/users/<user_id>/reactivate")
@members(*MANAGERS)
def reactivate(user_id: str) -> ResponseReturnValue:
    if _act():
        person = accounts.set_active(g.principal, user_id, True)
        audit.record("user.reactivated", resource=("user", user_id))
        flash(f"{person.user.name} can sign in to this board again.")
    return redirect(url_for("users.user_page", user_id=user_id))


@blueprint.post("/admin/users/<user_id>/unlock")
@members(*MANAGERS)
def unlock(user_id: str) -> ResponseReturnValue:
    if _act():
        person = accounts.unlock(g.principal, user_id)
        audit.record("user.unlocked", resource=("user", user_id))
        flash(f"{person.user.name} can sign in again now.")
    return redirect(url_for("users.user_page", user_id=user_id))


@blueprint.post("/admin/users/<user_id>/send-link")
@members(*MANAGERS)
def send_link(user_id: str) -> ResponseReturnValue:
    if _act():
        purpose = accounts.resend_link(g.principal, user_id, secret_key=_secret(), link_url=link_url)
        audit.record("user.link_sent", resource=("user", user_id), detail=purpose)
        person = accounts.member(accounts.find(g.principal, user_id), g.principal.board_id)
        what = "an invitation" if purpose == INVITATION else "a link to reset their password"
        flash(f"We have sent {what} to {person.user.email}.")
    return redirect(url_for("users.user_page", user_id=user_id))
