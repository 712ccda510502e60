"""The notifications JSON API: the ledger, resending, the recipients directory, Notify's receipts."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.notifications.adapters.channels import verify_callback
from services.notifications.entrypoints.extension import dependencies
from services.notifications.entrypoints.schemas import (
    DeliveryReceiptSchema,
    NewRecipient,
    NotificationList,
    NotificationOut,
    NotificationQuery,
    RecipientList,
    RecipientOut,
    notification_json,
)
from services.notifications.service_layer import directory, ledger
from shared.audit import audited
from shared.auth.access import capability_route, members
from shared.openapi import documented

blueprint = Blueprint("notifications_api", __name__)
STAFF = ("business_unit", "chair", "admin")
TAGS = ("notifications",)


@blueprint.get("/api/v1/notifications")
@members(*STAFF)
@documented(
    summary="Read the board's notifications, oldest first",
    query=NotificationQuery,
    responses={200: NotificationList},
    tags=TAGS,
)
@audited("case.read", "notifications")
def list_notifications() -> ResponseReturnValue:
    query = NotificationQuery().load(request.args)
    case_id = query.get("case_id")
    if case_id:
        g.audit_resource_id = case_id
    items = ledger.notifications_for(
        dependencies().uow, g.principal, case_id=case_id, status=query.get("status")
    )
    return jsonify({"items": [notification_json(n) for n in items]})


@blueprint.post("/api/v1/notifications/<notification_id>/resend")
@members("business_unit", "admin")
@documented(
    summary="Send a notification again: one that failed, bounced or was not sent",
    description="Answers 409 for one already sent or delivered, or when nobody in the directory has "
    "the role it is for.",
    responses={202: NotificationOut, 404: None, 409: None},
    tags=TAGS,
)
@audited("case.write", "notification", "notification_id")
def resend(notification_id: str) -> ResponseReturnValue:
    deps = dependencies()
    return jsonify(notification_json(ledger.resend(deps.uow, deps.clock, g.principal, notification_id))), 202


@blueprint.get("/api/v1/recipients")
@members(*STAFF)
@documented(summary="List the board's active recipients, by role", responses={200: RecipientList}, tags=TAGS)
def list_recipients() -> ResponseReturnValue:
    recipients = directory.recipients_for(dependencies().uow, g.principal)
    return jsonify({"items": [r.as_dict() for r in recipients]})


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
