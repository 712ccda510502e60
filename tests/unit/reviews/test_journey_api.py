"""Issue 14's whole journey through the API, in one process: the five services on the in-process
bus and a loopback SMTP server. An SCR is decided, the review opens, a panel is added and the terms
of reference agreed; the police and health write chronologies (health by CSV), one is returned
and submitted again, and the merged chronology reads in order; the police's analysis report is
submitted and accepted and its Word document made; the merged chronology's Word document lists
the entries in order; a panel meeting and a learning event invite their attendees by email with
a calendar file; the family and a relationship are recorded and the genogram drawn; a quality
marker's self-assessment is saved and read back."""

from __future__ import annotations

import email
import io
from collections.abc import Iterator
from datetime import timedelta
from email import policy
from typing import Any

import pytest
from docx import Document
from werkzeug.test import Client

from services.embedded import EmbeddedApp, bootstrap_all
from services.notifications.service_layer import directory
from services.notifications.service_layer.unit_of_work import MongoUnitOfWork
from shared.auth import demo
from shared.auth.models import User
from shared.framework import today_in_england
from tests.factories import bearer, make_token, make_user
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.support import wait_for
from tests.unit.referral.test_api import decision_body, make_referral

SECTIONS = {
    "introduction": "The police's contact with the family",
    "facts": "Three reports of shouting at the address",
    "analysis": "Each was graded standard risk without a look at earlier calls",
    "key_issues": "Repeat calls were not linked",
    "learning_points": "Call handlers need the address history",
    "recommendations": "Link calls to the same address automatically",
    "action_plan": "The control room changes its screen by the spring",
}
QUESTIONS = ("members_input", "reviewers_influence", "factors_considered", "rationale_recorded")


@pytest.fixture
def smtp() -> Iterator[tuple[RecordingHandler, int]]:
    servers = SmtpServers()
    handler = RecordingHandler()
    controller = servers.start(handler)
    yield handler, controller.port
    servers.stop_all()


@pytest.fixture
def product(settings: Any, smtp: tuple[RecordingHandler, int]) -> Iterator[Client]:
    _, port = smtp
    configured = settings.with_overrides(
        SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS="never", NOTIFICATION_DISPATCH_SECONDS=0.2
    )
    demo.seed(configured)
    directory.seed_demo_recipients(MongoUnitOfWork(), demo.BOARD_ID)
    services = bootstrap_all(configured)
    for s in services:
        s.start()
    yield Client(EmbeddedApp(services))
    for s in services:
        s.stop()


def as_user(address: str) -> dict:
    return bearer(make_token(User.objects.get(email=address)))


def mails(handler: RecordingHandler) -> list[tuple[set[str], Any]]:
    return [
        (set(envelope.rcpt_tos), email.message_from_bytes(envelope.original_content, policy=policy.default))
        for envelope, _ in handler.received
    ]


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def generated(client: Any, headers: dict, body: dict) -> bytes:
    """Ask the documents service for a document once it has heard what it needs; its Word file."""
    made = wait_for(
        lambda: (r := client.post("/api/v1/documents", json=body, headers=headers)).status_code == 202 and r,
        timeout=20,
    )
    content = client.get(f"/api/v1/documents/{made.json['id']}/content", headers=headers)
    assert content.status_code == 200
    return content.data


def test_issue_14_journey_end_to_end_through_the_api(
    product: Any, smtp: tuple[RecordingHandler, int]
) -> None:
    client = product
    handler, _ = smtp
    business, chair = as_user("business@demo.example.org"), as_user("chair@demo.example.org")
    police = as_user("practitioner@demo.example.org")
    health = bearer(make_token(make_user("agency_practitioner", board=demo.BOARD_ID, agency="health")))
    today = today_in_england()
    day = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731

    # An SCR decided: the review opens.
    referral = client.post("/api/v1/referrals", json=make_referral(), headers=business)
    assert referral.status_code == 201, referral.json
    case_id = referral.json["id"]
    body = decision_body(chair="chair@demo.example.org")
    assert client.post(f"/api/v1/cases/{case_id}/decision", json=body, headers=chair).status_code == 200
    base = f"/api/v1/reviews/{case_id}"
    opened = wait_for(
        lambda: (r := client.get(base, headers=business)).status_code == 200 and r.json, timeout=20
    )
    assert opened["review_kind"] == "serious_case_review"

    # The panel and the terms of reference.
    member = {
        "role": "panel_chair",
        "name": "Pat Panel",
        "email": "panel@demo.example.org",
        "organisation": "Education",
    }
    assert client.post(f"{base}/panel", json=member, headers=business).status_code == 201
    terms = {
        "breadth_and_depth": "How agencies worked together in the ten months before the incident",
        "focus_questions": ["Was the risk to the infant recognised?"],
        "method": "intensive",
        "period_from": day(300),
        "period_to": day(10),
        "agencies": ["police", "health"],
        "proportionality_rationale": "A death where abuse is suspected: an intensive review",
        "case_factors": ["family_strengths_vulnerabilities_risks"],
        "context_factors": ["public_interest"],
        "reviewer_skills": "Lead reviewer accredited in the systems approach",
    }
    assert client.put(f"{base}/terms-of-reference", json=terms, headers=business).status_code == 200
    assert client.post(f"{base}/terms-of-reference/agree", headers=chair).status_code == 200

    # Chronologies from the police and health; health's by CSV, returned once and submitted again.
    ids = {}
    for agency in ("police", "health"):
        made = client.post(
            f"{base}/contributions", json={"agency": agency, "kind": "chronology"}, headers=business
        )
        assert made.status_code == 201, made.json
        ids[agency] = made.json["id"]
    purl, hurl = (f"{base}/contributions/{ids[a]}" for a in ("police", "health"))
    entries = [
        {"date": day(40), "time": "22:10", "event": "Domestic incident attended", "source": "Log 1"},
        {"date": day(60), "event": "Missing person report", "source": "Log 2", "learning_point": True},
    ]
    assert client.put(f"{purl}/chronology", json={"entries": entries}, headers=police).status_code == 200
    assert client.post(f"{purl}/submit", headers=police).json["status"] == "submitted"
    csv = f"date,time,event,source\n{day(50)},08:00,Health visitor contact,GP record\n"
    csv_headers = {**health, "Content-Type": "text/csv"}
    assert client.post(f"{hurl}/chronology/import", data=csv.encode(), headers=csv_headers).status_code == 200
    assert client.post(f"{hurl}/submit", headers=health).status_code == 200
    returned = client.post(f"{hurl}/return", json={"comments": "Add the conference"}, headers=business)
    assert returned.json["status"] == "returned"
    csv += f"{day(20)},,Child protection conference,CP minutes\n"
    assert client.post(f"{hurl}/chronology/import", data=csv.encode(), headers=csv_headers).status_code == 200
    assert client.post(f"{hurl}/submit", headers=health).json["status"] == "submitted"
    for url in (purl, hurl):
        assert client.post(f"{url}/accept", headers=business).json["status"] == "accepted"
    order = [
        "Missing person report",
        "Health visitor contact",
        "Domestic incident attended",
        "Child protection conference",
    ]
    merged = client.get(f"{base}/chronology", headers=business).json
    assert [e["event"] for e in merged["entries"]] == order

    # The police's single agency analysis report: written, submitted, accepted, and its document.
    made = client.post(
        f"{base}/contributions",
        json={"agency": "police", "kind": "single_agency_analysis_report"},
        headers=business,
    )
    assert made.status_code == 201, made.json
    surl = f"{base}/contributions/{made.json['id']}"
    saved = client.put(f"{surl}/saar", json={"sections": SECTIONS}, headers=police)
    assert saved.status_code == 200, saved.json
    assert client.post(f"{surl}/submit", headers=police).json["status"] == "submitted"
    assert client.post(f"{surl}/accept", headers=business).json["status"] == "accepted"
    saar = generated(
        client,
        business,
        {"case_id": case_id, "kind": "single_agency_analysis_report", "agency": "police"},
    )
    text = docx_text(saar)
    assert all(section in text for section in SECTIONS.values()), text

    # The merged chronology's Word document, its entries in order.
    text = docx_text(generated(client, business, {"case_id": case_id, "kind": "multi_agency_chronology"}))
    where = [text.find(event) for event in order]
    assert -1 not in where and where == sorted(where), text

    # A panel meeting and a learning event: each attendee invited with a calendar file.
    attendees = [
        {"name": "Anne Analyst", "email": "anne@police.example.org", "agency": "police", "role": "member"},
        {"name": "Ben Nurse", "email": "ben@health.example.org", "agency": "health", "role": "practitioner"},
    ]
    when = today + timedelta(days=14)
    for n, kind in enumerate(("panel_meeting", "learning_event")):
        start = f"{when + timedelta(days=n)}T10:00"
        meeting = {
            "kind": kind,
            "starts_at": start,
            "ends_at": start.replace("T10", "T12"),
            "place": "Wallasey Town Hall, room 2",
            "attendees": attendees,
            "agenda": ["The merged chronology"],
        }
        scheduled = client.post(f"{base}/meetings", json=meeting, headers=business)
        assert scheduled.status_code == 201, scheduled.json
    assert [m["kind"] for m in client.get(base, headers=business).json["meetings"]] == [
        "panel_meeting",
        "learning_event",
    ]

    def invitations() -> list[tuple[str, Any]] | None:
        found = [
            (next(iter(to)), part)
            for to, message in mails(handler)
            for part in message.iter_attachments()
            if part.get_content_type() == "text/calendar" or (part.get_filename() or "").endswith(".ics")
        ]
        return found if len(found) >= 4 else None

    invited = wait_for(invitations, timeout=30)
    assert sorted(to for to, _ in invited) == sorted([a["email"] for a in attendees] * 2)
    assert all("BEGIN:VEVENT" in part.get_content() for _, part in invited)

    # The family and the genogram.
    people = {}
    for name, relationship, sex in (("Mia", "mother", "female"), ("Kit", "child", "male")):
        added = client.post(
            f"{base}/family/members",
            json={"name": name, "relationship_to_child": relationship, "sex": sex},
            headers=business,
        )
        assert added.status_code == 201, added.json
        people[name] = added.json["id"]
    related = client.post(
        f"{base}/family/relationships",
        json={"from": people["Mia"], "kind": "parent_of", "to": people["Kit"]},
        headers=business,
    )
    assert related.status_code == 201, related.json
    genogram = client.get(f"{base}/family/genogram.svg", headers=business)
    assert genogram.status_code == 200 and genogram.mimetype == "image/svg+xml"
    svg = genogram.get_data(as_text=True)
    assert "<svg" in svg and "Mia" in svg and "Kit" in svg

    # The quality marker self-assessment, saved and read back.
    answers = {q: {"rating": "met", "evidence": f"Scoping minutes: {q}"} for q in QUESTIONS}
    marker = "proportionate_form_and_focus"
    saved = client.put(f"{base}/quality", json={"marker": marker, "answers": answers}, headers=chair)
    assert saved.status_code == 200, saved.json
    back = next(
        m for m in client.get(f"{base}/quality", headers=business).json["markers"] if m["marker"] == marker
    )
    assert {q["key"]: q["rating"] for q in back["questions"]} == dict.fromkeys(QUESTIONS, "met")
    assert back["assessed_on"] == today.isoformat()
