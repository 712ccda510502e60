"""The Mongo repositories and unit of work (on the in-memory store): what commit writes."""

from __future__ import annotations

import threading

import pytest

from services.referral.adapters.store import Case
from services.referral.bootstrap import messagebus
from services.referral.service_layer import messages as m
from services.referral.service_layer.unit_of_work import MongoUnitOfWork
from shared.auth.principal import Principal
from shared.errors import Conflict
from tests.factories import make_board
from tests.unit.referral.test_handlers import INDEPENDENT, TODAY, referral


@pytest.fixture
def board():
    return make_board("wirral", agencies=("police", "health"))


@pytest.fixture
def case(board):
    return messagebus(uow=MongoUnitOfWork(), clock=lambda: TODAY).handle(referral())


def test_nothing_is_written_without_a_commit(case):
    uow = MongoUnitOfWork()
    with uow:
        loaded = uow.cases.get("wirral", case.case_id)
        loaded.summary = "changed"
    assert Case.objects.get(case_id=case.case_id).summary != "changed"


def test_a_case_saves_only_if_nobody_moved_it_on_meanwhile(case):
    uow = MongoUnitOfWork()
    with uow:
        loaded = uow.cases.get("wirral", case.case_id)
        Case.objects(case_id=case.case_id).update_one(set__status="closed")  # someone else, meanwhile
        loaded.summary = "changed"
        with pytest.raises(Conflict):
            uow.commit()
    stored = Case.objects.get(case_id=case.case_id)
    assert (stored.status, stored.summary) == ("closed", case.summary)


def test_a_state_change_and_its_events_are_one_write(case):
    chair = Principal(user_id="u-chair", name="Chair", board_id="wirral", roles=frozenset({"chair"}))
    bus = messagebus(uow=MongoUnitOfWork(), clock=lambda: TODAY)
    bus.handle(
        m.RecordDecision(
            actor=chair,
            case_id=case.case_id,
            outcome="serious_case_review",
            decided_on=TODAY,
            rationale="Criteria met.",
            lead_reviewers=[INDEPENDENT],
            method="intensive",
        )
    )
    raw = Case._get_collection().find_one({"_id": case.case_id})
    assert raw["status"] == "decided"
    assert [e["event_type"] for e in raw["outbox"] if e["pending"]][-2:] == [
        "decision.recorded",
        "reviewer.appointed",
    ]


def test_threads_sharing_the_unit_of_work_keep_their_work_apart(case):
    """The web threads and the bus worker share one unit of work; each block is its own."""
    uow = MongoUnitOfWork()
    loaded, other_done = threading.Event(), threading.Event()

    def another_request():
        loaded.wait(5)
        with uow:
            uow.cases.get("wirral", case.case_id)
        other_done.set()

    thread = threading.Thread(target=another_request)
    thread.start()
    with uow:
        mine = uow.cases.get("wirral", case.case_id)
        loaded.set()
        assert other_done.wait(5)
        mine.summary = "mine"
        uow.commit()
    thread.join()
    assert Case.objects.get(case_id=case.case_id).summary == "mine"


def test_the_repositories_are_reached_only_in_a_with_block():
    with pytest.raises(RuntimeError):
        MongoUnitOfWork().cases  # noqa: B018
