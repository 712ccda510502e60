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

from services.referral.adapters.case_search import CaseCriteria
from services.referral.domain import decision
from services.referral.domain.reviewers import Reviewer
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


# A command's field is None when the input layer refused it already; what it refused travels in
# ``problems``, and the handler adds its own before refusing the whole (every problem at once).
Problems = list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class SubmitReferral(Message["Case"]):
    actor: Principal
    facts: Facts | None
    incident_on: date | None
    became_aware_on: date | None
    summary: str | None
    agencies_involved: list[str] | None  # may be empty: a child known to no agency
    referrer: dict[str, str] | None  # name, agency, email
    board_notified_on: date | None = None  # today when not given
    child: dict[str, str] | None = None  # name, date_of_birth (ISO), address, nhs_number
    home_board: str | None = None  # where the child normally lives, when it is another board's area
    other_boards: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=list)
    # The new case's id when the request names it (its Idempotency-Key's derived id): a re-run
    # of a request whose process died answers with the case its first run saved.
    case_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Screen(Message[Screening]):
    """Screen facts under a rule pack (the actor's board's unless named), without making a case."""

    actor: Principal
    facts: Facts
    rule_pack: str | None = None


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
    criteria: CaseCriteria | None = None  # found by reference, agency, dates; sorted
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


# -- the decision ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DecisionInput:
    """What was decided; shared by a decision recorded and a decision changed.

    ``chair`` names the Chair who made it (a user id or email address): needed when whoever
    records it does not hold the Chair role themselves (an admin recording it for the Chair).
    """

    actor: Principal
    case_id: str
    outcome: str | None
    decided_on: date | None
    rationale: str | None
    lead_reviewers: list[dict[str, Any]] = field(default_factory=list)  # see domain/reviewers.py
    initiated_on: date | None = None
    case_factors: list[str] = field(default_factory=list)
    context_factors: list[str] = field(default_factory=list)
    method: str | None = None
    chair: str | None = None
    problems: Problems = field(default_factory=list)
    check_only: bool = False  # check it against the rules, record nothing (check your answers)

    def facts(self) -> decision.DecisionFacts:
        initiated = None if self.outcome == decision.NO_REVIEW else (self.initiated_on or self.decided_on)
        return decision.DecisionFacts(
            outcome=self.outcome,
            decided_on=self.decided_on,
            initiated_on=initiated,
            rationale=self.rationale,
            lead_reviewers=tuple(Reviewer.of(r) for r in self.lead_reviewers),
            case_factors=tuple(self.case_factors),
            context_factors=tuple(self.context_factors),
            method=self.method,
        )


@dataclass(frozen=True, kw_only=True)
class RecordDecision(DecisionInput, Message["Case"]):
    # The decision's id when the request names it (its Idempotency-Key's derived id): a re-run
    # of a request whose process died answers with the decision its first run recorded.
    decision_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChangeDecision(DecisionInput, Message["Case"]):
    """After a challenge, the decision is changed."""


@dataclass(frozen=True, kw_only=True)
class ConfirmDecision(Message["Case"]):
    """After a challenge, the decision is kept (003 checklist: the final outcome is told)."""

    actor: Principal
    case_id: str
    confirmed_on: date | None
    rationale: str | None
    chair: str | None = None
    problems: Problems = field(default_factory=list)
    check_only: bool = False  # check it against the rules, record nothing (check your answers)


@dataclass(frozen=True, kw_only=True)
class RecordChallenge(Message["Case"]):
    """A challenge to the decision; a peer challenge may come before it (003 checklist)."""

    actor: Principal
    case_id: str
    challenged_by: Literal["peer", "national_panel"]
    challenged_on: date
    summary: str


@dataclass(frozen=True, kw_only=True)
class RecordRapidReview(Message["Case"]):
    """The safeguarding partners' rapid review (wt2018, wt2023), before their decision."""

    actor: Principal
    case_id: str
    completed_on: date | None
    recommends_local_review: bool | None
    suggests_national_review: bool | None
    summary: str | None
    problems: Problems = field(default_factory=list)
    check_only: bool = False  # check it against the rules, record nothing (check your answers)


# -- the board -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardSettings:
    board_id: str
    name: str
    rule_pack: str
    rule_packs: dict[str, str]  # every pack a board may choose: id -> title
    previous_rule_pack: str | None = None  # after a change, the pack before it


@dataclass(frozen=True, kw_only=True)
class GetBoardSettings(Message[BoardSettings]):
    actor: Principal


@dataclass(frozen=True, kw_only=True)
class ChangeRulePack(Message[BoardSettings]):
    """An admin changes the board's rule pack; cases keep the pack they were screened under."""

    actor: Principal
    rule_pack: str


@dataclass(frozen=True, kw_only=True)
class BoardChairs(Message[dict[str, str]]):
    """The members of the actor's board with the Chair role: user id -> name."""

    actor: Principal
