"""The scheduler service: preview contract, deadlines from events, reminders, feeds, pages."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from services.embedded import bootstrap_all
from services.scheduler.adapters.repository import MongoBoardCalendars
from services.scheduler.adapters.store import Schedule
from services.scheduler.bootstrap import bootstrap
from services.scheduler.service_layer.messages import SendReminders
from shared.bus import PermanentError
from shared.framework import today_in_england
from tests.factories import DEMO_AGENCIES, bearer, make_board, make_token, make_user
from tests.support import wait_for
from tests.unit.scheduler.events import (
    decision_changed,
    decision_recorded,
    notification_sent,
    referral_submitted,
)


@pytest.fixture
def service(settings):
    return bootstrap(settings)


@pytest.fixture
def app(service):
    return service.app


@pytest.fixture
def bus(service):
    """The message bus on the real unit of work (mongomock); events go in as the worker hands them."""
    return service.extras["bus"]


@pytest.fixture
def board():
    return make_board(agencies=DEMO_AGENCIES)


@pytest.fixture
def token(board):
    return bearer(make_token(make_user("business_unit", "admin", board=board)))


def due(case_id="c1") -> dict:
    return {d.code: d for d in Schedule.objects(case_id=case_id).first().deadlines}


# -- preview ------------------------------------------------------------------------------


def test_preview_gives_every_deadline_whose_milestones_are_given(app, token):
    resp = app.test_client().post(
        "/api/v1/deadlines/preview",
        headers=token,
        json={
            "rule_pack": "wt2015",
            "review_kind": "learning_review",
            "milestones": {
                "became_aware_on": "2026-12-21",
                "decided_on": "2027-01-08",
                "initiated_on": "2027-01-08",
                "incident_on": "2026-12-20",
            },
        },
    )
    body = resp.get_json()
    assert resp.status_code == 200 and body["rule_pack"] == "wt2015"
    got = {d["code"]: d["due"] for d in body["deadlines"]}
    # 21 Dec 2026 (Mon) + 5 working days, skipping 25 Dec (Fri) and 28 Dec (Mon, Boxing Day
    # substitute): 22, 23, 24, 29, 30 -> 30 December.
    assert got["incident_notification"] == "2026-12-30"
    # 8 Jan 2027 (Fri) + 5 working days: 11, 12, 13, 14, 15 -> 15 January.
    assert got["decision_notification"] == "2027-01-15"
    # Learning review: six months from initiation (8 July) or 12 months from the incident
    # (20 December 2027): the earlier wins.
    assert got["review_completion"] == "2027-07-08"
    assert all(d["source"] and d["rule"] for d in body["deadlines"])


@pytest.mark.parametrize(
    "body, field",
    [
        ({"rule_pack": "wt1999", "milestones": {"decided_on": "2027-01-08"}}, "rule_pack"),
        ({"rule_pack": "wt2015", "milestones": {"decided_on": "2027-02-30"}}, "milestones.decided_on"),
        ({"rule_pack": "wt2015", "milestones": {"lunch_on": "2027-01-08"}}, "milestones.lunch_on"),
        (
            {"rule_pack": "wt2015", "review_kind": "gossip", "milestones": {"decided_on": "2027-01-08"}},
            "review_kind",
        ),
        (
            {
                "rule_pack": "wt2015",
                "milestones": {"board_notified_on": "2027-01-10", "decided_on": "2027-01-08"},
            },
            "decided_on",
        ),
    ],
)
def test_preview_refuses_bad_input_naming_the_field(app, token, body, field):
    resp = app.test_client().post("/api/v1/deadlines/preview", headers=token, json=body)
    assert resp.status_code == 422
    assert field in {e["field"] for e in resp.get_json()["errors"]}


@pytest.mark.parametrize(
    "pack, expected",
    [
        # Mon 21 Dec 2026 + 5 working days = 30 Dec; + 15 = Thu 14 Jan 2027 (test_current_packs)
        ("wt2018", {"incident_notification": "2026-12-30", "rapid_review": "2027-01-14"}),
        # the rapid review from the notification to the Panel: Wed 23 Dec + 15 = Mon 18 Jan 2027
        ("wt2023", {"incident_notification": "2026-12-30", "rapid_review": "2027-01-18"}),
    ],
)
def test_preview_takes_the_current_packs(app, token, pack, expected):
    body = {
        "rule_pack": pack,
        "review_kind": "local_child_safeguarding_practice_review",
        "milestones": {"became_aware_on": "2026-12-21", "panel_notified_on": "2026-12-23"},
    }
    resp = app.test_client().post("/api/v1/deadlines/preview", headers=token, json=body)
    assert resp.status_code == 200, resp.get_json()
    assert {d["code"]: d["due"] for d in resp.get_json()["deadlines"]} == expected
    # not notifiable: neither the Panel's notification nor a rapid review is owed
    resp = app.test_client().post(
        "/api/v1/deadlines/preview", headers=token, json={**body, "notifiable": False}
    )
    assert resp.status_code == 200 and resp.get_json()["deadlines"] == []


# -- deadlines from events, through the real unit of work -----------------------------------------------


def test_a_referral_then_a_decision_give_the_cases_deadlines(bus, board):
    bus.handle(referral_submitted(board.board_id))
    first = due()
    assert first["incident_notification"].due == date(2026, 12, 30)
    assert first["scr_decision"].due == date(2027, 1, 22)  # 22 Dec + 1 month
    assert "decision_notification" not in first
    bus.handle(decision_recorded(board.board_id))
    after = due()
    assert after["scr_decision"].met_on == date(2027, 1, 8)
    assert after["decision_notification"].due == date(2027, 1, 15)
    assert after["review_completion"].due == date(2027, 7, 8)
    assert after["incident_notification"].deadline_id == first["incident_notification"].deadline_id


def test_a_changed_decision_recalculates(bus, board):
    bus.handle(referral_submitted(board.board_id))
    bus.handle(decision_recorded(board.board_id, outcome="learning_review"))
    bus.handle(decision_changed(board.board_id, on=date(2027, 1, 12)))
    assert due()["decision_notification"].due == date(2027, 1, 19)  # 12 Jan + 5 working days


def test_notifying_all_three_national_bodies_meets_the_deadline(bus, board):
    bus.handle(referral_submitted(board.board_id))
    bus.handle(decision_recorded(board.board_id))
    for role in ("ofsted", "dfe"):
        bus.handle(notification_sent(board.board_id, "decision_notification", role, date(2027, 1, 11)))
        assert due()["decision_notification"].met_on is None
    bus.handle(
        notification_sent(board.board_id, "decision_notification", "national_panel", date(2027, 1, 12))
    )
    assert due()["decision_notification"].met_on == date(2027, 1, 12)


def test_the_incident_notification_to_ofsted_meets_its_deadline(bus, board):
    bus.handle(referral_submitted(board.board_id))
    bus.handle(
        notification_sent(board.board_id, "ofsted_incident_notification", "ofsted", date(2026, 12, 23))
    )
    assert due()["incident_notification"].met_on == date(2026, 12, 23)


def test_a_decision_for_an_unknown_case_is_refused_permanently(bus, board):
    with pytest.raises(PermanentError):
        bus.handle(decision_recorded(board.board_id, case_id="never-referred"))


# -- reminders --------------------------------------------------------------------------------


def outbox_types():
    raw = Schedule._get_collection().find_one({"_id": "c1"})
    return [e["event_type"] for e in raw["outbox"]]


def test_reminders_are_announced_once_each(bus, board):
    bus.handle(referral_submitted(board.board_id))
    # 28 Dec is a bank holiday; on 29 Dec the incident notification (30 Dec) is due soon.
    assert bus.handle(SendReminders(on=date(2026, 12, 29))) == 1
    assert bus.handle(SendReminders(on=date(2026, 12, 29))) == 0
    assert bus.handle(SendReminders(on=date(2026, 12, 31))) == 1  # now overdue
    assert bus.handle(SendReminders(on=date(2027, 1, 4))) == 0
    assert outbox_types().count("deadline.due_soon") == 1
    assert outbox_types().count("deadline.overdue") == 1


def test_several_schedulers_ticking_at_once_announce_once(bus, board):
    bus.handle(referral_submitted(board.board_id))
    counts = []
    threads = [
        threading.Thread(target=lambda: counts.append(bus.handle(SendReminders(on=date(2026, 12, 31)))))
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outbox_types().count("deadline.overdue") == 1
    assert sum(counts) == 1


# -- API, feeds and pages -----------------------------------------------------------------------


def test_case_deadlines_waivers_and_board_isolation(app, bus, token, board):
    bus.handle(referral_submitted(board.board_id))
    client = app.test_client()
    items = client.get("/api/v1/deadlines?case_id=c1", headers=token).get_json()["items"]
    assert {i["code"] for i in items} == {"incident_notification", "scr_decision"}
    target = next(i for i in items if i["code"] == "incident_notification")
    assert client.post(f"/api/v1/deadlines/{target['id']}/waive", headers=token, json={}).status_code == 422
    waived = client.post(
        f"/api/v1/deadlines/{target['id']}/waive",
        headers=token,
        json={"reason": "Ofsted was told by telephone; confirmed in writing."},
    )
    assert waived.get_json()["status"] == "waived"
    assert due()["incident_notification"].waived_at is not None  # stored, not only answered
    other = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.get("/api/v1/deadlines?case_id=c1", headers=other).status_code == 404
    assert (
        client.post(
            f"/api/v1/deadlines/{target['id']}/waive", headers=other, json={"reason": "x"}
        ).status_code
        == 404
    )


def test_a_late_deadline_is_met_late_in_the_api_and_amber_on_the_page(app, bus, token, board):
    # Issue 12, correction 6: the incident notification (due 30 Dec 2026, 003) sent on 4 Jan 2027.
    bus.handle(referral_submitted(board.board_id))
    bus.handle(notification_sent(board.board_id, "ofsted_incident_notification", "ofsted", date(2027, 1, 4)))
    client = app.test_client()
    body = client.get("/api/v1/deadlines?case_id=c1", headers=token).get_json()
    late = next(i for i in body["items"] if i["code"] == "incident_notification")
    assert late["status"] == "met_late" and late["met_on"] == "2027-01-04"
    assert body["status_counts"]["met_late"] == 1 and body["status_counts"]["met"] == 0
    page = client.get("/schedule/cases/c1", headers=token).get_data(as_text=True)
    # in the deadline's row and in the figures: the yellow (amber) tag, not the green one
    assert (
        page.count('<strong class="govuk-tag govuk-tag--yellow">\n  Met late\n</strong>') == 2
        and 'data-status="met_late">1<' in page
    )
    assert "#a36a00" in page  # the chart's amber diamond


def test_calendar_feed_by_tokenised_url(app, bus, token, board):
    bus.handle(referral_submitted(board.board_id))
    client = app.test_client()
    created = client.post("/api/v1/calendar-feeds", headers=token, json={"case_id": "c1"}).get_json()
    path = created["url"].replace("http://localhost", "")
    ics = client.get(path)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    text = ics.get_data(as_text=True)
    assert text.count("BEGIN:VEVENT") == 2 and "DTSTART;VALUE=DATE:20261230" in text
    assert "B-2026-0001: incident notification" in text
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    client.delete(f"/api/v1/calendar-feeds/{created['id']}", headers=token)
    assert client.get(path).status_code == 404


def test_schedule_pages_show_the_chart_and_the_next_30_days(app, bus, token, board):
    start = today_in_england()
    bus.handle(referral_submitted(board.board_id, aware=start, notified=start, incident=start))
    client = app.test_client()
    page = client.get("/schedule/cases/c1", headers=token).get_data(as_text=True)
    assert "<svg" in page and "Incident notification" in page
    board_page = client.get("/schedule", headers=token).get_data(as_text=True)
    assert "B-2026-0001" in board_page


# -- end to end, through events alone -------------------------------------------------------------


def test_referral_and_decision_produce_deadlines_through_events_alone(settings, board):
    services = bootstrap_all(settings, names=("referral", "scheduler"))
    for s in services:
        s.start()
    try:
        from tests.unit.referral.test_api import make_referral

        today = today_in_england()
        token = bearer(make_token(make_user("admin", "chair", board=board)))
        referral = services[0].app.test_client()
        created = referral.post("/api/v1/referrals", headers=token, json=make_referral()).get_json()
        decision = referral.post(
            f"/api/v1/cases/{created['id']}/decision",
            headers=token,
            json={
                "decided_on": today.isoformat(),
                "outcome": "serious_case_review",
                "method": "intensive",
                "rationale": "The child died and abuse is suspected: the statutory criteria are met.",
                "lead_reviewers": [
                    {
                        "name": "Dr R",
                        "organisation": "Independent Reviews Ltd",
                        "qualifications": "Has led six systems-approach Serious Case Reviews.",
                        "declarations": {
                            "works_for_involved_agency": False,
                            "line_manages_involved_staff": False,
                            "involved_in_case": False,
                            "works_for_board_agency": False,
                        },
                    }
                ],
            },
        )
        assert decision.status_code == 200, decision.get_json()
        scheduler = services[1].app.test_client()

        def codes():
            r = scheduler.get(f"/api/v1/deadlines?case_id={created['id']}", headers=token)
            return r.status_code == 200 and {i["code"]: i for i in r.get_json()["items"]}

        got = wait_for(lambda: (c := codes()) and "decision_notification" in c and c)
        assert got["scr_decision"]["status"] == "met"
        calendar = MongoBoardCalendars().for_board(board.board_id)
        assert got["review_completion"]["due"] == calendar.add_months(today, 6).isoformat()
        aware = today - timedelta(days=9)  # as make_referral() sets it
        assert got["incident_notification"]["due"] == calendar.add_working_days(aware, 5).isoformat()
    finally:
        for s in services:
            s.stop()
