"""How the API shows a case and a screening (JSON), and the schemas that describe it (a draft:
:mod:`.draft_representations`).

Each ``*_json`` function shapes the answer; the schema beside it is that answer's contract in
the OpenAPI document (``required`` what is always there, ``allow_none`` what may be null), and
the contract test holds them to each other.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.referral.adapters.repository import CaseSummary, DeadlineSummary
from services.referral.adapters.store import Case, Decision, LeadReviewer, NextDeadline, RapidReview
from services.referral.domain import case as rules
from services.referral.domain.decision import OUTCOMES
from services.referral.domain.reviewers import DECLARATIONS
from services.referral.domain.screening import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    INTERAGENCY_CONCERN,
    METHODS,
    REGULATED_SETTINGS,
)
from shared.pagination import page_schema


def string(*, nullable: bool = False, choices: tuple[str, ...] | None = None, **kw: Any) -> fields.String:
    return fields.String(
        required=True, allow_none=nullable, validate=validate.OneOf(choices) if choices else None, **kw
    )


# -- a screening ----------------------------------------------------------------------------


class ScreeningReasonSchema(Schema):
    code = string()
    text = string()
    source = string()


class ScreeningSchema(Schema):
    """:meth:`Screening.as_dict`: the screening's conclusions, each reason with its source."""

    notifiable = fields.Boolean(required=True)
    notifiable_grounds = fields.List(fields.String(), required=True)
    scr_required = fields.Boolean(required=True)
    scr_grounds = fields.List(fields.String(), required=True)
    recommended = string(choices=OUTCOMES)
    options = fields.List(fields.String(validate=validate.OneOf(OUTCOMES)), required=True)
    rule_pack = string()
    suggested_method = string(
        nullable=True,
        choices=METHODS,
        metadata={"description": "The SCR method suggested should an SCR be held; null: the pack has none"},
    )
    reasons = fields.List(fields.Nested(ScreeningReasonSchema), required=True)


def screening_json(screening: dict[str, Any]) -> dict[str, Any]:
    """A stored screening; one stored before methods were suggested says it suggests none."""
    return {"suggested_method": None, **screening}


class SubmittedReferralSchema(Schema):
    """A referral sent: the new case, screened and awaiting the Chair's decision."""

    id = string()
    reference = string()
    status = string(choices=rules.STATUSES)
    screening = fields.Nested(ScreeningSchema, required=True)


def submitted_json(case: Case) -> dict[str, Any]:
    return {
        "id": case.case_id,
        "reference": case.reference,
        "status": case.status,
        "screening": screening_json(case.screening),
    }


# -- a case ---------------------------------------------------------------------------------


class CaseFactsSchema(Schema):
    """:meth:`Facts.as_dict`: every fact, as the screening read it."""

    abuse_or_neglect = string(choices=ABUSE_OR_NEGLECT)
    child_died = fields.Boolean(required=True)
    seriously_harmed = fields.Boolean(required=True)
    suspected_suicide = fields.Boolean(required=True)
    looked_after = fields.Boolean(required=True)
    regulated_setting = string(nullable=True, choices=REGULATED_SETTINGS)
    custody_setting = string(nullable=True, choices=CUSTODY_SETTINGS)
    detained_mental_health_act = fields.Boolean(required=True)
    deprivation_of_liberty_order = fields.Boolean(required=True)
    child_age = fields.Integer(required=True, allow_none=True)
    interagency_concern = string(choices=INTERAGENCY_CONCERN)


class CaseReferrerSchema(Schema):
    name = string()
    agency = string()
    email = string()


class CaseChildSchema(Schema):
    """The child's identifying details: each one null when it was not given."""

    name = string(nullable=True)
    date_of_birth = fields.Date(required=True, allow_none=True)
    address = string(nullable=True)
    nhs_number = string(nullable=True)


class CaseDeclarationsSchema(Schema):
    """The declarations of independence given; one not declared is left out."""

    works_for_involved_agency = fields.Boolean()
    line_manages_involved_staff = fields.Boolean()
    involved_in_case = fields.Boolean()
    works_for_board_agency = fields.Boolean()


assert set(CaseDeclarationsSchema._declared_fields) == set(DECLARATIONS)


class CaseReviewerSchema(Schema):
    name = string()
    organisation = string()
    email = string(nullable=True)
    agency = string(nullable=True)
    qualifications = string()
    declarations = fields.Nested(CaseDeclarationsSchema, required=True)


class CaseConfirmationSchema(Schema):
    confirmed_on = fields.Date(required=True)
    rationale = string()
    challenged_by = string(nullable=True, choices=("peer", "national_panel"))
    chair = string()


class CaseProportionalitySchema(Schema):
    case_factors = fields.List(fields.String(), required=True)
    context_factors = fields.List(fields.String(), required=True)


class CaseDecisionSchema(Schema):
    id = string()
    outcome = string(choices=OUTCOMES)
    decided_on = fields.Date(required=True)
    initiated_on = fields.Date(required=True, allow_none=True, metadata={"description": "null: no review"})
    rationale = string()
    lead_reviewers = fields.List(fields.Nested(CaseReviewerSchema), required=True)
    proportionality = fields.Nested(CaseProportionalitySchema, required=True)
    method = string(nullable=True, choices=METHODS)
    panel_scrutiny = fields.Boolean(required=True)
    previous_outcome = string(nullable=True, choices=OUTCOMES)
    chair = fields.String(required=True, metadata={"description": "The name of the Chair who made it"})
    recorded_by = fields.String(required=True, metadata={"description": "The name of who recorded it"})
    confirmations = fields.List(
        fields.Nested(CaseConfirmationSchema),
        required=True,
        metadata={"description": "Each time the decision was kept after a challenge"},
    )


class CaseRapidReviewSchema(Schema):
    completed_on = fields.Date(required=True)
    recommends_local_review = fields.Boolean(required=True)
    suggests_national_review = fields.Boolean(required=True)
    summary = string()
    recorded_by = string(nullable=True)


class CaseChallengeSchema(Schema):
    id = string()
    challenged_by = string(choices=("peer", "national_panel"))
    challenged_on = fields.Date(required=True)
    summary = string()
    before_decision = fields.Boolean(
        required=True, metadata={"description": "A peer challenge sought while the decision was considered"}
    )
    outcome = string(nullable=True)


class CaseDeadlineSchema(Schema):
    """The next statutory deadline, as the scheduler announced it."""

    code = string(nullable=True)
    due = fields.Date(required=True, allow_none=True)
    status = string(nullable=True, choices=(rules.DUE_SOON, rules.OVERDUE))


class CaseHistorySchema(Schema):
    at = fields.DateTime(required=True)
    actor = fields.String(required=True, metadata={"description": "Who acted, by name, or system"})
    action = string()
    from_status = string(nullable=True, choices=rules.STATUSES)
    to_status = string(nullable=True, choices=rules.STATUSES)
    detail = string(nullable=True)


class CaseSchema(Schema):
    id = string()
    reference = string()
    pseudonym = string(nullable=True)
    board_id = string()
    status = string(choices=rules.STATUSES)
    review_kind = string(nullable=True, choices=OUTCOMES)
    rule_pack = string()
    facts = fields.Nested(CaseFactsSchema, required=True)
    screening = fields.Nested(ScreeningSchema, required=True)
    incident_on = fields.Date(required=True)
    became_aware_on = fields.Date(required=True)
    board_notified_on = fields.Date(required=True)
    summary = string()
    agencies_involved = fields.List(fields.String(), required=True)
    home_board = string(nullable=True)
    other_boards = fields.List(fields.String(), required=True)
    referrer = fields.Nested(CaseReferrerSchema, required=True)
    shared_with = fields.List(fields.String(), required=True)
    child = fields.Nested(CaseChildSchema, required=True, allow_none=True)
    rapid_review = fields.Nested(CaseRapidReviewSchema, required=True, allow_none=True)
    decision = fields.Nested(CaseDecisionSchema, required=True, allow_none=True)
    challenges = fields.List(fields.Nested(CaseChallengeSchema), required=True)
    next_deadline = fields.Nested(CaseDeadlineSchema, required=True, allow_none=True)
    history = fields.List(fields.Nested(CaseHistorySchema), required=True)
    created_at = fields.DateTime(required=True)


class CaseSummarySchema(Schema):
    """A case as a list shows it; the whole case is at ``GET /api/v1/cases/<id>``."""

    id = string()
    reference = string()
    pseudonym = string(nullable=True)
    status = string(choices=rules.STATUSES)
    review_kind = string(nullable=True, choices=OUTCOMES)
    referring_agency = string(nullable=True)
    incident_on = fields.Date(required=True)
    became_aware_on = fields.Date(required=True)
    board_notified_on = fields.Date(required=True)
    decided_on = fields.Date(
        required=True, allow_none=True, metadata={"description": "null: not decided yet"}
    )
    next_deadline = fields.Nested(CaseDeadlineSchema, required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


CaseListSchema = page_schema(CaseSummarySchema, "CaseList")


def deadline_json(deadline: NextDeadline | DeadlineSummary | None) -> dict[str, Any] | None:
    """The next statutory deadline as the scheduler announced it, or None."""
    if not deadline:
        return None
    return {
        "code": deadline.code,
        "due": deadline.due.isoformat() if deadline.due else None,
        "status": deadline.status,
    }


def case_summary_json(case: CaseSummary) -> dict[str, Any]:
    return {
        "id": case.case_id,
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "status": case.status,
        "review_kind": case.review_kind,
        "referring_agency": case.referring_agency,
        "incident_on": case.incident_on.isoformat(),
        "became_aware_on": case.became_aware_on.isoformat(),
        "board_notified_on": case.board_notified_on.isoformat(),
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "next_deadline": deadline_json(case.next_deadline),
        "created_at": case.created_at.isoformat(),
    }


def reviewer_json(r: LeadReviewer) -> dict[str, Any]:
    return {
        "name": r.name,
        "organisation": r.organisation,
        "email": r.email,
        "agency": r.agency,
        "qualifications": r.qualifications or "",
        "declarations": {k: bool(v) for k, v in (r.declarations or {}).items() if k in DECLARATIONS},
    }


def decision_json(d: Decision | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "id": d.decision_id,
        "outcome": d.outcome,
        "decided_on": d.decided_on.isoformat(),
        "initiated_on": d.initiated_on.isoformat() if d.initiated_on else None,
        "rationale": d.rationale,
        "lead_reviewers": [reviewer_json(r) for r in d.lead_reviewers],
        "proportionality": {"case_factors": d.case_factors, "context_factors": d.context_factors},
        "method": d.method,
        "panel_scrutiny": d.panel_scrutiny,
        "previous_outcome": d.previous_outcome,
        "chair": d.chair,
        "recorded_by": d.recorded_by_name,
        "confirmations": [
            {
                "confirmed_on": c.confirmed_on.isoformat(),
                "rationale": c.rationale or "",
                "challenged_by": c.challenged_by,
                "chair": c.chair_name or d.chair,
            }
            for c in d.confirmations
        ],
    }


def rapid_review_json(r: RapidReview | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "completed_on": r.completed_on.isoformat(),
        "recommends_local_review": r.recommends_local_review,
        "suggests_national_review": r.suggests_national_review,
        "summary": r.summary,
        "recorded_by": r.recorded_by_name,
    }


def case_json(case: Case) -> dict[str, Any]:
    return {
        "id": case.case_id,
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "board_id": case.board_id,
        "status": case.status,
        "review_kind": case.review_kind,
        "rule_pack": case.rule_pack,
        "facts": case.facts,
        "screening": screening_json(case.screening),
        "incident_on": case.incident_on.isoformat(),
        "became_aware_on": case.became_aware_on.isoformat(),
        "board_notified_on": case.board_notified_on.isoformat(),
        "summary": case.summary,
        "agencies_involved": case.agencies_involved,
        "home_board": case.home_board or None,
        "other_boards": list(case.other_boards),
        "referrer": {
            "name": case.referrer.name,
            "agency": case.referrer.agency,
            "email": case.referrer.email,
        },
        "shared_with": case.shared_with,
        "child": case.child.as_dict() if case.child else None,
        "rapid_review": rapid_review_json(case.rapid_review),
        "decision": decision_json(case.decision),
        "challenges": [
            {
                "id": c.challenge_id,
                "challenged_by": c.challenged_by,
                "challenged_on": c.challenged_on.isoformat(),
                "summary": c.summary,
                "before_decision": bool(c.before_decision),
                "outcome": c.outcome,
            }
            for c in case.challenges
        ],
        "next_deadline": deadline_json(case.next_deadline),
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
