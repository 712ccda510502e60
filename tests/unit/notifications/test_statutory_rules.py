"""Issue 12 in the notifications: a decision kept after a challenge, and the current guidance's Panel.

Each test names the seed (../shared/seeds, DOMAIN.md) or the Working Together chapter and
section it checks. Events go in as the bus worker hands them over; what comes out is the
ledger, the messages the fake channel took and the events left to relay.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.notifications.adapters import messages
from services.notifications.adapters.store import Notification
from services.notifications.bootstrap import Dependencies
from services.notifications.domain.delivery import RetryPolicy
from services.notifications.service_layer.dispatch import message_context
from services.notifications.service_layer.handlers import listeners
from services.notifications.service_layer.unit_of_work import MongoUnitOfWork
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import BOARD, NATIONAL, T0, FakeUnitOfWork

PANEL_2018 = "the Child Safeguarding Practice Review Panel"


def by_role(uow: FakeUnitOfWork, **match: Any) -> dict[str, Notification]:
    return {n.recipient_role: n for n in uow.notifications_stored(**match)}


def sent_events(uow: FakeUnitOfWork) -> list[tuple[str, str]]:
    return sorted(
        (e["data"]["template"], e["data"]["recipient_role"])
        for e in uow.published()
        if e["event_type"] == "notification.sent"
    )


# -- Correction 5: a decision kept after a challenge ------------------------------------------


def test_a_decision_kept_after_a_challenge_tells_the_three_the_final_outcome_003_checklist(
    uow, deps, channel, handle, decided
):
    """003 checklist, 'Decisions whether to initiate an SCR': challenged by the National Panel, the
    LSCB tells Ofsted, DfE and the Panel the final outcome; here the outcome is the decision kept."""
    confirmed = f.decision_confirmed(BOARD)
    handle(confirmed)
    handle(f.document_generated(confirmed, "decision_notification", document_id="doc-3"))
    made = by_role(uow)
    assert sorted(made) == ["dfe", "national_panel", "ofsted"]
    assert {n.template for n in made.values()} == {"decision_confirmed_notification"}
    assert all(n.attachments == ["doc-3"] for n in made.values())
    assert deps.dispatch() == 3
    assert {m.subject for m in channel.sent} == {
        f"Case review decision kept after a challenge for {f.REFERENCE}"
    }
    for message in channel.sent:
        assert "Jane" not in message.subject  # the case reference only
        assert (
            "After a challenge by the National Panel of Independent Experts on Serious Case Reviews,"
            " the safeguarding children board has kept its decision"
        ) in message.body_text
        assert "Final decision: No review, confirmed on 10 February 2027." in message.body_text
        assert [a.data for a in message.attachments] == [f.LETTER]
    assert sent_events(uow) == [
        ("decision_confirmed_notification", "dfe"),
        ("decision_confirmed_notification", "national_panel"),
        ("decision_confirmed_notification", "ofsted"),
    ]


def test_a_repeat_of_the_confirmation_letter_makes_no_more_notifications(uow, handle, decided):
    confirmed = f.decision_confirmed(BOARD)
    handle(confirmed)
    letter = f.document_generated(confirmed, "decision_notification", document_id="doc-3")
    handle(letter)
    handle(letter)
    assert len(uow.notifications_stored(template="decision_confirmed_notification")) == 3


# -- The current guidance: the Child Safeguarding Practice Review Panel -----------------------


@pytest.fixture
def current_case(handle) -> Any:
    referral = f.referral_submitted(BOARD, rule_pack="wt2023")
    handle(referral)
    handle(f.case_screened(BOARD, rule_pack="wt2023"))
    return referral


@pytest.mark.parametrize("pack", ["wt2018", "wt2023"])
def test_a_serious_incident_goes_to_the_panel_with_its_form(uow, deps, channel, handle, pack):
    """WT2018 ch. 4 'Duty on local authorities to notify incidents to the Child Safeguarding Practice
    Review Panel'; WT2023 ch. 5: the Panel (role national_panel), within 5 working days; the
    scheduler meets the incident_notification deadline on this template and role."""
    referral = f.referral_submitted(BOARD, rule_pack=pack)
    handle(referral)
    handle(f.document_generated(referral, "panel_incident_notification", document_id="form-1", data=f.FORM))
    [n] = uow.notifications_stored()
    assert (n.recipient_role, n.template, n.attachments) == (
        "national_panel",
        "panel_incident_notification",
        ["form-1"],
    )
    deps.dispatch()
    [message] = channel.sent
    assert message.to == NATIONAL["national_panel"]
    assert message.subject == f"Notification of a serious child safeguarding incident: case {f.REFERENCE}"
    assert f"notifying {PANEL_2018} of a serious child safeguarding incident" in message.body_text
    assert [a.data for a in message.attachments] == [f.FORM]
    assert sent_events(uow) == [("panel_incident_notification", "national_panel")]


def test_the_rapid_review_goes_to_the_panel(uow, deps, channel, handle, current_case):
    """WT2018 ch. 4 'The rapid review'; WT2023 ch. 5: the rapid review's outcome goes to the Panel."""
    reviewed = f.rapid_review_recorded(BOARD)
    handle(f.document_generated(reviewed, "rapid_review_outcome", document_id="rr-1"))
    [n] = uow.notifications_stored()
    assert (n.recipient_role, n.template) == ("national_panel", "rapid_review_outcome")
    deps.dispatch()
    [message] = channel.sent
    assert message.subject == f"Rapid review: case {f.REFERENCE}"
    assert f"send it to {PANEL_2018}" in message.body_text
    assert sent_events(uow) == [("rapid_review_outcome", "national_panel")]


def test_the_partners_decision_goes_to_the_panel_in_the_partners_words(
    uow, deps, channel, handle, current_case
):
    """s.16F(1); WT2018 ch. 4 'The rapid review': the safeguarding partners share their decision with
    the Panel. DOMAIN note: telling Ofsted and the DfE of it was not found (research W18-17)."""
    decision = f.decision_recorded(
        BOARD, rule_pack="wt2023", outcome="local_child_safeguarding_practice_review", lead_reviewers=[]
    )
    handle(decision)
    handle(f.document_generated(decision, "decision_notification"))
    assert sorted(by_role(uow)) == ["national_panel"]
    deps.dispatch()
    [message] = channel.sent
    assert message.subject == f"Case review decision for {f.REFERENCE}"
    assert "The safeguarding partners have decided on case" in message.body_text
    assert "A local child safeguarding practice review will be held." in message.body_text
    assert "board" not in message.body_text and "Serious Case Review" not in message.body_text


def test_a_kept_decision_of_the_partners_goes_to_the_panel_only(uow, handle, current_case):
    decision = f.decision_recorded(BOARD, rule_pack="wt2023", outcome="no_review", lead_reviewers=[])
    handle(decision)
    confirmed = f.decision_confirmed(BOARD, rule_pack="wt2023")
    handle(confirmed)
    handle(f.document_generated(confirmed, "decision_notification", document_id="doc-3"))
    [n] = uow.notifications_stored()
    assert (n.recipient_role, n.template) == ("national_panel", "decision_confirmed_notification")
    assert n.context["panel"] == PANEL_2018 and n.context["partnership"] == "the safeguarding partners"


def test_under_the_current_guidance_reviewers_appointed_later_are_not_reported(uow, handle, current_case):
    """DOMAIN note: no duty to give the Panel the reviewers' names was found (research W18-17)."""
    handle(f.reviewer_appointed(BOARD))
    assert uow.notifications_stored() == []


def test_a_missing_panel_is_named_as_the_cases_pack_names_it(uow, handle, current_case):
    [panel] = [k for k, r in uow.stored_recipients.items() if r["role"] == "national_panel"]
    uow.stored_recipients[panel]["active"] = False
    handle(f.document_generated(current_case, "panel_incident_notification", data=f.FORM))
    [n] = uow.notifications_stored()
    assert n.status == "not_sent" and PANEL_2018 in n.status_reason
    assert n.recipient_name == PANEL_2018


def test_a_notification_recorded_before_packs_travelled_reads_as_wt2015():
    """A ledger entry made before this change has no pack words: its message still renders."""
    old = Notification(
        recipient_role="national_panel",
        recipient_name=None,
        template="decision_changed_notification",
        context={"reference": "R-1", "outcome": "no_review", "previous_outcome": "serious_case_review"},
        created_at=T0,
    )
    context = message_context(old)
    assert context["partnership"] == "the safeguarding children board" and context["current"] is False
    assert context["recipient_title"] == "the National Panel of Independent Experts on Serious Case Reviews"


def test_the_pack_and_a_kept_decision_survive_the_store(board):
    """The case's pack and a decision kept after a challenge, in MongoDB as in memory."""
    uow = MongoUnitOfWork()
    deps = Dependencies(
        uow=uow,
        channel_for=lambda board_id: None,
        render=messages.render,
        clock=lambda: T0,
        retry=RetryPolicy(window=timedelta(hours=4), base_seconds=30),
    )
    subscriptions = listeners.subscriptions(deps.as_dict())
    board_id = board.board_id
    decision = f.decision_recorded(board_id, rule_pack="wt2018", outcome="no_review", lead_reviewers=[])
    confirmed = f.decision_confirmed(board_id, rule_pack="wt2018", challenged_by="peer")
    for event in (f.referral_submitted(board_id, rule_pack="wt2018"), decision, confirmed):
        for sub in subscriptions:
            if event.event_type in sub.event_types:
                sub.handler(event)
    with uow:
        case = uow.cases.get("c1")
    assert case is not None and case.rule_pack == "wt2018"
    kept = case.decision_from(confirmed.event_id)
    assert kept is not None and (kept.confirmed, kept.challenged_by, kept.outcome) == (
        True,
        "peer",
        "no_review",
    )
    assert case.decision_from(decision.event_id).confirmed is False
