"""The notifications JSON API: the ledger (in pages), resending, confirming an uncertain one arrived,
the recipients directory, Notify's receipts."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.notifications.adapters.channels import verify_callback
from services.notifications.entrypoints.extension import dependencies
from services.notifications.entrypoints.schemas import (
    DeliveryReceiptSchema,
    NewRecipient,
    NotificationDetail,
    NotificationPage,
    NotificationQuery,
    RecipientOut,
    RecipientPage,
    notification_detail_json,
    notification_json,
)
from services.notifications.service_layer import directory, ledger
from shared.audit import audited
from shared.auth.access import capability_route, members
from shared.openapi import documented
from shared.pagination import PageQuery

blueprint = Blueprint("notifications_api", __name__)
STAFF = ("business_unit", "chair", "admin")
TAGS = ("notifications",)


@blueprint.get("/api/v1/notifications")
@members(*STAFF)
@documented(
    summary="Read the board's notifications, oldest first, a page at a time",
    query=NotificationQuery,
    responses={200: NotificationPage},
    tags=TAGS,
)
@audited("case.read", "notifications")
def list_notifications() -> ResponseReturnValue:
    query = NotificationQuery().load(request.args)
    case_id = query.get("case_id")
    if case_id:
        g.audit_resource_id = case_id
    page = ledger.notifications_for(
        dependencies().uow, g.principal, case_id, query.get("status"), query["page"], query["per_page"]
    )
    return jsonify(page.as_dict(notification_json))


@blueprint.get("/api/v1/notifications/<notification_id>")
@members(*STAFF)
@documented(
    summary="Read one notification whole: its Message-ID, attempts and history",
    responses={200: NotificationDetail, 404: None},
    tags=TAGS,
)
@audited("case.read", "notification", "notification_id")
def get_notification(notification_id: str) -> ResponseReturnValue:
    return jsonify(
        notification_detail_json(ledger.notification(dependencies().uow, g.principal, notification_id))
    )


@blueprint.post("/api/v1/notifications/<notification_id>/resend")
@members("business_unit", "admin")
@documented(
    summary="Send a notification again: one that is uncertain, failed, bounced or was not sent",
    description="It goes with the Message-ID (or GOV.UK Notify reference) of its earlier attempts, so a "
    "mail system that did receive one can drop the repeat. Answers 409 for one that is waiting, being "
    "sent, sent or delivered, or when nobody in the directory has the role it is for.",
    responses={202: NotificationDetail, 404: None, 409: None},
    tags=TAGS,
)
@audited("case.write", "notification", "notification_id")
def resend(notification_id: str) -> ResponseReturnValue:
    deps = dependencies()
    n = ledger.resend(deps.uow, deps.clock, g.principal, notification_id)
    return jsonify(notification_detail_json(n)), 202


@blueprint.post("/api/v1/notifications/<notification_id>/delivered")
@members("business_unit", "admin")
@documented(
    summary="Record that an uncertain notification did arrive, after checking with its recipient",
    description="Raises notification.sent dated the day of the attempt that went, so the duty it meets "
    "is met on that day. Answers 409 for a notification whose delivery is not uncertain.",
    responses={200: NotificationDetail, 404: None, 409: None},
    tags=TAGS,
)
@audited("case.write", "notification", "notification_id")
def confirm_delivered(notification_id: str) -> ResponseReturnValue:
    deps = dependencies()
    return jsonify(
        notification_detail_json(ledger.confirm_delivered(deps.uow, deps.clock, g.principal, notification_id))
    )


@blueprint.get("/api/v1/recipients")
@members(*STAFF)
@documented(
    summary="List the board's active recipients, by role, a page at a time",
    query=PageQuery,
    responses={200: RecipientPage},
    tags=TAGS,
)
def list_recipients() -> ResponseReturnValue:
    query = PageQuery().load(request.args)
    page = directory.recipients_for(dependencies().uow, g.principal, query["page"], query["per_page"])
    return jsonify(page.as_dict(lambda r: r.as_dict()))


@blueprint.post("/api/v1/recipients")
@members("admin")
@documented(
    summary="Add a recipient to the board's directory",
    body=NewRecipient,
    responses={201: RecipientOut},
    tags=TAGS,
)
def add_recipient() -> ResponseReturnValue:
    body = NewRecipient().load(request.get_json(silent=True) or {})
    recipient = directory.add(
        dependencies().uow, g.principal, body["role"], body["name"], body["email"], body["case_id"]
    )
    return jsonify(recipient.as_dict()), 201


@blueprint.delete("/api/v1/recipients/<recipient_id>")
@members("admin")
@documented(
    summary="Remove a recipient from the directory (kept, marked inactive)",
    responses={200: RecipientOut, 404: None},
    tags=TAGS,
)
def remove_recipient(recipient_id: str) -> ResponseReturnValue:
    return jsonify(directory.deactivate(dependencies().uow, g.principal, recipient_id).as_dict())


@blueprint.post("/notifications/notify-callback")
@capability_route
def notify_callback() -> ResponseReturnValue:
    """GOV.UK Notify's delivery receipts, authenticated by the token the board gave Notify.

    Not under /api/v1, so outside the OpenAPI contract: its shape is Notify's, not ours."""
    if not verify_callback(request.headers, current_app.config["SETTINGS"].NOTIFY_CALLBACK_TOKEN):
        abort(401)
    body = DeliveryReceiptSchema().load(request.get_json(silent=True) or {})
    deps = dependencies()
    found = ledger.delivery_callback(deps.uow, deps.clock, body["reference"], body["status"])
    return jsonify({"found": found is not None})
