"""From the final report to publication, in one process: the five services on the in-process
bus and a loopback SMTP server. Two versions are drafted and compared, one is shown to the demo
family member, who reads it page by page and comments; the Chair signs off; publication is
planned; the copies go to Ofsted, the DfE and the National Panel with the report and the board's
response attached, once each; the scheduler marks that duty met; the report is published and
its 12 months on the website are scheduled. Not publishing tells the DfE and the Panel."""

from __future__ import annotations

import csv
import email
import io
import re
from datetime import date, timedelta
from email import policy

import pytest
from werkzeug.test import Client

from services.embedded import EmbeddedApp, bootstrap_all
from services.notifications.service_layer import directory
from services.notifications.service_layer.unit_of_work import MongoUnitOfWork
from services.reviews.entrypoints.api import Dependencies
from shared.auth import demo
from shared.auth.models import User
from shared.framework import today_in_england
from shared.working_days import WorkingDays
from tests.factories import bearer, make_token
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.support import wait_for
from tests.unit.referral.test_api import decision_body, make_referral

from .test_report_api import V1

NATIONAL = {
    "ofsted": "ofsted@placeholder.example.org",
    "dfe": "dfe@placeholder.example.org",
    "national_panel": "national-panel@placeholder.example.org",
}


@pytest.fixture
def smtp():
    servers = SmtpServers()
    handler = RecordingHandler()
    controller = servers.start(handler)
    yield handler, controller.port
    servers.stop_all()


@pytest.fixture
def product(settings, smtp):
    _, port = smtp
    configured = settings.with_overrides(
        SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS="never", NOTIFICATION_DISPATCH_SECONDS=0.2
    )
    demo.seed(configured)
    directory.seed_demo_recipients(MongoUnitOfWork(), demo.BOARD_ID)
    services = bootstrap_all(configured)
    clock = {"today": today_in_england()}
    reviews = next(s for s in services if s.name == "reviews")
    deps = reviews.extras["dependencies"]
    reviews.app.extensions["lscb_reviews"] = Dependencies(uow=deps.uow, today=lambda: clock["today"])
    for s in services:
        s.start()
    yield Client(EmbeddedApp(services)), clock
    for s in services:
        s.stop()


def as_user(address: str) -> dict:
    return bearer(make_token(User.objects.get(email=address)))


def mails(handler) -> list:
    return [
        (set(envelope.rcpt_tos), email.message_from_bytes(envelope.original_content, policy=policy.default))
        for envelope, _ in handler.received
    ]


def open_review(client) -> str:
    business, chair = as_user("business@demo.example.org"), as_user("chair@demo.example.org")
    referral = client.post("/api/v1/referrals", json=make_referral(), headers=business)
    assert referral.status_code == 201, referral.json
    case_id = referral.json["id"]
    body = decision_body(chair="chair@demo.example.org")
    assert client.post(f"/api/v1/cases/{case_id}/decision", json=body, headers=chair).status_code == 200
    wait_for(
        lambda: client.get(f"/api/v1/reviews/{case_id}", headers=business).status_code == 200, timeout=20
    )
    return case_id


def deadlines(client, case_id: str) -> dict:
    r = client.get(f"/api/v1/deadlines?case_id={case_id}", headers=as_user("business@demo.example.org"))
    return {d["code"]: d for d in r.json["items"]} if r.status_code == 200 else {}


def test_a_report_from_two_drafts_to_publication(product, smtp):
    client, clock = product
    handler, _ = smtp
    business, chair = as_user("business@demo.example.org"), as_user("chair@demo.example.org")
    family = as_user("family@demo.example.org")
    case_id = open_review(client)
    base = f"/api/v1/reviews/{case_id}"

    assert client.post(f"{base}/report/versions", json={"sections": V1}, headers=business).status_code == 201
    second = {**V1, "conclusion": "Practice was not effective; the systems did not support it."}
    assert (
        client.post(f"{base}/report/versions", json={"sections": second}, headers=business).json["version"]
        == 2
    )
    compared = client.get(f"{base}/report/compare?from=1&to=2", headers=chair).json
    assert [s["section"] for s in compared["sections"] if s["changed"]] == ["conclusion"]

    shared = client.post(
        f"{base}/report/versions/2/shares", json={"email": "family@demo.example.org"}, headers=business
    )
    assert shared.status_code == 201, shared.json

    # The documents service made the version a document and shared it: the family reads it there.
    def shared_link():
        r = client.get("/reports", headers=family)
        found = (
            re.findall(r'href="/reports/([^"?]+)', r.get_data(as_text=True)) if r.status_code == 200 else []
        )
        return found[0] if found else None

    share_id = wait_for(shared_link, timeout=20)
    page = client.get(f"/reports/{share_id}?page=1", headers=family)
    assert page.status_code == 200 and "the systems did not support it" in page.get_data(as_text=True)
    said = client.post(
        f"{base}/report/versions/2/family-comments", json={"text": "Thank you for listening."}, headers=family
    )
    assert said.status_code == 201
    assert [c["text"] for c in client.get(f"{base}/report", headers=business).json["comments"]] == [
        "Thank you for listening."
    ]

    today = clock["today"]
    body = {"version": 2, "signed_off_on": today.isoformat()}
    assert client.post(f"{base}/report/sign-off", json=body, headers=chair).status_code == 201
    planned_on = WorkingDays().add(today, 8)
    plan = client.post(
        f"{base}/publication", json={"planned_publication_on": planned_on.isoformat()}, headers=business
    )
    assert plan.status_code == 201, plan.json
    due = wait_for(lambda: deadlines(client, case_id).get("pre_publication_copies"), timeout=20)
    assert due["due"] == plan.json["copies_due_on"]

    assert client.post(f"{base}/publication/copies", json={}, headers=business).status_code == 201

    def copies():
        found = [(to, m) for to, m in mails(handler) if m["Subject"].startswith("Case review report before")]
        return found if len(found) >= 3 else None

    sent = wait_for(copies, timeout=30)
    assert sorted(next(iter(to)) for to, _ in sent) == sorted(NATIONAL.values())
    for _, message in sent:
        names = sorted(p.get_filename() for p in message.iter_attachments())
        assert names[0].startswith("board-response-") and names[1].startswith("final-report-")
    met = wait_for(
        lambda: (
            (d := deadlines(client, case_id).get("pre_publication_copies")) and d["status"] == "met" and d
        ),
        timeout=20,
    )
    assert met["status"] == "met"

    clock["today"] = planned_on
    url = "https://demo.example.org/reviews/child-a"
    published = client.post(
        f"{base}/published", json={"published_on": planned_on.isoformat(), "url": url}, headers=business
    )
    assert published.status_code == 201, published.json
    retention = wait_for(lambda: deadlines(client, case_id).get("publication_retention"), timeout=20)
    assert retention["due"] == date(planned_on.year + 1, planned_on.month, planned_on.day).isoformat()
    # Exactly once each, whatever the dispatcher's passes did meanwhile.
    assert len(copies() or []) == 3

    # The action plan: three actions, one progress report each, one closed with its evidence.
    actions = f"{base}/actions"
    yesterday = today - timedelta(days=1)
    made = []
    for agency, due in (("police", yesterday), ("health", planned_on), ("education", planned_on)):
        body = {
            "recommendation": "Agencies share concerns about neglect at the first sign",
            "action": f"The {agency} lead makes neglect screening part of every first contact",
            "owner_agency": agency,
            "owner_email": f"lead@{agency}.example.org",
            "due_on": due.isoformat(),
            "success_measure": "Nine in ten first contacts record the screening, by audit",
        }
        added = client.post(actions, json=body, headers=business)
        assert added.status_code == 201, added.json
        made.append(added.json["id"])
    for action_id, rag in zip(made, ("red", "amber", "green"), strict=True):
        update = {
            "reported_on": planned_on.isoformat(),
            "rag": rag,
            "note": "Reported",
            "evidence": "Register",
        }
        assert (
            client.post(f"{actions}/{action_id}/progress", json=update, headers=business).status_code == 201
        )
    closed = client.post(
        f"{actions}/{made[2]}/close",
        json={"evidence_of_impact": "The audit found 94 in 100"},
        headers=business,
    )
    assert closed.status_code == 200 and closed.json["status"] == "closed", closed.json
    overdue = client.get("/api/v1/actions?overdue=true", headers=business).json["items"]
    assert [a["id"] for a in overdue] == [made[0]]

    # The learning summary, found in the repository by a word of it.
    summary = {
        "board_area": "Demo",
        "review_type": "Serious case review, intensive method",
        "incident_month": today.strftime("%Y-%m"),
        "summary": "An infant's injuries after missed appointments and unrecognised neglect",
        "case_learning": "Missed appointments were not followed up",
        "method_learning": "The practitioners' learning event worked well",
        "single_agency_recommendations": "Health visitors follow up two missed appointments",
        "multi_agency_recommendations": "Share concerns about neglect at the first sign",
        "changes": "The missed-appointment policy is revised",
        "impact_audit": "A case-file audit of 40 families",
        "other_comments": "",
        "themes": ["neglect"],
    }
    kept = client.put(f"{base}/learning-summary", json=summary, headers=business)
    assert kept.status_code == 200, kept.json
    found = client.get("/api/v1/learning?q=unrecognised", headers=business).json["items"]
    assert [i["case_id"] for i in found] == [case_id]
    assert found[0]["published_on"] == planned_on.isoformat() and found[0]["themes"] == ["neglect"]

    # The board's dashboard counts them (the scheduler hears of them through the bus).
    def figures(year: int) -> list[dict]:
        r = client.get(f"/dashboard.csv?year={year}", headers=business)
        return list(csv.DictReader(io.StringIO(r.get_data(as_text=True)))) if r.status_code == 200 else []

    def themes_counted():
        rows = figures(today.year)  # the year the review opened
        by_theme = {x["Row"]: x["Value"] for x in rows if "by theme" in x["Figure"]}
        return rows if by_theme.get("Neglect") == "1" else None

    wait_for(themes_counted, timeout=20)
    statuses = {
        r["Row"]: r["Value"]
        for r in figures(yesterday.year)  # the year the police action fell due
        if r["Figure"].startswith("Actions due") and "status" in r["Figure"]
    }
    assert statuses.get("Overdue") == "1"  # the police action, due yesterday


def test_not_publishing_tells_the_dfe_and_the_panel(product, smtp):
    client, _ = product
    handler, _ = smtp
    case_id = open_review(client)
    decided = client.post(
        f"/api/v1/reviews/{case_id}/publication/decision",
        json={"publish": False, "reason": "Publishing would identify the surviving sibling"},
        headers=as_user("chair@demo.example.org"),
    )
    assert decided.status_code == 201, decided.json

    def told():
        found = [to for to, m in mails(handler) if m["Subject"].startswith("Report not to be published")]
        return found if len(found) >= 2 else None

    recipients = wait_for(told, timeout=30)
    assert sorted(next(iter(to)) for to in recipients) == sorted(
        [NATIONAL["dfe"], NATIONAL["national_panel"]]
    )
