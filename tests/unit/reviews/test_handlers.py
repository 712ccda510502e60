"""The decision opens, changes or withdraws the review; the referral gives it the case's agencies."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.domain.vocabulary import REVIEW_KINDS
from services.reviews.service_layer import handlers
from shared.events.referral import DecisionConfirmed
from tests.events import LEAD, decision_changed, decision_recorded, received, referral_submitted

from .fakes import FakeUnitOfWork

BOARD = "b1"


def test_kinds_that_start_a_review_include_the_current_packs_practice_review():
    assert "local_child_safeguarding_practice_review" in REVIEW_KINDS
    assert {"serious_case_review", "critical_incident_review", "learning_review"} <= set(REVIEW_KINDS)
    assert {"multi_agency_concise_review", "single_agency_review"} <= set(REVIEW_KINDS)
    assert "no_review" not in REVIEW_KINDS


@pytest.mark.parametrize("kind", REVIEW_KINDS)
def test_every_outcome_that_starts_a_review_opens_one(kind):
    uow = FakeUnitOfWork()
    handlers.on_referral_submitted(received(referral_submitted(BOARD)), uow)
    handlers.on_decision(received(decision_recorded(BOARD, outcome=kind, method=None)), uow)
    review = uow.reviews_store["c1"]
    assert (review.review_kind, review.stage, review.board_id) == (kind, "scoping", BOARD)
    assert review.agencies == ["police", "health"] and review.reference == "SCR-2025-0001"
    assert uow.types() == ["review.opened"]
    assert uow.published[0]["data"]["agencies"] == ["police", "health"]


def test_no_review_opens_nothing():
    uow = FakeUnitOfWork()
    handlers.on_decision(received(decision_recorded(BOARD, outcome="no_review")), uow)
    assert uow.reviews_store == {} and uow.published == []


def test_a_repeated_decision_changes_nothing():
    uow = FakeUnitOfWork()
    event = received(decision_recorded(BOARD))
    handlers.on_decision(event, uow)
    handlers.on_decision(event, uow)
    assert uow.types() == ["review.opened"]


def test_the_decisions_lead_reviewers_with_an_email_join_the_panel():
    uow = FakeUnitOfWork()
    lead = LEAD.__class__(**{**LEAD.__dict__, "email": "lead@independent.example.org"})
    handlers.on_decision(received(decision_recorded(BOARD, lead_reviewers=[lead, LEAD])), uow)
    panel = uow.reviews_store["c1"].panel
    assert [(m.role, m.email) for m in panel] == [("lead_reviewer", "lead@independent.example.org")]


def test_a_changed_decision_changes_the_kind_and_one_to_no_review_withdraws_it():
    uow = FakeUnitOfWork()
    handlers.on_decision(received(decision_recorded(BOARD)), uow)
    handlers.on_decision(received(decision_changed(BOARD, outcome="learning_review")), uow)
    assert uow.reviews_store["c1"].review_kind == "learning_review"
    handlers.on_decision(received(decision_changed(BOARD, outcome="no_review")), uow)
    assert uow.reviews_store["c1"].stage == "withdrawn"
    assert uow.types() == ["review.opened", "review.stage_changed"]


def test_a_decision_changed_to_a_review_opens_one():
    uow = FakeUnitOfWork()
    handlers.on_decision(received(decision_changed(BOARD, outcome="learning_review")), uow)
    assert uow.reviews_store["c1"].opened_on == date(2025, 12, 15)


def test_a_confirmed_decision_keeps_or_opens_the_review_of_its_outcome():
    uow = FakeUnitOfWork()
    confirmed = DecisionConfirmed(
        case_id="c1",
        board_id=BOARD,
        decision_id="d-c1",
        rule_pack="wt2015",
        outcome="serious_case_review",
        confirmed_on=date(2026, 1, 20),
        rationale="The board keeps its decision.",
        chair_name="Alex Chair",
    )
    handlers.on_decision_confirmed(received(confirmed), uow)
    assert uow.reviews_store["c1"].review_kind == "serious_case_review"
    assert uow.reviews_store["c1"].opened_on == date(2026, 1, 20)
