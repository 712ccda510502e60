"""Events of the referral service: referrals, screening and the Chair's decision.

They carry the state the other services keep of a case (event-carried state
transfer), so no service has to call the referral service back. The child's
identifying details travel only sealed (``shared.crypto.seal_json``): the
services without the keys cannot read them, and none logs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from shared.events.base import CaseEvent, ident
from shared.events.catalogue import event

REFERRAL = ("referral",)


@dataclass(frozen=True, kw_only=True)
class Referrer:
    name: str
    agency: str
    email: str


@dataclass(frozen=True, kw_only=True)
class Reviewer:
    name: str
    organisation: str
    role: str | None = None


@dataclass(frozen=True, kw_only=True)
class ScreeningReason:
    code: str
    text: str
    source: str


@event("referral.submitted", 2, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class ReferralSubmitted(CaseEvent):
    """An agency referred an incident to the board; what the other services keep of the case."""

    reference: str = ident()
    rule_pack: str = ident()
    incident_on: date
    became_aware_on: date
    board_notified_on: date
    notifiable: bool
    scr_required: bool
    recommended: str
    agencies_involved: list[str]
    summary: str
    referrer: Referrer
    # The child's identifying details, sealed with the field-encryption keys; None if not given.
    child_sealed: str | None = None


@event("case.screened", 2, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class CaseScreened(CaseEvent):
    """The statutory screening of a case concluded, with the facts and reasons it rests on."""

    rule_pack: str = ident()
    notifiable: bool
    notifiable_grounds: list[str]
    scr_required: bool
    scr_grounds: list[str]
    recommended: str
    facts: dict[str, Any]
    reasons: list[ScreeningReason]


@event("decision.recorded", 2, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class DecisionRecorded(CaseEvent):
    """The Chair recorded whether and how the case is reviewed."""

    decision_id: str = ident()
    rule_pack: str = ident()
    outcome: str = ident()
    scr_required: bool
    decided_on: date
    initiated_on: date | None = None
    incident_on: date
    panel_scrutiny: bool
    lead_reviewers: list[Reviewer]
    rationale: str
    chair_name: str
    case_factors: list[str]
    context_factors: list[str]


@event("decision.challenged", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class DecisionChallenged(CaseEvent):
    """A peer Chair or the National Panel challenged a decision."""

    decision_id: str = ident()
    challenged_by: Literal["peer", "national_panel"]
    challenged_on: date


@event("decision.changed", 2, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class DecisionChanged(CaseEvent):
    """A decision was changed after challenge; the final outcome."""

    decision_id: str = ident()
    rule_pack: str = ident()
    previous_outcome: str = ident()
    outcome: str = ident()
    scr_required: bool
    decided_on: date
    initiated_on: date | None = None
    incident_on: date
    lead_reviewers: list[Reviewer]
    rationale: str
    chair_name: str
    case_factors: list[str]
    context_factors: list[str]


@event("reviewer.appointed", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class ReviewerAppointed(CaseEvent):
    """Reviewers were appointed to a case review."""

    review_kind: str = ident()
    appointed_on: date
    reviewers: list[Reviewer]
