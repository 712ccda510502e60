"""Review timetables through the API: plan, re-plan with a reason, done, pause for a parallel process."""

from __future__ import annotations

import pytest

from tests.unit.scheduler.events import referral_submitted


@pytest.fixture
def referred(service, board):
    """The case's referral, received by the scheduler."""
    service.extras["bus"].handle(referral_submitted(board.board_id))


def plan(client, token, **overrides):
    body = {
        "template": "below_threshold_seven_weeks",
        "start_on": "2027-01-11",
        "review_period_start": "2026-01-20",
    }
    body.update(overrides)
    return client.post("/api/v1/timetables/c1", headers=token, json=body)


def test_plan_replan_done_and_history(client, token, referred):
    created = plan(client, token)
    assert created.status_code == 201
    stages = created.get_json()["stages"]
    assert len(stages) >= 5 and all(s["status"] == "planned" for s in stages)
    first = stages[0]["code"]
    no_reason = client.post(
        f"/api/v1/timetables/c1/stages/{first}/replan", headers=token, json={"planned_on": "2027-02-01"}
    )
    assert no_reason.status_code == 422 and no_reason.get_json()["errors"][0]["field"] == "reason"
    moved = client.post(
        f"/api/v1/timetables/c1/stages/{first}/replan",
        headers=token,
        json={"planned_on": "2027-02-01", "reason": "The police chronology is late"},
    )
    stage = moved.get_json()["stages"][0]
    assert stage["planned_on"] == "2027-02-01"
    assert stage["history"][0]["reason"] == "The police chronology is late"
    done = client.post(
        f"/api/v1/timetables/c1/stages/{first}/done", headers=token, json={"done_on": "2027-02-01"}
    )
    assert done.get_json()["stages"][0]["status"] == "done"
    # It persisted: a fresh read shows the same.
    again = client.get("/api/v1/timetables/c1", headers=token).get_json()
    assert again["stages"][0]["done_on"] == "2027-02-01"


def test_a_pause_for_criminal_proceedings_holds_the_review(client, token, referred):
    plan(client, token)
    paused = client.post(
        "/api/v1/timetables/c1/pauses",
        headers=token,
        json={"process": "criminal_proceedings", "paused_on": "2027-01-12"},
    )
    assert paused.status_code == 200
    assert any(s["status"] == "held" for s in paused.get_json()["stages"])
    unknown = client.post(
        "/api/v1/timetables/c1/pauses",
        headers=token,
        json={"process": "tea_break", "paused_on": "2027-01-12"},
    )
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "process"
    resumed = client.post(
        "/api/v1/timetables/c1/pauses/criminal_proceedings/resume",
        headers=token,
        json={"resumed_on": "2027-02-12"},
    )
    body = resumed.get_json()
    assert not any(s["status"] == "held" for s in body["stages"])
    assert body["pauses"][0]["working_days"] > 0


@pytest.mark.parametrize(
    "overrides, status, field",
    [
        ({"review_period_start": "2025-06-01"}, 422, "exceptional_reason"),  # 18 months needs a reason
        ({"review_period_start": "2024-06-01", "exceptional_reason": "x"}, 422, "review_period_start"),
        ({"template": "a_long_lunch"}, 422, "template"),
    ],
)
def test_bad_plans_name_the_field(client, token, referred, overrides, status, field):
    resp = plan(client, token, **overrides)
    assert resp.status_code == status
    assert field in {e["field"] for e in resp.get_json()["errors"]}


def test_an_exceptional_review_period_needs_and_keeps_its_reason(client, token, referred):
    resp = plan(
        client,
        token,
        review_period_start="2025-06-01",
        exceptional_reason="The neglect began well before the incident.",
    )
    assert resp.status_code == 201
    assert resp.get_json()["review_period"]["exceptional_reason"].startswith("The neglect")


def test_the_schedule_page_draws_the_stages(client, token, referred):
    plan(client, token)
    page = client.get("/schedule/cases/c1", headers=token).get_data(as_text=True)
    assert page.count("<rect") >= 5
