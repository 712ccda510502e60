"""A review's emails over a real SMTP server on loopback: meeting invitations with an .ics the
calendar reads (one UID, SEQUENCE rising, CANCEL on cancellation), each sent once per attendee
and version; the contribution request to the agency's contact, and its reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from services.notifications.adapters import messages
from services.notifications.adapters.channels import SmtpChannel
from services.notifications.adapters.review_mail import ReviewMail
from services.notifications.service_layer.review_mail import (
    on_contribution_deadline,
    on_contribution_requested,
    on_meeting,
)
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.reviews import (
    Attendee,
    ContributionRequested,
    MeetingCancelled,
    MeetingChanged,
    MeetingScheduled,
)
from tests.events import received
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.unit.notifications.fakes import BOARD

LONDON = ZoneInfo("Europe/London")
SENDER = "case-reviews@wirral.example.org"
ANNE = Attendee(name="Anne Analyst", email="anne@police.example.org", agency="police", role="member")
BEN = Attendee(name="Ben Nurse", email="ben@health.example.org", agency="health", role="practitioner")
LINK = "https://reviews.example.org/reviews/c1/contributions/k1"


@pytest.fixture
def smtp():
    servers = SmtpServers()
    handler = RecordingHandler()
    controller = servers.start(handler)
    yield handler, SmtpChannel("127.0.0.1", controller.port, SENDER, timeout=5)
    servers.stop_all()


def deliver(handler_fn, event, channel) -> None:
    handler_fn(event, lambda board_id: channel, messages.render, lambda: datetime(2026, 3, 2, 9, tzinfo=UTC))


def meeting(cls=MeetingScheduled, sequence=0, day=10, attendees=(ANNE, BEN), **more):
    return received(
        cls(
            case_id="c1",
            board_id="b1",
            meeting_id="m1",
            kind="panel_meeting",
            title="Review panel meeting",
            reference="WSCP-2026-001",
            starts_at=datetime(2026, 3, day, 10, tzinfo=LONDON),
            ends_at=datetime(2026, 3, day, 12, tzinfo=LONDON),
            place="Wallasey Town Hall",
            agenda=["Merged timeline"],
            attendees=list(attendees),
            sequence=sequence,
            **more,
        )
    )


def ics_of(message) -> tuple[Calendar, object]:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    cal = Calendar.from_ical(part.get_payload(decode=True))
    [event] = cal.walk("VEVENT")
    return cal, event


def by_recipient(handler) -> dict[str, list]:
    out: dict[str, list] = {}
    for i in range(len(handler.received)):
        message = handler.parsed(i)
        out.setdefault(message["To"], []).append(message)
    return out


def test_each_attendee_gets_an_invitation_the_calendar_reads_once(smtp):
    handler, channel = smtp
    event = meeting()
    deliver(on_meeting, event, channel)
    deliver(on_meeting, event, channel)  # the bus delivers it again: nothing more goes
    sent = by_recipient(handler)
    assert set(sent) == {ANNE.email, BEN.email} and all(len(m) == 1 for m in sent.values())
    message = sent[ANNE.email][0]
    assert message["Subject"] == "Review panel meeting, review WSCP-2026-001, 10 March 2026, 10am"
    assert "Dear Anne Analyst" in message.get_body(("plain",)).get_content()
    cal, ev = ics_of(message)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(ev["UID"]) == "meeting-m1@case-reviews.lscb" and int(ev["SEQUENCE"]) == 0
    assert ev.decoded("DTSTART") == datetime(2026, 3, 10, 10, tzinfo=LONDON)
    assert str(ev["ATTENDEE"]) == f"mailto:{ANNE.email}"
    assert ReviewMail.objects(case_id="c1", status="sent").count() == 2


def test_a_change_sends_the_same_uid_with_a_higher_sequence_and_cancels_for_who_was_removed(smtp):
    handler, channel = smtp
    deliver(on_meeting, meeting(), channel)
    deliver(
        on_meeting, meeting(MeetingChanged, sequence=1, day=11, attendees=(ANNE,), removed=[BEN]), channel
    )
    sent = by_recipient(handler)
    first, second = (ics_of(m)[1] for m in sent[ANNE.email])
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second.decoded("DTSTART").day == 11
    assert sent[ANNE.email][1]["Subject"].strip().startswith("Changed: ")  # a long header is folded
    cal, ben = ics_of(sent[BEN.email][1])
    assert str(cal["METHOD"]) == "CANCEL" and str(ben["STATUS"]) == "CANCELLED"


def test_a_cancellation_reaches_every_attendee(smtp):
    handler, channel = smtp
    deliver(on_meeting, meeting(MeetingCancelled, sequence=1), channel)
    sent = by_recipient(handler)
    assert set(sent) == {ANNE.email, BEN.email}
    assert all(str(ics_of(m[0])[0]["METHOD"]) == "CANCEL" for m in sent.values())
    assert sent[BEN.email][0]["Subject"].strip().startswith("Cancelled: ")


def requested(contact: str | None = "dc.jones@police.example.org"):
    return received(
        ContributionRequested(
            case_id="c1",
            board_id="b1",
            contribution_id="k1",
            agency="police",
            kind="chronology",
            requested_on=date(2026, 3, 2),
            due_on=date(2026, 3, 23),
            reference="WSCP-2026-001",
            contact_email=contact,
            contact_name="DC Jones",
            link=LINK,
        )
    )


def reminder(cls, code="contribution_due"):
    return received(
        cls(
            case_id="c1",
            board_id="b1",
            deadline_id="k1",
            code=code,
            due=date(2026, 3, 23),
            concerns="business_unit",
        )
    )


def test_the_agency_contact_gets_the_link_then_its_reminders_once_each(smtp):
    handler, channel = smtp
    deliver(on_contribution_requested, requested(), channel)
    deliver(on_contribution_requested, requested(), channel)
    deliver(on_contribution_deadline, reminder(DeadlineDueSoon), channel)
    overdue = reminder(DeadlineOverdue)
    deliver(on_contribution_deadline, overdue, channel)
    deliver(on_contribution_deadline, overdue, channel)
    deliver(on_contribution_deadline, reminder(DeadlineOverdue, code="scr_decision"), channel)
    sent = by_recipient(handler)["dc.jones@police.example.org"]
    assert [m["Subject"].strip() for m in sent] == [
        "Request for a significant practice events chronology, review WSCP-2026-001, due 23 March 2026",
        "Due soon: significant practice events chronology, review WSCP-2026-001, due 23 March 2026",
        "Overdue: significant practice events chronology, review WSCP-2026-001, due 23 March 2026",
    ]
    assert LINK in sent[0].get_body(("plain",)).get_content()
    assert LINK in sent[2].get_body(("plain",)).get_content()
    assert len({m["Message-ID"] for m in sent}) == 3


def test_without_a_contact_nothing_is_sent_to_the_agency(smtp):
    handler, channel = smtp
    deliver(on_contribution_requested, requested(contact=None), channel)
    deliver(on_contribution_deadline, reminder(DeadlineOverdue), channel)
    assert handler.received == []


def test_an_overdue_contribution_reminds_the_business_unit_and_the_agency_contact(
    handle, decided, uow, channel
):
    """Through every listener of the service, as the bus worker hands them the events."""
    handle(received(ContributionRequested(**{**vars(requested().data), "board_id": BOARD})))
    handle(
        received(
            DeadlineOverdue(
                case_id="c1",
                board_id=BOARD,
                deadline_id="k1",
                code="contribution_due",
                due=date(2026, 3, 23),
                concerns="business_unit",
            )
        )
    )
    [ledger] = uow.notifications_stored(template="deadline_overdue")
    assert ledger.recipient_role == "business_unit" and ledger.address == "bu@example.org"
    to_agency = [m for m in channel.sent if m.to == "dc.jones@police.example.org"]
    assert [m.subject.split(":")[0] for m in to_agency] == [
        "Request for a significant practice events chronology, review WSCP-2026-001, due 23 March 2026",
        "Overdue",
    ]
