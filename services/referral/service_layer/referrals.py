"""Handlers of referrals: a referral becomes a screened case awaiting the decision.

The board's rule pack decides the screening; the case keeps that pack for life (it travels in
every event as ``rule_pack``), even if the board changes its own later, so every service applies
the same pack to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.referral.adapters.store import Case, Child, Referrer
from services.referral.domain import case as rules
from services.referral.domain.decision import deciders
from services.referral.domain.referral import referral_problems
from services.referral.domain.screening import DEFAULT_RULE_PACK, Screening, rule_pack, screen
from services.referral.service_layer import events
from services.referral.service_layer.cases import note
from services.referral.service_layer.messages import Screen, SubmitReferral
from services.referral.service_layer.problems import merged
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.errors import InvalidInput

Clock = Callable[[], date]


def rule_pack_of(uow: ReferralUnitOfWork, board_id: str) -> str:
    return uow.boards.rule_pack(board_id) or DEFAULT_RULE_PACK


def screen_facts(query: Screen, uow: ReferralUnitOfWork) -> Screening:
    return screen(query.facts, query.rule_pack or rule_pack_of(uow, query.actor.board_id))


def submit_referral(cmd: SubmitReferral, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        if cmd.case_id is not None:
            saved = uow.cases.get(cmd.actor.board_id, cmd.case_id)
            if saved is not None:  # this request's first run saved it, then its process died
                return saved
        case = new_case(cmd, uow, clock())
        uow.commit()
    return case


def new_case(cmd: SubmitReferral, uow: ReferralUnitOfWork, on: date) -> Case:
    """Check and screen the referral; add the new case, with its events, to the unit of work.

    :class:`InvalidInput` lists every problem at once: those the input layer found
    (``cmd.problems``) and the referral's own, cross-field ones included.
    """
    board_id = cmd.actor.board_id
    agencies = uow.boards.agencies(board_id)
    refused = {str(p.get("field") or "").split(".")[0] for p in cmd.problems}
    notified = None if "board_notified_on" in refused else (cmd.board_notified_on or on)
    problems = merged(
        cmd.problems,
        referral_problems(
            incident_on=cmd.incident_on,
            became_aware_on=cmd.became_aware_on,
            board_notified_on=notified,
            agencies_involved=cmd.agencies_involved,
            referrer_agency=(cmd.referrer or {}).get("agency"),
            board_agencies=agencies,
            today=on,
            summary=cmd.summary,
            child=None if "child" in refused else cmd.child,
            home_board=cmd.home_board,
            other_boards=cmd.other_boards,
            board_name=uow.boards.name(board_id),
            check_referrer=cmd.referrer is not None,
        ),
    )
    if problems:
        raise InvalidInput(problems)
    assert cmd.facts and cmd.incident_on and cmd.became_aware_on and notified and cmd.referrer
    pack = rule_pack(rule_pack_of(uow, board_id))
    screening = pack.evaluate(cmd.facts).as_dict()
    home_board = (cmd.home_board or "").strip() or None
    other_boards = list(dict.fromkeys(b.strip() for b in cmd.other_boards if b.strip() != home_board))
    screening["reasons"] += [r.as_dict() for r in pack.cross_border_reasons(home_board, other_boards)]
    case = Case(
        **({"case_id": cmd.case_id} if cmd.case_id else {}),
        board_id=board_id,
        reference=uow.cases.next_reference(board_id, on.year),
        status=rules.REFERRED,
        rule_pack=pack.id,
        facts=cmd.facts.as_dict(),
        screening=screening,
        incident_on=cmd.incident_on,
        became_aware_on=cmd.became_aware_on,
        board_notified_on=notified,
        summary=(cmd.summary or "").strip(),
        agencies_involved=list(dict.fromkeys(cmd.agencies_involved or ())),
        home_board=home_board,
        other_boards=other_boards,
        referrer=Referrer(**cmd.referrer),
        referring_agency=cmd.actor.agency or cmd.referrer["agency"],
        child=Child(**cmd.child) if cmd.child else None,
        submitted_by=cmd.actor.user_id,
    )
    note(case, cmd.actor, "referral submitted", detail=f"by {cmd.referrer['agency']}")
    note(case, None, "screened", to_status=rules.SCREENED, detail=f"{screening['recommended']} recommended")
    note(case, None, f"awaiting {deciders(pack)} decision", to_status=rules.AWAITING_DECISION)
    case.raise_event(events.referral_submitted(case), producer=events.PRODUCER)
    case.raise_event(events.case_screened(case), producer=events.PRODUCER)
    uow.cases.add(case)
    return case
