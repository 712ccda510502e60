"""The commands and queries the referral service handles: plain data, one class each.

Each names who asks (``actor``): the handlers apply the record-level rules with it (a board
sees only its own cases, agency staff only their agency's referrals and what was shared with
them). ``Message[R]`` says what its handler returns, so ``bus.handle(GetCase(...))`` is a
:class:`Case` to the type checker too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from services.referral.domain import case as rules
from services.referral.domain.screening import Facts, Screening
from shared.auth.principal import Principal
from shared.pagination import PER_PAGE, Page

if TYPE_CHECKING:
    from services.referral.adapters.repository import CaseSummary  # noqa: F401 (named in a string)
    from services.referral.adapters.store import Case, Draft  # noqa: F401 (named in strings)
    from services.referral.service_layer.drafts import JourneyContext  # noqa: F401 (named in a string)

R = TypeVar("R")


class Message(Generic[R]):
    """A command or a query whose handler returns an ``R``."""


# -- referrals ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SubmitReferral(Message["Case"]):
    actor: Principal
    facts: Facts
    incident_on: date
    became_aware_on: date
    summary: str
    agencies_involved: list[str]
    referrer: dict[str, str]  # name, agency, email
    board_notified_on: date | None = None  # today when not given
    child: dict[str, str] | None = None  # name, date_of_birth (ISO), address, nhs_number


@dataclass(frozen=True, kw_only=True)
class Screen(Message[Screening]):
    """Screen facts under the rule pack of the actor's board, without making a case."""

    actor: Principal
    facts: Facts


# -- drafts of referrals --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SaveDraft(Message["Draft"]):
    """Add answers to one of the actor's drafts, or start one (``draft_id`` None).

    ``answers`` are keyed as :mod:`..domain.journey` says; ``child`` among them holds the
    child's details, kept encrypted.
    """

    actor: Principal
    answers: dict[str, Any]
    draft_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class SubmitDraft(Message["Case"]):
    actor: Principal
    draft_id: str


@dataclass(frozen=True, kw_only=True)
class DiscardDraft(Message[None]):
    actor: Principal
    draft_id: str


@dataclass(frozen=True, kw_only=True)
class GetDraft(Message["Draft"]):
    actor: Principal
    draft_id: str


@dataclass(frozen=True, kw_only=True)
class ListDrafts(Message[Page["Draft"]]):
    """One page of the actor's drafts, without the child's details."""

    actor: Principal
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True, kw_only=True)
class DescribeJourney(Message["JourneyContext"]):
    """What the journey needs to know about the actor's board and the actor."""

    actor: Principal


# -- cases ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GetCase(Message["Case"]):
    actor: Principal
    case_id: str


@dataclass(frozen=True, kw_only=True)
class ListCases(Message[Page["CaseSummary"]]):
    """One page of the cases the actor may see, newest first, each as a list shows it."""

    actor: Principal
    status: str | None = None
    review_kind: str | None = None
    overdue: bool | None = None
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True, kw_only=True)
class BoardAgencies(Message[dict[str, str]]):
    """The agencies of the actor's board: code -> name."""

    actor: Principal


@dataclass(frozen=True, kw_only=True)
class ChangeStatus(Message["Case"]):
    actor: Principal
    case_id: str
    status: str
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class ShareCase(Message["Case"]):
    actor: Principal
    case_id: str
    agency: str


# -- the Chair's decision -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DecisionInput:
    """What the Chair decided; shared by a decision recorded and a decision changed."""

    actor: Principal
    case_id: str
    outcome: str
    decided_on: date
    rationale: str
    lead_reviewers: list[dict[str, str | None]] = field(default_factory=list)  # name, organisation, email
    initiated_on: date | None = None
    case_factors: list[str] = field(default_factory=list)
    context_factors: list[str] = field(default_factory=list)

    def facts(self) -> rules.DecisionFacts:
        initiated = None if self.outcome == "no_review" else (self.initiated_on or self.decided_on)
        return rules.DecisionFacts(
            outcome=self.outcome,
            decided_on=self.decided_on,
            initiated_on=initiated,
            rationale=self.rationale,
            lead_reviewers=tuple(
                rules.Reviewer(name=str(r["name"]), organisation=str(r["organisation"]), email=r.get("email"))
                for r in self.lead_reviewers
            ),
            case_factors=tuple(self.case_factors),
            context_factors=tuple(self.context_factors),
        )


@dataclass(frozen=True, kw_only=True)
class RecordDecision(DecisionInput, Message["Case"]):
    pass


@dataclass(frozen=True, kw_only=True)
class ChangeDecision(DecisionInput, Message["Case"]):
    """After a challenge, the Chair changes the decision."""


@dataclass(frozen=True, kw_only=True)
class RecordChallenge(Message["Case"]):
    actor: Principal
    case_id: str
    challenged_by: Literal["peer", "national_panel"]
    challenged_on: date
    summary: str
