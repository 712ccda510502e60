"""How the API shows a case, a draft and a screening (JSON), and the schemas that describe it.

Each ``*_json`` function shapes the answer; the schema beside it is that answer's contract in
the OpenAPI document (``required`` what is always there, ``allow_none`` what may be null), and
the contract test holds them to each other.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.referral.adapters.repository import CaseSummary, DeadlineSummary
from services.referral.adapters.store import Case, Draft, NextDeadline
from services.referral.domain import case as rules
from services.referral.domain import journey
from services.referral.domain.screening import (
    ABUSE_OR_NEGLECT,
    CUSTODY_SETTINGS,
    INTERAGENCY_CONCERN,
    REGULATED_SETTINGS,
)
from services.referral.entrypoints.schemas import DraftAnswersSchema
from services.referral.service_layer.drafts import answers_of
from shared.pagination import page_schema


def _string(*, nullable: bool = False, choices: tuple[str, ...] | None = None) -> fields.String:
    return fields.String(
        required=True, allow_none=nullable, validate=validate.OneOf(choices) if choices else None
    )


# -- a screening ----------------------------------------------------------------------------


class ScreeningReasonSchema(Schema):
    code = _string()
    text = _string()
    source = _string()


class ScreeningSchema(Schema):
    """:meth:`Screening.as_dict`: the screening's conclusions, each reason with its source."""

    notifiable = fields.Boolean(required=True)
    notifiable_grounds = fields.List(fields.String(), required=True)
    scr_required = fields.Boolean(required=True)
    scr_grounds = fields.List(fields.String(), required=True)
    recommended = _string(choices=rules.OUTCOMES)
    options = fields.List(fields.String(validate=validate.OneOf(rules.OUTCOMES)), required=True)
    rule_pack = _string()
    reasons = fields.List(fields.Nested(ScreeningReasonSchema), required=True)


class SubmittedReferralSchema(Schema):
    """A referral sent: the new case, screened and awaiting the Chair's decision."""

    id = _string()
    reference = _string()
    status = _string(choices=rules.STATUSES)
    screening = fields.Nested(ScreeningSchema, required=True)


def submitted_json(case: Case) -> dict[str, Any]:
    return {
        "id": case.case_id,
        "reference": case.reference,
        "status": case.status,
        "screening": case.screening,
    }


# -- a case ---------------------------------------------------------------------------------


class CaseFactsSchema(Schema):
    """:meth:`Facts.as_dict`: every fact, as the screening read it."""

    abuse_or_neglect = _string(choices=ABUSE_OR_NEGLECT)
    child_died = fields.Boolean(required=True)
    seriously_harmed = fields.Boolean(required=True)
    suspected_suicide = fields.Boolean(required=True)
    looked_after = fields.Boolean(required=True)
    regulated_setting = _string(nullable=True, choices=REGULATED_SETTINGS)
    custody_setting = _string(nullable=True, choices=CUSTODY_SETTINGS)
    detained_mental_health_act = fields.Boolean(required=True)
    deprivation_of_liberty_order = fields.Boolean(required=True)
    child_age = fields.Integer(required=True, allow_none=True)
    interagency_concern = _string(choices=INTERAGENCY_CONCERN)


class CaseReferrerSchema(Schema):
    name = _string()
    agency = _string()
    email = _string()


class CaseChildSchema(Schema):
    """The child's identifying details: each one null when it was not given."""

    name = _string(nullable=True)
    date_of_birth = fields.Date(required=True, allow_none=True)
    address = _string(nullable=True)
    nhs_number = _string(nullable=True)


class CaseReviewerSchema(Schema):
    name = _string()
    organisation = _string()
    email = _string(nullable=True)


class CaseProportionalitySchema(Schema):
    case_factors = fields.List(fields.String(), required=True)
    context_factors = fields.List(fields.String(), required=True)


class CaseDecisionSchema(Schema):
    id = _string()
    outcome = _string(choices=rules.OUTCOMES)
    decided_on = fields.Date(required=True)
    initiated_on = fields.Date(required=True, allow_none=True, metadata={"description": "null: no review"})
    rationale = _string()
    lead_reviewers = fields.List(fields.Nested(CaseReviewerSchema), required=True)
    proportionality = fields.Nested(CaseProportionalitySchema, required=True)
    panel_scrutiny = fields.Boolean(required=True)
    previous_outcome = _string(nullable=True, choices=rules.OUTCOMES)
    recorded_by = fields.String(required=True, metadata={"description": "The name of who recorded it"})


class CaseChallengeSchema(Schema):
    id = _string()
    challenged_by = _string(choices=("peer", "national_panel"))
    challenged_on = fields.Date(required=True)
    summary = _string()
    outcome = _string(nullable=True)


class CaseDeadlineSchema(Schema):
    """The next statutory deadline, as the scheduler announced it."""

    code = _string(nullable=True)
    due = fields.Date(required=True, allow_none=True)
    status = _string(nullable=True, choices=(rules.DUE_SOON, rules.OVERDUE))


class CaseHistorySchema(Schema):
    at = fields.DateTime(required=True)
    actor = fields.String(required=True, metadata={"description": "Who acted, by name, or system"})
    action = _string()
    from_status = _string(nullable=True, choices=rules.STATUSES)
    to_status = _string(nullable=True, choices=rules.STATUSES)
    detail = _string(nullable=True)


class CaseSchema(Schema):
    id = _string()
    reference = _string()
    board_id = _string()
    status = _string(choices=rules.STATUSES)
    review_kind = _string(nullable=True, choices=rules.OUTCOMES)
    rule_pack = _string()
    facts = fields.Nested(CaseFactsSchema, required=True)
    screening = fields.Nested(ScreeningSchema, required=True)
    incident_on = fields.Date(required=True)
    became_aware_on = fields.Date(required=True)
    board_notified_on = fields.Date(required=True)
    summary = _string()
    agencies_involved = fields.List(fields.String(), required=True)
    referrer = fields.Nested(CaseReferrerSchema, required=True)
    shared_with = fields.List(fields.String(), required=True)
    child = fields.Nested(CaseChildSchema, required=True, allow_none=True)
    decision = fields.Nested(CaseDecisionSchema, required=True, allow_none=True)
    challenges = fields.List(fields.Nested(CaseChallengeSchema), required=True)
    next_deadline = fields.Nested(CaseDeadlineSchema, required=True, allow_none=True)
    history = fields.List(fields.Nested(CaseHistorySchema), required=True)
    created_at = fields.DateTime(required=True)


class CaseSummarySchema(Schema):
    """A case as a list shows it; the whole case is at ``GET /api/v1/cases/<id>``."""

    id = _string()
    reference = _string()
    status = _string(choices=rules.STATUSES)
    review_kind = _string(nullable=True, choices=rules.OUTCOMES)
    referring_agency = _string(nullable=True)
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


def case_json(case: Case) -> dict[str, Any]:
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


# -- a draft --------------------------------------------------------------------------------


class SavedAnswersSchema(DraftAnswersSchema):
    """The answers so far, as they were sent (dates as ISO dates); the child's details apart."""

    class Meta:
        exclude = (journey.CHILD,)


class DraftSummarySchema(Schema):
    """A draft as the list of drafts shows it; its answers are at ``GET /api/v1/referral-drafts/<id>``."""

    id = _string()
    what_happened = _string(nullable=True, choices=journey.WHAT_HAPPENED)
    unanswered = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The answers still needed before the draft can be sent"},
    )
    complete = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class SavedDraftSchema(DraftSummarySchema):
    """A draft as its author reads it: its answers so far, the child's details apart."""

    class Meta:
        exclude = ("what_happened",)  # among the answers

    answers = fields.Nested(SavedAnswersSchema, required=True)
    child = fields.Nested(CaseChildSchema, required=True, allow_none=True)


DraftListSchema = page_schema(DraftSummarySchema, "DraftList")


def draft_summary_json(draft: Draft) -> dict[str, Any]:
    """A draft as the list shows it: what happened, and what is left to answer."""
    missing = journey.unanswered(draft.answers)
    return {
        "id": draft.draft_id,
        "what_happened": draft.answers.get("what_happened"),
        "unanswered": [k for q in missing for k in q.keys],
        "complete": not missing,
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
    }


def draft_json(draft: Draft) -> dict[str, Any]:
    """A draft as its author reads it: the answers so far, and what is left to answer."""
    answers = answers_of(draft)
    child = answers.pop(journey.CHILD)
    summary = draft_summary_json(draft)
    del summary["what_happened"]
    return {**summary, "answers": answers, "child": child or None}
