"""What the API answers about a review's meetings, family, quality markers and interim learning."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from services.reviews.domain.family import Family, FamilyMember
from services.reviews.domain.meetings import Meeting, carried_to
from services.reviews.domain.quality import MARKERS
from services.reviews.domain.review import Review
from shared.words import long_date

TIMEZONE = "Europe/London"


def meeting_view(review: Review, m: Meeting) -> dict[str, Any]:
    return {
        "id": m.meeting_id,
        "kind": m.kind,
        "title": m.title,
        "starts_at": m.starts_at.isoformat(),
        "ends_at": m.ends_at.isoformat(),
        "timezone": TIMEZONE,
        "place": m.place,
        "link": m.link,
        "attendees": [asdict(a) for a in m.attendees],
        "agenda": list(m.agenda),
        "notes": m.notes,
        "actions": [a.as_dict() for a in m.actions],
        "sequence": m.sequence,
        "status": m.status,
        # What this panel meeting takes up from the learning events before it (002 §2.6-2.7).
        "carried_over": [
            {
                "meeting_id": event.meeting_id,
                "held_on": event.held_on.isoformat(),
                "heading": f"From the learning event of {long_date(event.held_on)}",
                "summary": event.notes,
            }
            for event in carried_to(review.meetings, m)
        ],
    }


def meetings_view(review: Review) -> list[dict[str, Any]]:
    return [meeting_view(review, m) for m in sorted(review.meetings, key=lambda m: m.starts_at)]


def member_view(m: FamilyMember) -> dict[str, Any]:
    out = asdict(m)
    out["id"] = out.pop("member_id")
    out["born_on"] = m.born_on.isoformat() if m.born_on else None
    out["consent"] = {"status": m.consent.status, "on": m.consent.on.isoformat()} if m.consent else None
    return out


def _renamed(record: dict[str, Any], **names: str) -> dict[str, Any]:
    return {names.get(k, k): v for k, v in record.items()}


def family_view(review: Review) -> dict[str, Any]:
    family: Family = review.family
    plain = family.as_dict()
    return {
        "case_id": review.case_id,
        "hold": plain["hold"],
        "members": [member_view(m) for m in family.members],
        "relationships": [{"from": r.from_id, "kind": r.kind, "to": r.to_id} for r in family.relations],
        "contacts": [_renamed(c, contact_id="id", during_hold="held") for c in plain["contacts"]],
        "support": [_renamed(c, support_id="id") for c in plain["support"]],
        "views": [_renamed(c, views_id="id") for c in plain["views"]],
        "meetings": [meeting_view(review, m) for m in review.meetings if m.kind == "family_meeting"],
    }


def quality_view(review: Review) -> dict[str, Any]:
    """Every marker the product knows, with its questions, and the board's assessment of it if any."""
    markers = []
    for code, marker in MARKERS.items():
        assessment = review.quality.get(code)
        markers.append(
            {
                "marker": code,
                "title": marker.title,
                "stage": marker.stage,
                "source": marker.source,
                "questions": [
                    {
                        "key": key,
                        "question": text,
                        "rating": assessment.answers[key].rating
                        if assessment and key in assessment.answers
                        else None,
                        "evidence": assessment.answers[key].evidence
                        if assessment and key in assessment.answers
                        else None,
                    }
                    for key, text in marker.questions.items()
                ],
                "assessed_on": assessment.assessed_on.isoformat() if assessment else None,
                "assessed_by": assessment.assessed_by if assessment else None,
            }
        )
    return {"case_id": review.case_id, "markers": markers}
