"""The referral service's JSON API: screening, referrals, cases and decisions.

Views are thin: validate with marshmallow, call a handler, shape the answer.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, request

from services.referral.domain.screening import screen
from services.referral.entrypoints import pages
from services.referral.entrypoints.schemas import (
    CaseQuerySchema,
    ChallengeSchema,
    DecisionSchema,
    ReferralSchema,
    ShareSchema,
    StatusSchema,
)
from services.referral.entrypoints.screening_schema import ScreeningRequestSchema
from services.referral.service_layer import handlers
from shared.audit import audited
from shared.auth.access import members

api = Blueprint("referral_api", __name__, url_prefix="/api/v1")

STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")
AGENCY = ("agency_practitioner", "agency_manager")
REFERRERS = (*AGENCY, "business_unit", "admin")
DECIDERS = ("chair", "admin")


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        from shared.errors import InvalidInput

        raise InvalidInput([{"field": None, "message": "Send a JSON object"}])
    return body


def case_json(case) -> dict:
    d = case.decision
    return {
        "id": case.case_id,
        "reference": case.reference,
        "board_id": case.board_id,
        "status": case.status,
        "review_kind": case.review_kind,
        "rule_pack": case.rule_pack,
        "facts": case.facts,
        "screening": case.screening,
        "incident_on": case.incident_on.isoformat(),
        "became_aware_on": case.became_aware_on.isoformat(),
        "board_notified_on": case.board_notified_on.isoformat(),
        "summary": case.summary,
        "agencies_involved": case.agencies_involved,
        "referrer": {
            "name": case.referrer.name,
            "agency": case.referrer.agency,
            "email": case.referrer.email,
        },
        "shared_with": case.shared_with,
        "child": case.child.as_dict() if case.child else None,
        "decision": None
        if d is None
        else {
            "id": d.decision_id,
            "outcome": d.outcome,
            "decided_on": d.decided_on.isoformat(),
            "initiated_on": d.initiated_on.isoformat() if d.initiated_on else None,
            "rationale": d.rationale,
            "lead_reviewers": [
                {"name": r.name, "organisation": r.organisation, "email": r.email} for r in d.lead_reviewers
            ],
            "proportionality": {"case_factors": d.case_factors, "context_factors": d.context_factors},
            "panel_scrutiny": d.panel_scrutiny,
            "previous_outcome": d.previous_outcome,
            "recorded_by": d.recorded_by_name,
        },
        "challenges": [
            {
                "id": c.challenge_id,
                "challenged_by": c.challenged_by,
                "challenged_on": c.challenged_on.isoformat(),
                "summary": c.summary,
                "outcome": c.outcome,
            }
            for c in case.challenges
        ],
        "next_deadline": None
        if not case.next_deadline
        else {
            "code": case.next_deadline.code,
            "due": case.next_deadline.due.isoformat() if case.next_deadline.due else None,
            "status": case.next_deadline.status,
        },
        "history": [
            {
                "at": h.at.isoformat(),
                "actor": h.actor,
                "action": h.action,
                "from_status": h.from_status,
                "to_status": h.to_status,
                "detail": h.detail,
            }
            for h in case.history
        ],
        "created_at": case.created_at.isoformat(),
    }


@api.post("/screening")
@members(*STAFF, *AGENCY)
def screening():
    facts = ScreeningRequestSchema().load(_body())
    return jsonify(screen(facts).as_dict())


@api.post("/referrals")
@members(*REFERRERS)
@audited("case.write", "case")
def submit_referral():
    body = ReferralSchema().load(_body())
    cmd = handlers.SubmitReferral(
        facts=body["facts"],
        incident_on=body["incident_on"],
        became_aware_on=body["became_aware_on"],
        board_notified_on=body["board_notified_on"],
        summary=body["summary"],
        agencies_involved=body["agencies_involved"],
        referrer=body["referrer"],
        child={k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in body["child"].items()}
        if body["child"]
        else None,
    )
    case = handlers.submit_referral(cmd, g.principal)
    g.audit_resource_id = case.case_id
    return jsonify(
        {"id": case.case_id, "reference": case.reference, "status": case.status, "screening": case.screening}
    ), 201


@api.get("/cases")
@members(*STAFF, *AGENCY)
@audited("case.list", "case")
def list_cases():
    q = CaseQuerySchema().load(request.args.to_dict())
    cases = handlers.list_cases(g.principal, q.get("status"), q.get("review_kind"), q.get("overdue"))
    return jsonify({"items": [case_json(c) for c in cases]})


@api.get("/cases/<case_id>")
@members(*STAFF, *AGENCY)
@audited("case.read", "case", "case_id")
def get_case(case_id: str):
    return jsonify(case_json(handlers.get_case(g.principal, case_id)))


def _decision_command(body: dict) -> handlers.RecordDecision:
    prop = body.get("proportionality") or {}
    return handlers.RecordDecision(
        outcome=body["outcome"],
        decided_on=body["decided_on"],
        rationale=body["rationale"],
        lead_reviewers=body["lead_reviewers"],
        initiated_on=body["initiated_on"],
        case_factors=prop.get("case_factors", []),
        context_factors=prop.get("context_factors", []),
    )


@api.post("/cases/<case_id>/decision")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def record_decision(case_id: str):
    cmd = _decision_command(DecisionSchema().load(_body()))
    return jsonify(case_json(handlers.record_decision(g.principal, case_id, cmd)))


@api.post("/cases/<case_id>/challenges")
@members(*DECIDERS, "business_unit")
@audited("case.write", "case", "case_id")
def record_challenge(case_id: str):
    body = ChallengeSchema().load(_body())
    case = handlers.record_challenge(
        g.principal, case_id, body["challenged_by"], body["challenged_on"], body["summary"]
    )
    return jsonify(case_json(case)), 201


@api.post("/cases/<case_id>/decision/change")
@members(*DECIDERS)
@audited("case.write", "case", "case_id")
def change_decision(case_id: str):
    cmd = _decision_command(DecisionSchema().load(_body()))
    return jsonify(case_json(handlers.change_decision(g.principal, case_id, cmd)))


@api.post("/cases/<case_id>/status")
@members("business_unit", "admin")
@audited("case.write", "case", "case_id")
def change_status(case_id: str):
    body = StatusSchema().load(_body())
    return jsonify(case_json(handlers.change_status(g.principal, case_id, body["status"], body["reason"])))


@api.post("/cases/<case_id>/shares")
@members("business_unit", "admin")
@audited("case.write", "case", "case_id")
def share(case_id: str):
    body = ShareSchema().load(_body())
    return jsonify(case_json(handlers.share_with_agency(g.principal, case_id, body["agency"])))


def register(app: Flask) -> None:
    """Register this service's blueprints."""
    from shared.auth import admin

    app.register_blueprint(admin.blueprint)
    app.register_blueprint(api)
    app.register_blueprint(pages.blueprint)
