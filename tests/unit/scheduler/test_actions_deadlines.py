"""The action plans' dates from the reviews service's events, on fakes: the plan's first action
schedules the quarterly progress reports to the performance committee (000 §9), reminded to the
business unit; each open action's due date is reminded once as due soon and once as overdue (the
notifications service emails its owner), and closing it stops the reminders."""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.adapters.actions_store import ActionDeadline
from services.scheduler.entrypoints.consumer import listeners
from services.scheduler.service_layer import messages as m
from services.scheduler.service_layer.actions import send_action_reminders
from shared.events import parse_envelope
from shared.events.deadlines import DeadlineDueSoon
from shared.events.reviews import ActionAdded, ActionClosed, ActionProgressReported
from tests.events import received
from tests.unit.scheduler.events import decision_recorded, referral_submitted
from tests.unit.scheduler.fakes import FakeUnitOfWork, FixedClock, Scheduler

BOARD = "b1"
ABOUT = {
    "case_id": "c1",
    "board_id": BOARD,
    "reference": "R-1",
    "recommendation": "Share neglect concerns early",
    "action": "Screen for neglect at the first visit",
    "owner_agency": "health",
    "owner_email": "lead@example.org",
    "success_measure": "Nine in ten visits screened",
}


def added(action_id: str, due: date, on: date, plan_on: date | None = None):
    return received(
        ActionAdded(**ABOUT, action_id=action_id, due_on=due, added_on=on, plan_agreed_on=plan_on or on)
    )


@pytest.fixture
def reviewed() -> Scheduler:
    scheduler = Scheduler()
    scheduler.handle(referral_submitted(BOARD))
    scheduler.handle(decision_recorded(BOARD))
    return scheduler


def progress_reports(s: Scheduler) -> list:
    return sorted((d for d in s.stored().deadlines if d.code == "action_plan_progress"), key=lambda d: d.due)


def test_the_plans_first_action_schedules_quarterly_progress_reports(reviewed):
    assert progress_reports(reviewed) == []  # no plan, no reports
    reviewed.handle(added("a1", date(2027, 6, 30), date(2027, 1, 11)))
    dues = [d.due for d in progress_reports(reviewed)]
    assert dues[0] == date(2027, 4, 11)  # the first quarter; the scheduler shows the next one due
    assert {d.concerns for d in progress_reports(reviewed)} == {"business_unit"}
    # Another action, added later, does not move the quarters.
    reviewed.handle(added("a2", date(2027, 9, 30), date(2027, 2, 1), plan_on=date(2027, 1, 11)))
    assert [d.due for d in progress_reports(reviewed)] == dues


def test_the_quarterly_report_is_reminded_to_the_business_unit(reviewed):
    reviewed.handle(added("a1", date(2027, 6, 30), date(2027, 1, 11)))
    reviewed.clock.day = date(2027, 4, 7)
    reviewed.handle(m.SendReminders())
    soon = [e.data for e in reviewed.events() if isinstance(e.data, DeadlineDueSoon)]
    assert [(d.code, d.due) for d in soon if d.code == "action_plan_progress"] == [
        ("action_plan_progress", date(2027, 4, 11))
    ]


def sweep(on: date) -> list[dict]:
    send_action_reminders(FakeUnitOfWork(), FixedClock(on), due_soon_days=3)
    return [e.envelope for e in ActionDeadline.objects.get(deadline_id="a1").outbox]


def test_an_open_action_is_reminded_once_due_soon_and_once_overdue(reviewed):
    reviewed.handle(added("a1", date(2027, 3, 22), date(2027, 1, 11)))  # a Monday
    reviewed.handle(added("a1", date(2027, 3, 22), date(2027, 1, 11)))  # a repeat: one record
    assert ActionDeadline.objects.count() == 1
    assert sweep(date(2027, 3, 1)) == []
    soon = sweep(date(2027, 3, 17))
    assert [e["event_type"] for e in soon] == ["deadline.due_soon"]
    assert sweep(date(2027, 3, 18)) == soon
    late = sweep(date(2027, 3, 23))
    assert [e["event_type"] for e in late] == ["deadline.due_soon", "deadline.overdue"]
    data = parse_envelope(late[-1]).data
    assert (data.code, data.deadline_id, data.due) == ("action_due", "a1", date(2027, 3, 22))


def test_a_past_due_date_brought_in_is_overdue_at_once_and_closing_stops_reminders(reviewed):
    reviewed.handle(added("a1", date(2026, 12, 1), date(2027, 1, 11)))
    reviewed.handle(
        received(
            ActionProgressReported(
                **ABOUT,
                action_id="a1",
                due_on=date(2026, 12, 1),
                reported_on=date(2027, 1, 12),
                rag="red",
                note="Late",
            )
        )
    )
    assert ActionDeadline.objects.get(deadline_id="a1").rag == "red"
    assert [e["event_type"] for e in sweep(date(2027, 1, 12))] == ["deadline.overdue"]
    reviewed.handle(
        received(
            ActionClosed(
                **ABOUT,
                action_id="a1",
                due_on=date(2026, 12, 1),
                closed_on=date(2027, 1, 20),
                evidence_of_impact="Audit",
            )
        )
    )
    record = ActionDeadline.objects.get(deadline_id="a1")
    assert record.met_on == date(2027, 1, 20)
    assert send_action_reminders(FakeUnitOfWork(), FixedClock(date(2027, 2, 1)), due_soon_days=3) == 0


def test_the_actions_have_their_own_queue():
    assert set(listeners.queues()["scheduler.actions"]) == {
        "action.added",
        "action.progress_reported",
        "action.closed",
    }
