"""Conducting the review: its meetings and learning events, the quality marker self-assessment
and the learning acted on while it runs. Each command is one unit of work, in the manner of
:mod:`.commands` (the viewer, today, what the API answers).

Who may do what: the business unit schedules, changes and cancels meetings; the business unit
or a panel member of the review writes a meeting's notes and actions, and records interim
learning; the business unit or the Chair assesses the quality markers. The business unit, the
Chair and the panel read all of it; agency staff and families do not.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from services.reviews.domain.interim import InterimLearning
from services.reviews.domain.meetings import INVITATION_FIELDS, Action, Meeting, find, london
from services.reviews.domain.quality import assess
from services.reviews.domain.review import Review
from services.reviews.service_layer import access
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.commands import _read, _review
from services.reviews.service_layer.conduct_views import meeting_view, meetings_view, quality_view
from services.reviews.service_layer.unit_of_work import ReviewsUnitOfWork
from shared.events.reviews import Attendee


def _reader(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> Review:
    """The review, for those who see all of it."""
    review = _read(uow, viewer, case_id)
    if access.scope(viewer, review) != access.ALL:
        raise access.forbidden()
    return review


def _attendees(given: list[Mapping[str, Any]]) -> list[Attendee]:
    return [
        Attendee(name=a["name"], email=a["email"], agency=a.get("agency"), role=a.get("role")) for a in given
    ]


# -- meetings ---------------------------------------------------------------------------------


def list_meetings(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        review = _reader(uow, viewer, case_id)
        return {"case_id": case_id, "items": meetings_view(review)}


def get_meeting(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, meeting_id: str) -> dict[str, Any]:
    with uow:
        review = _reader(uow, viewer, case_id)
        return meeting_view(review, find(review.meetings, meeting_id))


def schedule_meeting(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    meeting_id: str | None = None,
) -> dict[str, Any]:
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        meeting = review.schedule_meeting(
            Meeting(
                meeting_id=meeting_id or uuid.uuid4().hex,
                kind=given["kind"],
                starts_at=london(given["starts_at"]),
                ends_at=london(given["ends_at"]),
                place=given.get("place"),
                link=given.get("link"),
                attendees=_attendees(given["attendees"]),
                agenda=list(given.get("agenda") or []),
            )
        )
        uow.commit()
        return meeting_view(review, meeting)


def change_meeting(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, meeting_id: str, given: Mapping[str, Any]
) -> dict[str, Any]:
    """Change what is given: the invitation (the business unit), the notes and actions (the
    business unit or the panel)."""
    with uow:
        review = _review(uow, viewer, case_id)
        if any(f in given for f in INVITATION_FIELDS):
            access.require_manager(viewer)
        else:
            access.require_panel_or_manager(viewer, review)
        changes = dict(given)
        for name in ("starts_at", "ends_at"):
            if name in changes:
                changes[name] = london(changes[name])
        if "attendees" in changes:
            changes["attendees"] = _attendees(changes["attendees"])
        if "actions" in changes:
            changes["actions"] = [Action(a["what"], a["owner"], a.get("due_on")) for a in changes["actions"]]
        meeting = review.change_meeting(meeting_id, changes)
        uow.commit()
        return meeting_view(review, meeting)


def cancel_meeting(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, meeting_id: str) -> dict[str, Any]:
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        meeting = review.cancel_meeting(meeting_id)
        uow.commit()
        return meeting_view(review, meeting)


# -- quality markers (004) -------------------------------------------------------------------


def get_quality(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        return quality_view(_reader(uow, viewer, case_id))


def put_quality(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, given: Mapping[str, Any], today: date
) -> dict[str, Any]:
    access.require_deciders(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        review.ensure_active()
        assessment = assess(given["marker"], given["answers"], today, viewer.name)
        review.quality[assessment.marker] = assessment
        uow.commit()
        return quality_view(review)


# -- interim learning (003 "Timescale for SCR completion") -------------------------------------


def record_interim_learning(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    learning_id: str | None = None,
) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        access.require_panel_or_manager(viewer, review)
        review.ensure_active()
        for kept in review.interim_learning:
            if kept.learning_id == learning_id:
                return kept.as_dict()
        item = InterimLearning(
            learning_id=learning_id or uuid.uuid4().hex,
            improvement=given["improvement"],
            action_taken=given["action_taken"],
            owner=given["owner"],
            on=given["on"],
            agency=given.get("agency"),
            recorded_by=viewer.name,
        )
        review.interim_learning.append(item)
        uow.commit()
        return item.as_dict()


def list_interim_learning(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        review = _reader(uow, viewer, case_id)
        items = sorted(review.interim_learning, key=lambda i: i.on)
        return {"case_id": case_id, "items": [i.as_dict() for i in items]}
