"""Review timetables: plan from a template, re-plan a stage with a reason, mark done, pause and resume."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from services.scheduler.domain.timetable_data import dump_review_period, dump_timetable
from services.scheduler.domain.timetable_templates import TIMETABLE_TEMPLATES
from services.scheduler.domain.timetables import PARALLEL_PROCESSES, PAUSE_SCOPES, ReviewTimetable
from services.scheduler.entrypoints import web
from services.scheduler.entrypoints.web import STAFF
from services.scheduler.service_layer.messages import (
    GetTimetable,
    MarkStageDone,
    PauseTimetable,
    PlanTimetable,
    ReplanStage,
    ResumeTimetable,
)
from shared.audit import audited
from shared.auth.access import members
from shared.openapi import documented
from shared.validation import Day

blueprint = Blueprint("timetables", __name__, url_prefix="/api/v1/timetables")
PLANNERS = ("business_unit", "admin")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PlanSchema(_Strict):
    template = fields.String(required=True, validate=validate.OneOf(list(TIMETABLE_TEMPLATES)))
    start_on = Day(required=True)
    review_period_start = Day(required=True)
    exceptional_reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class ReplanSchema(_Strict):
    planned_on = web.PlannedDay(required=True)  # a plan: it may lie further ahead (FURTHEST_PLANNED)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class DoneSchema(_Strict):
    done_on = Day(required=True)


class PauseSchema(_Strict):
    process = fields.String(required=True, validate=validate.OneOf(list(PARALLEL_PROCESSES)))
    paused_on = Day(required=True)
    scope = fields.String(load_default="review", validate=validate.OneOf(PAUSE_SCOPES))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ResumeSchema(_Strict):
    resumed_on = Day(required=True)


# -- what the views answer: the timetable as ``domain.timetable_data`` dumps it ---------------------


class StageChangeSchema(Schema):
    previous_on = fields.Date(required=True)
    new_on = fields.Date(required=True)
    reason = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["replanned", "paused"]))


class StageSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    activity = fields.String(required=True)
    source = fields.String(required=True)
    effort = fields.String(required=True)
    family_involvement = fields.Boolean(required=True)
    opens_on = fields.Date(required=True)
    planned_on = fields.Date(required=True)
    done_on = fields.Date(required=True, allow_none=True)
    held_since = fields.Date(
        required=True, allow_none=True, metadata={"description": "Set while a parallel process holds it"}
    )
    history = fields.List(fields.Nested(StageChangeSchema), required=True)
    status = fields.String(required=True, validate=validate.OneOf(["done", "held", "planned"]))


class PauseStateSchema(Schema):
    process = fields.String(required=True, validate=validate.OneOf(list(PARALLEL_PROCESSES)))
    paused_on = fields.Date(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(PAUSE_SCOPES))
    note = fields.String(required=True)
    resumed_on = fields.Date(required=True, allow_none=True)
    working_days = fields.Integer(
        required=True, allow_none=True, metadata={"description": "How long it held the review; set on resume"}
    )


class ReviewPeriodSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True, metadata={"description": "The incident"})
    exceptional_reason = fields.String(required=True, allow_none=True)


class TimetableSchema(Schema):
    case_id = fields.String(required=True)
    template = fields.String(required=True, validate=validate.OneOf(list(TIMETABLE_TEMPLATES)))
    start_on = fields.Date(required=True)
    review_period = fields.Nested(ReviewPeriodSchema, required=True)
    stages = fields.List(fields.Nested(StageSchema), required=True)
    pauses = fields.List(fields.Nested(PauseStateSchema), required=True)


# A change to a stage: the case or the stage may not exist, or the stage not allow it.
CHANGED = {200: TimetableSchema, 404: None, 409: None}


def _body(schema: type[Schema]) -> dict[str, Any]:
    loaded: dict[str, Any] = schema().load(request.get_json(silent=True) or {})
    return loaded


def _json(found: ReviewTimetable) -> dict[str, Any]:
    state = dump_timetable(found.timetable)
    for s, stage in zip(state["stages"], found.timetable.stages, strict=True):
        s["status"] = stage.status
    return {
        "case_id": found.case_id,
        "template": state["template"],
        "start_on": state["start"],
        "review_period": dump_review_period(found.review_period),
        "stages": state["stages"],
        "pauses": state["pauses"],
    }


@blueprint.post("/<case_id>")
@members(*PLANNERS)
@documented(
    summary="Plan the case's review from a template",
    body=PlanSchema,
    responses={201: TimetableSchema, 404: None, 409: None},
)
@audited("case.write", "timetable", "case_id")
def plan(case_id: str) -> ResponseReturnValue:
    body = _body(PlanSchema)
    return jsonify(_json(web.handle(PlanTimetable(g.principal.board_id, case_id, **body)))), 201


@blueprint.get("/<case_id>")
@members(*STAFF)
@documented(summary="Read the case's timetable", responses={200: TimetableSchema, 404: None})
@audited("case.read", "timetable", "case_id")
def show(case_id: str) -> ResponseReturnValue:
    return jsonify(_json(web.handle(GetTimetable(g.principal.board_id, case_id))))


@blueprint.post("/<case_id>/stages/<code>/replan")
@members(*PLANNERS)
@documented(summary="Move a stage's planned date, with the reason", body=ReplanSchema, responses=CHANGED)
@audited("case.write", "timetable", "case_id")
def replan(case_id: str, code: str) -> ResponseReturnValue:
    body = _body(ReplanSchema)
    return jsonify(_json(web.handle(ReplanStage(g.principal.board_id, case_id, code, **body))))


@blueprint.post("/<case_id>/stages/<code>/done")
@members(*PLANNERS)
@documented(summary="Mark a stage done", body=DoneSchema, responses=CHANGED)
@audited("case.write", "timetable", "case_id")
def done(case_id: str, code: str) -> ResponseReturnValue:
    body = _body(DoneSchema)
    return jsonify(_json(web.handle(MarkStageDone(g.principal.board_id, case_id, code, **body))))


@blueprint.post("/<case_id>/pauses")
@members(*PLANNERS)
@documented(summary="Hold the review while a parallel process runs", body=PauseSchema, responses=CHANGED)
@audited("case.write", "timetable", "case_id")
def pause(case_id: str) -> ResponseReturnValue:
    body = _body(PauseSchema)
    return jsonify(_json(web.handle(PauseTimetable(g.principal.board_id, case_id, **body))))


@blueprint.post("/<case_id>/pauses/<process>/resume")
@members(*PLANNERS)
@documented(
    summary="End a pause: held stages move on by the working days they waited",
    body=ResumeSchema,
    responses=CHANGED,
)
@audited("case.write", "timetable", "case_id")
def resume(case_id: str, process: str) -> ResponseReturnValue:
    body = _body(ResumeSchema)
    return jsonify(_json(web.handle(ResumeTimetable(g.principal.board_id, case_id, process, **body))))
