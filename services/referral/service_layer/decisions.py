"""Handlers of the Chair's decision: recorded, challenged, changed after a challenge."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from services.referral.adapters.store import Case, Challenge, Decision, LeadReviewer, now
from services.referral.domain import case as rules
from services.referral.service_layer import events
from services.referral.service_layer.cases import load_case, note
from services.referral.service_layer.messages import (
    ChangeDecision,
    DecisionInput,
    RecordChallenge,
    RecordDecision,
)
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.errors import Conflict, InvalidInput

Clock = Callable[[], date]


def _checked(
    uow: ReferralUnitOfWork, case: Case, cmd: DecisionInput, today: date
) -> tuple[rules.DecisionFacts, rules.DecisionCheck]:
    facts = cmd.facts()
    agencies = uow.boards.agencies(case.board_id)
    check = rules.check_decision(
        facts,
        scr_required=case.screening["scr_required"],
        board_notified_on=case.board_notified_on,
        today=today,
        involved_agencies={code: agencies.get(code, code) for code in case.agencies_involved},
    )
    if check.problems:
        raise InvalidInput(check.problems)
    return facts, check


def _decision(
    decision_id: str,
    facts: rules.DecisionFacts,
    check: rules.DecisionCheck,
    cmd: DecisionInput,
    previous: str | None = None,
) -> Decision:
    return Decision(
        decision_id=decision_id,
        outcome=facts.outcome,
        decided_on=facts.decided_on,
        initiated_on=facts.initiated_on,
        rationale=facts.rationale,
        lead_reviewers=[
            LeadReviewer(name=r.name, organisation=r.organisation, email=r.email)
            for r in facts.lead_reviewers
        ],
        case_factors=list(facts.case_factors),
        context_factors=list(facts.context_factors),
        panel_scrutiny=check.panel_scrutiny,
        recorded_by=cmd.actor.user_id,
        recorded_by_name=cmd.actor.name,
        recorded_at=now(),
        previous_outcome=previous,
    )


def _appoint_reviewers(case: Case) -> None:
    appointed = events.reviewers_appointed(case)
    if appointed is not None:
        case.raise_event(appointed, producer=events.PRODUCER)


def record_decision(cmd: RecordDecision, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        rules.check_transition(case.status, rules.DECIDED)
        facts, check = _checked(uow, case, cmd, clock())
        case.decision = _decision(str(uuid.uuid4()), facts, check, cmd)
        detail = facts.outcome.replace("_", " ")
        if check.panel_scrutiny:
            detail += " (an SCR was required: flagged for National Panel scrutiny)"
        note(case, cmd.actor, "decision recorded", to_status=rules.DECIDED, detail=detail)
        case.raise_event(events.decision_recorded(case), producer=events.PRODUCER)
        _appoint_reviewers(case)
        uow.commit()
    return case


def record_challenge(cmd: RecordChallenge, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        if case.decision is None:
            raise Conflict("There is no decision to challenge yet", field="status")
        if cmd.challenged_on < case.decision.decided_on or cmd.challenged_on > clock():
            raise InvalidInput(
                [
                    {
                        "field": "challenged_on",
                        "message": "The challenge must fall between the decision and today",
                    }
                ]
            )
        challenge = Challenge(
            challenge_id=str(uuid.uuid4()),
            challenged_by=cmd.challenged_by,
            challenged_on=cmd.challenged_on,
            summary=cmd.summary,
            recorded_by=cmd.actor.user_id,
        )
        case.challenges.append(challenge)
        note(case, cmd.actor, f"decision challenged by {cmd.challenged_by.replace('_', ' ')}")
        case.raise_event(events.decision_challenged(case, challenge), producer=events.PRODUCER)
        uow.commit()
    return case


def change_decision(cmd: ChangeDecision, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        open_challenges = [c for c in case.challenges if not c.outcome]
        if case.decision is None or not open_challenges:
            raise Conflict("A decision changes only after a challenge is recorded", field="challenges")
        facts, check = _checked(uow, case, cmd, clock())
        previous = case.decision.outcome
        if facts.outcome == previous:
            raise InvalidInput([{"field": "outcome", "message": "The outcome is the same as before"}])
        for c in open_challenges:
            c.outcome = "decision changed"
        case.decision = _decision(case.decision.decision_id, facts, check, cmd, previous)
        note(
            case,
            cmd.actor,
            "decision changed after challenge",
            detail=f"{previous.replace('_', ' ')} -> {facts.outcome.replace('_', ' ')}",
        )
        case.raise_event(events.decision_changed(case), producer=events.PRODUCER)
        _appoint_reviewers(case)
        uow.commit()
    return case
