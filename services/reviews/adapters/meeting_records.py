"""A meeting as a plain dictionary of JSON values, and back (times as ISO 8601 with their offset)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from services.reviews.domain.meetings import Action, Meeting, london
from shared.events.reviews import Attendee


def dump_meeting(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.meeting_id,
        "kind": m.kind,
        "starts_at": m.starts_at.isoformat(),
        "ends_at": m.ends_at.isoformat(),
        "place": m.place,
        "link": m.link,
        "attendees": [asdict(a) for a in m.attendees],
        "agenda": list(m.agenda),
        "notes": m.notes,
        "actions": [a.as_dict() for a in m.actions],
        "sequence": m.sequence,
        "status": m.status,
    }


def load_meeting(data: dict[str, Any]) -> Meeting:
    return Meeting(
        meeting_id=data["id"],
        kind=data["kind"],
        starts_at=london(datetime.fromisoformat(data["starts_at"])),
        ends_at=london(datetime.fromisoformat(data["ends_at"])),
        place=data.get("place"),
        link=data.get("link"),
        attendees=[Attendee(**a) for a in data.get("attendees", [])],
        agenda=list(data.get("agenda") or []),
        notes=data.get("notes") or "",
        actions=[Action.from_dict(a) for a in data.get("actions", [])],
        sequence=data.get("sequence", 0),
        status=data["status"],
    )
