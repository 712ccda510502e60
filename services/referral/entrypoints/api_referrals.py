"""The referral API: screening facts, and sending a referral in one request.

Views are thin: validate with marshmallow, build a command, hand it to the message bus,
shape the answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.referral.entrypoints import current_bus
from services.referral.entrypoints.roles import READERS, REFERRERS
from services.referral.entrypoints.schemas import ReferralSchema
from services.referral.entrypoints.screening_schema import ScreeningRequestSchema
from services.referral.service_layer.messages import Screen, SubmitReferral
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput

blueprint = Blueprint("referrals_api", __name__, url_prefix="/api/v1")


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput([{"field": None, "message": "Send a JSON object"}])
    return body


@blueprint.post("/screening")
@members(*READERS)
def screening() -> ResponseReturnValue:
    facts = ScreeningRequestSchema().load(json_body())
    return jsonify(current_bus().handle(Screen(actor=g.principal, facts=facts)).as_dict())


@blueprint.post("/referrals")
@members(*REFERRERS)
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
    return jsonify(
        {"id": case.case_id, "reference": case.reference, "status": case.status, "screening": case.screening}
    ), 201
