"""Issue 12's corrections, through the handlers on fakes: what a board would notice
(the case, the refusal naming every field, the events other services receive). Each test names
the seed section (000-004) or the research row (W18-n, W23-n) it rests on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.referral.bootstrap import messagebus
from services.referral.domain.screening import Facts
from services.referral.service_layer import messages as m
from shared.errors import Conflict, InvalidInput
from shared.events.referral import (
    DecisionChallenged,
    DecisionConfirmed,
    DecisionRecorded,
    ReferralSubmitted,
)
from tests.unit.referral.fakes import FakeUnitOfWork
from tests.unit.referral.test_handlers import (
    AGENCIES,
    BOARD,
    CHAIR,
    INDEPENDENT,
    TODAY,
    actor,
    decision,
    events_of,
    referral,
)

CURRENT = "safeguarding"  # a board under Working Together 2023
ADMIN = actor("admin", name="Ada Admin")
PARTNERS_CHAIR = actor("chair", board_id=CURRENT, name="Pat Partnership-Chair")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.boards.add_board(BOARD, AGENCIES, chairs={CHAIR.user_id: CHAIR.name})
    fake.boards.emails[CHAIR.user_id] = "charlotte@wirral.example.org"
    fake.boards.add_board(CURRENT, AGENCIES, rule_pack="wt2023", chairs={PARTNERS_CHAIR.user_id: "Pat"})
    return fake


@pytest.fixture
def bus(uow):
    return messagebus(uow=uow, clock=lambda: TODAY)


def refused(bus, command) -> dict[str, str]:
    with pytest.raises(InvalidInput) as exc:
        bus.handle(command)
    return {e["field"]: e["message"] for e in exc.value.errors()}


# -- correction 1 (003 ¶20), 7, 8 (003 checklist; 004), 12 ----------------------------------------


def test_a_harmed_child_in_police_custody_is_screened_on_the_other_criteria_003_para_20(bus):
    facts = Facts(
        seriously_harmed=True,
        abuse_or_neglect="suspected",
        interagency_concern="yes",
        custody_setting="police_custody",
    )
    case = bus.handle(referral(facts=facts))
    assert case.screening["scr_grounds"] == ["serious_harm_interagency_concern"]
    assert case.facts["custody_setting"] == "police_custody"


def test_a_child_known_to_no_agency_can_be_referred(bus, uow):
    case = bus.handle(referral(agencies_involved=[]))
    assert case.agencies_involved == []
    assert events_of(uow, case.case_id)[0].data.agencies_involved == []


def test_a_cross_border_referral_names_the_home_board_and_screening_says_so_003_checklist_004(bus, uow):
    case = bus.handle(
        referral(
            home_board="Cumbria LSCB", other_boards=["Lancashire LSCB", "Cumbria LSCB", "Lancashire LSCB"]
        )
    )
    assert (case.home_board, case.other_boards) == ("Cumbria LSCB", ["Lancashire LSCB"])
    reasons = {r["code"]: r for r in case.screening["reasons"]}
    assert "Cumbria LSCB" in reasons["cross_border.home_board"]["text"]
    assert reasons["cross_border.home_board"]["source"].startswith("003 SCR checklist")
    assert reasons["cross_border.other_boards"]["source"].startswith("004")
    submitted = events_of(uow, case.case_id)[0].data
    assert isinstance(submitted, ReferralSubmitted)
    assert (submitted.home_board, submitted.other_boards) == ("Cumbria LSCB", ["Lancashire LSCB"])
    own = uow.boards.name(BOARD)
    assert "home_board" in refused(bus, referral(home_board=own))


def test_every_problem_with_a_referral_is_named_at_once_cross_field_ones_included(bus, uow):
    """Correction 12: an NHS number whose check digit is wrong, a child born after the incident,
    or 18 at it, a one-character summary; the dates' order too, even with another field missing."""
    incident = TODAY - timedelta(days=10)
    problems = refused(
        bus,
        referral(
            became_aware_on=incident - timedelta(days=1),
            summary="x",
            child={
                "name": "Jane Doe",
                "date_of_birth": (incident + timedelta(days=1)).isoformat(),
                "nhs_number": "485 777 3456",
            },
            problems=[{"field": "referrer.email", "message": "Not a valid email address."}],
        ),
    )
    assert set(problems) == {
        "referrer.email",
        "became_aware_on",
        "summary",
        "child.date_of_birth",
        "child.nhs_number",
    }
    assert "sentence" in problems["summary"] and "NHS number" in problems["child.nhs_number"]
    adult = incident.replace(year=incident.year - 18)
    assert (
        "under 18"
        in refused(bus, referral(child={"date_of_birth": adult.isoformat()}))["child.date_of_birth"]
    )
    assert uow.cases.stored == {}


# -- correction 3: every decision has its reasons (001 §3) ---------------------------------------


@pytest.mark.parametrize("rationale", ["", "   ", "No."])
@pytest.mark.parametrize("outcome", ["no_review", "learning_review", "embedded_learning_review"])
def test_an_scr_considered_and_not_held_is_justified_in_a_sentence_001_3(bus, outcome, rationale):
    case = bus.handle(referral(facts=Facts(abuse_or_neglect="suspected")))  # an SCR is not required
    problems = refused(bus, decision(case.case_id, outcome=outcome, lead_reviewers=[], rationale=rationale))
    assert list(problems) == ["rationale"]
    done = bus.handle(
        decision(case.case_id, outcome=outcome, lead_reviewers=[], rationale="Nothing to learn here.")
    )
    assert done.decision.panel_scrutiny is False


def test_an_scr_decision_needs_its_reasons_too(bus):
    case = bus.handle(referral())
    assert list(refused(bus, decision(case.case_id, rationale=""))) == ["rationale"]


# -- correction 4: lead reviewers as records (001 §5.6; 002 §2.2; 003 Appointing reviewers) -------


@pytest.mark.parametrize(
    "change, field",
    [
        (
            {"declarations": {**INDEPENDENT["declarations"], "involved_in_case": True}},
            "lead_reviewers.0.declarations.involved_in_case",
        ),
        (
            {"declarations": {**INDEPENDENT["declarations"], "works_for_board_agency": True}},
            "lead_reviewers.0.declarations.works_for_board_agency",
        ),
        ({"agency": "health"}, "lead_reviewers.0.agency"),
        (
            {"organisation": "Merseyside Police Federation"},
            "lead_reviewers.0.organisation",
        ),  # names the police
        ({"organisation": "Cheshire Constabulary"}, "lead_reviewers.0.organisation"),  # its common words
        ({"organisation": "St Mary's Hospital"}, "lead_reviewers.0.organisation"),
        ({"declarations": {}}, "lead_reviewers.0.declarations"),
        ({"qualifications": ""}, "lead_reviewers.0.qualifications"),
        ({"agency": "coastguard"}, "lead_reviewers.0.agency"),
    ],
)
def test_an_scr_lead_reviewer_must_be_independent_of_the_board_and_the_case(bus, change, field):
    case = bus.handle(referral())
    problems = refused(bus, decision(case.case_id, lead_reviewers=[{**INDEPENDENT, **change}]))
    assert field in problems and "lead_reviewers" in field


def test_below_the_threshold_internal_reviewers_are_allowed_000_4_1(bus, uow):
    case = bus.handle(referral(facts=Facts(abuse_or_neglect="suspected", interagency_concern="yes")))
    internal = {
        "name": "DS Khan",
        "organisation": "Merseyside Police",
        "agency": "police",
        "declarations": {**INDEPENDENT["declarations"], "works_for_board_agency": True},
    }
    done = bus.handle(
        decision(
            case.case_id,
            outcome="multi_agency_concise_review",
            lead_reviewers=[internal],
            rationale="Police and health missed it together.",
        )
    )
    (reviewer,) = done.decision.lead_reviewers
    assert reviewer.agency == "police" and reviewer.declarations["works_for_board_agency"] is True
    recorded = events_of(uow, case.case_id)[-2].data
    assert recorded.lead_reviewers[0].agency == "police"
    assert recorded.lead_reviewers[0].declarations["works_for_board_agency"] is True


def test_the_decision_event_carries_the_reviewers_records_and_the_method_001_5_3(bus, uow):
    case = bus.handle(referral())
    bus.handle(decision(case.case_id, method="targeted"))
    recorded = events_of(uow, case.case_id)[-2].data
    assert isinstance(recorded, DecisionRecorded) and recorded.method == "targeted"
    (r,) = recorded.lead_reviewers
    assert r.qualifications == INDEPENDENT["qualifications"] and r.declarations == INDEPENDENT["declarations"]


def test_correction_9_an_scr_records_its_method_and_only_an_scr_has_one(bus):
    case = bus.handle(referral())
    assert "method" in refused(bus, decision(case.case_id, method=None))
    assert "method" in refused(
        bus,
        decision(
            case.case_id,
            outcome="learning_review",
            lead_reviewers=[],
            method="intensive",
            rationale="A learning review is proportionate here.",
        ),
    )


# -- correction 5: a decision kept after a challenge (003 checklist) ------------------------------


def challenge(case_id: str, by: str = "national_panel", on: date = TODAY) -> m.RecordChallenge:
    return m.RecordChallenge(
        actor=CHAIR, case_id=case_id, challenged_by=by, challenged_on=on, summary="We disagree with it."
    )


def keep(case_id: str, **over) -> m.ConfirmDecision:
    fields = {
        "actor": CHAIR,
        "case_id": case_id,
        "confirmed_on": TODAY,
        "rationale": "The learning review stands: it is proportionate.",
    }
    return m.ConfirmDecision(**{**fields, **over})


def test_a_decision_kept_after_a_challenge_tells_the_others_the_final_outcome(bus, uow):
    case = bus.handle(referral())
    bus.handle(
        decision(
            case.case_id,
            outcome="learning_review",
            lead_reviewers=[],
            rationale="A learning review of this family is under way already.",
        )
    )
    with pytest.raises(Conflict):
        bus.handle(keep(case.case_id))  # nothing to answer yet
    bus.handle(challenge(case.case_id))
    assert list(refused(bus, keep(case.case_id, rationale="Kept."))) == ["rationale"]
    kept = bus.handle(keep(case.case_id))
    assert kept.challenges[-1].outcome == "decision kept"
    confirmed = events_of(uow, case.case_id)[-1].data
    assert isinstance(confirmed, DecisionConfirmed)
    assert (confirmed.outcome, confirmed.confirmed_on, confirmed.challenged_by) == (
        "learning_review",
        TODAY,
        "national_panel",
    )
    assert confirmed.chair_name == "Charlotte Chair" and confirmed.rule_pack == "wt2015"
    assert confirmed.decision_id == kept.decision.decision_id
    with pytest.raises(Conflict):
        bus.handle(keep(case.case_id))  # the challenge is answered


def test_a_peer_challenge_may_come_before_the_decision_003_checklist(bus, uow):
    case = bus.handle(referral())
    with pytest.raises(Conflict):
        bus.handle(challenge(case.case_id, by="national_panel"))
    sought = bus.handle(challenge(case.case_id, by="peer", on=TODAY - timedelta(days=1)))
    assert sought.challenges[0].before_decision is True
    assert not [e for e in events_of(uow, case.case_id) if isinstance(e.data, DecisionChallenged)]
    bus.handle(decision(case.case_id))
    with pytest.raises(Conflict):  # a challenge before the decision is not one to answer after it
        bus.handle(keep(case.case_id))


# -- correction 11: the Chair named in letters is the Chair -----------------------------------------


def test_an_admin_recording_the_decision_names_the_chair(bus, uow):
    case = bus.handle(referral())
    assert "chair" in refused(bus, decision(case.case_id, actor=ADMIN))
    assert "chair" in refused(bus, decision(case.case_id, actor=ADMIN, chair="nobody@example.org"))
    done = bus.handle(decision(case.case_id, actor=ADMIN, chair="Charlotte@Wirral.example.org"))
    assert (done.decision.chair_name, done.decision.recorded_by_name) == ("Charlotte Chair", "Ada Admin")
    assert "recorded for Charlotte Chair" in done.history[-1].detail
    recorded = events_of(uow, case.case_id)[-2].data
    assert recorded.chair_name == "Charlotte Chair"
