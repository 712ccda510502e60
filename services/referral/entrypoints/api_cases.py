"""The cases API: reading cases, the Chair's decision, challenges, status and sharing.

Views are thin: validate with marshmallow, build a command, hand it to the message bus,
shape the answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.referral.entrypoints import current_bus
from services.referral.entrypoints.api_referrals import json_body
from services.referral.entrypoints.representations import (
    CaseListSchema,
    CaseSchema,
    case_json,
    case_summary_json,
)
from services.referral.entrypoints.roles import CASE_MANAGERS, DECIDERS, READERS
from services.referral.entrypoints.schemas import (
    CaseQuerySchema,
    ChallengeSchema,
    DecisionSchema,
    ShareSchema,
    StatusSchema,
)
from services.referral.service_layer.messages import (
    ChangeDecision,
    ChangeStatus,
    GetCase,
    ListCases,
    RecordChallenge,
    RecordDecision,
    ShareCase,
)
from shared.audit import audited
from shared.auth.access import members
from shared.openapi import documented

blueprint = Blueprint("cases_api", __name__, url_prefix="/api/v1/cases")


@blueprint.get("")
@members(*READERS)
@documented(
    summary="List the cases you may see, newest first, a page at a time",
    description="Each case as a list shows it (reference, status, key dates, next deadline);"
    " the whole case is at GET /api/v1/cases/{case_id}.",
    query=CaseQuerySchema,
    responses={200: CaseListSchema},
)
@audited("case.list", "case")
def list_cases() -> ResponseReturnValue:
    q = CaseQuerySchema().load(request.args.to_dict())
    cases = current_bus().handle(ListCases(actor=g.principal, **q))
    return jsonify(cases.as_dict(case_summary_json))


@blueprint.get("/<case_id>")
@members(*READERS)
@documented(summary="Read a case", responses={200: CaseSchema, 404: None})
@audited("case.read", "case", "case_id")
def get_case(case_id: str) -> ResponseReturnValue:
    return jsonify(case_json(current_bus().handle(GetCase(actor=g.principal, case_id=case_id))))


def _decision(case_id: str) -> dict[str, Any]:
    """The decision's fields, as the commands take them."""
    body = DecisionSchema().load(json_body())
    prop = body.get("proportionality") or {}
    return {
        "actor": g.principal,
        "case_id": case_id,
        "outcome": body["outcome"],
        "decided_on": body["decided_on"],
        "rationale": body["rationale"],
        "lead_reviewers": body["lead_reviewers"],
        "initiated_on": body["initiated_on"],
        "case_factors": prop.get("case_factors", []),
        "context_factors": prop.get("context_factors", []),
    }


@blueprint.post("/<case_id>/decision")
@members(*DECIDERS)
@documented(
    summary="Record the Chair's decision on a case awaiting it",
    body=DecisionSchema,
    responses={200: CaseSchema, 404: None, 409: None},
)
@audited("case.write", "case", "case_id")
def record_decision(case_id: str) -> ResponseReturnValue:
    return jsonify(case_json(current_bus().handle(RecordDecision(**_decision(case_id)))))


@blueprint.post("/<case_id>/decision/change")
@members(*DECIDERS)
@documented(
    summary="Change the decision after a challenge",
    body=DecisionSchema,
    responses={200: CaseSchema, 404: None, 409: None},
)
@audited("case.write", "case", "case_id")
def change_decision(case_id: str) -> ResponseReturnValue:
    return jsonify(case_json(current_bus().handle(ChangeDecision(**_decision(case_id)))))


@blueprint.post("/<case_id>/challenges")
@members(*DECIDERS, "business_unit")
@documented(
    summary="Record a challenge to the decision",
    body=ChallengeSchema,
    responses={201: CaseSchema, 404: None, 409: None},
)
@audited("case.write", "case", "case_id")
def record_challenge(case_id: str) -> ResponseReturnValue:
    body = ChallengeSchema().load(json_body())
    case = current_bus().handle(
        RecordChallenge(
            actor=g.principal,
            case_id=case_id,
            challenged_by=body["challenged_by"],
            challenged_on=body["challenged_on"],
            summary=body["summary"],
        )
    )
    return jsonify(case_json(case)), 201


@blueprint.post("/<case_id>/status")
@members(*CASE_MANAGERS)
@documented(
    summary="Move a case on to its next status",
    body=StatusSchema,
    responses={200: CaseSchema, 404: None, 409: None},
)
@audited("case.write", "case", "case_id")
def change_status(case_id: str) -> ResponseReturnValue:
    body = StatusSchema().load(json_body())
    case = current_bus().handle(
        ChangeStatus(actor=g.principal, case_id=case_id, status=body["status"], reason=body["reason"])
    )
    return jsonify(case_json(case))


@blueprint.post("/<case_id>/shares")
@members(*CASE_MANAGERS)
@documented(
    summary="Let another agency of the board see the case",
    body=ShareSchema,
    responses={200: CaseSchema, 404: None},
)
@audited("case.write", "case", "case_id")
def share(case_id: str) -> ResponseReturnValue:
    body = ShareSchema().load(json_body())
    return jsonify(
        case_json(current_bus().handle(ShareCase(actor=g.principal, case_id=case_id, agency=body["agency"])))
    )
