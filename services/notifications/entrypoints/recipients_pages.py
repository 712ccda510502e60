"""Changing and removing a recipient of the directory, for the business unit and admins (the
list and the form to add one are on ``/notifications/recipients``)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField

from services.notifications.entrypoints.extension import dependencies
from services.notifications.service_layer import directory, recipients_admin
from shared import audit
from shared.auth.access import members
from shared.errors import InvalidInput

blueprint = Blueprint("recipients_admin", __name__)
KEEPERS = ("business_unit", "admin")
LIST = "/notifications/recipients"


class ChangeRecipientForm(FlaskForm):
    name = StringField("Name", widget=GovTextInput())
    email = StringField("Email address", widget=GovTextInput())
    submit = SubmitField("Save", widget=GovSubmitInput())


class RemoveRecipientForm(FlaskForm):
    submit = SubmitField("Remove recipient", widget=GovSubmitInput())


@blueprint.route("/notifications/recipients/<recipient_id>/change", methods=["GET", "POST"])
@members(*KEEPERS)
def change(recipient_id: str) -> ResponseReturnValue:
    uow = dependencies().uow
    found = recipients_admin.recipient(uow, g.principal, recipient_id)
    form = ChangeRecipientForm()
    errors = None
    if not form.is_submitted():
        form.name.data, form.email.data = found.name, found.email
    elif form.validate():
        try:
            _, detail = recipients_admin.change(
                uow, g.principal, recipient_id, form.name.data or "", form.email.data or ""
            )
        except InvalidInput as exc:
            errors = []
            for p in exc.errors():
                field = getattr(form, p["field"])
                field.errors = [*list(field.errors or []), p["message"]]
                errors.append({"text": p["message"], "href": f"#{field.id}"})
        else:
            audit.record("recipient.changed", resource=("recipient", recipient_id), detail=detail)
            flash("Recipient changed.")
            return redirect(LIST)
    status = 422 if errors or form.errors else 200
    return render_template(
        "recipient_change.html", title="Change a recipient", form=form, errors=errors, recipient=found
    ), status


@blueprint.route("/notifications/recipients/<recipient_id>/remove", methods=["GET", "POST"])
@members(*KEEPERS)
def remove(recipient_id: str) -> ResponseReturnValue:
    """A confirmation first: after it, the role's emails go to nobody until another is added."""
    uow = dependencies().uow
    found = recipients_admin.recipient(uow, g.principal, recipient_id)
    form = RemoveRecipientForm()
    if form.validate_on_submit():
        directory.deactivate(uow, g.principal, recipient_id)
        audit.record("recipient.removed", resource=("recipient", recipient_id), detail=found.role)
        flash(f"{found.name} is removed from the recipients.")
        return redirect(LIST)
    return render_template("recipient_remove.html", title="Remove a recipient", form=form, recipient=found)
