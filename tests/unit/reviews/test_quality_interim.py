"""The quality marker self-assessment (004) and interim learning (003 "Timescale for SCR
completion") through the API; and the agency contact a contribution request names."""

from __future__ import annotations

from services.reviews.adapters.store import ReviewDocument
from tests.factories import bearer, make_board, make_token, make_user

from .conftest import PANEL_EMAIL

BASE = "/api/v1/reviews/c1"
MARKER = "proportionate_form_and_focus"
QUESTIONS = ("members_input", "reviewers_influence", "factors_considered", "rationale_recorded")


def test_the_four_questions_rated_with_evidence_are_kept(client, users, review):
    answers = {q: {"rating": "met", "evidence": f"Minutes of the scoping meeting: {q}"} for q in QUESTIONS}
    answers["reviewers_influence"] = {"rating": "partly_met", "evidence": "Reviewer joined after scoping"}
    resp = client.put(f"{BASE}/quality", json={"marker": MARKER, "answers": answers}, headers=users["chair"])
    assert resp.status_code == 200, resp.get_json()
    marker = next(m for m in resp.get_json()["markers"] if m["marker"] == MARKER)
    assert marker["source"].startswith("004")
    rated = {q["key"]: (q["rating"], q["evidence"]) for q in marker["questions"]}
    assert rated["reviewers_influence"] == ("partly_met", "Reviewer joined after scoping")
    assert marker["assessed_on"] == "2026-03-02"
    again = client.get(f"{BASE}/quality", headers=users["business"]).get_json()
    assert again["markers"][0]["questions"] == marker["questions"]


def test_the_other_published_markers_are_listed_with_their_source_and_assessed_overall(client, users, review):
    markers = client.get(f"{BASE}/quality", headers=users["business"]).get_json()["markers"]
    assert len(markers) == 18  # NSPCC/SCIE (2016): 18 markers
    family = next(m for m in markers if m["marker"] == "family_involvement")
    assert family["stage"] == "running_the_review" and "SCIE" in family["source"]
    assert [q["key"] for q in family["questions"]] == ["overall"]
    answers = {
        "overall": {"rating": "partly_met", "evidence": "Mother met the lead reviewer; father declined"}
    }
    resp = client.put(
        f"{BASE}/quality",
        json={"marker": "family_involvement", "answers": answers},
        headers=users["business"],
    )
    assert resp.status_code == 200
    kept = next(m for m in resp.get_json()["markers"] if m["marker"] == "family_involvement")
    assert kept["questions"][0]["rating"] == "partly_met"
    seed = next(m for m in resp.get_json()["markers"] if m["marker"] == MARKER)
    assert seed["assessed_on"] is None  # each marker is assessed on its own


def test_every_unrated_question_and_missing_evidence_is_named(client, users, review):
    answers = {"members_input": {"rating": "met"}, "other": {"rating": "met", "evidence": "x"}}
    resp = client.put(
        f"{BASE}/quality", json={"marker": MARKER, "answers": answers}, headers=users["business"]
    )
    assert resp.status_code == 422
    assert {e["field"] for e in resp.get_json()["errors"]} == {
        "answers.other",
        "answers.members_input.evidence",
        "answers.reviewers_influence",
        "answers.factors_considered",
        "answers.rationale_recorded",
    }
    bad = client.put(f"{BASE}/quality", json={"marker": "nope", "answers": {}}, headers=users["business"])
    assert {e["field"] for e in bad.get_json()["errors"]} == {"marker"}
    assert (
        client.put(
            f"{BASE}/quality", json={"marker": MARKER, "answers": {}}, headers=users["panel"]
        ).status_code
        == 403
    )


def test_interim_learning_is_recorded_with_its_owner_and_date_and_shown_on_the_review(client, users, review):
    item = {
        "improvement": "Health visitors were not invited to strategy discussions",
        "action_taken": "Invitation list changed; briefing sent to all teams",
        "owner": "Designated nurse",
        "on": "2026-02-20",
        "agency": "health",
    }
    made = client.post(f"{BASE}/interim-learning", json=item, headers=users["business"])
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["owner"] == "Designated nurse" and made.get_json()["on"] == "2026-02-20"
    assert client.get(BASE, headers=users["business"]).get_json()["interim_learning"][0]["agency"] == "health"
    listed = client.get(f"{BASE}/interim-learning", headers=users["chair"]).get_json()["items"]
    assert [i["improvement"] for i in listed] == [item["improvement"]]
    wrong = client.post(f"{BASE}/interim-learning", json={"on": "someday"}, headers=users["business"])
    assert {e["field"] for e in wrong.get_json()["errors"]} == {"improvement", "action_taken", "owner", "on"}
    assert client.post(f"{BASE}/interim-learning", json=item, headers=users["police"]).status_code == 403
    assert client.post(f"{BASE}/interim-learning", json=item, headers=users["panel"]).status_code == 403
    member = {"role": "member", "name": "Pat", "email": PANEL_EMAIL, "organisation": "Education"}
    client.post(f"{BASE}/panel", json=member, headers=users["business"])
    assert client.post(f"{BASE}/interim-learning", json=item, headers=users["panel"]).status_code == 201
    other = bearer(make_token(make_user("business_unit", board=make_board())))
    assert client.post(f"{BASE}/interim-learning", json=item, headers=other).status_code == 404


def test_a_repeated_post_with_the_same_idempotency_key_records_one_item(client, users, review):
    item = {"improvement": "A", "action_taken": "B", "owner": "C", "on": "2026-02-20"}
    headers = {**users["business"], "Idempotency-Key": "interim-1"}
    first = client.post(f"{BASE}/interim-learning", json=item, headers=headers)
    second = client.post(f"{BASE}/interim-learning", json=item, headers=headers)
    assert first.get_json() == second.get_json()
    assert len(client.get(f"{BASE}/interim-learning", headers=users["business"]).get_json()["items"]) == 1


def test_the_request_carries_the_agency_contact_and_the_link_to_the_contribution(client, users, review):
    body = {
        "agency": "police",
        "kind": "chronology",
        "contact_email": "dc.jones@police.example.org",
        "contact_name": "DC Jones",
    }
    made = client.post(f"{BASE}/contributions", json=body, headers=users["business"])
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["contact_email"] == "dc.jones@police.example.org"
    outbox = ReviewDocument.objects(case_id="c1").first().outbox
    [requested] = [e.envelope["data"] for e in outbox if e.event_type == "contribution.requested"]
    assert requested["contact_email"] == "dc.jones@police.example.org"
    assert requested["link"].endswith(f"/reviews/c1/contributions/{made.get_json()['id']}")
    bad = client.post(
        f"{BASE}/contributions", json={**body, "contact_email": "not an address"}, headers=users["business"]
    )
    assert {e["field"] for e in bad.get_json()["errors"]} == {"contact_email"}
