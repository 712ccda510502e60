"""The notifications API and pages: the log, resending, the recipients directory, Notify callbacks."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    get_flashed_messages,
    jsonify,
    redirect,
    render_template,
    request,
)
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from marshmallow import RAISE, Schema, fields, validate
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import InputRequired

from services.notifications.adapters.channels import verify_callback
from services.notifications.adapters.store import Notification, Recipient
from services.notifications.domain.rules import ROLES
from services.notifications.service_layer import directory, handlers
from shared.audit import audited
from shared.auth.access import capability_route, members
from shared.errors import InvalidInput

api = Blueprint("notifications_api", __name__)
STAFF = ("business_unit", "chair", "admin")


def notification_json(n: Notification) -> dict:
    return {
        "id": n.notification_id,
        "case_id": n.case_id,
        "recipient": {"role": n.recipient_role, "name": n.recipient_name, "email": n.address},
        "channel": n.channel,
        "template": n.template,
        "status": n.status,
        "status_reason": n.status_reason,
        "attempts": n.attempts,
        "sent_at": n.sent_at.isoformat() if n.sent_at else None,
        "delivered_at": n.delivered_at.isoformat() if n.delivered_at else None,
        "attachments": list(n.attachments),
        "waiting_for": list(n.needs_documents),
        "source_event_type": n.source_event_type,
        "created_at": n.created_at.isoformat(),
    }


@api.get("/api/v1/notifications")
@members(*STAFF)
@audited("case.read", "notifications")
def list_notifications():
    qs = handlers.visible(g.principal)
    case_id = request.args.get("case_id")
    if case_id:
        g.audit_resource_id = case_id
        qs = qs.filter(case_id=case_id)
    status = request.args.get("status")
    if status:
        qs = qs.filter(status=status)
    return jsonify({"items": [notification_json(n) for n in qs.order_by("created_at")]})


@api.post("/api/v1/notifications/<notification_id>/resend")
@members("business_unit", "admin")
@audited("case.write", "notification", "notification_id")
def resend(notification_id: str):
    return jsonify(notification_json(handlers.resend(g.principal, notification_id))), 202


class RecipientSchema(Schema):
    class Meta:
        unknown = RAISE

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(required=True)
    case_id = fields.String(load_default=None)


@api.get("/api/v1/recipients")
@members(*STAFF)
def list_recipients():
    return jsonify(
        {"items": [r.as_dict() for r in Recipient.objects(board_id=g.principal.board_id, active=True)]}
    )


@api.post("/api/v1/recipients")
@members("admin")
def add_recipient():
    body = RecipientSchema().load(request.get_json(silent=True) or {})
    recipient = directory.add(g.principal, body["role"], body["name"], body["email"], body["case_id"])
    return jsonify(recipient.as_dict()), 201


@api.delete("/api/v1/recipients/<recipient_id>")
@members("admin")
def remove_recipient(recipient_id: str):
    return jsonify(directory.deactivate(g.principal, recipient_id).as_dict())


@api.post("/notifications/notify-callback")
@capability_route
def notify_callback():
    """GOV.UK Notify's delivery receipts, authenticated by the token the board gave Notify."""
    if not verify_callback(request.headers, current_app.config["SETTINGS"].NOTIFY_CALLBACK_TOKEN):
        abort(401)
    body = request.get_json(silent=True) or {}
    if not body.get("reference") or not body.get("status"):
        raise InvalidInput([{"field": "reference", "message": "reference and status are required"}])
    found = handlers.delivery_callback(body["reference"], body["status"])
    return jsonify({"found": found is not None})


# -- pages --------------------------------------------------------------------------------


class ResendForm(FlaskForm):
    submit = SubmitField("Resend", widget=GovSubmitInput())


class RecipientForm(FlaskForm):
    role = SelectField(
        "Role", choices=[(r, r.replace("_", " ").capitalize()) for r in ROLES], widget=GovSelect()
    )
    name = StringField("Name", widget=GovTextInput(), validators=[InputRequired(message="Enter a name")])
    email = StringField(
        "Email address", widget=GovTextInput(), validators=[InputRequired(message="Enter an email address")]
    )
    submit = SubmitField("Add recipient", widget=GovSubmitInput())


@api.get("/notifications/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "notifications", "case_id")
def case_log(case_id: str):
    items = handlers.visible(g.principal).filter(case_id=case_id).order_by("created_at")
    return render_template(
        "case_log.html",
        title="Notifications for this case",
        items=items,
        case_id=case_id,
        form=None,
        resend_form=ResendForm(),
    )


@api.get("/notifications/operations")
@members("business_unit", "admin")
def operations():
    items = (
        handlers.visible(g.principal)
        .filter(status__in=["failed", "bounced", "not_sent", "waiting_documents"])
        .order_by("-created_at")
    )
    return render_template(
        "operations.html",
        title="Notifications needing attention",
        items=items,
        resend_form=ResendForm(),
        messages=get_flashed_messages(),
    )


@api.post("/notifications/<notification_id>/resend")
@members("business_unit", "admin")
@audited("case.write", "notification", "notification_id")
def resend_page(notification_id: str):
    form = ResendForm()
    if form.validate_on_submit():
        handlers.resend(g.principal, notification_id)
        flash("The notification will be sent again.")
    return redirect("/notifications/operations")


@api.route("/notifications/recipients", methods=["GET", "POST"])
@members("admin")
def recipients_page():
    form = RecipientForm()
    errors = None
    if form.validate_on_submit():
        try:
            directory.add(g.principal, form.role.data, form.name.data, form.email.data)
        except InvalidInput as exc:
            errors = [{"text": e["message"], "href": f"#{e['field']}"} for e in exc.errors()]
        else:
            flash("Recipient added.")
            return redirect("/notifications/recipients")
    recipients = Recipient.objects(board_id=g.principal.board_id, active=True).order_by("role")
    status = 422 if errors or form.errors else 200
    return render_template(
        "recipients.html",
        title="Recipients",
        form=form,
        errors=errors,
        recipients=recipients,
        messages=get_flashed_messages(),
    ), status


def register(app: Flask) -> None:
    app.register_blueprint(api)
