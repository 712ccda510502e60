"""Contributions' due dates: created by the request, met by the submission, opened again by a
return, and reminded once each as ``deadline.due_soon`` and ``deadline.overdue``, which the
notifications service turns into emails to the business unit and the agency's contact."""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.adapters.contribution_store import ContributionDeadline
from services.scheduler.entrypoints.consumer import listeners
from services.scheduler.service_layer.contribution_deadlines import send_contribution_reminders
from shared.events import parse_envelope
from shared.events.reviews import ContributionRequested, ContributionReturned, ContributionSubmitted
from tests.events import received

from .fakes import FakeUnitOfWork, FixedClock

DUE = date(2026, 3, 23)  # a Monday


def handle(payload) -> None:
    event = received(payload)
    for sub in listeners.subscriptions(
        {"uow": FakeUnitOfWork(), "clock": None, "due_soon_days": 3, "work_queue": None}
    ):
        if event.event_type in sub.event_types and sub.consumer == "scheduler.contributions":
            sub.handler(event)


ABOUT = {"case_id": "c1", "board_id": "b1", "contribution_id": "k1", "agency": "police", "kind": "chronology"}


def requested():
    return ContributionRequested(**ABOUT, requested_on=date(2026, 3, 2), due_on=DUE)


def sweep(on: date) -> list[dict]:
    send_contribution_reminders(FakeUnitOfWork(), FixedClock(on), due_soon_days=3)
    record = ContributionDeadline.objects.get(deadline_id="k1")
    return [entry.envelope for entry in record.outbox]


@pytest.fixture
def asked() -> None:
    handle(requested())
    handle(requested())  # a repeat changes nothing


def test_a_request_makes_the_deadline_and_each_reminder_goes_once(asked):
    assert ContributionDeadline.objects.count() == 1
    assert sweep(date(2026, 3, 2)) == []  # three weeks away
    soon = sweep(date(2026, 3, 18))  # three working days before
    assert [e["event_type"] for e in soon] == ["deadline.due_soon"]
    assert sweep(date(2026, 3, 19)) == soon  # announced already
    late = sweep(date(2026, 3, 24))
    assert [e["event_type"] for e in late] == ["deadline.due_soon", "deadline.overdue"]
    data = parse_envelope(late[-1]).data
    assert (data.code, data.deadline_id, data.due, data.concerns) == (
        "contribution_due",
        "k1",
        DUE,
        "business_unit",
    )


def test_submitting_meets_it_and_a_return_opens_it_again(asked):
    handle(ContributionSubmitted(**ABOUT, submitted_on=date(2026, 3, 20)))
    assert ContributionDeadline.objects.get(deadline_id="k1").met_on == date(2026, 3, 20)
    assert sweep(date(2026, 3, 24)) == []  # met: nothing to remind
    handle(ContributionReturned(**ABOUT, returned_on=date(2026, 3, 25), comments="Add the March visits"))
    assert ContributionDeadline.objects.get(deadline_id="k1").met_on is None
    assert [e["event_type"] for e in sweep(date(2026, 3, 26))] == ["deadline.overdue"]


def test_the_scheduler_listens_to_the_contributions_on_its_own_queue():
    queues = listeners.queues()
    assert set(queues["scheduler.contributions"]) == {
        "contribution.requested",
        "contribution.submitted",
        "contribution.accepted",
        "contribution.returned",
    }
