"""The publication deadlines from the reviews service's events, on fakes: the copies due 7 working
days before the planned date and met when they go; 12 months on the website from publication,
reminded when that time comes (the clock moved on)."""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.service_layer import messages as m
from shared.bus import PermanentError
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.report import PublicationCopiesSent, PublicationPlanned, ReportPublished
from tests.events import received
from tests.unit.scheduler.events import decision_recorded, referral_submitted
from tests.unit.scheduler.fakes import Scheduler

BOARD = "b1"


def planned(on: date):
    return received(PublicationPlanned(case_id="c1", board_id=BOARD, planned_publication_on=on))


def copies_sent(on: date, by_product: bool = True):
    return received(
        PublicationCopiesSent(case_id="c1", board_id=BOARD, version=1, sent_on=on, by_product=by_product)
    )


def published(on: date):
    return received(
        ReportPublished(
            case_id="c1", board_id=BOARD, version=1, published_on=on, url="https://b.example.org/r"
        )
    )


@pytest.fixture
def reviewed() -> Scheduler:
    scheduler = Scheduler()
    scheduler.handle(referral_submitted(BOARD))
    scheduler.handle(decision_recorded(BOARD))
    return scheduler


def test_a_planned_date_schedules_the_copies_7_working_days_before_and_sending_them_meets_it(reviewed):
    assert "pre_publication_copies" not in reviewed.deadlines()
    reviewed.handle(planned(date(2027, 6, 2)))  # a Wednesday; 31 May 2027 is a bank holiday
    copies = reviewed.deadlines()["pre_publication_copies"]
    assert copies.due == date(2027, 5, 21)
    assert copies.met_on is None

    reviewed.handle(planned(date(2027, 6, 9)))  # moved: the deadline follows
    assert reviewed.deadlines()["pre_publication_copies"].due == date(2027, 5, 28)

    reviewed.handle(copies_sent(date(2027, 5, 26)))
    met = reviewed.deadlines()["pre_publication_copies"]
    assert (met.met_on, met.met_by) == (date(2027, 5, 26), "publication.copies_sent")


def test_a_repeated_event_changes_nothing(reviewed):
    event = planned(date(2027, 6, 2))
    reviewed.handle(event)
    commits = reviewed.uow.commits
    reviewed.handle(event)
    assert reviewed.uow.commits == commits


def test_copies_sent_outside_the_product_before_the_date_was_planned_still_meet_it(reviewed):
    reviewed.handle(copies_sent(date(2027, 5, 3), by_product=False))
    reviewed.handle(planned(date(2027, 6, 2)))
    assert reviewed.deadlines()["pre_publication_copies"].met_on == date(2027, 5, 3)


def test_publication_keeps_the_report_online_12_months_and_the_reminder_comes_then(reviewed):
    reviewed.handle(published(date(2027, 6, 15)))
    retention = reviewed.deadlines()["publication_retention"]
    assert retention.due == date(2028, 6, 15)
    assert retention.concerns == "business_unit"

    # Time moves on: nothing to remind in the months between, then the reminder before it ends.
    reviewed.clock.day = date(2027, 12, 1)
    reviewed.handle(m.SendReminders())
    assert [e.data.code for e in reviewed.events() if e.data.code == "publication_retention"] == []
    reviewed.clock.day = date(2028, 6, 13)
    reviewed.handle(m.SendReminders())
    soon = [e.data for e in reviewed.events() if isinstance(e.data, DeadlineDueSoon)]
    assert [(d.code, d.due) for d in soon if d.code == "publication_retention"] == [
        ("publication_retention", date(2028, 6, 15))
    ]
    reviewed.clock.day = date(2028, 6, 16)
    reviewed.handle(m.SendReminders())
    overdue = [e.data.code for e in reviewed.events() if isinstance(e.data, DeadlineOverdue)]
    assert "publication_retention" in overdue


def test_an_event_for_a_case_never_referred_cannot_be_applied():
    with pytest.raises(PermanentError):
        Scheduler().handle(planned(date(2027, 6, 2)))
