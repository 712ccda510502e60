"""Meetings coming up on the reviewers' home pages: filled from the reviews service's meeting
events, for those invited (by email); a change of attendees or time follows the latest
invitation, a cancellation takes the meeting off, and a late, older invitation changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from services.scheduler.bootstrap import bootstrap
from services.scheduler.domain import work
from services.scheduler.service_layer.work import GetWork
from shared.events.reviews import Attendee, MeetingCancelled, MeetingChanged, MeetingScheduled
from tests.events import received
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.scheduler.fakes import Scheduler

BOARD = "b1"
LONDON = ZoneInfo("Europe/London")
LEE = Attendee(name="Lee Reviewer", email="Lee@Reviews.example.org", role="lead_reviewer")
PAT = Attendee(name="Pat Panel", email="pat@board.example.org", role="panel_member")


def meeting(
    cls=MeetingScheduled,
    *,
    meeting_id="m1",
    starts=datetime(2027, 1, 6, 10),
    sequence=0,
    attendees=(LEE, PAT),
    **extra,
):
    at = starts.replace(tzinfo=LONDON)
    return received(
        cls(
            case_id="c1",
            board_id=BOARD,
            meeting_id=meeting_id,
            kind="panel_meeting",
            title="First panel meeting",
            reference="B-2026-0001",
            starts_at=at,
            ends_at=at.replace(hour=at.hour + 1),
            attendees=list(attendees),
            sequence=sequence,
            **extra,
        )
    )


def meetings(scheduler: Scheduler, email: str, role: str = "lead_reviewer") -> work.WorkList:
    found = scheduler.handle(GetWork(BOARD, frozenset({role}), email=email))
    return next(w for w in found if w.section.key == "meetings")


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(today=date(2027, 1, 4))


def test_those_invited_see_the_meetings_coming_up_soonest_first(scheduler):
    scheduler.handle(meeting(meeting_id="m2", starts=datetime(2027, 2, 1, 14)))
    scheduler.handle(meeting(meeting_id="m1"))
    scheduler.handle(meeting(meeting_id="m0", starts=datetime(2027, 1, 3, 10)))  # in the past
    lee = meetings(scheduler, "lee@reviews.example.org")  # the address in any case
    assert [i.on for i in lee.items] == [date(2027, 1, 6), date(2027, 2, 1)] and lee.count == 2
    assert lee.items[0].reference == "B-2026-0001" and lee.items[0].detail == "First panel meeting"
    assert meetings(scheduler, "pat@board.example.org", "panel_member").count == 2
    assert meetings(scheduler, "someone@else.example.org").count == 0
    # Not a section for the business unit or the family.
    keys = {w.section.key for w in scheduler.handle(GetWork(BOARD, frozenset({"business_unit"})))}
    assert "meetings" not in keys


def test_a_change_follows_the_latest_invitation_and_a_cancellation_takes_it_off(scheduler):
    scheduler.handle(meeting())
    scheduler.handle(meeting(MeetingChanged, sequence=1, attendees=(LEE,), removed=[PAT]))
    assert meetings(scheduler, "pat@board.example.org", "panel_member").count == 0
    assert meetings(scheduler, LEE.email).count == 1
    # An older invitation arriving late does not bring Pat back.
    scheduler.handle(meeting(sequence=0))
    assert meetings(scheduler, "pat@board.example.org", "panel_member").count == 0

    scheduler.handle(meeting(MeetingCancelled, sequence=2, attendees=(LEE,)))
    assert meetings(scheduler, LEE.email).count == 0
    scheduler.handle(meeting(MeetingChanged, sequence=1, attendees=(LEE,)))  # late: still cancelled
    assert meetings(scheduler, LEE.email).count == 0


def test_the_home_page_lists_the_meeting_with_its_title_and_day(settings):
    service = bootstrap(settings)
    board = make_board()
    reviewer = make_user("panel_member", board=board)
    service.extras["bus"].handle(
        received(
            MeetingScheduled(
                case_id="c1",
                board_id=board.board_id,
                meeting_id="m9",
                kind="panel_meeting",
                title="First panel meeting",
                reference="B-2026-0009",
                starts_at=datetime(2099, 3, 8, 10, tzinfo=UTC),
                ends_at=datetime(2099, 3, 8, 11, tzinfo=UTC),
                attendees=[Attendee(name=reviewer.name, email=reviewer.email)],
            )
        )
    )
    page = service.app.test_client().get("/home", headers=bearer(make_token(reviewer))).get_data(as_text=True)
    assert "Meetings coming up" in page
    assert 'href="/cases/c1">B-2026-0009</a>' in page
    assert "First panel meeting, 8 March 2099" in page
