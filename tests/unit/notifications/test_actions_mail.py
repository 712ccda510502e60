"""Reminders to an action's owner over a real SMTP server on loopback: due soon and overdue once
each, nothing for another deadline's code, nothing once the action is closed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.notifications.adapters import messages
from services.notifications.adapters.channels import SmtpChannel
from services.notifications.service_layer.action_mail import (
    on_action_added,
    on_action_closed,
    on_action_deadline,
)
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.reviews import ActionAdded, ActionClosed
from tests.events import received
from tests.smtp_server import RecordingHandler, SmtpServers

SENDER = "case-reviews@wirral.example.org"
OWNER = "lead.nurse@health.example.org"
ABOUT = {
    "case_id": "c1",
    "board_id": "b1",
    "reference": "WSCP-2026-001",
    "action_id": "a1",
    "recommendation": "Share neglect concerns early",
    "action": "Screen for neglect at the first health visit",
    "owner_agency": "health",
    "owner_email": OWNER,
    "due_on": date(2026, 6, 30),
    "success_measure": "Nine in ten visits screened",
}


@pytest.fixture
def smtp():
    servers = SmtpServers()
    handler = RecordingHandler()
    controller = servers.start(handler)
    yield handler, SmtpChannel("127.0.0.1", controller.port, SENDER, timeout=5)
    servers.stop_all()


def deliver(fn, event, channel) -> None:
    fn(event, lambda board_id: channel, messages.render, lambda: datetime(2026, 6, 1, 9, tzinfo=UTC))


def reminder(cls, code="action_due"):
    return received(
        cls(
            case_id="c1",
            board_id="b1",
            deadline_id="a1",
            code=code,
            due=date(2026, 6, 30),
            concerns="business_unit",
        )
    )


def test_the_owner_is_reminded_once_due_soon_and_once_overdue(smtp):
    handler, channel = smtp
    on_action_added(
        received(ActionAdded(**ABOUT, added_on=date(2026, 3, 2), plan_agreed_on=date(2026, 3, 2)))
    )
    deliver(on_action_deadline, reminder(DeadlineDueSoon), channel)
    overdue = reminder(DeadlineOverdue)
    deliver(on_action_deadline, overdue, channel)
    deliver(on_action_deadline, overdue, channel)  # a repeat sends nothing
    deliver(on_action_deadline, reminder(DeadlineOverdue, code="contribution_due"), channel)
    sent = [handler.parsed(i) for i in range(len(handler.received))]
    assert [m["To"] for m in sent] == [OWNER, OWNER]
    assert [m["Subject"].strip() for m in sent] == [
        "Due soon: an action from review WSCP-2026-001, due 30 June 2026",
        "Overdue: an action from review WSCP-2026-001, due 30 June 2026",
    ]
    body = sent[1].get_body(("plain",)).get_content()
    assert "Screen for neglect at the first health visit" in body and "has not been closed" in body
    assert "Health" in body  # the agency in plain words


def test_a_closed_action_is_not_reminded(smtp):
    handler, channel = smtp
    on_action_added(
        received(ActionAdded(**ABOUT, added_on=date(2026, 3, 2), plan_agreed_on=date(2026, 3, 2)))
    )
    on_action_closed(received(ActionClosed(**ABOUT, closed_on=date(2026, 6, 2), evidence_of_impact="Audit")))
    deliver(on_action_deadline, reminder(DeadlineOverdue), channel)
    assert handler.received == []
