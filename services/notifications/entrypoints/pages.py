"""The notifications pages: a case's log, what needs attention (uncertain first: resend or confirm
delivered; then failed: resend), the recipients. Every list comes a page at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, g, get_flashed_messages, redirect, render_template, request
from flask.typing import ResponseReturnValue

from services.notifications.entrypoints.extension import dependencies
from services.notifications.entrypoints.forms import ActionForm, RecipientForm
from services.notifications.service_layer import directory, ledger
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.pagination import PER_PAGE, Page, PageQuery

blueprint = Blueprint("notifications_pages", __name__)
STAFF = ("business_unit", "chair", "admin")
OPERATIONS = "/notifications/operations"


def _page_asked() -> tuple[int, int]:
    query = PageQuery().load(request.args)
    return query["page"], query["per_page"]


def pager(page: Page[Any], path: str, noun: str) -> dict[str, Any]:
    """What the page shows of its place in the list: the total, and the GOV.UK pagination links."""
    if page.total == 0:
        summary = f"No {noun}"
    else:
        first = (page.page - 1) * page.per_page + 1
        last = min(page.total, first + len(page.items) - 1) if page.items else page.total
        summary = f"{first} to {last} of {page.total} {noun}" if page.items else f"{page.total} {noun}"
    suffix = "" if page.per_page == PER_PAGE else f"&per_page={page.per_page}"
    href = f"{path}?page={{}}{suffix}"
    nav: dict[str, Any] | None = None
    if page.pages > 1:
        shown = sorted({1, page.pages, *range(max(1, page.page - 1), min(page.pages, page.page + 1) + 1)})
        items: list[dict[str, Any]] = []
        for number in shown:
            if items and number - items[-1].get("number", number) > 1:
                items.append({"ellipsis": True})
            items.append({"number": number, "href": href.format(number), "current": number == page.page})
        nav = {"items": items}
        if page.has_previous:
            nav["previous"] = {"href": href.format(page.page - 1)}
        if page.has_next:
            nav["next"] = {"href": href.format(page.page + 1)}
    return {"summary": summary, "nav": nav}


@blueprint.get("/notifications/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "notifications", "case_id")
def case_log(case_id: str) -> ResponseReturnValue:
    page = ledger.notifications_for(dependencies().uow, g.principal, case_id, None, *_page_asked())
    return render_template(
        "case_log.html",
        title="Notifications for this case",
        items=page.items,
        pager=pager(page, f"/notifications/cases/{case_id}", "notifications"),
        case_id=case_id,
        form=ActionForm(),
    )


@blueprint.get(OPERATIONS)
@members("business_unit", "admin")
def operations() -> ResponseReturnValue:
    page = ledger.needing_attention(dependencies().uow, g.principal, *_page_asked())
    return render_template(
        "operations.html",
        title="Notifications needing attention",
        items=page.items,
        pager=pager(page, OPERATIONS, "notifications needing attention"),
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
    page = directory.recipients_for(uow, g.principal, *_page_asked())
    return render_template(
        "recipients.html",
        title="Recipients",
        form=form,
        errors=errors,
        recipients=page.items,
        pager=pager(page, "/notifications/recipients", "recipients"),
        messages=get_flashed_messages(),
    ), status
