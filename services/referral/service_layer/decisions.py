"""Handlers of the decision: recorded, challenged, changed or kept after a challenge.

The decision is the Chair's (003 checklist) or, under ``wt2018``/``wt2023``, the safeguarding
partners' (Children Act 2004 s.16F(1)), recorded by the user with the Chair role. The Chair named
in letters and events is always that Chair: an admin recording the decision for them names them
(``chair``), and is kept as whoever recorded it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from services.referral.adapters.store import Case, Challenge, Confirmation, Decision, LeadReviewer, now
from services.referral.domain import case as rules
from services.referral.domain import decision as decisions
from services.referral.domain import rapid_review
from services.referral.domain.screening import rule_pack
from services.referral.service_layer import events
from services.referral.service_layer.cases import load_case, note
from services.referral.service_layer.messages import (
    ChangeDecision,
    ConfirmDecision,
    DecisionInput,
    RecordChallenge,
    RecordDecision,
)
from services.referral.service_layer.problems import merged
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.auth.principal import Principal
from shared.errors import Conflict, InvalidInput

Clock = Callable[[], date]
CHAIR_ROLE = "chair"


def named_chair(
    uow: ReferralUnitOfWork, actor: Principal, chair: str | None, problems: list[dict[str, Any]]
) -> tuple[str, str] | None:
    """The Chair who made the decision: (user id, name). A problem naming ``chair`` otherwise.

    A member with the Chair role records their own decision; anyone else recording it for the
    Chair (an admin) names the Chair, by user id or email address.
    """
    if any(p.get("field") == "chair" for p in problems):
        return None  # refused by the input layer already
    if chair is None:
        if actor.has_any({CHAIR_ROLE}):
            return actor.user_id, actor.name
        problems.append(
            {
                "field": "chair",
                "message": "Name the Chair who made the decision: you are recording it for them,"
                " and letters name the Chair",
            }
        )
        return None
    found = uow.boards.find_chair(actor.board_id, chair)
    if found is None:
        problems.append({"field": "chair", "message": "Name a member of this board who has the Chair role"})
    return found


def _checked(
    uow: ReferralUnitOfWork, case: Case, cmd: DecisionInput, today: date
) -> tuple[decisions.DecisionFacts, decisions.DecisionCheck, tuple[str, str]]:
    facts = cmd.facts()
    check = decisions.check_decision(
        facts,
        pack=rule_pack(case.rule_pack),
        scr_required=case.screening["scr_required"],
        board_notified_on=case.board_notified_on,
        today=today,
        board_agencies=uow.boards.agencies(case.board_id),
    )
    problems = merged(cmd.problems, check.problems)
    chair = named_chair(uow, cmd.actor, cmd.chair, problems)
    if problems:
        raise InvalidInput(problems)
    assert chair is not None
    return facts, check, chair


def _decision(
    decision_id: str,
    facts: decisions.DecisionFacts,
    check: decisions.DecisionCheck,
    cmd: DecisionInput,
    chair: tuple[str, str],
    previous: str | None = None,
) -> Decision:
    assert facts.outcome is not None and facts.decided_on is not None
    return Decision(
        decision_id=decision_id,
        outcome=facts.outcome,
        decided_on=facts.decided_on,
        initiated_on=facts.initiated_on,
        rationale=(facts.rationale or "").strip(),
        lead_reviewers=[
            LeadReviewer(
                name=r.name,
                organisation=r.organisation,
                email=r.email,
                agency=r.agency,
                qualifications=r.qualifications,
                declarations=dict(r.declarations),
            )
            for r in facts.lead_reviewers
        ],
        case_factors=list(facts.case_factors),
        context_factors=list(facts.context_factors),
        method=facts.method,
        panel_scrutiny=check.panel_scrutiny,
        chair_id=chair[0],
        chair_name=chair[1],
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
        if cmd.decision_id is not None and case.decision and case.decision.decision_id == cmd.decision_id:
            return case  # this request's first run recorded it, then its process died
        rules.check_transition(case.status, rules.DECIDED)
        pack = rule_pack(case.rule_pack)
        rapid_review.check_before_decision(
            pack, case.screening["notifiable_grounds"], case.rapid_review is not None
        )
        facts, check, chair = _checked(uow, case, cmd, clock())
        if cmd.check_only:
            return case  # leaving the unit of work uncommitted writes nothing
        case.decision = _decision(cmd.decision_id or str(uuid.uuid4()), facts, check, cmd, chair)
        detail = case.decision.outcome.replace("_", " ")
        if check.panel_scrutiny:
            detail += " (an SCR was required: flagged for National Panel scrutiny)"
        if chair[0] != cmd.actor.user_id:
            detail += f", recorded for {chair[1]}"
        note(case, cmd.actor, "decision recorded", to_status=rules.DECIDED, detail=detail)
        case.raise_event(events.decision_recorded(case), producer=events.PRODUCER)
        _appoint_reviewers(case)
        uow.commit()
    return case


def _open_challenges(case: Case) -> list[Challenge]:
    """The challenges to the decision not yet answered by a change or by keeping it."""
    if case.decision is None:
        return []
    return [c for c in case.challenges if not c.before_decision and not c.outcome]


def record_challenge(cmd: RecordChallenge, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    """A challenge to the decision; a peer challenge may be sought while the Chair is still
    considering it (003 checklist: "when considering this decision")."""
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        if case.decision is None and cmd.challenged_by != "peer":
            raise Conflict(
                "There is no decision to challenge yet: before the decision, only a peer challenge"
                " can be recorded",
                field="challenged_by",
            )
        earliest = case.decision.decided_on if case.decision else case.board_notified_on
        if cmd.challenged_on < earliest or cmd.challenged_on > clock():
            between = "the decision" if case.decision else "the board being notified"
            raise InvalidInput(
                [
                    {
                        "field": "challenged_on",
                        "message": f"The challenge must fall between {between} and today",
                    }
                ]
            )
        challenge = Challenge(
            challenge_id=str(uuid.uuid4()),
            challenged_by=cmd.challenged_by,
            challenged_on=cmd.challenged_on,
            summary=cmd.summary,
            recorded_by=cmd.actor.user_id,
            before_decision=case.decision is None,
        )
        case.challenges.append(challenge)
        who = cmd.challenged_by.replace("_", " ")
        if case.decision is None:
            note(case, cmd.actor, f"{who} challenge sought before the decision")
        else:
            note(case, cmd.actor, f"decision challenged by {who}")
            case.raise_event(events.decision_challenged(case, challenge), producer=events.PRODUCER)
        uow.commit()
    return case


def change_decision(cmd: ChangeDecision, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        open_challenges = _open_challenges(case)
        if case.decision is None or not open_challenges:
            raise Conflict("A decision changes only after a challenge is recorded", field="challenges")
        facts, check, chair = _checked(uow, case, cmd, clock())
        previous = case.decision.outcome
        if facts.outcome == previous:
            raise InvalidInput(
                [
                    {
                        "field": "outcome",
                        "message": "The outcome is the same as before: to keep the decision, confirm it",
                    }
                ]
            )
        if cmd.check_only:
            return case
        for c in open_challenges:
            c.outcome = "decision changed"
        kept_before = list(case.decision.confirmations)
        case.decision = _decision(case.decision.decision_id, facts, check, cmd, chair, previous)
        case.decision.confirmations = kept_before
        note(
            case,
            cmd.actor,
            "decision changed after challenge",
            detail=f"{previous.replace('_', ' ')} -> {case.decision.outcome.replace('_', ' ')}",
        )
        case.raise_event(events.decision_changed(case), producer=events.PRODUCER)
        _appoint_reviewers(case)
        uow.commit()
    return case


def confirm_decision(cmd: ConfirmDecision, uow: ReferralUnitOfWork, clock: Clock) -> Case:
    """After a challenge the board keeps its decision; Ofsted, the DfE and the Panel are told the
    final outcome as for a changed one (003 checklist)."""
    with uow:
        case = load_case(uow, cmd.actor, cmd.case_id)
        open_challenges = _open_challenges(case)
        if case.decision is None or not open_challenges:
            raise Conflict("A decision is kept only after a challenge to it is recorded", field="challenges")
        latest = max(c.challenged_on for c in open_challenges)
        problems = merged(
            cmd.problems,
            decisions.confirmation_problems(
                confirmed_on=cmd.confirmed_on, rationale=cmd.rationale, challenged_on=latest, today=clock()
            ),
        )
        chair = named_chair(uow, cmd.actor, cmd.chair, problems)
        if problems:
            raise InvalidInput(problems)
        if cmd.check_only:
            return case
        assert chair is not None and cmd.confirmed_on is not None
        for c in open_challenges:
            c.outcome = "decision kept"
        confirmation = Confirmation(
            confirmed_on=cmd.confirmed_on,
            rationale=(cmd.rationale or "").strip(),
            challenged_by=open_challenges[-1].challenged_by,
            chair_name=chair[1],
            recorded_by=cmd.actor.user_id,
            recorded_at=now(),
        )
        case.decision.confirmations.append(confirmation)
        note(case, cmd.actor, "decision kept after challenge", detail=case.decision.outcome.replace("_", " "))
        case.raise_event(events.decision_confirmed(case, confirmation), producer=events.PRODUCER)
        uow.commit()
    return case
