"""The scheduler's JSON API: deadline previews, a case's deadlines and waivers; and the app's blueprints."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.scheduler.domain.milestones import MILESTONES, REVIEW_KINDS
from services.scheduler.domain.rules import RULE_PACKS
from services.scheduler.entrypoints import calendar_feeds, pages, timetables_api, web
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.messagebus import MessageBus
from services.scheduler.service_layer.messages import GetCaseDeadlines, PreviewDeadlines, WaiveDeadline
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput

api = Blueprint("scheduler_api", __name__, url_prefix="/api/v1")


# One optional date per milestone the rule packs know; any other name is refused.
MilestonesSchema = Schema.from_dict(
    {name: fields.Date(load_default=None) for name in MILESTONES}, name="MilestonesSchema"
)


class PreviewSchema(Schema):
    class Meta:
        unknown = RAISE

    rule_pack = fields.String(required=True, validate=validate.OneOf(list(RULE_PACKS)))
    review_kind = fields.String(load_default=None, validate=validate.OneOf(REVIEW_KINDS))
    milestones = fields.Nested(MilestonesSchema(unknown=RAISE), required=True)

    @validates_schema
    def _something_to_compute(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not any((data.get("milestones") or {}).values()):
            raise ValidationError("Give at least one milestone date", "milestones")


class WaiveSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


@api.post("/deadlines/preview")
@members(*STAFF, "agency_practitioner", "agency_manager")
def preview() -> ResponseReturnValue:
    body = PreviewSchema().load(request.get_json(silent=True) or {})
    milestones = {k: v for k, v in body["milestones"].items() if v is not None}
    deadlines = web.handle(
        PreviewDeadlines(g.principal.board_id, body["rule_pack"], body["review_kind"], milestones)
    )
    return jsonify(
        {
            "rule_pack": body["rule_pack"],
            "deadlines": [
                {
                    "code": d.code,
                    "due": d.due.isoformat(),
                    "rule": d.rule,
                    "source": d.source,
                    "concerns": d.concerns,
                }
                for d in deadlines
            ],
        }
    )


@api.get("/deadlines")
@members(*STAFF)
@audited("case.read", "schedule")
def list_deadlines() -> ResponseReturnValue:
    case_id = request.args.get("case_id")
    if not case_id:
        raise InvalidInput([{"field": "case_id", "message": "Give the case's id"}])
    g.audit_resource_id = case_id
    items = web.handle(GetCaseDeadlines(g.principal.board_id, case_id))
    return jsonify({"case_id": case_id, "items": items})


@api.post("/deadlines/<deadline_id>/waive")
@members("business_unit", "chair", "admin")
@audited("case.write", "deadline", "deadline_id")
def waive(deadline_id: str) -> ResponseReturnValue:
    body = WaiveSchema().load(request.get_json(silent=True) or {})
    return jsonify(
        web.handle(WaiveDeadline(g.principal.board_id, g.principal.user_id, deadline_id, body["reason"]))
    )


def register(app: Flask, bus: MessageBus) -> None:
    web.init_app(app, bus)
    app.register_blueprint(api)
    app.register_blueprint(calendar_feeds.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(timetables_api.blueprint)
