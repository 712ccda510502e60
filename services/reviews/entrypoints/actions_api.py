"""The reviews API for the board's action plans (000 §9-§11; 002 §2.9; 003 "Agreeing improvement
action"), with what it accepts and answers beside it. Every read and write is audited; a POST
that adds an action names it from its Idempotency-Key, so a repeat finds it."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields, validate

from services.reviews.domain.actions import RAG, STATUSES
from services.reviews.entrypoints.api import _body, _deps, _today, _viewer
from services.reviews.entrypoints.schemas import TEXT, Strict
from services.reviews.service_layer import actions
from shared.audit import audited
from shared.auth.access import members
from shared.idempotency import derived_id
from shared.openapi import documented
from shared.pagination import PageQuery, page_schema
from shared.validation import Day

blueprint = Blueprint("reviews_actions_api", __name__, url_prefix="/api/v1")

READERS = ("business_unit", "admin", "chair", "agency_practitioner", "agency_manager")
# Required text: something other than spaces.
REQUIRED_TEXT = [validate.Length(min=1, max=20_000), validate.Regexp(r"\S", error="Enter some text")]


class ActionSchema(Strict):
    recommendation = fields.String(required=True, validate=REQUIRED_TEXT)
    action = fields.String(required=True, validate=REQUIRED_TEXT)
    owner_agency = fields.String(required=True, validate=validate.Length(min=1, max=64))
    owner_email = fields.Email(required=True, validate=validate.Length(max=254))
    due_on = Day(
        required=True, metadata={"description": "A past date is allowed: plans brought in from before"}
    )
    success_measure = fields.String(required=True, validate=REQUIRED_TEXT)


class ProgressSchema(Strict):
    reported_on = Day(load_default=None, allow_none=True, metadata={"description": "Without it, today"})
    rag = fields.String(required=True, validate=validate.OneOf(RAG))
    note = fields.String(required=True, validate=REQUIRED_TEXT)
    evidence = fields.String(load_default="", validate=TEXT)


class CloseSchema(Strict):
    evidence_of_impact = fields.String(required=True, validate=REQUIRED_TEXT)


class ResponseSchema(Strict):
    """The board's response with its plan (002 §2.9; 000 §10; 003 "Publication of reports")."""

    planned_publication_on = Day(load_default=None, allow_none=True)
    publication_notes = fields.String(load_default="", validate=TEXT)
    feedback_practitioners = fields.String(required=True, validate=REQUIRED_TEXT)
    feedback_family = fields.String(required=True, validate=REQUIRED_TEXT)
    dissemination = fields.List(
        fields.String(validate=validate.Length(min=1, max=2000)),
        required=True,
        validate=validate.Length(min=1, max=50),
    )
    actions_taken = fields.List(fields.String(validate=validate.Length(min=1, max=2000)), load_default=list)
    impact = fields.String(load_default="", validate=TEXT)
    further_work = fields.String(load_default="", validate=TEXT)


class ResponseOutSchema(Schema):
    case_id = fields.String(required=True)
    recorded_on = fields.Date(required=True)
    planned_publication_on = fields.Date(allow_none=True)
    publication_notes = fields.String(required=True)
    feedback_practitioners = fields.String(required=True)
    feedback_family = fields.String(required=True)
    dissemination = fields.List(fields.String(), required=True)
    actions_taken = fields.List(fields.String(), required=True)
    impact = fields.String(required=True)
    further_work = fields.String(required=True)


class ProgressOutSchema(Schema):
    reported_on = fields.Date(required=True)
    rag = fields.String(required=True)
    note = fields.String(required=True)
    evidence = fields.String(required=True)
    recorded_by = fields.String(required=True)


class ActionOutSchema(Schema):
    id = fields.String(required=True)
    case_id = fields.String(required=True)
    reference = fields.String(allow_none=True)
    review_kind = fields.String(required=True)
    recommendation = fields.String(required=True)
    action = fields.String(required=True)
    owner_agency = fields.String(required=True)
    owner_email = fields.String(required=True)
    due_on = fields.Date(required=True)
    success_measure = fields.String(required=True)
    added_on = fields.Date(required=True)
    progress = fields.List(fields.Nested(ProgressOutSchema), required=True)
    closed_on = fields.Date(allow_none=True)
    evidence_of_impact = fields.String(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    rag = fields.String(allow_none=True)


class ActionListSchema(Schema):
    case_id = fields.String(required=True)
    items = fields.List(fields.Nested(ActionOutSchema), required=True)


class ActionsQuery(PageQuery):
    overdue = fields.Boolean(load_default=None, allow_none=True)
    agency = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


@blueprint.get("/reviews/<case_id>/actions")
@members(*READERS)
@documented(summary="The review's action plan", responses={200: ActionListSchema, 404: None})
@audited("review.read", "action", "case_id")
def list_review_actions(case_id: str) -> ResponseReturnValue:
    return jsonify(actions.list_review_actions(_deps().uow, _viewer(), case_id, _today()))


@blueprint.post("/reviews/<case_id>/actions")
@members("business_unit", "admin")
@documented(
    summary="Add an action to the review's action plan: a recommendation, its owner, due date and measure",
    body=ActionSchema,
    responses={201: ActionOutSchema, 404: None, 409: None},
)
@audited("review.write", "action", "case_id")
def add_action(case_id: str) -> ResponseReturnValue:
    body = _body(ActionSchema)
    found = actions.add_action(_deps().uow, _viewer(), case_id, body, _today(), derived_id("action"))
    return jsonify(found), 201


@blueprint.post("/reviews/<case_id>/actions/<action_id>/progress")
@members("business_unit", "admin", "agency_practitioner", "agency_manager")
@documented(
    summary="Report progress against an action: red, amber or green, a note and the evidence",
    body=ProgressSchema,
    responses={201: ActionOutSchema, 404: None, 409: None},
)
@audited("review.write", "action", "action_id")
def report_progress(case_id: str, action_id: str) -> ResponseReturnValue:
    body = _body(ProgressSchema)
    found = actions.report_progress(_deps().uow, _viewer(), case_id, action_id, body, _today())
    return jsonify(found), 201


@blueprint.post("/reviews/<case_id>/actions/<action_id>/close")
@members("business_unit", "admin")
@documented(
    summary="Close an action with the evidence of its impact (000 §11)",
    body=CloseSchema,
    responses={200: ActionOutSchema, 404: None, 409: None},
)
@audited("review.write", "action", "action_id")
def close_action(case_id: str, action_id: str) -> ResponseReturnValue:
    evidence = _body(CloseSchema)["evidence_of_impact"]
    return jsonify(actions.close_action(_deps().uow, _viewer(), case_id, action_id, evidence, _today()))


@blueprint.put("/reviews/<case_id>/action-plan")
@members("business_unit", "admin", "chair")
@documented(
    summary="Record the board's response with its action plan; the plan document follows",
    body=ResponseSchema,
    responses={200: ResponseOutSchema, 404: None, 409: None},
)
@audited("review.write", "action_plan", "case_id")
def put_response(case_id: str) -> ResponseReturnValue:
    return jsonify(actions.record_response(_deps().uow, _viewer(), case_id, _body(ResponseSchema), _today()))


@blueprint.get("/actions")
@members(*READERS)
@documented(
    summary="The board's actions across its reviews, soonest due first; overdue ones with overdue=true",
    query=ActionsQuery,
    responses={200: page_schema(ActionOutSchema, "ActionPageSchema")},
)
@audited("action.list", "action")
def list_board_actions() -> ResponseReturnValue:
    q = ActionsQuery().load(request.args)
    found = actions.list_board_actions(
        _deps().uow,
        _viewer(),
        _today(),
        overdue=q["overdue"],
        agency=q["agency"],
        status=q["status"],
        page=q["page"],
        per_page=q["per_page"],
    )
    return jsonify(found)
