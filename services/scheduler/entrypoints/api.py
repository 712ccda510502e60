"""The scheduler's JSON API: deadline previews, a case's deadlines, waivers, calendar feeds."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, jsonify, request
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.scheduler.domain.rules import MILESTONES, REVIEW_KINDS, RULE_PACKS, compute_deadlines
from services.scheduler.entrypoints import calendar_feeds, pages, timetables_api
from services.scheduler.service_layer import handlers
from shared.audit import audited
from shared.auth.access import members

api = Blueprint("scheduler_api", __name__, url_prefix="/api/v1")

STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")


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
    def _something_to_compute(self, data, **kwargs):
        if not any((data.get("milestones") or {}).values()):
            raise ValidationError("Give at least one milestone date", "milestones")


class WaiveSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


@api.post("/deadlines/preview")
@members(*STAFF, "agency_practitioner", "agency_manager")
def preview():
    body = PreviewSchema().load(request.get_json(silent=True) or {})
    milestones = {k: v for k, v in body["milestones"].items() if v is not None}
    deadlines = compute_deadlines(
        body["rule_pack"], milestones, body["review_kind"], handlers.calendar_for(g.principal.board_id)
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
def list_deadlines():
    case_id = request.args.get("case_id")
    if not case_id:
        from shared.errors import InvalidInput

        raise InvalidInput([{"field": "case_id", "message": "Give the case's id"}])
    g.audit_resource_id = case_id
    schedule = handlers.schedule_for(g.principal, case_id)
    settings = current_app.config["SETTINGS"]
    return jsonify(
        {
            "case_id": case_id,
            "items": handlers.deadline_items(schedule, handlers.today(), settings.DUE_SOON_WORKING_DAYS),
        }
    )


@api.post("/deadlines/<deadline_id>/waive")
@members("business_unit", "chair", "admin")
@audited("case.write", "deadline", "deadline_id")
def waive(deadline_id: str):
    body = WaiveSchema().load(request.get_json(silent=True) or {})
    schedule = handlers.waive(g.principal, deadline_id, body["reason"])
    settings = current_app.config["SETTINGS"]
    items = handlers.deadline_items(schedule, handlers.today(), settings.DUE_SOON_WORKING_DAYS)
    return jsonify(next(i for i in items if i["id"] == deadline_id))


def register(app: Flask) -> None:
    app.register_blueprint(api)
    app.register_blueprint(calendar_feeds.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(timetables_api.blueprint)
