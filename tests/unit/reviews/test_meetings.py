"""Meetings and learning events: scheduling invites, a change re-invites with a higher sequence,
cancelling tells, notes and actions send nothing, the learning event's summary reaches the next
panel meeting; the API's 422s, 404 and roles."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.reviews.adapters.store import ReviewDocument
from services.reviews.domain.meetings import LONDON, Meeting, carried_to
from services.reviews.service_layer import commands, conduct, handlers
from services.reviews.service_layer.access import Viewer
from shared.errors import Forbidden, InvalidInput
from shared.events.reviews import Attendee
from tests.events import decision_recorded, received, referral_submitted
from tests.factories import bearer, make_board, make_token, make_user

from .conftest import PANEL_EMAIL
from .fakes import FakeUnitOfWork

BASE = "/api/v1/reviews/c1"
BOARD = "b1"
BUSINESS = Viewer("u-bu", "Bea Business", BOARD, frozenset({"business_unit"}))
PANEL = Viewer("u-p", "Pat Panel", BOARD, frozenset({"panel_member"}), email="pat@panel.example.org")
POLICE = Viewer("u-pol", "Paul Police", BOARD, frozenset({"agency_practitioner"}), agency="police")

ANNE = {"name": "Anne Analyst", "email": "anne@police.example.org", "agency": "police", "role": "member"}
BEN = {"name": "Ben Nurse", "email": "ben@health.example.org", "agency": "health", "role": "practitioner"}


def meeting(**overrides):
    return {
        "kind": "panel_meeting",
        "starts_at": datetime(2026, 3, 10, 10, 0),
        "ends_at": datetime(2026, 3, 10, 12, 0),
        "place": "Wallasey Town Hall, room 2",
        "attendees": [ANNE, BEN],
        "agenda": ["Merged timeline", "Learning event plan"],
        **overrides,
    }


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    handlers.on_referral_submitted(received(referral_submitted(BOARD)), uow)
    handlers.on_decision(received(decision_recorded(BOARD)), uow)
    commands.add_panel_member(
        uow,
        BUSINESS,
        "c1",
        {"role": "member", "name": "Pat", "email": "pat@panel.example.org", "organisation": "Education"},
        date(2026, 3, 2),
    )
    return uow


def test_scheduling_publishes_what_the_invitation_needs_in_london_time(uow):
    found = conduct.schedule_meeting(uow, BUSINESS, "c1", meeting(), "m1")
    assert found["starts_at"] == "2026-03-10T10:00:00+00:00" and found["timezone"] == "Europe/London"
    [envelope] = [e for e in uow.published if e["event_type"] == "meeting.scheduled"]
    data = envelope["data"]
    assert data["meeting_id"] == "m1" and data["sequence"] == 0 and data["title"] == "Review panel meeting"
    assert [a["email"] for a in data["attendees"]] == [ANNE["email"], BEN["email"]]
    assert data["place"] == "Wallasey Town Hall, room 2"
    # In summer London is an hour ahead of UTC: the time given is London's.
    summer = conduct.schedule_meeting(
        uow,
        BUSINESS,
        "c1",
        meeting(starts_at=datetime(2026, 7, 1, 9, 30), ends_at=datetime(2026, 7, 1, 11)),
        "m2",
    )
    assert summer["starts_at"] == "2026-07-01T09:30:00+01:00"


def test_every_problem_with_a_meeting_is_named_at_once(uow):
    with pytest.raises(InvalidInput) as caught:
        conduct.schedule_meeting(
            uow,
            BUSINESS,
            "c1",
            meeting(
                ends_at=datetime(2026, 3, 10, 9), place=None, attendees=[ANNE, {**ANNE, "name": "Again"}]
            ),
        )
    assert {p["field"] for p in caught.value.errors()} == {"ends_at", "place", "attendees.1.email"}


def test_a_change_of_time_reinvites_with_a_higher_sequence_and_uninvites_who_was_removed(uow):
    conduct.schedule_meeting(uow, BUSINESS, "c1", meeting(), "m1")
    changed = conduct.change_meeting(
        uow,
        BUSINESS,
        "c1",
        "m1",
        {"starts_at": datetime(2026, 3, 11, 10), "ends_at": datetime(2026, 3, 11, 12), "attendees": [ANNE]},
    )
    assert changed["sequence"] == 1
    envelope = uow.published[-1]
    assert envelope["event_type"] == "meeting.changed"
    assert envelope["data"]["sequence"] == 1 and envelope["data"]["meeting_id"] == "m1"
    assert [a["email"] for a in envelope["data"]["removed"]] == [BEN["email"]]


def test_notes_and_actions_are_the_record_and_send_nothing_and_the_panel_may_write_them(uow):
    conduct.schedule_meeting(uow, BUSINESS, "c1", meeting(), "m1")
    before = len(uow.published)
    found = conduct.change_meeting(
        uow,
        PANEL,
        "c1",
        "m1",
        {
            "notes": "Timeline agreed",
            "actions": [{"what": "Send the timeline", "owner": "Bea", "due_on": date(2026, 3, 20)}],
        },
    )
    assert found["sequence"] == 0 and found["notes"] == "Timeline agreed"
    assert found["actions"] == [{"what": "Send the timeline", "owner": "Bea", "due_on": "2026-03-20"}]
    assert len(uow.published) == before
    with pytest.raises(Forbidden):  # the panel writes the record, not the invitation
        conduct.change_meeting(uow, PANEL, "c1", "m1", {"place": "Elsewhere"})
    with pytest.raises(Forbidden):
        conduct.list_meetings(uow, POLICE, "c1")


def test_cancelling_tells_the_attendees_and_the_meeting_no_longer_changes(uow):
    conduct.schedule_meeting(uow, BUSINESS, "c1", meeting(), "m1")
    found = conduct.cancel_meeting(uow, BUSINESS, "c1", "m1")
    assert found["status"] == "cancelled" and found["sequence"] == 1
    assert uow.published[-1]["event_type"] == "meeting.cancelled"
    assert len(uow.published[-1]["data"]["attendees"]) == 2


def test_the_learning_events_summary_goes_to_the_next_panel_meeting_only():
    def make(mid: str, kind: str, day: int, notes: str = "") -> Meeting:
        at = datetime(2026, 4, day, 10, tzinfo=LONDON)
        return Meeting(
            mid,
            kind,
            at,
            at.replace(hour=12),
            [Attendee(name="A", email="a@x.org")],
            place="Room",
            notes=notes,
        )

    first_panel = make("p1", "panel_meeting", 1)
    learning = make(
        "l1", "learning_event", 8, notes="Practitioners did not share the health visitor's concern"
    )
    empty = make("l2", "learning_event", 9)
    next_panel = make("p2", "panel_meeting", 15)
    later_panel = make("p3", "panel_meeting", 29)
    meetings = [first_panel, learning, empty, next_panel, later_panel]
    assert carried_to(meetings, next_panel) == [learning]
    assert carried_to(meetings, first_panel) == [] and carried_to(meetings, later_panel) == []


# -- through the API -------------------------------------------------------------------------------


def test_the_panel_meeting_record_shows_the_learning_event_it_takes_up(client, users, review):
    body = {**meeting(), "starts_at": "2026-03-20T10:00", "ends_at": "2026-03-20T12:00"}
    made = client.post(f"{BASE}/meetings", json={**body, "kind": "learning_event"}, headers=users["business"])
    assert made.status_code == 201, made.get_json()
    learning = made.get_json()["id"]
    noted = client.put(
        f"{BASE}/meetings/{learning}", json={"notes": "Escalation was unclear"}, headers=users["business"]
    )
    assert noted.status_code == 200
    panel = client.post(
        f"{BASE}/meetings",
        json={**body, "starts_at": "2026-03-27T14:00", "ends_at": "2026-03-27T16:00"},
        headers=users["business"],
    ).get_json()
    [carried] = client.get(f"{BASE}/meetings/{panel['id']}", headers=users["business"]).get_json()[
        "carried_over"
    ]
    assert carried["heading"] == "From the learning event of 20 March 2026"
    assert carried["summary"] == "Escalation was unclear"
    review_body = client.get(BASE, headers=users["business"]).get_json()
    assert [m["kind"] for m in review_body["meetings"]] == ["learning_event", "panel_meeting"]
    outbox = ReviewDocument.objects(case_id="c1").first().outbox
    assert [e.event_type for e in outbox].count("meeting.scheduled") == 2


def test_the_api_names_every_wrong_field_and_refuses_by_role(client, users, review):
    resp = client.post(
        f"{BASE}/meetings",
        json={
            "kind": "party",
            "starts_at": "soon",
            "ends_at": "2026-03-20T12:00",
            "attendees": [{"name": "", "email": "x"}],
        },
        headers=users["business"],
    )
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} >= {
        "kind",
        "starts_at",
        "attendees.0.name",
        "attendees.0.email",
    }
    ok = {**meeting(), "starts_at": "2026-03-20T10:00", "ends_at": "2026-03-20T12:00"}
    assert client.post(f"{BASE}/meetings", json=ok, headers=users["police"]).status_code == 403
    assert client.post(f"{BASE}/meetings", json=ok, headers=users["panel"]).status_code == 403
    assert client.get(f"{BASE}/meetings", headers=users["family"]).status_code == 403
    assert client.get(f"{BASE}/meetings", headers=users["police"]).status_code == 403
    other = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.post(f"{BASE}/meetings", json=ok, headers=other).status_code == 404
    assert (
        client.put(f"{BASE}/meetings/nope", json={"notes": "x"}, headers=users["business"]).status_code == 404
    )


def test_a_panel_member_of_the_review_reads_its_meetings(client, users, review):
    member = {"role": "member", "name": "Pat", "email": PANEL_EMAIL, "organisation": "Education"}
    assert client.post(f"{BASE}/panel", json=member, headers=users["business"]).status_code == 201
    assert client.get(f"{BASE}/meetings", headers=users["panel"]).status_code == 200
    assert client.get(f"{BASE}/meetings", headers=users["outsider"]).status_code == 403
