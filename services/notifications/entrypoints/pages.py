"""The notifications pages: a case's log, what needs attention (uncertain first: resend or confirm
delivered; then failed: resend), the recipients. Every list comes a page at a time."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, g, get_flashed_messages, redirect, render_template
from flask.typing import ResponseReturnValue

from services.notifications.entrypoints.extension import dependencies
from services.notifications.entrypoints.forms import ActionForm, RecipientForm
from services.notifications.service_layer import directory, ledger
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.pager import page_asked, pager

blueprint = Blueprint("notifications_pages", __name__)
STAFF = ("business_unit", "chair", "admin")
OPERATIONS = "/notifications/operations"


@blueprint.get("/notifications/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "notifications", "case_id")
def case_log(case_id: str) -> ResponseReturnValue:
    page = ledger.notifications_for(dependencies().uow, g.principal, case_id, None, **page_asked())
    return render_template(
        "case_log.html",
        title="Notifications for this case",
        items=page.items,
        pager=pager(page, "notifications"),
        case_id=case_id,
        form=ActionForm(),
    )


@blueprint.get(OPERATIONS)
@members("business_unit", "admin")
def operations() -> ResponseReturnValue:
    page = ledger.needing_attention(dependencies().uow, g.principal, **page_asked())
    return render_template(
        "operations.html",
        title="Notifications needing attention",
        items=page.items,
        pager=pager(page, "notifications needing attention"),
        form=ActionForm(),
        messages=get_flashed_messages(),
    )


@blueprint.post("/notifications/<notification_id>/resend")
@members("business_unit", "admin")
@audited("case.write", "notification", "notification_id")
def resend_page(notification_id: str) -> ResponseReturnValue:
    return _act(
        ledger.resend, notification_id, "The notification will be sent again, with the same Message-ID."
    )


@blueprint.post("/notifications/<notification_id>/delivered")
@members("business_unit", "admin")
@audited("case.write", "notification", "notification_id")
def confirm_delivered_page(notification_id: str) -> ResponseReturnValue:
    return _act(
        ledger.confirm_delivered,
        notification_id,
        "The notification is recorded as delivered on the day it was sent.",
    )


def _act(action: Callable[..., object], notification_id: str, done: str) -> ResponseReturnValue:
    """A button on the operations page: do what it says, then show the page again."""
    if ActionForm().validate_on_submit():
        deps = dependencies()
        action(deps.uow, deps.clock, g.principal, notification_id)
        flash(done)
    return redirect(OPERATIONS)


@blueprint.route("/notifications/recipients", methods=["GET", "POST"])
@members("business_unit", "admin")
def recipients_page() -> ResponseReturnValue:
    form = RecipientForm()
    errors = None
    uow = dependencies().uow
    if form.validate_on_submit():
        try:
            directory.add(uow, g.principal, form.role.data, form.name.data, form.email.data)
        except InvalidInput as exc:  # the directory names every problem at once
            errors = []
            for e in exc.errors():
                if e.get("field") in form:
                    form[e["field"]].errors = [*form[e["field"]].errors, e["message"]]
                errors.append({"text": e["message"], "href": f"#{e['field']}"})
        else:
            flash("Recipient added.")
            return redirect("/notifications/recipients")
    status = 422 if errors or form.errors else 200
    page = directory.recipients_for(uow, g.principal, **page_asked())
    return render_template(
        "recipients.html",
        title="Recipients",
        form=form,
        errors=errors,
        recipients=page.items,
        pager=pager(page, "recipients"),
        messages=get_flashed_messages(),
    ), status
