"""The reviews API through Flask's test client: answers, every 422, 404 for another board, 403 by role."""

from __future__ import annotations

import io

import pytest

from tests.events import decision_recorded, referral_submitted
from tests.factories import bearer, make_board, make_token, make_user

from .conftest import PANEL_EMAIL, feed

BASE = "/api/v1/reviews/c1"

TERMS = {
    "breadth_and_depth": "Agency practice in the year before the incident",
    "focus_questions": ["How was the risk of neglect recognised?"],
    "method": "systems",
    "period_from": "2024-11-03",
    "period_to": "2025-11-03",
    "agencies": ["police", "health"],
    "parallel_processes": ["criminal_investigation"],
    "proportionality_rationale": "Grave concerns about how agencies worked together",
    "case_factors": ["practice_concern_gravity_complexity"],
    "context_factors": ["public_interest"],
    "reviewer_skills": "Systems approach; knowledge of neglect",
}


def fields(resp) -> set[str]:
    assert resp.status_code == 422, resp.get_json()
    return {e["field"] for e in resp.get_json()["errors"]}


def add_panel(client, users, **overrides):
    body = {
        "role": "member",
        "name": "Pat Panel",
        "email": PANEL_EMAIL,
        "organisation": "Education",
        **overrides,
    }
    return client.post(f"{BASE}/panel", json=body, headers=users["business"])


def request(client, users, agency="police", kind="chronology", **more):
    return client.post(
        f"{BASE}/contributions", json={"agency": agency, "kind": kind, **more}, headers=users["business"]
    )


def test_the_review_opened_by_the_decision(client, users, review):
    resp = client.get(BASE, headers=users["business"])
    assert resp.status_code == 200
    body = resp.get_json()
    assert {k: body[k] for k in ("case_id", "review_kind", "stage", "agencies", "meetings")} == {
        "case_id": "c1",
        "review_kind": "serious_case_review",
        "stage": "scoping",
        "agencies": ["police", "health"],
        "meetings": [],
    }


def test_another_boards_review_is_not_found(client, review):
    other = make_board()
    headers = bearer(make_token(make_user("business_unit", board=other)))
    assert client.get(BASE, headers=headers).status_code == 404
    assert (
        client.post(
            f"{BASE}/contributions", json={"agency": "police", "kind": "chronology"}, headers=headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/reviews/nope", headers=headers).status_code == 404


def test_family_members_are_refused_everything(client, users, review):
    assert client.get(BASE, headers=users["family"]).status_code == 403
    assert client.get(f"{BASE}/chronology", headers=users["family"]).status_code == 403


def test_the_panel_is_formed_and_every_wrong_field_named(client, users, review):
    resp = add_panel(client, users, declarations={"works_for_board_agency": False})
    assert resp.status_code == 201 and resp.get_json()["role"] == "member"
    bad = client.post(
        f"{BASE}/panel",
        json={
            "role": "boss",
            "name": "",
            "email": "nope",
            "organisation": "X",
            "declarations": {"bribed": True},
        },
        headers=users["business"],
    )
    assert fields(bad) == {"role", "name", "email", "declarations.bribed"}
    lead = add_panel(client, users, role="lead_reviewer", email="l@example.org", agency="police")
    assert fields(lead) == {"declarations", "agency", "qualifications"}
    assert add_panel(client, users, email="x@example.org", agency="fire").status_code == 422
    assert client.post(f"{BASE}/panel", json={}, headers=users["police"]).status_code == 403


def test_terms_are_drafted_commented_and_agreed(client, users, review):
    add_panel(client, users)
    assert (
        client.post(
            f"{BASE}/terms-of-reference/comments", json={"text": "Early"}, headers=users["panel"]
        ).status_code
        == 409
    )
    resp = client.put(f"{BASE}/terms-of-reference", json=TERMS, headers=users["business"])
    assert resp.status_code == 200 and resp.get_json()["agreed_on"] is None
    comment = client.post(
        f"{BASE}/terms-of-reference/comments", json={"text": "Add education"}, headers=users["panel"]
    )
    assert comment.status_code == 201
    assert (
        client.post(
            f"{BASE}/terms-of-reference/comments", json={"text": "Hi"}, headers=users["outsider"]
        ).status_code
        == 403
    )
    assert client.post(f"{BASE}/terms-of-reference/agree", headers=users["panel"]).status_code == 403
    agreed = client.post(f"{BASE}/terms-of-reference/agree", headers=users["chair"])
    assert agreed.status_code == 200 and agreed.get_json()["agreed_on"] == "2026-03-02"
    assert agreed.get_json()["comments"][0]["text"] == "Add education"
    assert client.get(BASE, headers=users["business"]).get_json()["stage"] == "information_gathering"
    assert client.put(f"{BASE}/terms-of-reference", json=TERMS, headers=users["business"]).status_code == 409
    assert client.post(f"{BASE}/terms-of-reference/agree", headers=users["business"]).status_code == 409


def test_terms_name_every_wrong_field(client, users, review):
    bad = {
        **TERMS,
        "method": "vibes",
        "period_from": "2020-01-01",
        "agencies": ["fire"],
        "case_factors": ["x"],
    }
    del bad["breadth_and_depth"]
    assert fields(client.put(f"{BASE}/terms-of-reference", json=bad, headers=users["business"])) == {
        "breadth_and_depth",
        "method",
        "case_factors.0",
    }
    domain = {
        **TERMS,
        "period_from": "2020-01-01",
        "agencies": ["fire"],
        "case_factors": [],
        "context_factors": [],
    }
    assert fields(client.put(f"{BASE}/terms-of-reference", json=domain, headers=users["business"])) == {
        "period_from",
        "agencies.0",
        "case_factors",
        "context_factors",
    }


def test_a_contribution_is_requested_with_its_default_due_date(client, users, review):
    resp = request(client, users)
    assert resp.status_code == 201
    assert {k: resp.get_json()[k] for k in ("status", "due_on", "agency")} == {
        "status": "requested",
        "due_on": "2026-03-23",
        "agency": "police",
    }
    assert request(client, users).status_code == 409
    assert fields(request(client, users, agency="fire", kind="poem", due_on="2026-02-30")) == {
        "kind",
        "due_on",
    }
    assert fields(request(client, users, agency="fire", kind="saar")) == {"kind"}
    assert fields(request(client, users, agency="fire")) == {"agency"}
    assert (
        request(client, users, due_on="2026-04-01", kind="single_agency_review").get_json()["due_on"]
        == "2026-04-01"
    )


def test_an_idempotent_request_is_made_once(client, users, review):
    headers = {**users["business"], "Idempotency-Key": "req-1"}
    first = client.post(
        f"{BASE}/contributions", json={"agency": "health", "kind": "chronology"}, headers=headers
    )
    again = client.post(
        f"{BASE}/contributions", json={"agency": "health", "kind": "chronology"}, headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]


ENTRY = {
    "date": "2025-10-01",
    "time": "09:30",
    "event": "Domestic incident attended",
    "source": "Police log 123",
}


def test_chronology_entries_name_every_wrong_field(client, users, review):
    cid = request(client, users).get_json()["id"]
    bad = [ENTRY, {"date": "2025-13-01", "time": "25:00", "event": "", "pattern": "maybe"}]
    resp = client.put(
        f"{BASE}/contributions/{cid}/chronology", json={"entries": bad}, headers=users["police"]
    )
    assert fields(resp) == {
        "entries.1.date",
        "entries.1.time",
        "entries.1.event",
        "entries.1.source",
        "entries.1.pattern",
    }


def test_agency_staff_write_only_their_own_agencys_contribution(client, users, review):
    cid = request(client, users).get_json()["id"]
    url = f"{BASE}/contributions/{cid}"
    assert (
        client.put(f"{url}/chronology", json={"entries": [ENTRY]}, headers=users["health"]).status_code == 404
    )
    assert client.get(url, headers=users["health"]).status_code == 404
    assert (
        client.put(f"{url}/chronology", json={"entries": [ENTRY]}, headers=users["panel"]).status_code == 403
    )
    assert client.post(f"{url}/accept", headers=users["police"]).status_code == 403
    assert client.get(f"{BASE}/chronology", headers=users["police"]).status_code == 403
    saved = client.put(f"{url}/chronology", json={"entries": [ENTRY]}, headers=users["police"])
    assert saved.status_code == 200 and saved.get_json()["status"] == "draft"
    assert client.post(f"{url}/accept", headers=users["business"]).status_code == 409
    assert (
        client.put(f"{url}/saar", json={"sections": {"facts": "x"}}, headers=users["police"]).status_code
        == 409
    )


def test_the_business_unit_recording_for_an_agency_is_audited_as_such(client, users, review):
    from shared.audit import AuditEntry

    cid = request(client, users).get_json()["id"]
    assert (
        client.put(
            f"{BASE}/contributions/{cid}/chronology", json={"entries": [ENTRY]}, headers=users["business"]
        ).status_code
        == 200
    )
    assert AuditEntry.objects(action="contribution.recorded_on_behalf", resource_id=cid).count() == 1
    assert AuditEntry.objects(action="contribution.write", resource_id=cid, outcome="success").count() == 1
    client.get(BASE, headers=users["police"])
    assert AuditEntry.objects(action="review.read", resource_id="c1").count() == 1


def test_a_saar_is_written_in_parts_and_submitted_when_whole(client, users, review):
    cid = request(client, users, agency="health", kind="single_agency_analysis_report").get_json()["id"]
    url = f"{BASE}/contributions/{cid}"
    assert (
        client.put(
            f"{url}/saar", json={"sections": {"introduction": "Why"}}, headers=users["health"]
        ).status_code
        == 200
    )
    assert fields(client.put(f"{url}/saar", json={"sections": {"poem": "x"}}, headers=users["health"])) == {
        "sections.poem"
    }
    resp = client.post(f"{url}/submit", headers=users["health"])
    assert len(fields(resp)) == 6
    sections = {
        k: "Text"
        for k in ("facts", "analysis", "key_issues", "learning_points", "recommendations", "action_plan")
    }
    client.put(f"{url}/saar", json={"sections": sections}, headers=users["health"])
    assert client.post(f"{url}/submit", headers=users["health"]).get_json()["status"] == "submitted"
    assert fields(client.post(f"{url}/return", json={}, headers=users["business"])) == {"comments"}


def test_single_agency_review_answers(client, users, review):
    cid = request(client, users, agency="health", kind="single_agency_review").get_json()["id"]
    resp = client.put(
        f"{BASE}/contributions/{cid}/answers",
        json={"answers": {"went_well": "Early help"}},
        headers=users["health"],
    )
    assert resp.status_code == 200 and resp.get_json()["answers"] == {"went_well": "Early help"}


def test_csv_import_names_every_bad_row_and_column(client, users, review):
    cid = request(client, users).get_json()["id"]
    url = f"{BASE}/contributions/{cid}/chronology/import"
    csv = (
        "Date,Time,Event,Source,Learning point\n"
        "01/10/2025,09:30,Incident attended,Log 1,yes\n"
        "2025-10-40,,Visit,Log 2,\n"
        "2025-10-05,7pm,,Log 3,perhaps\n"
    )
    resp = client.post(url, data=csv.encode(), headers={**users["police"], "Content-Type": "text/csv"})
    assert fields(resp) == {"rows.3.date", "rows.4.time", "rows.4.event", "rows.4.learning_point"}
    assert fields(
        client.post(url, data=b"when,what\n1,2\n", headers={**users["police"], "Content-Type": "text/csv"})
    ) == {"columns"}
    assert fields(client.post(url, data=b"", headers={**users["police"], "Content-Type": "text/csv"})) == {
        "file"
    }
    control = b"date,event,source\n2025-10-01,Visit\x07,Log 1\n"
    assert fields(
        client.post(url, data=control, headers={**users["police"], "Content-Type": "text/csv"})
    ) == {"rows.2.event"}


def test_csv_import_takes_an_uploaded_file_too(client, users, review):
    cid = request(client, users).get_json()["id"]
    url = f"{BASE}/contributions/{cid}/chronology/import"
    upload = {"file": (io.BytesIO(b"date,event,source\n2025-10-01,Visit,Log 1\n"), "chronology.csv")}
    resp = client.post(url, data=upload, headers=users["police"], content_type="multipart/form-data")
    assert resp.status_code == 200 and resp.get_json()["entries"][0]["event"] == "Visit"


def test_a_second_board_event_does_not_touch_the_first(service, client, users, review):
    other = make_board()
    feed(
        service,
        referral_submitted(other.board_id, case_id="c2"),
        decision_recorded(other.board_id, case_id="c2"),
    )
    assert client.get("/api/v1/reviews/c2", headers=users["business"]).status_code == 404


@pytest.mark.parametrize("role", ["chair", "panel", "admin"])
def test_staff_read_the_merged_chronology(client, users, review, role):
    add_panel(client, users)
    resp = client.get(f"{BASE}/chronology?from=2025-01-01&to=2025-12-31", headers=users[role])
    assert resp.status_code == 200 and resp.get_json()["entries"] == []


def test_the_chronology_query_is_checked(client, users, review):
    assert fields(
        client.get(f"{BASE}/chronology?from=2025-12-01&to=2025-01-01", headers=users["business"])
    ) == {"to"}
    assert client.get(f"{BASE}/chronology", headers=users["outsider"]).status_code == 403
    assert client.get(f"{BASE}/chronology", headers=users["reviewer"]).status_code == 403
