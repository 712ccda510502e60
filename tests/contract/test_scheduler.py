"""The scheduler's contract: every /api/v1 route documented, and schemathesis finding nothing against it.

The records the paths name are made the way the product makes them: the scheduler
receives the case's referral and the Chair's decision from the bus, and its own API
plans the timetable, pauses it and creates a calendar feed.
"""

from __future__ import annotations

import pytest

from services.scheduler.bootstrap import bootstrap
from shared import openapi
from shared.service import Service
from tests.contract.harness import CHECKS, assert_contract, load_contract
from tests.factories import bearer
from tests.unit.scheduler.events import decision_recorded, referral_submitted

PREVIEW = {
    "rule_pack": "wt2015",
    "review_kind": "serious_case_review",
    "milestones": {"incident_on": "2026-12-20", "became_aware_on": "2026-12-21", "decided_on": "2027-01-08"},
}
PREVIEW_WT2023 = {
    "rule_pack": "wt2023",
    "review_kind": "local_child_safeguarding_practice_review",
    "notifiable": True,
    "milestones": {"became_aware_on": "2026-12-21", "panel_notified_on": "2026-12-23"},
}
PLAN = {
    "template": "below_threshold_seven_weeks",
    "start_on": "2027-01-11",
    "review_period_start": "2026-01-20",
}


@pytest.fixture
def service(settings) -> Service:
    return bootstrap(settings)


@pytest.fixture
def records(service, board, admin_token) -> dict[str, str]:
    """A referred and decided case with a timetable, a pause and a calendar feed; its ids by name."""
    bus = service.extras["bus"]
    for case_id in ("c1", "c2"):
        bus.handle(referral_submitted(board.board_id, case_id))
    bus.handle(decision_recorded(board.board_id, "c1"))
    client, auth = service.app.test_client(), bearer(admin_token)
    timetable = client.post("/api/v1/timetables/c1", json=PLAN, headers=auth)
    assert timetable.status_code == 201, timetable.get_json()
    paused = client.post(
        "/api/v1/timetables/c1/pauses",
        json={"process": "inquest", "paused_on": "2027-01-12"},
        headers=auth,
    )
    assert paused.status_code == 200, paused.get_json()
    feed = client.post("/api/v1/calendar-feeds", json={"case_id": "c1"}, headers=auth)
    assert feed.status_code == 201, feed.get_json()
    deadlines = client.get("/api/v1/deadlines?case_id=c1", headers=auth).get_json()["items"]
    return {
        "case_id": "c1",
        "deadline_id": deadlines[0]["id"],
        "code": timetable.get_json()["stages"][0]["code"],
        "process": "inquest",
        "feed_id": feed.get_json()["id"],
    }


def test_every_scheduler_api_route_has_a_contract(service):
    assert openapi.undocumented_routes(service.app) == []


def test_the_scheduler_keeps_its_contract(service, records, admin_token):
    report = assert_contract(service.app, admin_token, max_examples=25, path_parameters=records)

    assert len(report.operations) == 12  # with the work queue's summary (the navigation's counts)


def test_success_answers_match_the_contract(service, records, admin_token):
    """The answers random requests rarely reach (a date in range, in the right order), each checked."""
    contract, auth = load_contract(service.app, admin_token), bearer(admin_token)
    stage = "/api/v1/timetables/{case_id}/stages/{code}"
    at_c1 = {"case_id": records["case_id"]}
    calls = [
        ("GET", "/api/v1/deadlines", {"query": at_c1}, 200),
        ("GET", "/api/v1/work/summary", {}, 200),
        ("POST", "/api/v1/deadlines/preview", {"body": PREVIEW}, 200),
        ("POST", "/api/v1/deadlines/preview", {"body": PREVIEW_WT2023}, 200),
        ("POST", "/api/v1/timetables/{case_id}", {"path_parameters": {"case_id": "c2"}, "body": PLAN}, 201),
        (
            "POST",
            f"{stage}/replan",
            {"body": {"planned_on": "2027-03-01", "reason": "The chronology is late"}},
            200,
        ),
        ("POST", f"{stage}/done", {"body": {"done_on": "2027-03-01"}}, 200),
        (
            "POST",
            "/api/v1/timetables/{case_id}/pauses/{process}/resume",
            {"body": {"resumed_on": "2027-02-01"}},
            200,
        ),
    ]
    for method, path, request, status in calls:
        operation = contract[path][method]
        known = {k: v for k, v in records.items() if "{" + k + "}" in path}
        case = operation.Case(**{"path_parameters": known, **request})
        response = case.call_and_validate(checks=CHECKS, headers=auth)
        assert response.status_code == status, (method, path, response.json())
