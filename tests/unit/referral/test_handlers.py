"""The referral service's handlers on fakes: no store, no broker, no Flask.

Each test drives the message bus that ``bootstrap`` wires, with a fake unit of work and a
fixed clock, and checks what a user or another service would notice: the case, and the
events it published (received as typed payloads, as a consumer receives them).
"""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest

from services.referral.bootstrap import messagebus
from services.referral.domain.screening import Facts, screen
from services.referral.entrypoints.consumer import CONSUMERS, subscriptions
from services.referral.service_layer import messages as m
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.crypto import open_json
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import CATALOGUE, new_envelope, parse_envelope
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.referral import (
    CaseScreened,
    DecisionChallenged,
    DecisionChanged,
    DecisionRecorded,
    ReferralSubmitted,
    ReviewerAppointed,
)
from tests.unit.referral.fakes import FakeUnitOfWork

TODAY = date(2026, 3, 2)
BOARD = "wirral"
AGENCIES = {"police": "Merseyside Police", "health": "Wirral NHS", "education": "Schools"}
# An SCR lead reviewer as a record: qualified, and declaring none of the ties that would make
# them dependent (001 §5.6; 003 "Appointing reviewers").
INDEPENDENT_DECLARATIONS = {
    "works_for_involved_agency": False,
    "line_manages_involved_staff": False,
    "involved_in_case": False,
    "works_for_board_agency": False,
}
INDEPENDENT = {
    "name": "Dr R Independent",
    "organisation": "Independent Reviews Ltd",
    "email": None,
    "qualifications": "Accredited systems-approach lead reviewer",
    "declarations": INDEPENDENT_DECLARATIONS,
}


def actor(
    *roles: str, agency: str | None = None, board_id: str = BOARD, name: str = "Test User"
) -> Principal:
    return Principal(
        user_id=f"u-{name.lower().replace(' ', '-')}",
        name=name,
        board_id=board_id,
        roles=frozenset(roles),
        agency=agency,
    )


POLICE = actor("agency_practitioner", agency="police", name="Priya Shah")
HEALTH = actor("agency_practitioner", agency="health", name="Hana Health")
BUSINESS_UNIT = actor("business_unit", name="Bea Unit")
CHAIR = actor("chair", name="Charlotte Chair")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.boards.add_board(BOARD, AGENCIES)
    return fake


@pytest.fixture
def bus(uow):
    return messagebus(uow=uow, clock=lambda: TODAY)


def referral(who: Principal = POLICE, **overrides) -> m.SubmitReferral:
    fields = {
        "actor": who,
        "facts": Facts(child_died=True, abuse_or_neglect="suspected", interagency_concern="yes"),
        "incident_on": TODAY - timedelta(days=10),
        "became_aware_on": TODAY - timedelta(days=9),
        "board_notified_on": TODAY - timedelta(days=8),
        "summary": "Infant found unresponsive; police and health were involved.",
        "agencies_involved": ["police", "health"],
        "referrer": {"name": "Priya Shah", "agency": "police", "email": "priya@police.example.org"},
        "child": {"name": "Jane Doe", "date_of_birth": "2025-06-01", "nhs_number": "943 476 5919"},
    }
    return m.SubmitReferral(**{**fields, **overrides})


def decision(case_id: str, command=m.RecordDecision, **overrides):
    fields = {
        "actor": CHAIR,
        "case_id": case_id,
        "outcome": "serious_case_review",
        "decided_on": TODAY,
        "rationale": "The criteria for a Serious Case Review are met.",
        "lead_reviewers": [INDEPENDENT],
        "case_factors": ["legal_requirements"],
        "context_factors": ["public_interest"],
        "method": "intensive",
    }
    if overrides.get("outcome", "serious_case_review") != "serious_case_review":
        fields["method"] = None
    return command(**{**fields, **overrides})


# A decision for a learning review, naming no lead reviewer.
LEARNING_REVIEW = {
    "outcome": "learning_review",
    "lead_reviewers": [],
    "rationale": "A learning review of this family is already under way with the same agencies.",
}


def events_of(uow: FakeUnitOfWork, case_id: str) -> list:
    return [e for e in uow.published if e.data.case_id == case_id]


# -- a referral ------------------------------------------------------------------------------


def test_a_referral_becomes_a_screened_case_and_tells_the_other_services(bus, uow):
    case = bus.handle(referral())
    assert case.status == "awaiting_decision"
    assert case.reference == f"{BOARD.upper()}-2026-0001"
    assert bus.handle(referral()).reference == f"{BOARD.upper()}-2026-0002"

    submitted, screened = events_of(uow, case.case_id)
    assert (submitted.event_type, submitted.event_version) == ("referral.submitted", 2)
    assert isinstance(submitted.data, ReferralSubmitted)
    assert submitted.data.summary == "Infant found unresponsive; police and health were involved."
    assert submitted.data.referrer.email == "priya@police.example.org"
    assert submitted.data.board_notified_on == TODAY - timedelta(days=8)
    assert submitted.data.scr_required and submitted.data.recommended == "serious_case_review"
    assert open_json(submitted.data.child_sealed) == {
        "name": "Jane Doe",
        "date_of_birth": "2025-06-01",
        "nhs_number": "943 476 5919",
    }
    assert "Jane" not in str(submitted.raw)

    assert (screened.event_type, screened.event_version) == ("case.screened", 2)
    assert isinstance(screened.data, CaseScreened)
    expected = screen(referral().facts)
    assert screened.data.facts == referral().facts.as_dict()
    assert [(r.code, r.source) for r in screened.data.reasons] == [
        (r.code, r.source) for r in expected.reasons
    ]
    assert screened.data.scr_grounds == list(expected.scr_grounds)


def test_without_the_childs_details_nothing_is_sealed(bus, uow):
    case = bus.handle(referral(child=None))
    assert events_of(uow, case.case_id)[0].data.child_sealed is None


def test_an_invalid_referral_stores_nothing_and_names_every_field(bus, uow):
    with pytest.raises(InvalidInput) as exc:
        bus.handle(
            referral(
                became_aware_on=TODAY - timedelta(days=11),
                board_notified_on=TODAY + timedelta(days=1),
                agencies_involved=["police", "fire_brigade"],
                referrer={"name": "P", "agency": "coastguard", "email": "p@example.org"},
            )
        )
    assert {e["field"] for e in exc.value.errors()} == {
        "became_aware_on",
        "board_notified_on",
        "agencies_involved.1",
        "referrer.agency",
    }
    assert uow.cases.stored == {} and uow.published == [] and uow.commits == 0


def test_a_north_west_board_screens_by_wt2015_and_its_events_carry_the_north_west_pack(bus, uow):
    uow.boards.add_board("bolton", AGENCIES, rule_pack="wt2015-north-west")
    who = actor("business_unit", board_id="bolton")
    case = bus.handle(referral(who))
    assert case.rule_pack == "wt2015-north-west"
    assert case.screening["recommended"] == screen(referral().facts, "wt2015").recommended

    chair = actor("chair", board_id="bolton", name="Chair")
    bus.handle(decision(case.case_id, actor=chair))
    packs = {
        e.event_type: e.data.rule_pack for e in events_of(uow, case.case_id) if hasattr(e.data, "rule_pack")
    }
    assert packs == {
        "referral.submitted": "wt2015-north-west",
        "case.screened": "wt2015-north-west",
        "decision.recorded": "wt2015-north-west",
    }


def test_screening_without_a_case_uses_the_boards_pack(bus, uow):
    uow.boards.add_board("bolton", AGENCIES, rule_pack="wt2015-north-west")
    facts = Facts(abuse_or_neglect="suspected")
    assert bus.handle(m.Screen(actor=actor("chair", board_id="bolton"), facts=facts)).rule_pack == (
        "wt2015-north-west"
    )
    assert bus.handle(m.Screen(actor=CHAIR, facts=facts)).rule_pack == "wt2015"


# -- who sees what ---------------------------------------------------------------------------


def test_agency_staff_see_their_agencys_referrals_and_what_was_shared_with_them(bus):
    case = bus.handle(referral())
    assert bus.handle(m.GetCase(actor=POLICE, case_id=case.case_id)).case_id == case.case_id
    with pytest.raises(NotFound):
        bus.handle(m.GetCase(actor=HEALTH, case_id=case.case_id))
    assert bus.handle(m.ListCases(actor=HEALTH)).items == []
    with pytest.raises(NotFound):
        bus.handle(m.GetCase(actor=actor("business_unit", board_id="elsewhere"), case_id=case.case_id))

    shared = bus.handle(m.ShareCase(actor=BUSINESS_UNIT, case_id=case.case_id, agency="health"))
    assert shared.shared_with == ["health"]
    assert [c.case_id for c in bus.handle(m.ListCases(actor=HEALTH)).items] == [case.case_id]
    with pytest.raises(InvalidInput):
        bus.handle(m.ShareCase(actor=BUSINESS_UNIT, case_id=case.case_id, agency="coastguard"))


# -- the Chair's decision ----------------------------------------------------------------------


def test_a_decision_tells_the_others_what_was_decided_by_whom_and_why(bus, uow):
    case = bus.handle(referral())
    decided = bus.handle(decision(case.case_id))
    assert decided.status == "decided" and decided.decision.recorded_by_name == "Charlotte Chair"

    recorded, appointed = events_of(uow, case.case_id)[-2:]
    assert isinstance(recorded.data, DecisionRecorded) and recorded.event_version == 2
    assert recorded.data.rationale == "The criteria for a Serious Case Review are met."
    assert recorded.data.chair_name == "Charlotte Chair"
    assert recorded.data.case_factors == ["legal_requirements"]
    assert recorded.data.context_factors == ["public_interest"]
    assert [(r.name, r.organisation, r.role) for r in recorded.data.lead_reviewers] == [
        ("Dr R Independent", "Independent Reviews Ltd", "lead_reviewer")
    ]
    assert recorded.data.initiated_on == TODAY and recorded.data.incident_on == TODAY - timedelta(days=10)
    assert isinstance(appointed.data, ReviewerAppointed)
    assert appointed.data.review_kind == "serious_case_review" and appointed.data.appointed_on == TODAY


def test_no_reviewer_named_means_none_appointed(bus, uow):
    case = bus.handle(referral())
    bus.handle(decision(case.case_id, **LEARNING_REVIEW))
    assert [e.event_type for e in events_of(uow, case.case_id)][-1] == "decision.recorded"


def test_at_most_three_lead_reviewers(bus, uow):
    case = bus.handle(referral())
    four = [{**INDEPENDENT, "name": f"Dr {n}"} for n in "ABCD"]
    with pytest.raises(InvalidInput) as exc:
        bus.handle(decision(case.case_id, lead_reviewers=four))
    assert [e["field"] for e in exc.value.errors()] == ["lead_reviewers"]
    assert bus.handle(m.GetCase(actor=CHAIR, case_id=case.case_id)).decision is None
    assert bus.handle(decision(case.case_id, lead_reviewers=four[:3])).status == "decided"


def test_a_refused_decision_changes_nothing(bus, uow):
    case = bus.handle(referral())
    published = len(uow.published)
    with pytest.raises(InvalidInput):
        bus.handle(decision(case.case_id, decided_on=TODAY + timedelta(days=1)))
    stored = bus.handle(m.GetCase(actor=CHAIR, case_id=case.case_id))
    assert stored.status == "awaiting_decision" and stored.decision is None
    assert len(uow.published) == published


def test_a_challenge_then_a_changed_decision(bus, uow):
    case = bus.handle(referral())
    bus.handle(decision(case.case_id, **LEARNING_REVIEW))
    with pytest.raises(Conflict):  # no challenge yet
        bus.handle(decision(case.case_id, command=m.ChangeDecision))
    bus.handle(
        m.RecordChallenge(
            actor=CHAIR,
            case_id=case.case_id,
            challenged_by="national_panel",
            challenged_on=TODAY,
            summary="No.",
        )
    )
    changed = bus.handle(decision(case.case_id, command=m.ChangeDecision, rationale="The Panel is right."))
    assert changed.decision.previous_outcome == "learning_review"

    challenged, change, appointed = events_of(uow, case.case_id)[-3:]
    assert isinstance(challenged.data, DecisionChallenged)
    assert challenged.data.challenged_by == "national_panel"
    assert challenged.data.decision_id == change.data.decision_id
    assert isinstance(change.data, DecisionChanged) and change.event_version == 2
    assert (change.data.previous_outcome, change.data.outcome) == ("learning_review", "serious_case_review")
    assert change.data.rationale == "The Panel is right." and change.data.chair_name == "Charlotte Chair"
    assert change.data.scr_required is True
    assert appointed.event_type == "reviewer.appointed"


def test_status_moves_only_as_the_case_allows(bus):
    case = bus.handle(referral())
    with pytest.raises(Conflict):
        bus.handle(m.ChangeStatus(actor=BUSINESS_UNIT, case_id=case.case_id, status="decided"))
    bus.handle(decision(case.case_id))
    with pytest.raises(Conflict):
        bus.handle(m.ChangeStatus(actor=BUSINESS_UNIT, case_id=case.case_id, status="published"))
    moved = bus.handle(m.ChangeStatus(actor=BUSINESS_UNIT, case_id=case.case_id, status="in_review"))
    assert moved.status == "in_review" and moved.history[-1].to_status == "in_review"


# -- drafts ------------------------------------------------------------------------------------

ANSWERS = {
    "what_happened": "seriously_harmed",
    "custody_setting": "none",
    "detained_mental_health_act": False,
    "deprivation_of_liberty_order": False,
    "looked_after": False,
    "regulated_setting": "childminder",
    "abuse_or_neglect": "suspected",
    "interagency_concern": "unclear",
    "incident_on": (TODAY - timedelta(days=10)).isoformat(),
    "became_aware_on": (TODAY - timedelta(days=9)).isoformat(),
    "agencies_involved": ["police"],
    "child_lives_in_area": True,
    "referrer": {"name": "Priya Shah", "agency": "police", "email": "priya@police.example.org"},
    "summary": "Found injured at the childminder's.",
}


def test_a_draft_keeps_only_answers_to_questions_that_still_apply(bus, uow):
    draft = bus.handle(
        m.SaveDraft(
            actor=POLICE,
            answers={"what_happened": "died", "suspected_suicide": True, "custody_setting": "none"},
        )
    )
    again = bus.handle(
        m.SaveDraft(actor=POLICE, draft_id=draft.draft_id, answers={"what_happened": "neither"})
    )
    assert again.answers == {"what_happened": "neither"}
    assert uow.drafts.stored[draft.draft_id]["answers"] == {"what_happened": "neither"}


def test_a_draft_is_its_authors_alone(bus):
    draft = bus.handle(m.SaveDraft(actor=POLICE, answers={"what_happened": "died"}))
    colleague = actor("agency_practitioner", agency="police", name="Other Officer")
    for query in (
        m.GetDraft(actor=colleague, draft_id=draft.draft_id),
        m.SubmitDraft(actor=colleague, draft_id=draft.draft_id),
    ):
        with pytest.raises(NotFound):
            bus.handle(query)
    assert bus.handle(m.ListDrafts(actor=colleague)).items == []
    assert [d.draft_id for d in bus.handle(m.ListDrafts(actor=POLICE)).items] == [draft.draft_id]


def test_answers_no_question_asks_are_refused(bus, uow):
    with pytest.raises(InvalidInput) as exc:
        bus.handle(m.SaveDraft(actor=POLICE, answers={"what_happened": "died", "favourite_colour": "red"}))
    assert [e["field"] for e in exc.value.errors()] == ["favourite_colour"]
    assert uow.drafts.stored == {}


def test_a_draft_is_sent_once_every_question_that_applies_is_answered(bus, uow):
    draft = bus.handle(m.SaveDraft(actor=POLICE, answers={k: ANSWERS[k] for k in list(ANSWERS)[:8]}))
    with pytest.raises(InvalidInput) as exc:
        bus.handle(m.SubmitDraft(actor=POLICE, draft_id=draft.draft_id))
    assert [e["field"] for e in exc.value.errors()] == [
        "incident_on",
        "agencies_involved",
        "child_lives_in_area",
        "referrer",
        "summary",
    ]
    assert uow.cases.stored == {}

    bus.handle(
        m.SaveDraft(
            actor=POLICE,
            draft_id=draft.draft_id,
            answers={**ANSWERS, "child": {"name": "Jane Doe", "address": "", "nhs_number": None}},
        )
    )
    case = bus.handle(m.SubmitDraft(actor=POLICE, draft_id=draft.draft_id))
    assert case.facts["seriously_harmed"] and case.facts["regulated_setting"] == "childminder"
    assert case.child.name == "Jane Doe"
    assert uow.drafts.stored == {}  # sent: the draft is gone
    submitted = events_of(uow, case.case_id)[0]
    assert open_json(submitted.data.child_sealed) == {"name": "Jane Doe"}


def test_a_draft_that_breaks_the_referral_rules_stays_a_draft(bus, uow):
    draft = bus.handle(
        m.SaveDraft(
            actor=POLICE, answers={**ANSWERS, "became_aware_on": (TODAY - timedelta(days=20)).isoformat()}
        )
    )
    with pytest.raises(InvalidInput) as exc:
        bus.handle(m.SubmitDraft(actor=POLICE, draft_id=draft.draft_id))
    assert [e["field"] for e in exc.value.errors()] == ["became_aware_on"]
    assert uow.cases.stored == {} and draft.draft_id in uow.drafts.stored


def test_the_journey_knows_the_board_and_the_user(bus, uow):
    uow.boards.emails[POLICE.user_id] = "priya@police.example.org"
    ctx = bus.handle(m.DescribeJourney(actor=POLICE))
    assert (ctx.agencies, ctx.name, ctx.agency, ctx.email) == (
        AGENCIES,
        "Priya Shah",
        "police",
        "priya@police.example.org",
    )


# -- the scheduler's deadline events -------------------------------------------------------------


def deadline_event(event_class, case_id: str, due: date):
    payload = event_class(
        case_id=case_id, board_id=BOARD, deadline_id="d-1", code="scr_decision", due=due, concerns="chair"
    )
    return parse_envelope(new_envelope(payload, producer="scheduler"))


def test_the_deadline_listener_keeps_the_next_deadline_once_per_event(bus, uow):
    assert CONSUMERS == ("referral.deadlines",)
    (sub,) = subscriptions({"uow": uow})
    assert sub.consumer == "referral.deadlines"
    assert set(sub.event_types) == {DeadlineDueSoon.event_type, DeadlineOverdue.event_type}

    case = bus.handle(referral())
    soon = deadline_event(DeadlineDueSoon, case.case_id, TODAY + timedelta(days=2))
    sub.handler(soon)
    overdue = deadline_event(DeadlineOverdue, case.case_id, TODAY - timedelta(days=1))
    sub.handler(overdue)
    sub.handler(soon)  # a repeat, delivered late, changes nothing
    stored = bus.handle(m.GetCase(actor=CHAIR, case_id=case.case_id))
    assert (stored.next_deadline.status, stored.next_deadline.due) == ("overdue", TODAY - timedelta(days=1))
    assert [c.case_id for c in bus.handle(m.ListCases(actor=CHAIR, overdue=True)).items] == [case.case_id]

    with pytest.raises(PermanentError):
        sub.handler(deadline_event(DeadlineOverdue, "no-such-case", TODAY))


# -- contracts -------------------------------------------------------------------------------------


def test_the_service_names_no_event_type_in_a_string():
    """Events are raised and listened to by their types; a name typed out would drift."""
    names = set(CATALOGUE.event_types())
    service = Path(__file__).resolve().parents[3] / "services" / "referral"
    found = []
    checked = 0
    for path in service.rglob("*.py"):
        checked += 1
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append((path.name, node.value))
    assert checked > 20 and found == []
