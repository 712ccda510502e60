"""How the API shows a case and a draft (JSON)."""

from __future__ import annotations

from typing import Any

from services.referral.adapters.store import Case, Draft
from services.referral.domain import journey
from services.referral.service_layer.drafts import answers_of


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


def draft_json(draft: Draft) -> dict[str, Any]:
    """A draft as its author sees it: the answers so far, and what is left to answer."""
    answers = answers_of(draft)
    child = answers.pop(journey.CHILD)
    missing = journey.unanswered(answers)
    return {
        "id": draft.draft_id,
        "answers": answers,
        "child": child or None,
        "unanswered": [k for q in missing for k in q.keys],
        "complete": not missing,
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
    }
