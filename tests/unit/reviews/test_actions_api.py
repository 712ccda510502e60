"""The action plan through the API: adding actions (past due dates allowed), progress, closing
only with evidence, the board's list with overdue ones, every wrong field named, roles, boards."""

from __future__ import annotations

from services.reviews.adapters.store import ReviewDocument
from tests.events import decision_recorded, referral_submitted
from tests.factories import bearer, make_board, make_token, make_user

from .conftest import feed

BASE = "/api/v1/reviews/c1/actions"

ACTION = {
    "recommendation": "Agencies share concerns about neglect at the first sign",
    "action": "Add neglect screening to the health visitor's first visit",
    "owner_agency": "health",
    "owner_email": "lead.nurse@example.org",
    "due_on": "2026-06-30",
    "success_measure": "Nine in ten first visits record the screening, by audit",
}


def add(client, users, **overrides):
    return client.post(BASE, json={**ACTION, **overrides}, headers=users["business"])


def outbox_types() -> list[str]:
    doc = ReviewDocument.objects(case_id="c1").first()
    return [e.event_type for e in doc.outbox]


def test_an_action_is_added_with_its_owner_due_date_and_measure(client, users, review):
    resp = add(client, users)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "open" and body["rag"] is None and body["owner_agency"] == "health"
    assert body["due_on"] == "2026-06-30" and body["added_on"] == "2026-03-02"
    assert "action.added" in outbox_types()
    listed = client.get(BASE, headers=users["chair"]).get_json()["items"]
    assert [a["id"] for a in listed] == [body["id"]]


def test_a_past_due_date_is_allowed_and_the_action_is_overdue(client, users, review):
    resp = add(client, users, due_on="2025-01-31")
    assert resp.status_code == 201
    assert resp.get_json()["status"] == "overdue"


def test_every_wrong_field_is_named_at_once(client, users, review):
    resp = client.post(
        BASE, json={"owner_email": "not an email", "due_on": "31/01/2026"}, headers=users["business"]
    )
    assert resp.status_code == 422
    named = {e["field"] for e in resp.get_json()["errors"]}
    assert {"recommendation", "action", "owner_agency", "owner_email", "due_on", "success_measure"} <= named


def test_the_owner_agency_must_be_the_boards(client, users, review):
    resp = add(client, users, owner_agency="fire_service")
    assert resp.status_code == 422
    assert [e["field"] for e in resp.get_json()["errors"]] == ["owner_agency"]


def test_a_repeat_with_the_same_idempotency_key_adds_one_action(client, users, review):
    headers = {**users["business"], "Idempotency-Key": "plan-1"}
    first = client.post(BASE, json=ACTION, headers=headers)
    again = client.post(BASE, json=ACTION, headers=headers)
    assert first.status_code == again.status_code == 201
    assert len(client.get(BASE, headers=users["business"]).get_json()["items"]) == 1


def test_progress_red_amber_green_with_evidence(client, users, review):
    action_id = add(client, users).get_json()["id"]
    resp = client.post(
        f"{BASE}/{action_id}/progress",
        json={
            "reported_on": "2026-04-01",
            "rag": "amber",
            "note": "Half the teams trained",
            "evidence": "Register",
        },
        headers=users["business"],
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["rag"] == "amber"
    assert resp.get_json()["progress"][0]["evidence"] == "Register"
    bad = client.post(f"{BASE}/{action_id}/progress", json={"rag": "blue"}, headers=users["business"])
    assert {e["field"] for e in bad.get_json()["errors"]} == {"rag", "note"}
    assert "action.progress_reported" in outbox_types()


def test_the_owning_agency_reports_progress_and_another_agency_may_not(client, users, review):
    action_id = add(client, users).get_json()["id"]
    body = {"rag": "green", "note": "Done in two teams"}
    assert client.post(f"{BASE}/{action_id}/progress", json=body, headers=users["health"]).status_code == 201
    assert client.post(f"{BASE}/{action_id}/progress", json=body, headers=users["police"]).status_code == 403


def test_an_action_closes_only_with_evidence_of_impact(client, users, review):
    action_id = add(client, users).get_json()["id"]
    refused = client.post(
        f"{BASE}/{action_id}/close", json={"evidence_of_impact": "  "}, headers=users["business"]
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["evidence_of_impact"]
    missing = client.post(f"{BASE}/{action_id}/close", json={}, headers=users["business"])
    assert [e["field"] for e in missing.get_json()["errors"]] == ["evidence_of_impact"]
    closed = client.post(
        f"{BASE}/{action_id}/close",
        json={"evidence_of_impact": "Audit of 40 visits: 37 recorded the screening"},
        headers=users["business"],
    )
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed" and closed.get_json()["closed_on"] == "2026-03-02"
    again = client.post(
        f"{BASE}/{action_id}/progress", json={"rag": "green", "note": "x"}, headers=users["business"]
    )
    assert again.status_code == 409
    assert "action.closed" in outbox_types()


def test_the_boards_actions_overdue_and_by_agency(client, users, review, service, board):
    feed(
        service,
        referral_submitted(board.board_id, case_id="c2"),
        decision_recorded(board.board_id, case_id="c2"),
    )
    late = add(client, users, due_on="2025-12-01").get_json()["id"]
    add(client, users, owner_agency="police")
    client.post(
        "/api/v1/reviews/c2/actions", json={**ACTION, "due_on": "2026-01-05"}, headers=users["business"]
    )
    overdue = client.get("/api/v1/actions?overdue=true", headers=users["chair"]).get_json()
    assert overdue["total"] == 2
    assert [(a["case_id"], a["due_on"]) for a in overdue["items"]] == [
        ("c1", "2025-12-01"),
        ("c2", "2026-01-05"),
    ]
    assert overdue["items"][0]["id"] == late
    police = client.get("/api/v1/actions?agency=police", headers=users["business"]).get_json()
    assert [a["owner_agency"] for a in police["items"]] == ["police"]
    # Agency staff see only their own agency's actions, whatever they ask for.
    mine = client.get("/api/v1/actions?agency=health", headers=users["police"]).get_json()
    assert [a["owner_agency"] for a in mine["items"]] == ["police"]
    paged = client.get("/api/v1/actions?per_page=1&page=2", headers=users["business"]).get_json()
    assert paged["total"] == 3 and len(paged["items"]) == 1


def test_roles_and_another_board(client, users, review):
    assert client.post(BASE, json=ACTION, headers=users["chair"]).status_code == 403
    assert client.post(BASE, json=ACTION, headers=users["panel"]).status_code == 403
    assert client.get("/api/v1/actions", headers=users["family"]).status_code == 403
    add(client, users)
    other = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.post(BASE, json=ACTION, headers=other).status_code == 404
    assert client.get("/api/v1/actions", headers=other).get_json()["total"] == 0
