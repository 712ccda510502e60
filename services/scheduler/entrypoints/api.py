"""The scheduler's JSON API: deadline previews, a case's deadlines and waivers; and the app's blueprints."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.scheduler.domain.deadlines import STATUSES
from services.scheduler.domain.milestones import MILESTONES, REVIEW_KINDS
from services.scheduler.domain.rules import RULE_PACKS
from services.scheduler.entrypoints import calendar_feeds, closures, home, pages, timetables_api, web
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.deadlines import CaseDeadlines
from services.scheduler.service_layer.messagebus import MessageBus
from services.scheduler.service_layer.messages import GetCaseDeadlines, PreviewDeadlines, WaiveDeadline
from shared.audit import audited
from shared.auth.access import members
from shared.openapi import documented
from shared.pagination import PageQuery, page_schema
from shared.validation import Day

api = Blueprint("scheduler_api", __name__, url_prefix="/api/v1")

# A milestone that is a plan rather than something that happened may lie further ahead than
# a year (domain.timetables.FURTHEST_PLANNED): publication waits for criminal proceedings.
PLANNED_MILESTONES = frozenset({"planned_publication_on"})

# One optional date per milestone the rule packs know; any other name is refused.
MilestonesSchema = Schema.from_dict(
    {name: (web.PlannedDay if name in PLANNED_MILESTONES else Day)(load_default=None) for name in MILESTONES},
    name="MilestonesSchema",
)


class PreviewSchema(Schema):
    class Meta:
        unknown = RAISE

    rule_pack = fields.String(required=True, validate=validate.OneOf(list(RULE_PACKS)))
    review_kind = fields.String(load_default=None, validate=validate.OneOf(REVIEW_KINDS))
    notifiable = fields.Boolean(
        load_default=True,
        metadata={
            "description": "Whether the incident is notifiable; when false, no incident notification "
            "(nor, under wt2018 and wt2023, rapid review) is owed"
        },
    )
    milestones = fields.Nested(MilestonesSchema(unknown=RAISE), required=True)

    @validates_schema
    def _something_to_compute(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not any((data.get("milestones") or {}).values()):
            raise ValidationError("Give at least one milestone date", "milestones")


class DeadlinesQuery(PageQuery):
    class Meta:
        unknown = EXCLUDE  # other parameters (a cache-buster, say) are no business of this view

    case_id = fields.String(
        required=True,
        validate=validate.Length(min=1),
        error_messages={"required": "Give the case's id"},
        metadata={"description": "The case whose deadlines to list"},
    )


class WaiveSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


# -- what the views answer ---------------------------------------------------------------------------


class PreviewedDeadlineSchema(Schema):
    code = fields.String(required=True)
    due = fields.Date(required=True)
    rule = fields.String(required=True, metadata={"description": "Plain English, with the actual dates"})
    source = fields.String(required=True, metadata={"description": "Seed and section of the rule"})
    concerns = fields.String(required=True, metadata={"description": "Who has to act"})


class PreviewResultSchema(Schema):
    rule_pack = fields.String(required=True)
    deadlines = fields.List(fields.Nested(PreviewedDeadlineSchema), required=True)


class DeadlineSchema(Schema):
    """A stored deadline of a case, with where it stands today (``deadline_items``)."""

    id = fields.String(required=True)
    code = fields.String(required=True)
    occurrence = fields.Integer(required=True, metadata={"description": "1, 2, ... for a repeating rule"})
    due = fields.Date(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(STATUSES),
        metadata={"description": "met_late: met after its due date"},
    )
    rule = fields.String(required=True)
    source = fields.String(required=True)
    concerns = fields.String(required=True)
    met_on = fields.Date(required=True, allow_none=True)
    waived_reason = fields.String(required=True, allow_none=True)


# How many of the case's deadlines (on every page) stand at each status.
StatusCountsSchema = Schema.from_dict(
    {status: fields.Integer(required=True) for status in STATUSES}, name="StatusCountsSchema"
)

# A case's deadlines, a page at a time as every list is: a case has one per rule of its pack
# (and occurrence), so one page of 50 holds them all today.
CaseDeadlinesSchema = Schema.from_dict(
    {
        "case_id": fields.String(required=True),
        "status_counts": fields.Nested(StatusCountsSchema, required=True),
        **page_schema(DeadlineSchema)._declared_fields,
    },
    name="CaseDeadlinesSchema",
)


@api.post("/deadlines/preview")
@members(*STAFF, "agency_practitioner", "agency_manager")
@documented(
    summary="Preview the deadlines of a case with these milestones (nothing is stored)",
    body=PreviewSchema,
    responses={200: PreviewResultSchema},
)
def preview() -> ResponseReturnValue:
    body = PreviewSchema().load(request.get_json(silent=True) or {})
    milestones = {k: v for k, v in body["milestones"].items() if v is not None}
    deadlines = web.handle(
        PreviewDeadlines(
            g.principal.board_id, body["rule_pack"], body["review_kind"], milestones, body["notifiable"]
        )
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
@documented(
    summary="List a case's deadlines, each with where it stands today, a page at a time",
    query=DeadlinesQuery,
    responses={200: CaseDeadlinesSchema, 404: None},
)
@audited("case.read", "schedule")
def list_deadlines() -> ResponseReturnValue:
    q = DeadlinesQuery().load(request.args)
    g.audit_resource_id = q["case_id"]
    found: CaseDeadlines = web.handle(
        GetCaseDeadlines(g.principal.board_id, q["case_id"], q["page"], q["per_page"])
    )
    return jsonify({"case_id": q["case_id"], "status_counts": found.counts, **found.page.as_dict(dict)})


@api.post("/deadlines/<deadline_id>/waive")
@members("business_unit", "chair", "admin")
@documented(
    summary="Waive a deadline, with the reason",
    body=WaiveSchema,
    responses={200: DeadlineSchema, 404: None},
)
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
    app.register_blueprint(home.blueprint)
    from services.scheduler.entrypoints import dashboard  # the board dashboard page

    app.register_blueprint(dashboard.blueprint)
    app.register_blueprint(closures.blueprint)
