"""Publication through Flask's test client (003 "Publication of reports"; 002 §2.9): planning
with the 7 working days, the copies sent by the product or recorded as sent before, publishing
and its refusals, and not publishing with the Panel's advice."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.adapters.report_store import ReportDocument
from services.reviews.bootstrap import bootstrap
from shared.audit import AuditEntry

from .test_report_api import V1

BASE = "/api/v1/reviews/c1"


@pytest.fixture
def clock():
    return {"today": date(2026, 3, 2)}  # a Monday


@pytest.fixture
def service(settings, clock):
    return bootstrap(settings, today=lambda: clock["today"])


def fields(resp) -> dict[str, str]:
    assert resp.status_code == 422, resp.get_json()
    return {e["field"]: e["message"] for e in resp.get_json()["errors"]}


def signed(client, users, sections=V1):
    assert (
        client.post(
            f"{BASE}/report/versions", json={"sections": sections}, headers=users["business"]
        ).status_code
        == 201
    )
    n = len(client.get(f"{BASE}/report", headers=users["business"]).get_json()["versions"])
    on = "2026-03-02"
    made = client.post(
        f"{BASE}/report/sign-off", json={"version": n, "signed_off_on": on}, headers=users["chair"]
    )
    assert made.status_code == 201, made.get_json()


def outbox(kind: str) -> list[dict]:
    doc = ReportDocument.objects(case_id="c1").first()
    return [e.envelope["data"] for e in doc.outbox if e.event_type == kind]


def test_a_planned_date_needs_7_working_days_and_says_the_earliest(client, users, review):
    early = client.post(
        f"{BASE}/publication", json={"planned_publication_on": "2026-03-10"}, headers=users["business"]
    )
    message = fields(early)["planned_publication_on"]
    assert "11 March 2026" in message and "7 working days" in message
    made = client.post(
        f"{BASE}/publication", json={"planned_publication_on": "2026-03-11"}, headers=users["business"]
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["copies_due_on"] == "2026-03-02"
    assert outbox("publication.planned")[-1]["planned_publication_on"] == "2026-03-11"
    assert (
        client.post(
            f"{BASE}/publication", json={"planned_publication_on": "2026-04-01"}, headers=users["chair"]
        ).status_code
        == 403
    )
    assert set(fields(client.post(f"{BASE}/publication", json={"when": 1}, headers=users["business"]))) == {
        "planned_publication_on",
        "when",
    }


def test_copies_go_by_the_product_once_for_the_signed_off_version(client, users, review):
    refused = client.post(f"{BASE}/publication/copies", json={}, headers=users["business"])
    assert set(fields(refused)) == {"version"}
    signed(client, users)
    sent = client.post(f"{BASE}/publication/copies", json={}, headers=users["business"])
    assert sent.status_code == 201, sent.get_json()
    assert (
        sent.get_json() | {"copies_sent_on": "2026-03-02", "copies_by_product": True, "copies_version": 1}
        == sent.get_json()
    )
    [event] = outbox("publication.copies_sent")
    assert event["by_product"] is True and event["sections"] == V1
    again = client.post(f"{BASE}/publication/copies", json={}, headers=users["business"])
    assert again.status_code == 409


def test_copies_sent_before_the_product_are_recorded_and_audited_as_such(client, users, review):
    signed(client, users)
    future = client.post(
        f"{BASE}/publication/copies", json={"sent_on": "2026-03-05"}, headers=users["business"]
    )
    assert set(fields(future)) == {"sent_on"}
    made = client.post(
        f"{BASE}/publication/copies", json={"sent_on": "2026-02-02"}, headers=users["business"]
    )
    assert made.status_code == 201 and made.get_json()["copies_by_product"] is False
    [event] = outbox("publication.copies_sent")
    assert event["by_product"] is False and event["sections"] == {}
    assert AuditEntry.objects(action="publication.copies_recorded_as_sent_outside").count() == 1


def test_publishing_needs_a_sign_off_and_copies_7_working_days_before(client, users, review, clock):
    body = {"published_on": "2026-03-02", "url": "https://board.example.org/reviews/child-a"}
    refused = client.post(f"{BASE}/published", json=body, headers=users["business"])
    assert set(fields(refused)) == {"published_on"}
    signed(client, users)
    client.post(f"{BASE}/publication/copies", json={}, headers=users["business"])
    clock["today"] = date(2026, 3, 10)
    early = client.post(
        f"{BASE}/published", json={**body, "published_on": "2026-03-10"}, headers=users["business"]
    )
    assert "11 March 2026" in fields(early)["published_on"]
    clock["today"] = date(2026, 3, 11)
    made = client.post(
        f"{BASE}/published", json={**body, "published_on": "2026-03-11"}, headers=users["business"]
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["url"] == body["url"]
    assert outbox("report.published")[0]["published_on"] == "2026-03-11"
    after = client.post(f"{BASE}/report/versions", json={"sections": V1}, headers=users["business"])
    assert after.status_code == 409


def test_a_version_saved_after_sign_off_cannot_be_published_until_signed_again(client, users, review, clock):
    signed(client, users)
    client.post(f"{BASE}/publication/copies", json={"sent_on": "2026-02-02"}, headers=users["business"])
    client.post(
        f"{BASE}/report/versions",
        json={"sections": {**V1, "conclusion": "Changed"}},
        headers=users["business"],
    )
    body = {"published_on": "2026-03-02", "url": "https://board.example.org/r"}
    assert (
        "Sign off"
        in fields(client.post(f"{BASE}/published", json=body, headers=users["business"]))["published_on"]
    )


def test_not_publishing_tells_the_national_bodies_and_records_the_panels_advice(client, users, review):
    no_reason = client.post(f"{BASE}/publication/decision", json={"publish": False}, headers=users["chair"])
    assert set(fields(no_reason)) == {"reason"}
    made = client.post(
        f"{BASE}/publication/decision",
        json={"publish": False, "reason": "Publication would harm the sibling's welfare"},
        headers=users["chair"],
    )
    assert made.status_code == 201, made.get_json()
    [told] = outbox("publication.decided")
    assert told["publish"] is False and told["final"] is False
    assert (
        client.post(
            f"{BASE}/publication/decision", json={"publish": True}, headers=users["chair"]
        ).status_code
        == 409
    )

    bad = client.post(
        f"{BASE}/publication/panel-advice",
        json={"advice": "", "received_on": "2026-03-05", "final_publish": False},
        headers=users["business"],
    )
    assert set(fields(bad)) == {"advice"}
    late = client.post(
        f"{BASE}/publication/panel-advice",
        json={"advice": "Publish", "received_on": "2026-03-05", "final_publish": False},
        headers=users["business"],
    )
    assert set(fields(late)) == {"received_on", "final_reason"}
    advised = client.post(
        f"{BASE}/publication/panel-advice",
        json={
            "advice": "Publish a summary instead",
            "received_on": "2026-03-02",
            "final_publish": False,
            "final_reason": "The board keeps its decision; a summary is published",
        },
        headers=users["business"],
    )
    assert advised.status_code == 201, advised.get_json()
    assert advised.get_json()["panel_advice"] == "Publish a summary instead"
    final = outbox("publication.decided")[-1]
    assert final["final"] is True and final["publish"] is False
    planned = client.post(
        f"{BASE}/publication", json={"planned_publication_on": "2026-04-01"}, headers=users["business"]
    )
    assert planned.status_code == 409
