"""Meetings of a review: panel meetings, practitioner learning events, case-group meetings and
family meetings (001 §6; 002 §2.3, §2.6-2.7), with who is invited, the agenda, notes and actions.

A meeting's invitation is what the attendees' calendars hold: scheduling it invites them;
changing its time, place, link, agenda or attendees sends the invitation again with a higher
``sequence``; cancelling it tells them. Notes and actions are the record of the meeting and
send nothing. What a learning event found (its notes) is carried to the next panel meeting
(002 §2.6-2.7: the panel meets after the learning event to consider its outcomes). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events.reviews import Attendee

LONDON = ZoneInfo("Europe/London")

PANEL_MEETING = "panel_meeting"
LEARNING_EVENT = "learning_event"
CASE_GROUP_MEETING = "case_group_meeting"
FAMILY_MEETING = "family_meeting"
MEETING_KINDS: tuple[str, ...] = (PANEL_MEETING, LEARNING_EVENT, CASE_GROUP_MEETING, FAMILY_MEETING)
TITLES = {
    PANEL_MEETING: "Review panel meeting",
    LEARNING_EVENT: "Practitioner learning event",
    CASE_GROUP_MEETING: "Case group meeting",
    FAMILY_MEETING: "Family meeting",
}

SCHEDULED = "scheduled"
CANCELLED = "cancelled"

# What the invitation says: a change of any of these sends it again.
INVITATION_FIELDS = ("starts_at", "ends_at", "place", "link", "agenda", "attendees")


@dataclass(frozen=True)
class Action:
    """Something the meeting agreed someone will do, by a date."""

    what: str
    owner: str
    due_on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "owner": self.owner,
            "due_on": self.due_on.isoformat() if self.due_on else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        due = data.get("due_on")
        return cls(data["what"], data["owner"], date.fromisoformat(due) if isinstance(due, str) else due)


@dataclass
class Meeting:
    meeting_id: str
    kind: str
    starts_at: datetime  # aware, Europe/London
    ends_at: datetime
    attendees: list[Attendee]
    place: str | None = None
    link: str | None = None
    agenda: list[str] = field(default_factory=list)
    notes: str = ""
    actions: list[Action] = field(default_factory=list)
    sequence: int = 0
    status: str = SCHEDULED

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def held_on(self) -> date:
        return self.starts_at.date()

    def invitation(self) -> dict[str, Any]:
        """What the invitation events carry of it."""
        return {
            "meeting_id": self.meeting_id,
            "kind": self.kind,
            "title": self.title,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "place": self.place,
            "link": self.link,
            "agenda": list(self.agenda),
            "attendees": list(self.attendees),
            "sequence": self.sequence,
        }


def london(moment: datetime) -> datetime:
    """A meeting time in Europe/London: a time without an offset is read as London's."""
    return moment.replace(tzinfo=LONDON) if moment.tzinfo is None else moment.astimezone(LONDON)


def meeting_problems(meeting: Meeting) -> list[dict[str, str]]:
    """Everything wrong with a meeting as scheduled or changed, each naming its field."""
    problems = []
    if meeting.kind not in MEETING_KINDS:
        problems.append({"field": "kind", "message": f"Choose one of {', '.join(MEETING_KINDS)}"})
    if meeting.ends_at <= meeting.starts_at:
        problems.append({"field": "ends_at", "message": "The meeting must end after it starts"})
    if not (meeting.place or meeting.link):
        problems.append(
            {"field": "place", "message": "Say where the meeting is, or give the link to join it"}
        )
    if not meeting.attendees:
        problems.append({"field": "attendees", "message": "Invite at least one person"})
    seen: set[str] = set()
    for i, a in enumerate(meeting.attendees):
        if a.email.lower() in seen:
            problems.append({"field": f"attendees.{i}.email", "message": "This person is invited already"})
        seen.add(a.email.lower())
    return problems


def schedule(meetings: list[Meeting], meeting: Meeting) -> Meeting:
    problems = meeting_problems(meeting)
    if problems:
        raise InvalidInput(problems)
    meetings.append(meeting)
    return meeting


def find(meetings: list[Meeting], meeting_id: str) -> Meeting:
    for m in meetings:
        if m.meeting_id == meeting_id:
            return m
    raise NotFound("No such meeting in this review", "meeting_id")


def change(meeting: Meeting, given: dict[str, Any]) -> list[Attendee] | None:
    """Apply a change; returns the attendees taken off the list when the invitation changed
    (then ``sequence`` is one higher), or None when only the record (notes, actions) did."""
    if meeting.status == CANCELLED:
        raise Conflict("The meeting was cancelled and no longer changes", "status")
    changed = replace(meeting, **given)
    problems = meeting_problems(changed)
    if problems:
        raise InvalidInput(problems)
    invitation_changed = any(getattr(changed, f) != getattr(meeting, f) for f in INVITATION_FIELDS)
    kept = {a.email.lower() for a in changed.attendees}
    removed = [a for a in meeting.attendees if a.email.lower() not in kept]
    for name in given:
        setattr(meeting, name, getattr(changed, name))
    if not invitation_changed:
        return None
    meeting.sequence += 1
    return removed


def cancel(meeting: Meeting) -> None:
    if meeting.status == CANCELLED:
        raise Conflict("The meeting was cancelled already", "status")
    meeting.status = CANCELLED
    meeting.sequence += 1


def carried_to(meetings: list[Meeting], panel_meeting: Meeting) -> list[Meeting]:
    """The learning events whose summary this panel meeting takes up: those held, with notes,
    after the panel meeting before it and before this one (002 §2.6-2.7)."""
    if panel_meeting.kind != PANEL_MEETING or panel_meeting.status == CANCELLED:
        return []
    earlier_panels = [
        m.starts_at
        for m in meetings
        if m.kind == PANEL_MEETING and m.status == SCHEDULED and m.starts_at < panel_meeting.starts_at
    ]
    since = max(earlier_panels) if earlier_panels else None
    return sorted(
        (
            m
            for m in meetings
            if m.kind == LEARNING_EVENT
            and m.status == SCHEDULED
            and m.notes.strip()
            and m.ends_at <= panel_meeting.starts_at
            and (since is None or m.starts_at > since)
        ),
        key=lambda m: m.starts_at,
    )
