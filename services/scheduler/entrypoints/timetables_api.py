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

blueprint = Blueprint("timetables", __name__, url_prefix="/api/v1/timetables")
PLANNERS = ("business_unit", "admin")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PlanSchema(_Strict):
    template = fields.String(required=True, validate=validate.OneOf(list(TIMETABLE_TEMPLATES)))
    start_on = fields.Date(required=True)
    review_period_start = fields.Date(required=True)
    exceptional_reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class ReplanSchema(_Strict):
    planned_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class DoneSchema(_Strict):
    done_on = fields.Date(required=True)


class PauseSchema(_Strict):
    process = fields.String(required=True, validate=validate.OneOf(list(PARALLEL_PROCESSES)))
    paused_on = fields.Date(required=True)
    scope = fields.String(load_default="review", validate=validate.OneOf(PAUSE_SCOPES))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ResumeSchema(_Strict):
    resumed_on = fields.Date(required=True)


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
@audited("case.write", "timetable", "case_id")
def plan(case_id: str) -> ResponseReturnValue:
    body = _body(PlanSchema)
    return jsonify(_json(web.handle(PlanTimetable(g.principal.board_id, case_id, **body)))), 201


@blueprint.get("/<case_id>")
@members(*STAFF)
@audited("case.read", "timetable", "case_id")
def show(case_id: str) -> ResponseReturnValue:
    return jsonify(_json(web.handle(GetTimetable(g.principal.board_id, case_id))))


@blueprint.post("/<case_id>/stages/<code>/replan")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def replan(case_id: str, code: str) -> ResponseReturnValue:
    body = _body(ReplanSchema)
    return jsonify(_json(web.handle(ReplanStage(g.principal.board_id, case_id, code, **body))))


@blueprint.post("/<case_id>/stages/<code>/done")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def done(case_id: str, code: str) -> ResponseReturnValue:
    body = _body(DoneSchema)
    return jsonify(_json(web.handle(MarkStageDone(g.principal.board_id, case_id, code, **body))))


@blueprint.post("/<case_id>/pauses")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def pause(case_id: str) -> ResponseReturnValue:
    body = _body(PauseSchema)
    return jsonify(_json(web.handle(PauseTimetable(g.principal.board_id, case_id, **body))))


@blueprint.post("/<case_id>/pauses/<process>/resume")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def resume(case_id: str, process: str) -> ResponseReturnValue:
    body = _body(ResumeSchema)
    return jsonify(_json(web.handle(ResumeTimetable(g.principal.board_id, case_id, process, **body))))
