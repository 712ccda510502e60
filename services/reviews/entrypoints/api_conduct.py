"""The reviews API for conducting a review: meetings and learning events, the quality marker
self-assessment and interim learning. Every read and write is audited; a POST that creates a
record names it from its Idempotency-Key, so a repeat finds it."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from services.reviews.entrypoints import conduct_schemas as s
from services.reviews.entrypoints.api import _body, _deps, _today, _viewer
from services.reviews.service_layer import conduct
from shared.audit import audited
from shared.auth.access import members
from shared.idempotency import derived_id
from shared.openapi import documented

blueprint = Blueprint("reviews_conduct_api", __name__, url_prefix="/api/v1/reviews")

READERS = ("business_unit", "admin", "chair", "panel_member", "lead_reviewer")
PANEL_OR_MANAGERS = ("business_unit", "admin", "panel_member", "lead_reviewer")


@blueprint.get("/<case_id>/meetings")
@members(*READERS)
@documented(
    summary="The review's meetings and learning events, earliest first",
    responses={200: s.MeetingListSchema, 404: None},
)
@audited("review.read", "meeting", "case_id")
def list_meetings(case_id: str) -> ResponseReturnValue:
    return jsonify(conduct.list_meetings(_deps().uow, _viewer(), case_id))


@blueprint.post("/<case_id>/meetings")
@members("business_unit", "admin")
@documented(
    summary="Schedule a meeting or learning event; every attendee is emailed an invitation (.ics)",
    body=s.MeetingSchema,
    responses={201: s.MeetingOutSchema, 404: None, 409: None},
)
@audited("review.write", "meeting", "case_id")
def schedule_meeting(case_id: str) -> ResponseReturnValue:
    body = _body(s.MeetingSchema)
    found = conduct.schedule_meeting(_deps().uow, _viewer(), case_id, body, derived_id("meeting"))
    return jsonify(found), 201


@blueprint.get("/<case_id>/meetings/<meeting_id>")
@members(*READERS)
@documented(
    summary="One meeting, with its notes, actions and what it takes up from learning events",
    responses={200: s.MeetingOutSchema, 404: None},
)
@audited("review.read", "meeting", "meeting_id")
def get_meeting(case_id: str, meeting_id: str) -> ResponseReturnValue:
    return jsonify(conduct.get_meeting(_deps().uow, _viewer(), case_id, meeting_id))


@blueprint.put("/<case_id>/meetings/<meeting_id>")
@members(*PANEL_OR_MANAGERS)
@documented(
    summary="Change a meeting: when, where, agenda or attendees (invited again), or its notes and actions",
    body=s.MeetingChangeSchema,
    responses={200: s.MeetingOutSchema, 404: None, 409: None},
)
@audited("review.write", "meeting", "meeting_id")
def change_meeting(case_id: str, meeting_id: str) -> ResponseReturnValue:
    body = _body(s.MeetingChangeSchema)
    return jsonify(conduct.change_meeting(_deps().uow, _viewer(), case_id, meeting_id, body))


@blueprint.post("/<case_id>/meetings/<meeting_id>/cancel")
@members("business_unit", "admin")
@documented(
    summary="Cancel a meeting; every attendee is told",
    responses={200: s.MeetingOutSchema, 404: None, 409: None},
)
@audited("review.write", "meeting", "meeting_id")
def cancel_meeting(case_id: str, meeting_id: str) -> ResponseReturnValue:
    return jsonify(conduct.cancel_meeting(_deps().uow, _viewer(), case_id, meeting_id))


@blueprint.get("/<case_id>/quality")
@members(*READERS)
@documented(
    summary="The quality markers (004), their questions and the board's assessment",
    responses={200: s.QualityOutSchema, 404: None},
)
@audited("review.read", "quality", "case_id")
def get_quality(case_id: str) -> ResponseReturnValue:
    return jsonify(conduct.get_quality(_deps().uow, _viewer(), case_id))


@blueprint.put("/<case_id>/quality")
@members("business_unit", "admin", "chair")
@documented(
    summary="Assess the review against a quality marker: a rating and evidence for each of its questions",
    body=s.QualitySchema,
    responses={200: s.QualityOutSchema, 404: None, 409: None},
)
@audited("review.write", "quality", "case_id")
def put_quality(case_id: str) -> ResponseReturnValue:
    return jsonify(conduct.put_quality(_deps().uow, _viewer(), case_id, _body(s.QualitySchema), _today()))


@blueprint.get("/<case_id>/interim-learning")
@members(*READERS)
@documented(
    summary="Improvements acted on while the review runs", responses={200: s.InterimListSchema, 404: None}
)
@audited("review.read", "interim_learning", "case_id")
def list_interim(case_id: str) -> ResponseReturnValue:
    return jsonify(conduct.list_interim_learning(_deps().uow, _viewer(), case_id))


@blueprint.post("/<case_id>/interim-learning")
@members(*PANEL_OR_MANAGERS)
@documented(
    summary="Record an improvement identified and the corrective action taken, with its owner and date",
    body=s.InterimSchema,
    responses={201: s.InterimOutSchema, 404: None, 409: None},
)
@audited("review.write", "interim_learning", "case_id")
def record_interim(case_id: str) -> ResponseReturnValue:
    body = _body(s.InterimSchema)
    found = conduct.record_interim_learning(
        _deps().uow, _viewer(), case_id, body, derived_id("interim_learning")
    )
    return jsonify(found), 201
