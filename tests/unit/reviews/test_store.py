"""The reviews service on its store: a review is written only if nobody changed it since it was
read; its events wait in its outbox; the working days agree with the scheduler's calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.reviews.adapters.store import CaseDocument, ReviewDocument
from services.reviews.service_layer import handlers
from services.reviews.service_layer.unit_of_work import MongoUnitOfWork
from services.scheduler.domain.calendar import WorkingCalendar
from shared.errors import Conflict
from shared.words import plain
from shared.working_days import WorkingDays
from tests.events import decision_recorded, received, referral_submitted

from .fakes import AGENCIES, FakeDirectory


@pytest.fixture
def uow() -> MongoUnitOfWork:
    uow = MongoUnitOfWork(FakeDirectory())
    handlers.on_referral_submitted(received(referral_submitted("b1")), uow)
    handlers.on_decision(received(decision_recorded("b1")), uow)
    return uow


def test_the_review_and_its_opening_event_are_stored_together(uow):
    doc = ReviewDocument.objects.get(case_id="c1")
    assert (doc.board_id, doc.version, doc.agencies) == ("b1", 1, ["health", "police"])
    assert [e.event_type for e in doc.outbox] == ["review.opened"]
    assert CaseDocument.objects.get(case_id="c1").agencies == ["police", "health"]


def test_a_review_changed_since_it_was_read_is_not_overwritten(uow):
    first, second = MongoUnitOfWork(FakeDirectory()), MongoUnitOfWork(FakeDirectory())
    with first:
        mine = first.reviews.get("c1")
        with second:
            theirs = second.reviews.get("c1")
            theirs.request(
                agency="health",
                kind="chronology",
                requested_on=date(2026, 3, 2),
                due_on=date(2026, 3, 23),
                board_agencies=AGENCIES,
            )
            second.commit()
        mine.request(
            agency="police",
            kind="chronology",
            requested_on=date(2026, 3, 2),
            due_on=date(2026, 3, 23),
            board_agencies=AGENCIES,
        )
        with pytest.raises(Conflict):
            first.commit()
    stored = ReviewDocument.objects.get(case_id="c1")
    assert [c["agency"] for c in stored.state["contributions"]] == ["health"]
    assert [e.event_type for e in stored.outbox] == ["review.opened", "contribution.requested"]


def test_working_days_agree_with_the_schedulers_calendar():
    closures = [date(2026, 8, 28)]
    ours, theirs = WorkingDays("england_wales", closures), WorkingCalendar("england_wales", closures)
    start = date(2025, 12, 1)
    for offset in range(0, 400, 3):
        day = start + timedelta(days=offset)
        for n in (0, 1, 5, 15):
            assert ours.add(day, n) == theirs.add_working_days(day, n), (day, n)


def test_the_services_codes_read_as_plain_english(client):
    assert plain("seven_week") == "Seven-week review"
    assert plain("coroners_inquest") == "Coroner's inquest"
