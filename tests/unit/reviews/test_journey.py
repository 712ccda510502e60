"""A review from the Chair's decision to the merged chronology, in one process: the referral
service publishes the decision on the in-process bus, the reviews service opens the review, and
the business unit, the panel and two agencies' authors take it through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.test import Client

from services.embedded import EmbeddedApp, bootstrap_all
from shared.framework import today_in_england
from tests.factories import bearer, make_board, make_token, make_user
from tests.support import wait_for
from tests.unit.referral.test_api import decision_body, make_referral


@pytest.fixture
def product(settings):
    services = bootstrap_all(settings, names=("referral", "reviews"))
    for s in services:
        s.start()
    yield Client(EmbeddedApp(services))
    for s in services:
        s.stop()


def test_an_scr_from_decision_to_merged_chronology(product):
    client = product
    board = make_board(agencies=("police", "health", "education"))

    def user(role: str, agency: str | None = None, email: str | None = None) -> dict:
        return bearer(make_token(make_user(role, board=board, agency=agency, email=email)))

    business, chair = user("business_unit"), user("chair")
    police, health = user("agency_practitioner", "police"), user("agency_manager", "health")
    panel = user("panel_member", email="pat.panel@example.org")
    today = today_in_england()

    referral = client.post("/api/v1/referrals", json=make_referral(), headers=business)
    assert referral.status_code == 201, referral.json
    case_id = referral.json["id"]
    decided = client.post(f"/api/v1/cases/{case_id}/decision", json=decision_body(), headers=chair)
    assert decided.status_code == 200, decided.json

    base = f"/api/v1/reviews/{case_id}"
    opened = wait_for(lambda: (r := client.get(base, headers=business)).status_code == 200 and r.json)
    assert (opened["review_kind"], opened["method"], opened["stage"]) == (
        "serious_case_review",
        "intensive",
        "scoping",
    )
    assert opened["agencies"] == ["police", "health"]

    member = {
        "role": "panel_chair",
        "name": "Pat Panel",
        "email": "pat.panel@example.org",
        "organisation": "Education",
    }
    assert client.post(f"{base}/panel", json=member, headers=business).status_code == 201

    terms = {
        "breadth_and_depth": "How agencies worked together in the ten months before the incident",
        "focus_questions": ["Was the risk to the infant recognised?"],
        "method": "intensive",
        "period_from": (today - timedelta(days=300)).isoformat(),
        "period_to": (today - timedelta(days=10)).isoformat(),
        "agencies": ["police", "health"],
        "proportionality_rationale": "A death where abuse is suspected: an intensive review",
        "case_factors": ["family_strengths_vulnerabilities_risks"],
        "context_factors": ["public_interest"],
        "reviewer_skills": "Lead reviewer accredited in the systems approach",
    }
    assert client.put(f"{base}/terms-of-reference", json=terms, headers=business).status_code == 200
    assert (
        client.post(
            f"{base}/terms-of-reference/comments", json={"text": "Add the GP"}, headers=panel
        ).status_code
        == 201
    )
    assert client.post(f"{base}/terms-of-reference/agree", headers=chair).status_code == 200

    ids = {}
    for agency in ("police", "health"):
        made = client.post(
            f"{base}/contributions", json={"agency": agency, "kind": "chronology"}, headers=business
        )
        assert made.status_code == 201 and made.json["status"] == "requested"
        ids[agency] = made.json["id"]

    day = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    police_entries = [
        {"date": day(40), "time": "22:10", "event": "Domestic incident attended", "source": "Log 1"},
        {"date": day(60), "event": "Missing person report", "source": "Log 2", "learning_point": True},
    ]
    url = f"{base}/contributions/{ids['police']}"
    assert (
        client.put(f"{url}/chronology", json={"entries": police_entries}, headers=police).status_code == 200
    )
    assert client.post(f"{url}/submit", headers=police).json["status"] == "submitted"

    csv = f"date,time,event,source,statutory_event\n{day(40)},08:00,Health visitor contact,GP record,no\n"
    hurl = f"{base}/contributions/{ids['health']}"
    imported = client.post(
        f"{hurl}/chronology/import", data=csv.encode(), headers={**health, "Content-Type": "text/csv"}
    )
    assert imported.status_code == 200 and imported.json["entry_count"] == 1
    assert client.post(f"{hurl}/submit", headers=health).status_code == 200

    returned = client.post(
        f"{hurl}/return", json={"comments": "Add the child protection conference"}, headers=panel
    )
    assert returned.json["status"] == "returned"
    seen = client.get(hurl, headers=health).json
    assert seen["comments"] == "Add the child protection conference"
    csv += f"{day(20)},,Child protection conference,CP minutes,yes\n"
    client.post(
        f"{hurl}/chronology/import", data=csv.encode(), headers={**health, "Content-Type": "text/csv"}
    )
    assert client.post(f"{hurl}/submit", headers=health).json["status"] == "submitted"

    for cid in ids.values():
        accepted = client.post(f"{base}/contributions/{cid}/accept", headers=business)
        assert accepted.json["status"] == "accepted"
    assert client.get(base, headers=business).json["stage"] == "analysis"

    merged = client.get(f"{base}/chronology", headers=panel).json
    assert [(e["agency"], e["event"]) for e in merged["entries"]] == [
        ("police", "Missing person report"),
        ("health", "Health visitor contact"),
        ("police", "Domestic incident attended"),
        ("health", "Child protection conference"),
    ]
    only_health = client.get(f"{base}/chronology?agency=health&from={day(30)}", headers=business).json
    assert [e["event"] for e in only_health["entries"]] == ["Child protection conference"]
