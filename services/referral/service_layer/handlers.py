"""Handlers of the referral service: one function per command or event.

Each command takes the caller (a :class:`Principal`) and applies the record-level
rules: a board sees only its own cases, and agency staff only their agency's
referrals and what the business unit shared with them. A case the caller may
not see is reported as not found, so its existence does not leak.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from mongoengine import Q
from mongoengine.errors import SaveConditionError

from services.referral.adapters.store import (
    Case,
    Challenge,
    Child,
    Decision,
    HistoryEntry,
    LeadReviewer,
    NextDeadline,
    Referrer,
    next_reference,
    now,
)
from services.referral.domain import case as rules
from services.referral.domain.screening import Facts, screen
from shared.auth.models import Agency, Board
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Event
from shared.framework import today_in_england

PRODUCER = "referral"


today = today_in_england


@dataclass
class SubmitReferral:
    facts: Facts
    incident_on: date
    became_aware_on: date
    summary: str
    agencies_involved: list[str]
    referrer: dict
    board_notified_on: date | None = None
    child: dict | None = None


def board_agencies(board_id: str) -> dict[str, str]:
    return {a.code: a.name for a in Agency.objects(board_id=board_id)}


def _history(case: Case, principal: Principal | None, action: str, to_status=None, detail=None):
    case.history.append(
        HistoryEntry(
            at=now(),
            actor=principal.name if principal else "system",
            action=action,
            from_status=case.status if to_status else None,
            to_status=to_status,
            detail=detail,
        )
    )
    if to_status:
        case.status = to_status


def check_referral(cmd: SubmitReferral, agencies: dict[str, str], on: date) -> list[dict]:
    problems = []
    notified = cmd.board_notified_on or on
    for name in ("incident_on", "became_aware_on", "board_notified_on"):
        value = notified if name == "board_notified_on" else getattr(cmd, name)
        if value > on:
            problems.append({"field": name, "message": "The date cannot be in the future"})
    if cmd.became_aware_on < cmd.incident_on:
        problems.append(
            {
                "field": "became_aware_on",
                "message": "The local authority cannot have become aware before the incident",
            }
        )
    if notified < cmd.became_aware_on:
        problems.append(
            {
                "field": "board_notified_on",
                "message": "The board cannot have been notified before the local authority became aware",
            }
        )
    for i, code in enumerate(cmd.agencies_involved):
        if code not in agencies:
            problems.append(
                {"field": f"agencies_involved.{i}", "message": f"{code!r} is not an agency of this board"}
            )
    if cmd.referrer.get("agency") not in agencies:
        problems.append({"field": "referrer.agency", "message": "Choose an agency of this board"})
    return problems


def submit_referral(cmd: SubmitReferral, principal: Principal) -> Case:
    on = today()
    board = Board.objects(board_id=principal.board_id).first()
    agencies = board_agencies(principal.board_id)
    problems = check_referral(cmd, agencies, on)
    if problems:
        raise InvalidInput(problems)
    result = screen(cmd.facts, board.rule_pack if board else "wt2015")
    screening = result.as_dict()
    case = Case(
        board_id=principal.board_id,
        reference=next_reference(principal.board_id, on.year),
        status=rules.REFERRED,
        rule_pack=screening["rule_pack"],
        facts=cmd.facts.as_dict(),
        screening=screening,
        incident_on=cmd.incident_on,
        became_aware_on=cmd.became_aware_on,
        board_notified_on=cmd.board_notified_on or on,
        summary=cmd.summary,
        agencies_involved=list(dict.fromkeys(cmd.agencies_involved)),
        referrer=Referrer(**cmd.referrer),
        referring_agency=principal.agency or cmd.referrer["agency"],
        child=Child(**cmd.child) if cmd.child else None,
        submitted_by=principal.user_id,
    )
    _history(case, principal, "referral submitted", detail=f"by {cmd.referrer['agency']}")
    _history(
        case, None, "screened", to_status=rules.SCREENED, detail=f"{screening['recommended']} recommended"
    )
    _history(case, None, "awaiting the Chair's decision", to_status=rules.AWAITING_DECISION)
    ids = {"case_id": case.case_id, "board_id": case.board_id}
    case.raise_event(
        "referral.submitted",
        {
            **ids,
            "reference": case.reference,
            "rule_pack": case.rule_pack,
            "incident_on": case.incident_on,
            "became_aware_on": case.became_aware_on,
            "board_notified_on": case.board_notified_on,
            "notifiable": screening["notifiable"],
            "scr_required": screening["scr_required"],
            "recommended": screening["recommended"],
            "agencies_involved": case.agencies_involved,
        },
        producer=PRODUCER,
    )
    case.raise_event(
        "case.screened",
        {
            **ids,
            "rule_pack": case.rule_pack,
            "notifiable": screening["notifiable"],
            "notifiable_grounds": screening["notifiable_grounds"],
            "scr_required": screening["scr_required"],
            "scr_grounds": screening["scr_grounds"],
            "recommended": screening["recommended"],
        },
        producer=PRODUCER,
    )
    case.save(force_insert=True)
    return case


# -- reading ----------------------------------------------------------------------------


def visible_cases(principal: Principal):
    qs = Case.objects(board_id=principal.board_id)
    if principal.agency_only:
        qs = qs.filter(Q(referring_agency=principal.agency) | Q(shared_with=principal.agency))
    return qs


def get_case(principal: Principal, case_id: str) -> Case:
    case = visible_cases(principal).filter(case_id=case_id).first()
    if case is None:
        raise NotFound("There is no case with this id", field="case_id")
    return case


def list_cases(principal: Principal, status=None, review_kind=None, overdue=None):
    qs = visible_cases(principal)
    if status:
        qs = qs.filter(status=status)
    if review_kind:
        qs = qs.filter(decision__outcome=review_kind)
    if overdue is True:
        qs = qs.filter(next_deadline__status="overdue")
    elif overdue is False:
        qs = qs.filter(next_deadline__status__ne="overdue")
    return qs.order_by("-created_at")


# -- the Chair's decision ---------------------------------------------------------------


@dataclass
class RecordDecision:
    outcome: str
    decided_on: date
    rationale: str
    lead_reviewers: list[dict] = field(default_factory=list)
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
            lead_reviewers=tuple(rules.Reviewer(**r) for r in self.lead_reviewers),
            case_factors=tuple(self.case_factors),
            context_factors=tuple(self.context_factors),
        )


def _checked(case: Case, cmd: RecordDecision) -> tuple[rules.DecisionFacts, rules.DecisionCheck]:
    facts = cmd.facts()
    agencies = board_agencies(case.board_id)
    check = rules.check_decision(
        facts,
        scr_required=case.screening["scr_required"],
        board_notified_on=case.board_notified_on,
        today=today(),
        involved_agencies={code: agencies.get(code, code) for code in case.agencies_involved},
    )
    if check.problems:
        raise InvalidInput(check.problems)
    return facts, check


def _new_decision(
    decision_id: str,
    facts: rules.DecisionFacts,
    check: rules.DecisionCheck,
    cmd: RecordDecision,
    principal: Principal,
    previous: str | None = None,
) -> Decision:
    return Decision(
        decision_id=decision_id,
        outcome=facts.outcome,
        decided_on=facts.decided_on,
        initiated_on=facts.initiated_on,
        rationale=facts.rationale,
        lead_reviewers=[LeadReviewer(**r) for r in cmd.lead_reviewers],
        case_factors=list(facts.case_factors),
        context_factors=list(facts.context_factors),
        panel_scrutiny=check.panel_scrutiny,
        recorded_by=principal.user_id,
        recorded_by_name=principal.name,
        recorded_at=now(),
        previous_outcome=previous,
    )


def _decision_events(case: Case, decision: Decision, event_type: str, previous: str | None) -> None:
    reviewers = [
        {"name": r.name, "organisation": r.organisation, "role": "lead_reviewer"}
        for r in decision.lead_reviewers
    ]
    ids = {"case_id": case.case_id, "board_id": case.board_id, "decision_id": decision.decision_id}
    common = {
        "rule_pack": case.rule_pack,
        "outcome": decision.outcome,
        "decided_on": decision.decided_on,
        "initiated_on": decision.initiated_on,
        "incident_on": case.incident_on,
    }
    if event_type == "decision.recorded":
        data = {
            **ids,
            **common,
            "scr_required": case.screening["scr_required"],
            "panel_scrutiny": decision.panel_scrutiny,
            "lead_reviewers": reviewers,
        }
    else:
        data = {**ids, **common, "previous_outcome": previous}
    case.raise_event(event_type, data, producer=PRODUCER)
    if reviewers:
        case.raise_event(
            "reviewer.appointed",
            {
                "case_id": case.case_id,
                "board_id": case.board_id,
                "review_kind": decision.outcome,
                "appointed_on": decision.decided_on,
                "reviewers": reviewers,
            },
            producer=PRODUCER,
        )


def _save_if_status(case: Case, expected: str) -> None:
    try:
        case.save(save_condition={"status": expected})
    except SaveConditionError:
        raise Conflict(
            "The case changed while you were working on it. Reload and try again.", field="status"
        ) from None


def record_decision(principal: Principal, case_id: str, cmd: RecordDecision) -> Case:
    case = get_case(principal, case_id)
    rules.check_transition(case.status, rules.DECIDED)
    facts, check = _checked(case, cmd)
    decision = _new_decision(str(uuid.uuid4()), facts, check, cmd, principal)
    expected = case.status
    case.decision = decision
    detail = facts.outcome.replace("_", " ")
    if check.panel_scrutiny:
        detail += " (an SCR was required: flagged for National Panel scrutiny)"
    _history(case, principal, "decision recorded", to_status=rules.DECIDED, detail=detail)
    _decision_events(case, decision, "decision.recorded", None)
    _save_if_status(case, expected)
    return case


def record_challenge(
    principal: Principal, case_id: str, challenged_by: str, challenged_on: date, summary: str
) -> Case:
    case = get_case(principal, case_id)
    if case.decision is None:
        raise Conflict("There is no decision to challenge yet", field="status")
    if challenged_on < case.decision.decided_on or challenged_on > today():
        raise InvalidInput(
            [{"field": "challenged_on", "message": "The challenge must fall between the decision and today"}]
        )
    challenge = Challenge(
        challenge_id=str(uuid.uuid4()),
        challenged_by=challenged_by,
        challenged_on=challenged_on,
        summary=summary,
        recorded_by=principal.user_id,
    )
    case.challenges.append(challenge)
    _history(case, principal, f"decision challenged by {challenged_by.replace('_', ' ')}")
    case.raise_event(
        "decision.challenged",
        {
            "case_id": case.case_id,
            "board_id": case.board_id,
            "decision_id": case.decision.decision_id,
            "challenged_by": challenged_by,
            "challenged_on": challenged_on,
        },
        producer=PRODUCER,
    )
    case.save()
    return case


def change_decision(principal: Principal, case_id: str, cmd: RecordDecision) -> Case:
    case = get_case(principal, case_id)
    open_challenges = [c for c in case.challenges if not c.outcome]
    if case.decision is None or not open_challenges:
        raise Conflict("A decision changes only after a challenge is recorded", field="challenges")
    facts, check = _checked(case, cmd)
    previous = case.decision.outcome
    if facts.outcome == previous:
        raise InvalidInput([{"field": "outcome", "message": "The outcome is the same as before"}])
    decision = _new_decision(case.decision.decision_id, facts, check, cmd, principal, previous)
    for c in open_challenges:
        c.outcome = "decision changed"
    case.decision = decision
    _history(
        case,
        principal,
        "decision changed after challenge",
        detail=f"{previous.replace('_', ' ')} -> {facts.outcome.replace('_', ' ')}",
    )
    _decision_events(case, decision, "decision.changed", previous)
    _save_if_status(case, case.status)
    return case


def change_status(principal: Principal, case_id: str, target: str, reason: str | None) -> Case:
    case = get_case(principal, case_id)
    if target == rules.DECIDED:
        raise Conflict("Record the Chair's decision to decide a case", field="status")
    rules.check_transition(case.status, target)
    expected = case.status
    _history(case, principal, "status changed", to_status=target, detail=reason)
    _save_if_status(case, expected)
    return case


def share_with_agency(principal: Principal, case_id: str, agency: str) -> Case:
    case = get_case(principal, case_id)
    if agency not in board_agencies(case.board_id):
        raise InvalidInput([{"field": "agency", "message": f"{agency!r} is not an agency of this board"}])
    Case.objects(case_id=case.case_id).update_one(add_to_set__shared_with=agency)
    case.reload()
    return case


# -- events from other services ----------------------------------------------------------


def apply_deadline_event(event: Event) -> None:
    """Keep the case's next deadline as the scheduler announces it (idempotent by event id)."""
    data = event.data
    status = "overdue" if event.event_type == "deadline.overdue" else "due_soon"
    updated = Case.objects(case_id=data["case_id"], applied_events__ne=event.event_id).update_one(
        set__next_deadline=NextDeadline(code=data["code"], due=data["due"], status=status),
        push__applied_events=event.event_id,
    )
    if not updated and Case.objects(case_id=data["case_id"]).first() is None:
        raise PermanentError(f"no case {data['case_id']}")
