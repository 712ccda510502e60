"""The notifications pages: a case's log, what needs attention (and resending), the recipients."""

from __future__ import annotations

from flask import Blueprint, flash, g, get_flashed_messages, redirect, render_template
from flask.typing import ResponseReturnValue

from services.notifications.entrypoints.extension import dependencies
from services.notifications.entrypoints.forms import RecipientForm, ResendForm
from services.notifications.service_layer import directory, ledger
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput

blueprint = Blueprint("notifications_pages", __name__)
STAFF = ("business_unit", "chair", "admin")


@blueprint.get("/notifications/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "notifications", "case_id")
def case_log(case_id: str) -> ResponseReturnValue:
    return render_template(
        "case_log.html",
        title="Notifications for this case",
        items=ledger.notifications_for(dependencies().uow, g.principal, case_id=case_id),
        case_id=case_id,
        form=None,
        resend_form=ResendForm(),
    )


@blueprint.get("/notifications/operations")
@members("business_unit", "admin")
def operations() -> ResponseReturnValue:
    return render_template(
        "operations.html",
        title="Notifications needing attention",
        items=ledger.needing_attention(dependencies().uow, g.principal),
        resend_form=ResendForm(),
        messages=get_flashed_messages(),
    )


@blueprint.post("/notifications/<notification_id>/resend")
@members("business_unit", "admin")
@audited("case.write", "notification", "notification_id")
def resend_page(notification_id: str) -> ResponseReturnValue:
    form = ResendForm()
    if form.validate_on_submit():
        deps = dependencies()
        ledger.resend(deps.uow, deps.clock, g.principal, notification_id)
        flash("The notification will be sent again.")
    return redirect("/notifications/operations")


@blueprint.route("/notifications/recipients", methods=["GET", "POST"])
@members("admin")
def recipients_page() -> ResponseReturnValue:
    form = RecipientForm()
    errors = None
    uow = dependencies().uow
    if form.validate_on_submit():
        try:
            directory.add(uow, g.principal, form.role.data, form.name.data, form.email.data)
        except InvalidInput as exc:
            errors = [{"text": e["message"], "href": f"#{e['field']}"} for e in exc.errors()]
        else:
            flash("Recipient added.")
            return redirect("/notifications/recipients")
    status = 422 if errors or form.errors else 200
    return render_template(
        "recipients.html",
        title="Recipients",
        form=form,
        errors=errors,
        recipients=directory.recipients_for(uow, g.principal),
        messages=get_flashed_messages(),
    ), status
