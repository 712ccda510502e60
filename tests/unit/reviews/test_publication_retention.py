"""Keeping the published report on the website or withdrawing it after its 12 months (003
"Publication of reports"): the API (201, 422 naming the field, withdrawing too early refused with
the earliest date, a reason needed to withdraw, 403 by role, audited), the form on the publication
page, and the scheduler, whose reminder comes before the 12 months end and which marks the
deadline met on the board's answer."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.adapters.report_store import ReportDocument
from services.reviews.bootstrap import bootstrap
from services.scheduler.service_layer import messages as m
from shared.audit import AuditEntry
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.events.report import PublicationRetentionDecided, ReportPublished
from tests.events import received
from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import post, summary, text
from tests.unit.scheduler.events import decision_recorded, referral_submitted
from tests.unit.scheduler.fakes import Scheduler

from .test_report_api import V1

browser = conduct_pages.browser

BASE = "/api/v1/reviews/c1"
PAGE = "/reviews/c1/publication"
URL = "https://board.example.org/reviews/child-a"


@pytest.fixture
def clock():
    return {"today": date(2026, 3, 2)}  # a Monday


@pytest.fixture
def service(settings, clock):
    return bootstrap(settings, today=lambda: clock["today"])


def fields(resp) -> dict[str, str]:
    assert resp.status_code == 422, resp.get_json()
    return {e["field"]: e["message"] for e in resp.get_json()["errors"]}


def outbox(kind: str) -> list[dict]:
    doc = ReportDocument.objects(case_id="c1").first()
    return [e.envelope["data"] for e in doc.outbox if e.event_type == kind]


@pytest.fixture
def published(client, users, review):
    """Signed off, the copies sent outside the product, published on 20 January 2025."""
    business = users["business"]
    assert client.post(f"{BASE}/report/versions", json={"sections": V1}, headers=business).status_code == 201
    signed = client.post(
        f"{BASE}/report/sign-off", json={"version": 1, "signed_off_on": "2026-03-02"}, headers=users["chair"]
    )
    assert signed.status_code == 201, signed.get_json()
    sent = client.post(f"{BASE}/publication/copies", json={"sent_on": "2025-01-06"}, headers=business)
    assert sent.status_code == 201, sent.get_json()
    made = client.post(f"{BASE}/published", json={"published_on": "2025-01-20", "url": URL}, headers=business)
    assert made.status_code == 201, made.get_json()
    return "c1"


# -- the API --------------------------------------------------------------------------------------


def test_keeping_the_report_online_is_recorded_with_its_event(client, users, published):
    made = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "keep", "decided_on": "2026-01-12"},
        headers=users["business"],
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["retention"], body["retention_decided_on"], body["retention_reason"]) == (
        "keep",
        "2026-01-12",
        None,
    )
    [event] = outbox("publication.retention_decided")
    assert event["decision"] == "keep" and event["decided_on"] == "2026-01-12"
    assert event["published_on"] == "2025-01-20" and event["reason"] == ""
    assert AuditEntry.objects(action="review.write", resource_type="publication", outcome="success").count()


def test_a_bad_value_is_refused_naming_the_field(client, users, published):
    bad = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "archive", "decided_on": "someday"},
        headers=users["business"],
    )
    assert set(fields(bad)) == {"decision", "decided_on"}
    missing = client.post(f"{BASE}/publication/retention", json={}, headers=users["business"])
    assert set(fields(missing)) == {"decision", "decided_on"}


def test_withdrawing_needs_the_12_months_and_a_reason(client, users, published):
    early = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "withdraw", "decided_on": "2025-12-01"},
        headers=users["business"],
    )
    problems = fields(early)
    assert set(problems) == {"decided_on", "reason"}
    assert "20 January 2026" in problems["decided_on"] and "12 months" in problems["decided_on"]
    future = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "keep", "decided_on": "2026-03-03"},
        headers=users["business"],
    )
    assert set(fields(future)) == {"decided_on"}
    assert outbox("publication.retention_decided") == []

    made = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "withdraw", "decided_on": "2026-01-20", "reason": "The action plan is complete"},
        headers=users["business"],
    )
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["retention_reason"] == "The action plan is complete"
    again = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "keep", "decided_on": "2026-02-02"},
        headers=users["business"],
    )
    assert again.status_code == 409


def test_the_answer_needs_a_published_report(client, users, review):
    refused = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "keep", "decided_on": "2026-03-02"},
        headers=users["business"],
    )
    assert refused.status_code == 409


@pytest.mark.parametrize("who", ["chair", "police", "family", "panel", "reviewer"])
def test_only_the_business_unit_and_admins_answer(client, users, published, who):
    made = client.post(
        f"{BASE}/publication/retention",
        json={"decision": "keep", "decided_on": "2026-01-12"},
        headers=users[who],
    )
    assert made.status_code == 403


# -- the form on the publication page --------------------------------------------------------------


def test_the_page_shows_the_12_months_and_records_the_answer(browser, published):
    business = browser("business")
    page = business.get(PAGE)
    assert page.status_code == 200
    shown = text(page)
    assert "20 January 2026" in shown and "Keep the report online or withdraw it" in shown

    wrong = post(business, f"{PAGE}/retention", {"decision": "withdraw"}, page=PAGE)
    assert wrong.status_code == 422
    assert summary(wrong) == [
        ("#decided_on-day", "Enter the date of the decision"),
        ("#reason", "Say why the report is withdrawn from the website"),
    ]
    early = post(
        business,
        f"{PAGE}/retention",
        {"decision": "withdraw", "decided_on": ["1", "12", "2025"], "reason": "Done"},
        page=PAGE,
    )
    assert early.status_code == 422
    [(href, message)] = summary(early)
    assert href == "#decided_on-day" and "withdraw it on 20 January 2026 at the earliest" in message

    done = post(
        business,
        f"{PAGE}/retention",
        {"decision": "withdraw", "decided_on": ["2", "2", "2026"], "reason": "The actions are complete"},
        page=PAGE,
    )
    assert done.status_code == 302 and done.headers["Location"] == PAGE
    after = text(business.get(PAGE))
    assert "Recorded: the report is withdrawn from the website" in after
    assert (
        "Withdraw the report from the website, decided on 2 February 2026: The actions are complete" in after
    )
    assert "Record the decision" not in after  # withdrawn: nothing more to answer
    assert outbox("publication.retention_decided")[0]["decision"] == "withdraw"


def test_nothing_is_asked_before_publication_and_the_chair_only_reads(browser, review):
    assert "Keep the report online" not in text(browser("business").get(PAGE))
    chair = browser("chair")
    assert chair.get(PAGE).status_code == 200
    assert "Keep the report online" not in text(chair.get(PAGE))
    assert chair.post(f"{PAGE}/retention", data={"decision": "keep"}).status_code == 403


@pytest.mark.parametrize("who", ["police", "family"])
def test_agency_staff_and_family_members_cannot_answer(browser, published, who):
    client = browser(who)
    assert client.post(f"{PAGE}/retention", data={"decision": "keep"}).status_code == 403


# -- the scheduler ---------------------------------------------------------------------------------


def _scheduler() -> Scheduler:
    scheduler = Scheduler()
    scheduler.handle(referral_submitted("b1"))
    scheduler.handle(decision_recorded("b1"))
    scheduler.handle(
        received(
            ReportPublished(case_id="c1", board_id="b1", version=1, published_on=date(2027, 6, 15), url=URL)
        )
    )
    return scheduler


def _decided(decision: str, on: date):
    return received(
        PublicationRetentionDecided(
            case_id="c1", board_id="b1", decision=decision, decided_on=on, published_on=date(2027, 6, 15)
        )
    )


def test_the_reminder_comes_before_the_12_months_end_and_the_answer_meets_the_deadline():
    scheduler = _scheduler()
    # Time moves on: the reminder arrives before 15 June 2028, while the report must still be online.
    scheduler.clock.day = date(2028, 6, 12)
    scheduler.handle(m.SendReminders())
    soon = [e.data for e in scheduler.events() if isinstance(e.data, DeadlineDueSoon)]
    reminded = [d for d in soon if d.code == "publication_retention"]
    assert [d.due for d in reminded] == [date(2028, 6, 15)]
    assert scheduler.clock.day < reminded[0].due

    scheduler.handle(_decided("keep", date(2028, 6, 13)))
    met = scheduler.deadlines()["publication_retention"]
    assert (met.met_on, met.met_by) == (date(2028, 6, 13), "publication.retention_decided")

    # Answered: no overdue reminder once the 12 months are up.
    scheduler.clock.day = date(2028, 6, 20)
    scheduler.handle(m.SendReminders())
    overdue = [e.data.code for e in scheduler.events() if isinstance(e.data, DeadlineOverdue)]
    assert "publication_retention" not in overdue


def test_a_repeated_or_later_answer_changes_nothing():
    scheduler = _scheduler()
    first = _decided("keep", date(2028, 6, 13))
    scheduler.handle(first)
    commits = scheduler.uow.commits
    scheduler.handle(first)
    assert scheduler.uow.commits == commits
    scheduler.handle(_decided("withdraw", date(2028, 9, 1)))
    assert scheduler.deadlines()["publication_retention"].met_on == date(2028, 6, 13)
