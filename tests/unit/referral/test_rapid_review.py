"""Issue 12's rule packs through the handlers on fakes: one pack per board, kept by each case for
life, and a ``wt2023`` case from referral to the safeguarding partners' rapid review to their
decision. Each test names the research row it rests on (W18-n, W23-n; /tmp/wt-research.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.referral.bootstrap import messagebus
from services.referral.domain.screening import Facts, UnknownRulePack
from services.referral.service_layer import messages as m
from shared.errors import Conflict
from shared.events.referral import DecisionRecorded, RapidReviewRecorded
from tests.unit.referral.fakes import FakeUnitOfWork
from tests.unit.referral.test_handlers import (
    AGENCIES,
    BOARD,
    CHAIR,
    POLICE,
    TODAY,
    actor,
    decision,
    events_of,
    referral,
)
from tests.unit.referral.test_statutory_rules import CURRENT, PARTNERS_CHAIR, refused

SERIOUS = Facts(seriously_harmed=True, abuse_or_neglect="suspected", interagency_concern="yes")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.boards.add_board(BOARD, AGENCIES, chairs={CHAIR.user_id: CHAIR.name})
    fake.boards.add_board(CURRENT, AGENCIES, rule_pack="wt2023", chairs={PARTNERS_CHAIR.user_id: "Pat"})
    return fake


@pytest.fixture
def bus(uow):
    return messagebus(uow=uow, clock=lambda: TODAY)


def rapid(case_id: str, **over) -> m.RecordRapidReview:
    fields = {
        "actor": PARTNERS_CHAIR,
        "case_id": case_id,
        "completed_on": TODAY,
        "recommends_local_review": True,
        "suggests_national_review": False,
        "summary": "Police and health did not share what they knew.",
    }
    return m.RecordRapidReview(**{**fields, **over})


def partners_decision(case_id: str, **over):
    fields = {
        "actor": PARTNERS_CHAIR,
        "outcome": "local_child_safeguarding_practice_review",
        "lead_reviewers": [],
        "method": None,
        "rationale": "The rapid review found two agencies failed to share.",
    }
    return decision(case_id, **{**fields, **over})


def test_a_wt2023_case_goes_from_referral_to_rapid_review_to_a_practice_review_decision(bus, uow):
    case = bus.handle(
        referral(
            actor("business_unit", board_id=CURRENT),
            facts=SERIOUS,
            referrer={"name": "B", "agency": "police", "email": "b@example.org"},
        )
    )
    assert (
        case.rule_pack == "wt2023"
        and case.screening["recommended"] == "local_child_safeguarding_practice_review"
    )
    with pytest.raises(Conflict):  # the rapid review comes first (W23-8)
        bus.handle(partners_decision(case.case_id))
    assert list(refused(bus, rapid(case.case_id, completed_on=TODAY - timedelta(days=30), summary="x"))) == [
        "completed_on",
        "summary",
    ]
    bus.handle(rapid(case.case_id))
    reviewed = events_of(uow, case.case_id)[-1].data
    assert isinstance(reviewed, RapidReviewRecorded)
    assert (reviewed.rule_pack, reviewed.recommends_local_review, reviewed.completed_on) == (
        "wt2023",
        True,
        TODAY,
    )
    with pytest.raises(Conflict):
        bus.handle(rapid(case.case_id))  # once
    assert "outcome" in refused(bus, partners_decision(case.case_id, outcome="serious_case_review"))
    assert "rationale" in refused(bus, partners_decision(case.case_id, outcome="no_review", rationale="No"))
    decided = bus.handle(partners_decision(case.case_id))
    recorded = events_of(uow, case.case_id)[-1].data
    assert isinstance(recorded, DecisionRecorded)
    assert (recorded.rule_pack, recorded.outcome, recorded.method, recorded.panel_scrutiny) == (
        "wt2023",
        "local_child_safeguarding_practice_review",
        None,
        False,
    )
    assert decided.decision.chair_name == "Pat Partnership-Chair"


def test_a_rapid_review_only_for_a_serious_case_under_the_current_guidance(bus):
    old = bus.handle(referral(facts=SERIOUS))
    with pytest.raises(Conflict) as exc:
        bus.handle(rapid(old.case_id, actor=CHAIR))
    assert exc.value.field == "rule_pack"
    who = actor("business_unit", board_id=CURRENT)
    not_serious = bus.handle(
        referral(
            who,
            facts=Facts(abuse_or_neglect="not_suspected", child_died=True, looked_after=True),
            referrer={"name": "B", "agency": "police", "email": "b@example.org"},
        )
    )
    with pytest.raises(Conflict):
        bus.handle(rapid(not_serious.case_id))
    # No rapid review follows, so the partners decide straight away.
    assert bus.handle(partners_decision(not_serious.case_id, outcome="no_review")).status == "decided"


def test_a_case_keeps_its_pack_for_life_when_the_board_changes_its_own(bus, uow):
    case = bus.handle(
        referral(
            actor("business_unit", board_id=CURRENT),
            facts=SERIOUS,
            referrer={"name": "B", "agency": "police", "email": "b@example.org"},
        )
    )
    admin = actor("admin", board_id=CURRENT)
    changed = bus.handle(m.ChangeRulePack(actor=admin, rule_pack="wt2015"))
    assert (changed.previous_rule_pack, changed.rule_pack) == ("wt2023", "wt2015")
    bus.handle(rapid(case.case_id))
    bus.handle(partners_decision(case.case_id))
    assert {e.data.rule_pack for e in events_of(uow, case.case_id)} == {"wt2023"}
    with pytest.raises(UnknownRulePack):
        bus.handle(m.ChangeRulePack(actor=admin, rule_pack="wt2099"))
    assert bus.handle(m.GetBoardSettings(actor=admin)).rule_pack == "wt2015"


def test_screening_takes_a_rule_pack_and_answers_with_the_one_it_used(bus):
    facts = Facts(abuse_or_neglect="suspected", child_died=True)
    assert bus.handle(m.Screen(actor=POLICE, facts=facts)).rule_pack == "wt2015"
    asked = bus.handle(m.Screen(actor=POLICE, facts=facts, rule_pack="wt2018"))
    assert asked.rule_pack == "wt2018" and asked.scr_required is False
