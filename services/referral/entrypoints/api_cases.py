"""The cases API: reading cases, the rapid review, the decision, challenges, status and sharing.

Views are thin: validate with marshmallow, build a command, hand it to the message bus,
shape the answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.referral.entrypoints import current_bus
from services.referral.entrypoints.api_referrals import json_body, load_partially
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
    ConfirmSchema,
    DecisionSchema,
    RapidReviewSchema,
    ShareSchema,
    StatusSchema,
)
from services.referral.service_layer.messages import (
    ChangeDecision,
    ChangeStatus,
    ConfirmDecision,
    GetCase,
    ListCases,
    RecordChallenge,
    RecordDecision,
    RecordRapidReview,
    ShareCase,
)
from shared import idempotency
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


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _decision(case_id: str) -> dict[str, Any]:
    """The decision's fields, as the commands take them; what the schema refused among them."""
    body, problems = load_partially(DecisionSchema())
    prop = body.get("proportionality") or {}
    return {
        "actor": g.principal,
        "case_id": case_id,
        "outcome": body.get("outcome"),
        "decided_on": body.get("decided_on"),
        "rationale": body.get("rationale"),
        "lead_reviewers": [r for r in _listed(body.get("lead_reviewers")) if isinstance(r, dict)],
        "initiated_on": body.get("initiated_on"),
        "case_factors": _listed(prop.get("case_factors")),
        "context_factors": _listed(prop.get("context_factors")),
        "method": body.get("method"),
        "chair": body.get("chair"),
        "problems": problems,
    }


DECISION = (
    "Under wt2015 packs the Chair decides (003 checklist); under wt2018 and wt2023 the safeguarding"
    " partners decide after their rapid review, recorded by the user with the Chair role. Whoever"
    " records it without holding the Chair role names the Chair (chair). 422 names every problem."
)


@blueprint.post("/<case_id>/decision")
@members(*DECIDERS)
@documented(
    summary="Record the decision on a case awaiting it",
    description=DECISION,
    body=DecisionSchema,
    responses={200: CaseSchema, 404: None, 409: None, 422: None},
)
@audited("case.write", "case", "case_id")
def record_decision(case_id: str) -> ResponseReturnValue:
    decision = RecordDecision(**_decision(case_id), decision_id=idempotency.derived_id("decision"))
    return jsonify(case_json(current_bus().handle(decision)))


@blueprint.post("/<case_id>/decision/change")
@members(*DECIDERS)
@documented(
    summary="Change the decision after a challenge",
    description=DECISION,
    body=DecisionSchema,
    responses={200: CaseSchema, 404: None, 409: None, 422: None},
)
@audited("case.write", "case", "case_id")
def change_decision(case_id: str) -> ResponseReturnValue:
    return jsonify(case_json(current_bus().handle(ChangeDecision(**_decision(case_id)))))


@blueprint.post("/<case_id>/decision/confirm")
@members(*DECIDERS)
@documented(
    summary="Keep the decision after a challenge",
    description="Ofsted, the DfE and the Panel are told the final outcome, as for a changed decision"
    " (003 checklist). 409 unless a challenge to the decision is open.",
    body=ConfirmSchema,
    responses={201: CaseSchema, 404: None, 409: None, 422: None},
)
@audited("case.write", "case", "case_id")
def confirm_decision(case_id: str) -> ResponseReturnValue:
    body, problems = load_partially(ConfirmSchema())
    command = ConfirmDecision(
        actor=g.principal,
        case_id=case_id,
        confirmed_on=body.get("confirmed_on"),
        rationale=body.get("rationale"),
        chair=body.get("chair"),
        problems=problems,
    )
    return jsonify(case_json(current_bus().handle(command))), 201


@blueprint.post("/<case_id>/rapid-review")
@members(*DECIDERS, "business_unit")
@documented(
    summary="Record the safeguarding partners' rapid review (wt2018 and wt2023 cases)",
    description="Once, before the decision, for a serious child safeguarding case; 409 otherwise."
    " Its outcome goes to the Child Safeguarding Practice Review Panel.",
    body=RapidReviewSchema,
    responses={201: CaseSchema, 404: None, 409: None, 422: None},
)
@audited("case.write", "case", "case_id")
def record_rapid_review(case_id: str) -> ResponseReturnValue:
    body, problems = load_partially(RapidReviewSchema())
    command = RecordRapidReview(
        actor=g.principal,
        case_id=case_id,
        completed_on=body.get("completed_on"),
        recommends_local_review=body.get("recommends_local_review"),
        suggests_national_review=body.get("suggests_national_review"),
        summary=body.get("summary"),
        problems=problems,
    )
    return jsonify(case_json(current_bus().handle(command))), 201


@blueprint.post("/<case_id>/challenges")
@members(*DECIDERS, "business_unit")
@documented(
    summary="Record a challenge to the decision",
    description="A peer challenge may also be recorded before the decision, while the Chair is"
    " considering it (003 checklist); a National Panel challenge needs a decision (409 otherwise).",
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
