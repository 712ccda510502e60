"""Handlers of drafts: a referral written over several sittings, on the pages or through the API.

A draft belongs to its author on one board; anyone else is told there is no such draft.
Answers to questions that no longer apply are dropped as they are saved, the child's details
are kept encrypted apart from the other answers, and a draft becomes a case only once every
question that applies is answered and the referral's own checks pass; then it is deleted.
A draft left alone for 90 days is removed by the store (``adapters/store.py``).
Each save, and the draft's end (sent or discarded), is announced without its answers
(:mod:`.draft_events`), so the author's home page can list their drafts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.referral.adapters.store import Case, Child, Draft, now
from services.referral.domain import journey
from services.referral.domain.screening import DEFAULT_RULE_PACK, rule_pack
from services.referral.service_layer.draft_events import draft_discarded, draft_saved
from services.referral.service_layer.messages import (
    DescribeJourney,
    DiscardDraft,
    GetDraft,
    ListDrafts,
    SaveDraft,
    SubmitDraft,
    SubmitReferral,
)
from services.referral.service_layer.referrals import new_case
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.auth.principal import Principal
from shared.errors import InvalidInput, NotFound
from shared.pagination import Page

Clock = Callable[[], date]


@dataclass(frozen=True)
class JourneyContext:
    """What the journey needs to know about the board and the signed-in user."""

    agencies: dict[str, str] = field(default_factory=dict)
    name: str = ""
    agency: str | None = None
    email: str = ""
    partners: bool = False  # the board works under WT2018 or 2023: safeguarding partners decide


def answers_of(draft: Draft | None) -> dict[str, Any]:
    """The draft's answers, the child's details among them (under ``child``)."""
    if draft is None:
        return {}
    return {**draft.answers, journey.CHILD: draft.child.as_dict() if draft.child else {}}


def _own(uow: ReferralUnitOfWork, actor: Principal, draft_id: str) -> Draft:
    draft = uow.drafts.get(actor.board_id, actor.user_id, draft_id)
    if draft is None:
        raise NotFound("There is no saved referral of yours with this id", field="draft_id")
    return draft


def describe_journey(query: DescribeJourney, uow: ReferralUnitOfWork) -> JourneyContext:
    actor = query.actor
    return JourneyContext(
        agencies=uow.boards.agencies(actor.board_id),
        name=actor.name,
        agency=actor.agency,
        email=uow.boards.email_of(actor.user_id) or "",
        partners=rule_pack(uow.boards.rule_pack(actor.board_id) or DEFAULT_RULE_PACK).rapid_review,
    )


def get_draft(query: GetDraft, uow: ReferralUnitOfWork) -> Draft:
    with uow:
        return _own(uow, query.actor, query.draft_id)


def list_drafts(query: ListDrafts, uow: ReferralUnitOfWork) -> Page[Draft]:
    with uow:
        return uow.drafts.list(
            query.actor.board_id, query.actor.user_id, page=query.page, per_page=query.per_page
        )


def save_draft(cmd: SaveDraft, uow: ReferralUnitOfWork) -> Draft:
    unknown = journey.unknown_keys(cmd.answers)
    if unknown:
        raise InvalidInput({"field": k, "message": "No question of the referral asks this"} for k in unknown)
    with uow:
        if cmd.draft_id is None:
            draft = uow.drafts.add(Draft(board_id=cmd.actor.board_id, user_id=cmd.actor.user_id))
        else:
            draft = _own(uow, cmd.actor, cmd.draft_id)
        answers = dict(cmd.answers)
        if journey.CHILD in answers:
            child = answers.pop(journey.CHILD) or {}
            given = {k: child.get(k) or None for k in journey.CHILD_FIELDS}
            draft.child = Child(**given) if any(given.values()) else None
        draft.answers = journey.tidy({**draft.answers, **answers})
        draft.updated_at = now()
        uow.drafts.announce(draft, draft_saved(draft, cmd.actor))
        uow.commit()
    return draft


def submit_draft(cmd: SubmitDraft, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        draft = _own(uow, cmd.actor, cmd.draft_id)
        answers = answers_of(draft)
        problems = journey.completeness_problems(answers)
        if problems:
            raise InvalidInput(problems)
        child = {k: v for k, v in answers[journey.CHILD].items() if v}
        referral = SubmitReferral(
            actor=cmd.actor,
            facts=journey.facts_from(answers),
            incident_on=date.fromisoformat(answers["incident_on"]),
            became_aware_on=date.fromisoformat(answers["became_aware_on"]),
            summary=answers["summary"],
            agencies_involved=list(answers["agencies_involved"]),
            referrer=dict(answers["referrer"]),
            child=child or None,
            home_board=answers.get(journey.HOME_BOARD) if answers[journey.LIVES_HERE] is False else None,
            other_boards=list(answers.get(journey.OTHER_BOARDS) or []),
        )
        case = new_case(referral, uow, clock())
        uow.drafts.remove(draft)
        uow.drafts.announce(draft, draft_discarded(draft, submitted=True))
        uow.commit()
    return case


def discard_draft(cmd: DiscardDraft, uow: ReferralUnitOfWork) -> None:
    with uow:
        draft = _own(uow, cmd.actor, cmd.draft_id)
        uow.drafts.remove(draft)
        uow.drafts.announce(draft, draft_discarded(draft, submitted=False))
        uow.commit()
