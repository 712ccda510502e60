"""The scheduler's lists come a page at a time with their total; its request dates keep to the
dates a case can have, and only a plan may lie more than a year ahead."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from services.scheduler.adapters.repository import MongoScheduleRepository
from services.scheduler.adapters.store import Schedule
from services.scheduler.domain.timetables import FURTHEST_PLANNED
from shared.framework import today_in_england
from tests.factories import make_board
from tests.unit.scheduler.events import notification_sent, referral_submitted


def refer(service, board, case_id: str, aware: date) -> None:
    event = referral_submitted(board.board_id, case_id, incident=aware, aware=aware, notified=aware)
    service.extras["bus"].handle(event)


# -- the lists ------------------------------------------------------------------------------


def test_a_cases_deadlines_come_as_a_page_with_their_total(service, board, client, token):
    refer(service, board, "c1", date(2026, 12, 21))
    whole = client.get("/api/v1/deadlines?case_id=c1", headers=token).get_json()
    assert (whole["case_id"], whole["total"], whole["page"], whole["per_page"], whole["pages"]) == (
        "c1",
        2,
        1,
        50,
        1,
    )
    second = client.get("/api/v1/deadlines?case_id=c1&per_page=1&page=2", headers=token).get_json()
    assert [d["id"] for d in second["items"]] == [whole["items"][1]["id"]]
    assert client.get("/api/v1/deadlines?case_id=c1&per_page=0", headers=token).status_code == 422


def test_the_boards_open_deadlines_are_picked_sorted_and_sliced_by_the_store(service, board):
    on = today_in_england()
    for n, case_id in enumerate(("c1", "c2", "c3")):
        refer(service, board, case_id, on - timedelta(days=n))
    refer(service, make_board(board_id="elsewhere"), "c9", on)  # another board's: never listed
    bus = service.extras["bus"]
    # c3's incident notification was sent: met, so no longer open.
    bus.handle(notification_sent(board.board_id, "ofsted_incident_notification", "ofsted", on, case_id="c3"))
    until = on + timedelta(days=30)
    repo = MongoScheduleRepository()
    expected = sorted(
        (d.due, s.case_id, d.deadline_id)
        for s in Schedule.objects(board_id=board.board_id)
        for d in s.deadlines
        if d.open and d.due <= until
    )
    assert ("c3", "incident_notification") not in {
        (s.case_id, d.code) for s in Schedule.objects for d in s.deadlines if d.open
    }
    pages = [repo.open_due(board.board_id, until, page, per_page=2) for page in range(1, 5)]
    rows = [(r.due, r.case_id, r.deadline_id) for p in pages for r in p.items]
    assert len(expected) >= 3 and rows == expected  # each once, the earliest first; the last page empty
    assert {(p.total, p.pages) for p in pages} == {(len(expected), (len(expected) + 1) // 2)}


def test_an_index_on_the_board_and_the_due_date_serves_the_boards_list():
    assert [("board_id", 1), ("deadlines.due", 1)] in [s["fields"] for s in Schedule._meta["index_specs"]]


def test_the_boards_schedule_page_shows_a_page_its_total_and_the_govuk_pagination(
    service, board, client, token
):
    on = today_in_england()
    for case_id in ("c1", "c2"):
        refer(service, board, case_id, on)
    body = html.unescape(client.get("/schedule?per_page=1", headers=token).get_data(as_text=True))
    total = int(re.search(r"Showing 1 to 1 of (\d+) deadlines", body).group(1))
    assert total >= 2 and body.count('<tr class="govuk-table__row">') == 1 + 1
    assert 'class="govuk-pagination' in body and "/schedule?per_page=1&page=2" in body
    last = client.get(f"/schedule?per_page=1&page={total}", headers=token).get_data(as_text=True)
    assert f"Showing {total} to {total} of {total} deadlines" in html.unescape(last)


# -- dates ----------------------------------------------------------------------------------


PLAN = {
    "template": "below_threshold_seven_weeks",
    "start_on": "2027-01-11",
    "review_period_start": "2026-01-20",
}


def ahead(days: int) -> str:
    return (today_in_england() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/timetables/c1", {**PLAN, "start_on": ahead(400)}, "start_on"),
        ("/api/v1/timetables/c1", {**PLAN, "review_period_start": "0001-01-01"}, "review_period_start"),
        (
            "/api/v1/deadlines/preview",
            {"rule_pack": "wt2015", "milestones": {"incident_on": ahead(400)}},
            "milestones.incident_on",
        ),
        (
            "/api/v1/deadlines/preview",
            {"rule_pack": "wt2015", "milestones": {"planned_publication_on": "9999-12-31"}},
            "milestones.planned_publication_on",
        ),
    ],
)
def test_a_date_more_than_a_year_ahead_is_refused_unless_it_is_a_plan(
    service, board, client, token, path, body, field
):
    refer(service, board, "c1", date(2026, 12, 21))
    resp = client.post(path, json=body, headers=token)
    assert resp.status_code == 422, resp.get_json()
    assert [e["field"] for e in resp.get_json()["errors"]] == [field]


def test_a_plan_may_lie_years_ahead_when_a_parallel_process_holds_the_review(service, board, client, token):
    refer(service, board, "c1", date(2026, 12, 21))
    stage = client.post("/api/v1/timetables/c1", json=PLAN, headers=token).get_json()["stages"][0]["code"]
    replan = f"/api/v1/timetables/c1/stages/{stage}/replan"
    reason = {"reason": "The trial is listed for the autumn after next"}
    later = client.post(replan, json={"planned_on": ahead(3 * 365), **reason}, headers=token)
    assert later.status_code == 200, later.get_json()
    too_far = client.post(
        replan, json={"planned_on": ahead(FURTHEST_PLANNED.days + 1), **reason}, headers=token
    )
    assert too_far.status_code == 422 and too_far.get_json()["errors"][0]["field"] == "planned_on"
    preview = {
        "rule_pack": "wt2015",
        "milestones": {"became_aware_on": "2026-12-21", "planned_publication_on": ahead(3 * 365)},
    }
    assert client.post("/api/v1/deadlines/preview", json=preview, headers=token).status_code == 200


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31"])
def test_a_stage_done_or_a_pause_ended_on_no_real_date_is_refused(service, board, client, token, on):
    refer(service, board, "c1", date(2026, 12, 21))
    stages = client.post("/api/v1/timetables/c1", json=PLAN, headers=token).get_json()["stages"]
    done = client.post(
        f"/api/v1/timetables/c1/stages/{stages[0]['code']}/done", json={"done_on": on}, headers=token
    )
    resumed = client.post(
        "/api/v1/timetables/c1/pauses/inquest/resume", json={"resumed_on": on}, headers=token
    )
    assert [r.get_json()["errors"][0]["field"] for r in (done, resumed)] == ["done_on", "resumed_on"]
