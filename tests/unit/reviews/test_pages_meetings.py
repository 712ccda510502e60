"""The meetings pages (Flask's test client): scheduling a meeting with its attendees added one by
one and a check page, the invitations it sends, changing and cancelling it, notes and actions,
the learning event's notes carried to the next panel meeting; every error at once, 403 by role,
404 for another board."""

from __future__ import annotations

import re

import pytest

from services.reviews.adapters.store import ReviewDocument
from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import audited, post, summary, text
from tests.unit.reviews.conftest import PANEL_EMAIL

# The shared fixtures of the reviews pages.
browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere
seated = conduct_pages.seated


BASE = "/reviews/c1/meetings"
ANNE = {"name": "Anne Analyst", "email": "anne@police.example.org", "agency": "police", "role": "Analyst"}
PAT = {"name": "Pat Panel", "email": PANEL_EMAIL, "agency": "", "role": ""}


def details(**overrides):
    return {
        "kind": "panel_meeting",
        "held_on": ["10", "3", "2026"],
        "start_time": "10am",
        "end_time": "12:30pm",
        "place": "Wallasey Town Hall, room 2",
        "agenda": "Merged timeline\n\nLearning event plan",
        **overrides,
    }


def events(event_type):
    return [
        e.envelope["data"]
        for e in ReviewDocument.objects(case_id="c1").first().outbox
        if e.event_type == event_type
    ]


def schedule(client, people=(ANNE, PAT), **overrides):
    """Through the three pages: details, attendees one by one, check and send. The meeting's id."""
    start = client.get(f"{BASE}/new?start=1")
    assert start.status_code == 200
    resp = post(client, f"{BASE}/new", details(**overrides))
    assert resp.status_code == 302 and resp.headers["Location"] == f"{BASE}/new/attendees"
    for person in people:
        added = post(client, f"{BASE}/new/attendees", person)
        assert added.status_code == 302, summary(added)
    done = post(client, f"{BASE}/new/check", {})
    assert done.status_code == 302, summary(done)
    return done.headers["Location"].rsplit("/", 1)[1]


def test_the_business_unit_schedules_a_panel_meeting_and_every_attendee_is_invited(review, browser):
    unit = browser("business")
    listing = text(unit.get(BASE))
    assert "No meetings are coming up." in listing and f"{BASE}/new?start=1" in listing
    post(unit, f"{BASE}/new", details())
    post(unit, f"{BASE}/new/attendees", ANNE)
    shown = text(unit.get(f"{BASE}/new/attendees"))
    assert "Anne Analyst added" in shown and "anne@police.example.org" in shown and "Police" in shown
    check = text(unit.get(f"{BASE}/new/check"))
    assert "Review panel meeting" in check and "10 March 2026, 10am to 12:30pm" in check
    assert "Each attendee will get an email invitation with a calendar file (.ics)" in check
    assert "<li>Merged timeline</li>" in check and "<li>Learning event plan</li>" in check
    assert not events("meeting.scheduled")  # nothing is sent before the check page

    meeting_id = schedule(unit)
    [invitation] = events("meeting.scheduled")
    assert invitation["meeting_id"] == meeting_id and invitation["starts_at"].startswith(
        "2026-03-10T10:00:00"
    )
    assert [a["email"] for a in invitation["attendees"]] == [ANNE["email"], PAT["email"]]
    page = text(unit.get(f"{BASE}/{meeting_id}"))
    assert "every attendee has been sent an invitation" in page
    assert "Review panel meeting, 10 March 2026" in page and "10am to 12:30pm" in page
    assert "Wallasey Town Hall, room 2" in page and "None" not in page
    assert audited(unit.user.user_id, "review.write") >= 1


def test_every_problem_with_the_details_is_named_at_once(review, browser):
    unit = browser("business")
    resp = post(
        unit, f"{BASE}/new", {"held_on": ["31", "2", ""], "start_time": "25:00", "link": "not a link"}
    )
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#kind", "Select the kind of meeting"),
        ("#held_on-year", "The date of the meeting must include a year"),
        ("#start_time", "Enter the time the meeting starts like 9:30am, 14:00 or 2pm"),
        ("#end_time", "Enter the time the meeting ends"),
        ("#link", "Enter the link in full, starting https://"),
    ]
    # The service's own rules, on the check page: it ends before it starts; nobody is invited.
    post(unit, f"{BASE}/new", details(start_time="2pm", end_time="1pm", place=""), page=f"{BASE}/new?start=1")
    wrong = post(unit, f"{BASE}/new/check", {})
    assert wrong.status_code == 422
    assert [m for _, m in summary(wrong)] == [
        "The meeting must end after it starts",
        "Say where the meeting is, or give the link to join it",
        "Invite at least one person",
    ]


def test_attendees_are_checked_and_removed_one_by_one(review, browser):
    unit = browser("business")
    unit.get(f"{BASE}/new?start=1")
    post(unit, f"{BASE}/new", details())
    bad = post(unit, f"{BASE}/new/attendees", {"name": "", "email": "not-an-email", "agency": "fire"})
    assert bad.status_code == 422
    assert summary(bad) == [
        ("#name", "Enter the attendee's name"),
        ("#email", "Enter an email address in the correct format, like name@example.com"),
        ("#agency", "Select the attendee's agency from the list"),
    ]
    post(unit, f"{BASE}/new/attendees", ANNE)
    twice = post(unit, f"{BASE}/new/attendees", {**ANNE, "email": ANNE["email"].upper()})
    assert summary(twice) == [("#email", "This person is invited already")]
    post(unit, f"{BASE}/new/attendees", {"remove": "0"})
    assert "Nobody is invited yet" in text(unit.get(f"{BASE}/new/attendees"))


def test_changing_a_meeting_sends_an_updated_invitation_and_cancelling_tells_everyone(review, browser):
    unit = browser("business")
    meeting_id = schedule(unit)
    page = f"{BASE}/{meeting_id}/change"
    form = text(unit.get(f"{page}?start=1"))
    assert (
        'value="Wallasey Town Hall, room 2"' in form and 'value="10:00"' in form and 'name="kind"' not in form
    )
    resp = post(
        unit,
        page,
        details(
            kind=None, start_time="11am", end_time="1pm", place="Online", link="https://meet.example.org/x"
        ),
    )
    assert resp.headers["Location"] == f"{BASE}/{meeting_id}/attendees"
    check = text(unit.get(f"{BASE}/{meeting_id}/check"))
    assert "updated invitation" in check and "10 March 2026, 11am to 1pm" in check
    assert post(unit, f"{BASE}/{meeting_id}/check", {}).status_code == 302
    [changed] = events("meeting.changed")
    assert changed["sequence"] == 1 and changed["starts_at"].startswith("2026-03-10T11:00:00")

    confirm = text(unit.get(f"{BASE}/{meeting_id}/cancel"))
    assert "Cancel the review panel meeting of 10 March 2026?" in confirm and "2 people invited" in confirm
    assert not events("meeting.cancelled")
    done = post(unit, f"{BASE}/{meeting_id}/cancel", {})
    assert done.status_code == 302 and len(events("meeting.cancelled")) == 1
    after = text(unit.get(f"{BASE}/{meeting_id}"))
    assert "Cancelled" in after and "Change the meeting" not in after


def test_notes_and_actions_and_the_learning_event_carried_to_the_panel_meeting(seated, browser):
    unit = browser("business")
    event = schedule(unit, kind="learning_event", held_on=["3", "3", "2026"])
    panel = schedule(unit, kind="panel_meeting", held_on=["10", "3", "2026"])
    missing = post(unit, f"{BASE}/{event}/actions", {"what": "", "owner": "", "due_on": ["", "4", "2026"]})
    assert summary(missing) == [
        ("#what", "Enter what is to be done"),
        ("#owner", "Enter who will do it"),
        ("#due_on-day", "The date it is due must include a day"),
    ]
    # A panel member of the review records the notes and an action.
    member = browser("panel")
    notes = post(member, f"{BASE}/{event}/notes", {"notes": "Health visiting lost sight of the child."})
    assert notes.status_code == 302
    added = post(
        member,
        f"{BASE}/{event}/actions",
        {"what": "Brief the GP practices", "owner": "Designated nurse", "due_on": ["1", "4", "2026"]},
    )
    assert added.status_code == 302, summary(added)
    shown = text(member.get(f"{BASE}/{event}"))
    assert "Brief the GP practices" in shown and "Designated nurse" in shown and "1 April 2026" in shown
    panel_page = text(member.get(f"{BASE}/{panel}"))
    assert "From the learning event of 3 March 2026" in panel_page
    assert "Health visiting lost sight of the child." in panel_page
    assert not events("meeting.changed")  # notes and actions send nothing


@pytest.mark.parametrize("who", ["police", "health", "family", "outsider"])
def test_who_may_not_read_the_meetings_is_refused(review, browser, who):
    client = browser(who)
    assert client.get(BASE).status_code == 403


@pytest.mark.parametrize("who", ["chair", "panel", "reviewer", "police", "family"])
def test_only_the_business_unit_or_an_admin_schedules_changes_or_cancels(review, browser, who):
    unit = browser("business")
    meeting_id = schedule(unit)
    client = browser(who)
    for path in (
        f"{BASE}/new",
        f"{BASE}/{meeting_id}/change",
        f"{BASE}/{meeting_id}/cancel",
        f"{BASE}/new/check",
    ):
        assert client.get(path).status_code == 403
        assert post(client, path, details(), page="/account").status_code == 403
    assert len(events("meeting.cancelled")) == 0


def test_a_panel_member_not_on_this_panel_may_not_record_notes(review, browser):
    meeting_id = schedule(browser("business"), people=(ANNE,))
    outsider = browser("outsider")
    assert outsider.get(f"{BASE}/{meeting_id}/notes").status_code == 403
    assert post(outsider, f"{BASE}/{meeting_id}/notes", {"notes": "x"}, page="/account").status_code == 403


def test_another_boards_review_is_not_found(review, elsewhere, browser):
    unit = browser("business")
    for path in ("/reviews/c9/meetings", "/reviews/c9/meetings/new", "/reviews/c1/meetings/nope"):
        assert unit.get(path).status_code == 404
    assert re.search("not found|Page not found", text(unit.get("/reviews/c9/meetings")), re.I)
