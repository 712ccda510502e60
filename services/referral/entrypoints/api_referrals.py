"""The referral API: screening facts, and sending a referral in one request.

Views are thin: validate with marshmallow, build a command, hand it to the message bus,
shape the answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, ValidationError

from services.referral.domain.screening import Facts
from services.referral.entrypoints import current_bus
from services.referral.entrypoints.representations import (
    ScreeningSchema,
    SubmittedReferralSchema,
    submitted_json,
)
from services.referral.entrypoints.roles import READERS, REFERRERS
from services.referral.entrypoints.schemas import ReferralSchema
from services.referral.entrypoints.screening_schema import ScreeningQuerySchema
from services.referral.service_layer.messages import Screen, SubmitReferral
from shared import idempotency
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput, flatten_messages
from shared.openapi import documented

blueprint = Blueprint("referrals_api", __name__, url_prefix="/api/v1")


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput([{"field": None, "message": "Send a JSON object"}])
    return body


def load_partially(schema: Schema) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The JSON body as far as ``schema`` accepts it, and what it refused.

    The handler then checks what was accepted by the domain's rules, cross-field ones included,
    and refuses the whole naming every problem at once.
    """
    try:
        return schema.load(json_body()), []
    except ValidationError as exc:
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        return dict(valid), flatten_messages(exc.messages)


def _iso(child: dict[str, Any] | None) -> dict[str, str] | None:
    if not isinstance(child, dict) or not child:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in child.items()}


@blueprint.post("/screening")
@members(*READERS)
@documented(
    summary="Screen facts under a rule pack (the board's unless named), without making a case",
    description="The answer names the rule_pack it used.",
    body=ScreeningQuerySchema,
    responses={200: ScreeningSchema},
)
def screening() -> ResponseReturnValue:
    body = ScreeningQuerySchema().load(json_body())
    query = Screen(actor=g.principal, facts=body["facts"], rule_pack=body["rule_pack"])
    return jsonify(current_bus().handle(query).as_dict())


@blueprint.post("/referrals")
@members(*REFERRERS)
@documented(
    summary="Send a referral in one request: it becomes a screened case awaiting the Chair's decision",
    body=ReferralSchema,
    responses={201: SubmittedReferralSchema},
)
@audited("case.write", "case")
def submit_referral() -> ResponseReturnValue:
    body, problems = load_partially(ReferralSchema())
    facts = body.get("facts")
    referrer = body.get("referrer")
    case = current_bus().handle(
        SubmitReferral(
            actor=g.principal,
            facts=facts if isinstance(facts, Facts) else None,
            incident_on=body.get("incident_on"),
            became_aware_on=body.get("became_aware_on"),
            board_notified_on=body.get("board_notified_on"),
            summary=body.get("summary"),
            agencies_involved=body.get("agencies_involved"),
            referrer=referrer if isinstance(referrer, dict) and "agency" in referrer else None,
            child=_iso(body.get("child")),
            home_board=body.get("home_board"),
            other_boards=list(body.get("other_boards") or []),
            problems=problems,
            case_id=idempotency.derived_id("case"),
        )
    )
    g.audit_resource_id = case.case_id
    return jsonify(submitted_json(case)), 201
