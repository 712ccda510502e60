"""The events a case raises, as the catalogue's typed payloads (``shared/events/referral.py``).

They carry what the other services keep of a case, so none of them has to call this service
back. The child's identifying details travel only sealed (:func:`shared.crypto.seal_json`).
"""

from __future__ import annotations

from typing import Any

from services.referral.adapters.store import Case, Challenge, Child, Confirmation, Decision
from shared.crypto import seal_json
from shared.events.referral import (
    CaseScreened,
    DecisionChallenged,
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
    Referrer,
    ReviewerAppointed,
    ScreeningReason,
)
from shared.events.referral import Reviewer as ReviewerPayload

PRODUCER = "referral"
LEAD_REVIEWER = "lead_reviewer"


def sealed_child(child: Child | None) -> str | None:
    """The child's details that were given, sealed; None when none were."""
    given = {k: v for k, v in (child.as_dict() if child else {}).items() if v}
    return seal_json(given) if given else None


def referral_submitted(case: Case) -> ReferralSubmitted:
    s = case.screening
    return ReferralSubmitted(
        case_id=case.case_id,
        board_id=case.board_id,
        reference=case.reference,
        rule_pack=case.rule_pack,
        incident_on=case.incident_on,
        became_aware_on=case.became_aware_on,
        board_notified_on=case.board_notified_on,
        notifiable=s["notifiable"],
        scr_required=s["scr_required"],
        recommended=s["recommended"],
        agencies_involved=list(case.agencies_involved),
        summary=case.summary,
        referrer=Referrer(name=case.referrer.name, agency=case.referrer.agency, email=case.referrer.email),
        child_sealed=sealed_child(case.child),
        home_board=case.home_board or None,
        other_boards=list(case.other_boards),
    )


def case_screened(case: Case) -> CaseScreened:
    s = case.screening
    return CaseScreened(
        case_id=case.case_id,
        board_id=case.board_id,
        rule_pack=case.rule_pack,
        notifiable=s["notifiable"],
        notifiable_grounds=list(s["notifiable_grounds"]),
        scr_required=s["scr_required"],
        scr_grounds=list(s["scr_grounds"]),
        recommended=s["recommended"],
        facts=dict(case.facts),
        reasons=[ScreeningReason(code=r["code"], text=r["text"], source=r["source"]) for r in s["reasons"]],
    )


def _reviewers(decision: Decision) -> list[ReviewerPayload]:
    return [
        ReviewerPayload(
            name=r.name,
            organisation=r.organisation,
            role=LEAD_REVIEWER,
            email=r.email or None,
            agency=r.agency or None,
            qualifications=r.qualifications or "",
            declarations={k: bool(v) for k, v in (r.declarations or {}).items()},
        )
        for r in decision.lead_reviewers
    ]


def _decision_fields(case: Case) -> dict[str, Any]:
    """What a recorded and a changed decision both carry."""
    d = case.decision
    return dict(
        case_id=case.case_id,
        board_id=case.board_id,
        decision_id=d.decision_id,
        rule_pack=case.rule_pack,
        outcome=d.outcome,
        scr_required=case.screening["scr_required"],
        decided_on=d.decided_on,
        initiated_on=d.initiated_on,
        incident_on=case.incident_on,
        lead_reviewers=_reviewers(d),
        rationale=d.rationale or "",
        chair_name=d.chair,
        case_factors=list(d.case_factors),
        context_factors=list(d.context_factors),
        method=d.method or None,
    )


def decision_recorded(case: Case) -> DecisionRecorded:
    return DecisionRecorded(panel_scrutiny=case.decision.panel_scrutiny, **_decision_fields(case))


def decision_changed(case: Case) -> DecisionChanged:
    return DecisionChanged(previous_outcome=case.decision.previous_outcome, **_decision_fields(case))


def reviewers_appointed(case: Case) -> ReviewerAppointed | None:
    """The decision's lead reviewers as appointed; None when it names none."""
    d = case.decision
    reviewers = _reviewers(d)
    if not reviewers:
        return None
    return ReviewerAppointed(
        case_id=case.case_id,
        board_id=case.board_id,
        review_kind=d.outcome,
        appointed_on=d.decided_on,
        reviewers=reviewers,
    )


def decision_confirmed(case: Case, confirmation: Confirmation) -> DecisionConfirmed:
    """After a challenge the decision stands: the final outcome, told as a changed one is."""
    d = case.decision
    return DecisionConfirmed(
        case_id=case.case_id,
        board_id=case.board_id,
        decision_id=d.decision_id,
        rule_pack=case.rule_pack,
        outcome=d.outcome,
        confirmed_on=confirmation.confirmed_on,
        rationale=confirmation.rationale or "",
        chair_name=confirmation.chair_name or d.chair,
        challenged_by=confirmation.challenged_by or None,
    )


def rapid_review_recorded(case: Case) -> RapidReviewRecorded:
    r = case.rapid_review
    return RapidReviewRecorded(
        case_id=case.case_id,
        board_id=case.board_id,
        rule_pack=case.rule_pack,
        completed_on=r.completed_on,
        recommends_local_review=r.recommends_local_review,
        suggests_national_review=r.suggests_national_review,
        summary=r.summary,
    )


def decision_challenged(case: Case, challenge: Challenge) -> DecisionChallenged:
    return DecisionChallenged(
        case_id=case.case_id,
        board_id=case.board_id,
        decision_id=case.decision.decision_id,
        challenged_by=challenge.challenged_by,
        challenged_on=challenge.challenged_on,
    )
