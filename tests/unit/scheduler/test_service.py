"""The scheduler service: preview contract, deadlines from events, reminders, feeds, pages."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from services.embedded import bootstrap_all
from services.scheduler.adapters.store import Schedule
from services.scheduler.bootstrap import bootstrap
from services.scheduler.service_layer import handlers
from shared.events import new_envelope, parse_envelope
from tests.factories import bearer, make_board, make_token, make_user
from tests.support import wait_for


@pytest.fixture
def app(settings):
    return bootstrap(settings).app


@pytest.fixture
def board():
    return make_board(agencies=("police", "health", "childrens_social_care", "education"))


@pytest.fixture
def token(board):
    return bearer(make_token(make_user("business_unit", "admin", board=board)))


def event(event_type, **data):
    return parse_envelope(new_envelope(event_type, data, producer="test"))


def submitted(
    board, case_id="c1", aware=date(2026, 12, 21), notified=date(2026, 12, 22), incident=date(2026, 12, 20)
):
    return event(
        "referral.submitted",
        case_id=case_id,
        board_id=board.board_id,
        reference="B-2026-0001",
        rule_pack="wt2015",
        incident_on=incident,
        became_aware_on=aware,
        board_notified_on=notified,
        notifiable=True,
        scr_required=True,
        recommended="serious_case_review",
        agencies_involved=["police"],
    )


def decided(
    board, case_id="c1", on=date(2027, 1, 8), outcome="serious_case_review", event_type="decision.recorded"
):
    common = dict(
        case_id=case_id,
        board_id=board.board_id,
        decision_id="d1",
        rule_pack="wt2015",
        outcome=outcome,
        decided_on=on,
        initiated_on=on,
        incident_on=date(2026, 12, 20),
    )
    if event_type == "decision.recorded":
        return event(event_type, scr_required=True, panel_scrutiny=False, lead_reviewers=[], **common)
    return event(event_type, previous_outcome="learning_review", **common)


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


# -- deadlines from events -------------------------------------------------------------------


def test_a_referral_then_a_decision_give_the_cases_deadlines(board):
    handlers.on_referral_submitted(submitted(board))
    first = due()
    assert first["incident_notification"].due == date(2026, 12, 30)
    assert first["scr_decision"].due == date(2027, 1, 22)  # 22 Dec + 1 month
    assert "decision_notification" not in first
    handlers.on_decision(decided(board))
    after = due()
    assert after["scr_decision"].met_on == date(2027, 1, 8)
    assert after["decision_notification"].due == date(2027, 1, 15)
    assert after["review_completion"].due == date(2027, 7, 8)
    assert after["incident_notification"].deadline_id == first["incident_notification"].deadline_id


def test_a_changed_decision_recalculates(board):
    handlers.on_referral_submitted(submitted(board))
    handlers.on_decision(decided(board, outcome="learning_review"))
    handlers.on_decision(
        decided(board, on=date(2027, 1, 12), outcome="serious_case_review", event_type="decision.changed")
    )
    assert due()["decision_notification"].due == date(2027, 1, 19)  # 12 Jan + 5 working days


def test_notifying_all_three_national_bodies_meets_the_deadline(board):
    handlers.on_referral_submitted(submitted(board))
    handlers.on_decision(decided(board))
    for role in ("ofsted", "dfe"):
        handlers.on_notification_sent(
            event(
                "notification.sent",
                case_id="c1",
                board_id=board.board_id,
                notification_id=role,
                recipient_role=role,
                template="decision_notification",
                source_event_id="e",
                sent_on=date(2027, 1, 11),
            )
        )
        assert due()["decision_notification"].met_on is None
    handlers.on_notification_sent(
        event(
            "notification.sent",
            case_id="c1",
            board_id=board.board_id,
            notification_id="np",
            recipient_role="national_panel",
            template="decision_notification",
            source_event_id="e",
            sent_on=date(2027, 1, 12),
        )
    )
    assert due()["decision_notification"].met_on == date(2027, 1, 12)


def test_a_decision_for_an_unknown_case_is_refused_permanently(board):
    from shared.bus import PermanentError

    with pytest.raises(PermanentError):
        handlers.on_decision(decided(board, case_id="never-referred"))


# -- reminders --------------------------------------------------------------------------------


def outbox_types():
    raw = Schedule._get_collection().find_one({"_id": "c1"})
    return [e["event_type"] for e in raw["outbox"]]


def test_reminders_are_announced_once_each(board):
    handlers.on_referral_submitted(submitted(board))
    # 28 Dec is a bank holiday; on 29 Dec the incident notification (30 Dec) is due soon.
    assert handlers.tick(date(2026, 12, 29), due_soon_days=3) == 1
    assert handlers.tick(date(2026, 12, 29), due_soon_days=3) == 0
    assert handlers.tick(date(2026, 12, 31), due_soon_days=3) == 1  # now overdue
    assert handlers.tick(date(2027, 1, 4), due_soon_days=3) == 0
    assert outbox_types().count("deadline.due_soon") == 1
    assert outbox_types().count("deadline.overdue") == 1


def test_several_schedulers_ticking_at_once_announce_once(board):
    handlers.on_referral_submitted(submitted(board))
    counts = []
    threads = [
        threading.Thread(target=lambda: counts.append(handlers.tick(date(2026, 12, 31), 3))) for _ in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outbox_types().count("deadline.overdue") == 1
    assert sum(counts) == 1


# -- API, feeds and pages -----------------------------------------------------------------------


def test_case_deadlines_waivers_and_board_isolation(app, token, board):
    handlers.on_referral_submitted(submitted(board))
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
    other = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.get("/api/v1/deadlines?case_id=c1", headers=other).status_code == 404


def test_calendar_feed_by_tokenised_url(app, token, board):
    handlers.on_referral_submitted(submitted(board))
    client = app.test_client()
    created = client.post("/api/v1/calendar-feeds", headers=token, json={"case_id": "c1"}).get_json()
    path = created["url"].replace("http://localhost", "")
    ics = client.get(path)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    text = ics.get_data(as_text=True)
    assert text.count("BEGIN:VEVENT") == 2 and "DTSTART;VALUE=DATE:20261230" in text
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    client.delete(f"/api/v1/calendar-feeds/{created['id']}", headers=token)
    assert client.get(path).status_code == 404


def test_schedule_pages_show_the_chart_and_the_next_30_days(app, token, board):
    start = handlers.today()
    handlers.on_referral_submitted(submitted(board, aware=start, notified=start, incident=start))
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

        token = bearer(make_token(make_user("admin", "chair", board=board)))
        referral = services[0].app.test_client()
        created = referral.post("/api/v1/referrals", headers=token, json=make_referral()).get_json()
        decision = referral.post(
            f"/api/v1/cases/{created['id']}/decision",
            headers=token,
            json={
                "decided_on": handlers.today().isoformat(),
                "outcome": "serious_case_review",
                "rationale": "Criteria met.",
                "lead_reviewers": [{"name": "Dr R", "organisation": "Independent Reviews Ltd"}],
            },
        )
        assert decision.status_code == 200
        scheduler = services[1].app.test_client()

        def codes():
            r = scheduler.get(f"/api/v1/deadlines?case_id={created['id']}", headers=token)
            return r.status_code == 200 and {i["code"]: i for i in r.get_json()["items"]}

        got = wait_for(lambda: (c := codes()) and "decision_notification" in c and c)
        assert got["scr_decision"]["status"] == "met"
        calendar = handlers.calendar_for(board.board_id)
        assert got["review_completion"]["due"] == calendar.add_months(handlers.today(), 6).isoformat()
        aware = handlers.today() - timedelta(days=9)  # as make_referral() sets it
        assert got["incident_notification"]["due"] == calendar.add_working_days(aware, 5).isoformat()
    finally:
        for s in services:
            s.stop()
