"""Events of the referral service: referrals, screening and the Chair's decision.

They carry the state the other services keep of a case (event-carried state
transfer), so no service has to call the referral service back. The child's
identifying details travel only sealed (``shared.crypto.seal_json``): the
services without the keys cannot read them, and none logs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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
    email: str | None = None
    # The board agency the reviewer belongs to, if any (None: independent of the board's agencies).
    agency: str | None = None
    qualifications: str = ""
    # Independence declarations (001 §5.6; 002 §2.2; 003 "Appointing reviewers"), each True or False.
    declarations: dict[str, bool] = field(default_factory=dict)


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
    # The board where the child normally lives, when it is another board (003 checklist), and any
    # other boards involved (004).
    home_board: str | None = None
    other_boards: list[str] = field(default_factory=list)


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
    # The review method the Chair chose, where the kind of review has one (001 §5.3-5.4).
    method: str | None = None


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
    # The review method the Chair chose, where the kind of review has one (001 §5.3-5.4).
    method: str | None = None


@event("reviewer.appointed", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class ReviewerAppointed(CaseEvent):
    """Reviewers were appointed to a case review."""

    review_kind: str = ident()
    appointed_on: date
    reviewers: list[Reviewer]


@event("decision.confirmed", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class DecisionConfirmed(CaseEvent):
    """After a challenge the board kept its decision; the final outcome, as for a changed one."""

    decision_id: str = ident()
    rule_pack: str = ident()
    outcome: str = ident()
    confirmed_on: date
    rationale: str
    chair_name: str
    challenged_by: str | None = None


@event("rapid_review.recorded", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class RapidReviewRecorded(CaseEvent):
    """The safeguarding partners completed their rapid review of a serious child safeguarding case."""

    rule_pack: str = ident()
    completed_on: date
    # Whether the partners think a local child safeguarding practice review should be held.
    recommends_local_review: bool
    # Whether they think the case may need a national review by the Panel.
    suggests_national_review: bool
    summary: str


# -- referrals being written ---------------------------------------------------------------------
# A draft is private to its author: these say only that it exists, for the author's home page.
# No personal data: no child's details, no answers, only the words of what happened.


@event("referral_draft.saved", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class ReferralDraftSaved:
    """Someone saved a referral they are writing; what their home page lists of it."""

    draft_id: str = ident()
    board_id: str = ident()
    user_id: str = ident()
    agency: str | None = None
    updated_at: datetime
    # What happened, in words ("A child was seriously harmed"): never the child's name.
    title: str


@event("referral_draft.discarded", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class ReferralDraftDiscarded:
    """A referral being written is gone: sent as a referral (``submitted``), or deleted."""

    draft_id: str = ident()
    board_id: str = ident()
    user_id: str = ident()
    submitted: bool = False
