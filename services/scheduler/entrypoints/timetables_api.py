"""Review timetables: plan from a template, re-plan a stage with a reason, mark done, pause and resume."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, g, jsonify, request
from marshmallow import RAISE, Schema, fields, validate

from services.scheduler.adapters import timetable_state
from services.scheduler.adapters.store import Timetable as TimetableRecord
from services.scheduler.domain.timetables import (
    PARALLEL_PROCESSES,
    TIMETABLE_TEMPLATES,
    Timetable,
    check_review_period,
)
from services.scheduler.service_layer import handlers
from shared.audit import audited
from shared.auth.access import members
from shared.errors import Conflict, NotFound

blueprint = Blueprint("timetables", __name__, url_prefix="/api/v1/timetables")
PLANNERS = ("business_unit", "admin")
READERS = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")


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
    scope = fields.String(load_default="review", validate=validate.OneOf(["review", "family_involvement"]))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ResumeSchema(_Strict):
    resumed_on = fields.Date(required=True)


def _json(record: TimetableRecord, timetable: Timetable) -> dict:
    state = timetable_state.dump(timetable)
    for s, stage in zip(state["stages"], timetable.stages, strict=True):
        s["status"] = stage.status
    return {
        "case_id": record.case_id,
        "template": state["template"],
        "start_on": state["start"],
        "review_period": record.state.get("review_period"),
        "stages": state["stages"],
        "pauses": state["pauses"],
    }


def _load(case_id: str) -> tuple[TimetableRecord, Timetable]:
    record = TimetableRecord.objects(case_id=case_id, board_id=g.principal.board_id).first()
    if record is None:
        raise NotFound("This case has no timetable yet", field="case_id")
    return record, timetable_state.load(record.state, handlers.calendar_for(record.board_id))


def _save(record: TimetableRecord, timetable: Timetable) -> dict:
    review_period = record.state.get("review_period")
    record.state = {**timetable_state.dump(timetable), "review_period": review_period}
    record.updated_at = handlers.now()
    record.save()
    return _json(record, timetable)


@blueprint.post("/<case_id>")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def plan(case_id: str):
    body = PlanSchema().load(request.get_json(silent=True) or {})
    schedule = handlers.schedule_for(g.principal, case_id)
    if TimetableRecord.objects(case_id=case_id).first() is not None:
        raise Conflict("This case already has a timetable: re-plan its stages instead", field="case_id")
    incident_on = date.fromisoformat(schedule.milestones["incident_on"])
    period = check_review_period(body["review_period_start"], incident_on, body["exceptional_reason"])
    timetable = Timetable(body["template"], body["start_on"], handlers.calendar_for(schedule.board_id))
    record = TimetableRecord(
        case_id=case_id,
        board_id=schedule.board_id,
        template=body["template"],
        start_on=body["start_on"],
        state={},
    )
    record.state = {
        "review_period": {
            "start": period.start.isoformat(),
            "end": incident_on.isoformat(),
            "exceptional_reason": body["exceptional_reason"],
        }
    }
    return jsonify(_save(record, timetable)), 201


@blueprint.get("/<case_id>")
@members(*READERS)
@audited("case.read", "timetable", "case_id")
def show(case_id: str):
    record, timetable = _load(case_id)
    return jsonify(_json(record, timetable))


@blueprint.post("/<case_id>/stages/<code>/replan")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def replan(case_id: str, code: str):
    body = ReplanSchema().load(request.get_json(silent=True) or {})
    record, timetable = _load(case_id)
    timetable.replan(code, body["planned_on"], body["reason"])
    return jsonify(_save(record, timetable))


@blueprint.post("/<case_id>/stages/<code>/done")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def done(case_id: str, code: str):
    body = DoneSchema().load(request.get_json(silent=True) or {})
    record, timetable = _load(case_id)
    timetable.mark_done(code, body["done_on"])
    return jsonify(_save(record, timetable))


@blueprint.post("/<case_id>/pauses")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def pause(case_id: str):
    body = PauseSchema().load(request.get_json(silent=True) or {})
    record, timetable = _load(case_id)
    timetable.pause(body["process"], body["paused_on"], scope=body["scope"], note=body["note"])
    return jsonify(_save(record, timetable))


@blueprint.post("/<case_id>/pauses/<process>/resume")
@members(*PLANNERS)
@audited("case.write", "timetable", "case_id")
def resume(case_id: str, process: str):
    body = ResumeSchema().load(request.get_json(silent=True) or {})
    record, timetable = _load(case_id)
    timetable.resume(process, body["resumed_on"])
    return jsonify(_save(record, timetable))
