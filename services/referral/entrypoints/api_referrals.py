"""The referral API: screening facts, and sending a referral in one request.

Views are thin: validate with marshmallow, build a command, hand it to the message bus,
shape the answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.referral.entrypoints import current_bus
from services.referral.entrypoints.representations import (
    ScreeningSchema,
    SubmittedReferralSchema,
    submitted_json,
)
from services.referral.entrypoints.roles import READERS, REFERRERS
from services.referral.entrypoints.schemas import ReferralSchema
from services.referral.entrypoints.screening_schema import ScreeningRequestSchema
from services.referral.service_layer.messages import Screen, SubmitReferral
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput
from shared.openapi import documented

blueprint = Blueprint("referrals_api", __name__, url_prefix="/api/v1")


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput([{"field": None, "message": "Send a JSON object"}])
    return body


@blueprint.post("/screening")
@members(*READERS)
@documented(
    summary="Screen facts under the board's rule pack, without making a case",
    body=ScreeningRequestSchema,
    responses={200: ScreeningSchema},
)
def screening() -> ResponseReturnValue:
    facts = ScreeningRequestSchema().load(json_body())
    return jsonify(current_bus().handle(Screen(actor=g.principal, facts=facts)).as_dict())


@blueprint.post("/referrals")
@members(*REFERRERS)
@documented(
    summary="Send a referral in one request: it becomes a screened case awaiting the Chair's decision",
    body=ReferralSchema,
    responses={201: SubmittedReferralSchema},
)
@audited("case.write", "case")
def submit_referral() -> ResponseReturnValue:
    body = ReferralSchema().load(json_body())
    child = body["child"]
    case = current_bus().handle(
        SubmitReferral(
            actor=g.principal,
            facts=body["facts"],
            incident_on=body["incident_on"],
            became_aware_on=body["became_aware_on"],
            board_notified_on=body["board_notified_on"],
            summary=body["summary"],
            agencies_involved=body["agencies_involved"],
            referrer=body["referrer"],
            child={k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in child.items()}
            if child
            else None,
        )
    )
    g.audit_resource_id = case.case_id
    return jsonify(submitted_json(case)), 201
