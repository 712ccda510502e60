"""The reviews API for publishing the final report, or not (003 "Publication of reports";
002 §2.9). Every write is audited; copies recorded as sent outside the product are audited as such."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import fields, validate

from services.reviews.domain.publication import RETENTION_DECISIONS
from services.reviews.entrypoints import report_schemas as s
from services.reviews.entrypoints.api import _body, _today, _viewer
from services.reviews.entrypoints.report_api import uow
from services.reviews.entrypoints.schemas import Strict
from services.reviews.service_layer import publication
from shared import audit
from shared.audit import audited
from shared.auth.access import members
from shared.openapi import documented
from shared.validation import Day

blueprint = Blueprint("reviews_publication_api", __name__, url_prefix="/api/v1/reviews")

MANAGERS = ("business_unit", "admin")


class RetentionBodySchema(Strict):
    decision = fields.String(required=True, validate=validate.OneOf(RETENTION_DECISIONS))
    decided_on = Day(required=True)
    reason = fields.String(
        load_default="",
        validate=validate.Length(max=5000),
        metadata={"description": "Why the report is withdrawn: needed to withdraw it"},
    )


class PublicationStateSchema(s.PublicationOutSchema):
    """Where publication stands, with the board's answer after the 12 months on the website."""

    retention = fields.String(allow_none=True)
    retention_decided_on = fields.Date(allow_none=True)
    retention_reason = fields.String(allow_none=True)


@blueprint.post("/<case_id>/publication")
@members(*MANAGERS)
@documented(
    summary="Plan the publication date: the copies are due 7 working days before it",
    description="Refused (422 naming planned_publication_on, with the earliest date) when fewer "
    "than 7 working days remain on the board's calendar.",
    body=s.PlanBodySchema,
    responses={201: PublicationStateSchema, 404: None, 409: None},
)
@audited("review.write", "publication", "case_id")
def plan(case_id: str) -> ResponseReturnValue:
    on = _body(s.PlanBodySchema)["planned_publication_on"]
    return jsonify(publication.plan(uow(), _viewer(), case_id, on, _today())), 201


@blueprint.post("/<case_id>/publication/copies")
@members(*MANAGERS)
@documented(
    summary="Send the copies to Ofsted, the DfE and the National Panel now, or record copies sent before",
    description="Without sent_on the signed-off report and the board's response are emailed to the "
    "three bodies now, once each. With a past sent_on, copies sent outside the product are recorded.",
    body=s.CopiesBodySchema,
    responses={201: PublicationStateSchema, 404: None, 409: None},
)
@audited("review.write", "publication", "case_id")
def copies(case_id: str) -> ResponseReturnValue:
    sent_on = _body(s.CopiesBodySchema)["sent_on"]
    found = publication.send_copies(uow(), _viewer(), case_id, sent_on, _today())
    if sent_on is not None:
        audit.record(
            "publication.copies_recorded_as_sent_outside",
            resource=("publication", case_id),
            detail=f"sent on {sent_on.isoformat()}, outside the product",
        )
    return jsonify(found), 201


@blueprint.post("/<case_id>/publication/decision")
@members(*MANAGERS, "chair")
@documented(
    summary="The board's decision whether to publish; not publishing tells the DfE and the Panel",
    body=s.DecisionBodySchema,
    responses={201: PublicationStateSchema, 404: None, 409: None},
)
@audited("review.write", "publication", "case_id")
def decision(case_id: str) -> ResponseReturnValue:
    body = _body(s.DecisionBodySchema)
    return jsonify(
        publication.decide(uow(), _viewer(), case_id, body["publish"], body["reason"], _today())
    ), 201


@blueprint.post("/<case_id>/publication/panel-advice")
@members(*MANAGERS, "chair")
@documented(
    summary="The National Panel's advice on not publishing and, when taken, the board's final decision",
    body=s.PanelAdviceBodySchema,
    responses={201: PublicationStateSchema, 404: None, 409: None},
)
@audited("review.write", "publication", "case_id")
def panel_advice(case_id: str) -> ResponseReturnValue:
    body = _body(s.PanelAdviceBodySchema)
    return jsonify(publication.panel_advice(uow(), _viewer(), case_id, body, _today())), 201


@blueprint.post("/<case_id>/published")
@members(*MANAGERS)
@documented(
    summary="Record that the report is published, with its address; it stays up at least 12 months",
    description="Refused (422 naming published_on) without a signed-off latest version, or when the "
    "copies went fewer than 7 working days before published_on.",
    body=s.PublishedBodySchema,
    responses={201: PublicationStateSchema, 404: None, 409: None},
)
@audited("review.write", "publication", "case_id")
def published(case_id: str) -> ResponseReturnValue:
    body = _body(s.PublishedBodySchema)
    found = publication.published(uow(), _viewer(), case_id, body["published_on"], body["url"], _today())
    return jsonify(found), 201


@blueprint.post("/<case_id>/publication/retention")
@members(*MANAGERS)
@documented(
    summary="After the 12 months on the website: keep the published report there or withdraw it",
    description="Answers the publication_retention reminder, which the answer meets. Withdrawing "
    "needs a reason and is refused (422 naming decided_on, with the earliest date) before the 12 "
    "months after publication are up.",
    body=RetentionBodySchema,
    responses={201: PublicationStateSchema, 404: None, 409: None},
)
@audited("review.write", "publication", "case_id")
def retention(case_id: str) -> ResponseReturnValue:
    body = _body(RetentionBodySchema)
    found = publication.retention(
        uow(), _viewer(), case_id, body["decision"], body["decided_on"], body["reason"], _today()
    )
    return jsonify(found), 201
