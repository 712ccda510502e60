"""What the API refuses at its door, naming the field (found by the contract run, tests/contract)."""

from __future__ import annotations

import pytest

from services.scheduler.bootstrap import bootstrap
from tests.factories import bearer, make_board, make_token, make_user
from tests.unit.scheduler.events import referral_submitted


@pytest.fixture
def client(settings):
    service = bootstrap(settings)
    service.extras["bus"].handle(referral_submitted(board_id="b-input"))
    return service.app.test_client()


@pytest.fixture
def token():
    return bearer(make_token(make_user("business_unit", board=make_board(board_id="b-input"))))


PLAN = {
    "template": "below_threshold_seven_weeks",
    "start_on": "2027-01-11",
    "review_period_start": "2026-01-20",
}


@pytest.mark.parametrize("on", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/deadlines/preview",
            lambda on: {"rule_pack": "wt2015", "milestones": {"incident_on": on}},
            "milestones.incident_on",
        ),
        ("/api/v1/timetables/c1", lambda on: {**PLAN, "start_on": on}, "start_on"),
        ("/api/v1/timetables/c1/pauses", lambda on: {"process": "inquest", "paused_on": on}, "paused_on"),
    ],
)
def test_a_date_no_case_can_have_is_refused_naming_its_field(client, token, on, path, body, field):
    """The working-day calendar cannot count on from such dates: they used to be refused for a
    field "date" the request does not have, or accepted (a timetable planned from the year 1)."""
    resp = client.post(path, json=body(on), headers=token)
    assert resp.status_code == 422, resp.get_json()
    assert [e["field"] for e in resp.get_json()["errors"]] == [field]


def test_a_calendar_feed_for_an_empty_case_id_is_refused(client, token):
    """It used to make a whole-board feed that said it was for case ""."""
    resp = client.post("/api/v1/calendar-feeds", json={"case_id": ""}, headers=token)
    assert resp.status_code == 422 and resp.get_json()["errors"][0]["field"] == "case_id"
    board_wide = client.post("/api/v1/calendar-feeds", json={"case_id": None}, headers=token)
    assert board_wide.status_code == 201 and board_wide.get_json()["case_id"] is None


def test_a_case_id_is_needed_to_list_deadlines(client, token):
    for query in ("", "?case_id="):
        resp = client.get(f"/api/v1/deadlines{query}", headers=token)
        assert resp.status_code == 422 and resp.get_json()["errors"][0]["field"] == "case_id"


def test_a_preview_names_every_wrong_field_at_once(client, token):
    body = {"rule_pack": "wt2099", "review_kind": "gossip", "notifiable": "perhaps"}  # and no milestones
    resp = client.post("/api/v1/deadlines/preview", json=body, headers=token)
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} == {
        "rule_pack",
        "review_kind",
        "notifiable",
        "milestones",
    }
