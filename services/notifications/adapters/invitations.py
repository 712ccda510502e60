"""Calendar invitations for review meetings (RFC 5546 iTIP over RFC 5545), made with icalendar.

One UID per meeting, whatever changes; SEQUENCE as the meeting's, so that a calendar replaces the
invitation it holds with a later one; METHOD:REQUEST to invite (again), METHOD:CANCEL to cancel.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PRODID = "-//Safeguarding children partnership//Case reviews//EN"


def uid(meeting_id: str) -> str:
    return f"meeting-{meeting_id}@case-reviews.lscb"


def invitation(
    meeting: Any, attendee: Any, method: str, organiser: str, now: datetime | None = None
) -> bytes:
    """The .ics for one attendee: ``meeting`` is a meeting event's payload."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid(meeting.meeting_id))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    summary = meeting.title + (f", review {meeting.reference}" if meeting.reference else "")
    event.add("summary", summary)
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.link:
        event.add("url", meeting.link)
    lines = [f"Agenda: {'; '.join(meeting.agenda)}" if meeting.agenda else "", meeting.link or ""]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organiser_address = vCalAddress(f"mailto:{organiser}")
    organiser_address.params["cn"] = vText("Board business unit")
    event["organizer"] = organiser_address
    who = vCalAddress(f"mailto:{attendee.email}")
    who.params["cn"] = vText(attendee.name)
    who.params["role"] = vText("REQ-PARTICIPANT")
    who.params["rsvp"] = vText("TRUE")
    event.add("attendee", who, encode=False)
    cal.add_component(event)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
