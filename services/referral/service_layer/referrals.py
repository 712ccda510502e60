"""Handlers of referrals: a referral becomes a screened case awaiting the Chair's decision.

The board's rule pack decides the screening; the case and its events carry the pack's name,
so the scheduler applies the same pack's deadlines.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.referral.adapters.store import Case, Child, Referrer
from services.referral.domain import case as rules
from services.referral.domain.referral import referral_problems
from services.referral.domain.screening import DEFAULT_RULE_PACK, Screening, screen
from services.referral.service_layer import events
from services.referral.service_layer.cases import note
from services.referral.service_layer.messages import Screen, SubmitReferral
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.errors import InvalidInput

Clock = Callable[[], date]


def rule_pack_of(uow: ReferralUnitOfWork, board_id: str) -> str:
    return uow.boards.rule_pack(board_id) or DEFAULT_RULE_PACK


def screen_facts(query: Screen, uow: ReferralUnitOfWork) -> Screening:
    return screen(query.facts, rule_pack_of(uow, query.actor.board_id))


def submit_referral(cmd: SubmitReferral, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        case = new_case(cmd, uow, clock())
        uow.commit()
    return case


def new_case(cmd: SubmitReferral, uow: ReferralUnitOfWork, on: date) -> Case:
    """Check and screen the referral; add the new case, with its events, to the unit of work."""
    board_id = cmd.actor.board_id
    agencies = uow.boards.agencies(board_id)
    notified = cmd.board_notified_on or on
    problems = referral_problems(
        incident_on=cmd.incident_on,
        became_aware_on=cmd.became_aware_on,
        board_notified_on=notified,
        agencies_involved=cmd.agencies_involved,
        referrer_agency=cmd.referrer.get("agency"),
        board_agencies=agencies,
        today=on,
    )
    if problems:
        raise InvalidInput(problems)
    screening = screen(cmd.facts, rule_pack_of(uow, board_id)).as_dict()
    case = Case(
        board_id=board_id,
        reference=uow.cases.next_reference(board_id, on.year),
        status=rules.REFERRED,
        rule_pack=screening["rule_pack"],
        facts=cmd.facts.as_dict(),
        screening=screening,
        incident_on=cmd.incident_on,
        became_aware_on=cmd.became_aware_on,
        board_notified_on=notified,
        summary=cmd.summary,
        agencies_involved=list(dict.fromkeys(cmd.agencies_involved)),
        referrer=Referrer(**cmd.referrer),
        referring_agency=cmd.actor.agency or cmd.referrer["agency"],
        child=Child(**cmd.child) if cmd.child else None,
        submitted_by=cmd.actor.user_id,
    )
    note(case, cmd.actor, "referral submitted", detail=f"by {cmd.referrer['agency']}")
    note(case, None, "screened", to_status=rules.SCREENED, detail=f"{screening['recommended']} recommended")
    note(case, None, "awaiting the Chair's decision", to_status=rules.AWAITING_DECISION)
    case.raise_event(events.referral_submitted(case), producer=events.PRODUCER)
    case.raise_event(events.case_screened(case), producer=events.PRODUCER)
    uow.cases.add(case)
    return case
