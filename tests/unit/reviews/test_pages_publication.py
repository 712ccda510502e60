"""The publication pages (Flask's test client): where publication stands, planning the date with
the 7 working days, the copies sent now after a confirmation or recorded as sent outside the
product, not publishing with a check page and the Panel's advice, and recording the report
published after checking the published copy; every error of a form at once, 403 by role."""

from __future__ import annotations

from datetime import date

import pytest

from services.reviews.adapters.report_store import ReportDocument
from services.reviews.bootstrap import bootstrap
from shared.audit import AuditEntry
from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import post, summary, text

from .test_report_api import V1

browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere

API = "/api/v1/reviews/c1"
PAGE = "/reviews/c1/publication"
URL = "https://board.example.org/reviews/child-a"


@pytest.fixture
def clock():
    return {"today": date(2026, 3, 2)}  # a Monday


@pytest.fixture
def service(settings, clock):
    return bootstrap(settings, today=lambda: clock["today"])


@pytest.fixture
def signed(client, users, review):
    """Version 1 of the report, signed off by the Chair on 2 March 2026."""
    made = client.post(f"{API}/report/versions", json={"sections": V1}, headers=users["business"])
    assert made.status_code == 201
    signed = client.post(
        f"{API}/report/sign-off", json={"version": 1, "signed_off_on": "2026-03-02"}, headers=users["chair"]
    )
    assert signed.status_code == 201, signed.get_json()
    return "c1"


def events(kind: str) -> list[dict]:
    doc = ReportDocument.objects(case_id="c1").first()
    return [e.envelope["data"] for e in doc.outbox if e.event_type == kind] if doc else []


# -- where publication stands ------------------------------------------------------------------


def test_the_entry_page_says_where_publication_stands_with_the_next_steps(browser, signed):
    page = browser("business").get(PAGE)
    assert page.status_code == 200
    shown = text(page)
    assert "Publication of the final report" in shown
    assert "Version 1, signed off on 2 March 2026" in shown
    assert "Not planned yet" in shown and "Not sent yet" in shown
    assert 'href="/reviews/c1"' in shown  # back to the review, and the case tabs
    for step in ("/publication/plan", "/publication/copies", "/publication/not-publishing"):
        assert f'href="/reviews/c1{step}"' in shown
    assert "/publication/published" not in shown  # the copies have not gone yet
    chair = text(browser("chair").get(PAGE))
    assert "/publication/not-publishing" in chair and "/publication/plan" not in chair


@pytest.mark.parametrize("who", ["police", "family", "panel"])
def test_agency_staff_family_members_and_the_panel_cannot_see_it(browser, review, who):
    assert browser(who).get(PAGE).status_code == 403


def test_another_boards_review_is_not_found(browser, elsewhere):
    assert browser("business").get(f"/reviews/{elsewhere}/publication").status_code == 404


FORMS = [
    "/publication/plan",
    "/publication/copies",
    "/publication/copies/sent-outside",
    "/publication/not-publishing",
    "/publication/not-publishing/check",
    "/publication/panel-advice",
    "/publication/published",
]


@pytest.mark.parametrize("who", ["police", "family"])
@pytest.mark.parametrize("path", FORMS)
def test_agency_practitioners_and_family_members_get_403(browser, review, who, path):
    client = browser(who)
    assert client.get(f"/reviews/c1{path}").status_code == 403
    assert client.post(f"/reviews/c1{path}", data={}).status_code == 403


@pytest.mark.parametrize("path", ["/publication/plan", "/publication/copies", "/publication/published"])
def test_the_chair_decides_but_does_not_plan_send_or_publish(browser, review, path):
    assert browser("chair").get(f"/reviews/c1{path}").status_code == 403


# -- planning ------------------------------------------------------------------------------------


def test_planning_shows_every_error_and_the_earliest_date(browser, signed):
    business = browser("business")
    assert "11 March 2026" in text(business.get(f"{PAGE}/plan"))
    empty = post(business, f"{PAGE}/plan", {})
    assert empty.status_code == 422
    assert summary(empty) == [("#planned_on-day", "Enter the date the report will be published")]
    half = post(business, f"{PAGE}/plan", {"planned_on": ["10", "", "2026"]})
    assert summary(half) == [("#planned_on-month", "The publication date must include a month")]
    early = post(business, f"{PAGE}/plan", {"planned_on": ["10", "3", "2026"]})
    assert early.status_code == 422
    [(href, message)] = summary(early)
    assert href == "#planned_on-day" and "the earliest date is 11 March 2026" in message
    assert events("publication.planned") == []

    made = post(business, f"{PAGE}/plan", {"planned_on": ["11", "3", "2026"]})
    assert made.status_code == 302 and made.headers["Location"] == PAGE
    shown = text(business.get(PAGE))
    assert "Publication planned for 11 March 2026: the copies are due by 2 March 2026" in shown
    assert "11 March 2026 (copies due by 2 March 2026)" in shown
    assert events("publication.planned")[0]["planned_publication_on"] == "2026-03-11"
    written = AuditEntry.objects(action="review.write", resource_type="publication")
    assert [e.outcome for e in written].count("success") == 1 and len(written) == 4


# -- the copies ----------------------------------------------------------------------------------


def test_the_copies_are_confirmed_then_sent_once(browser, signed):
    business = browser("business")
    page = text(business.get(f"{PAGE}/copies"))
    for named in ("Ofsted", "the Department for Education (DfE)", "the National Panel"):
        assert named in page
    assert "Final report, version 1 as signed off on 2 March 2026" in page
    assert "The board's response" in page
    sent = post(business, f"{PAGE}/copies", {})
    assert sent.status_code == 302
    assert "The copies are being sent to Ofsted, the DfE and the National Panel" in text(business.get(PAGE))
    [event] = events("publication.copies_sent")
    assert event["by_product"] is True and event["version"] == 1
    again = text(business.get(f"{PAGE}/copies"))
    assert "were sent on 2 March 2026" in again and "Send the copies now" not in again


def test_copies_need_a_signed_off_version(browser, review):
    business = browser("business")
    assert "Sign off the latest version" in text(business.get(f"{PAGE}/copies"))
    refused = post(business, f"{PAGE}/copies", {}, page=f"{PAGE}/copies/sent-outside")
    assert refused.status_code == 422
    assert summary(refused) == [("#main-content", "Sign off the latest version of the report first")]


def test_copies_sent_outside_the_product_are_recorded_and_audited(browser, signed):
    business = browser("business")
    path = f"{PAGE}/copies/sent-outside"
    empty = post(business, path, {})
    assert summary(empty) == [("#sent_on-day", "Enter the date the copies were sent")]
    future = post(business, path, {"sent_on": ["5", "3", "2026"]})  # after the board's today
    assert summary(future) == [("#sent_on-day", "Give the date the copies were sent: not a future date")]
    made = post(business, path, {"sent_on": ["2", "2", "2026"]})
    assert made.status_code == 302
    assert "Recorded: the copies were sent on 2 February 2026" in text(business.get(PAGE))
    assert events("publication.copies_sent")[0]["by_product"] is False
    assert AuditEntry.objects(action="publication.copies_recorded_as_sent_outside").count() == 1


# -- not publishing ------------------------------------------------------------------------------


def test_not_publishing_has_a_check_page_then_the_panels_advice(browser, review):
    chair = browser("chair")
    empty = post(chair, f"{PAGE}/not-publishing", {})
    assert summary(empty) == [("#reason", "Say why the report should not be published")]
    reason = "Publishing would identify the surviving sibling"
    kept = post(chair, f"{PAGE}/not-publishing", {"reason": reason})
    assert kept.status_code == 302 and kept.headers["Location"] == f"{PAGE}/not-publishing/check"
    check = text(chair.get(f"{PAGE}/not-publishing/check"))
    assert reason in check and "The DfE and the National Panel will be emailed" in check
    assert events("publication.decided") == []  # nothing until confirmed
    done = post(chair, f"{PAGE}/not-publishing/check", {})
    assert done.status_code == 302
    [told] = events("publication.decided")
    assert (told["publish"], told["reason"], told["final"]) == (False, reason, False)
    shown = text(chair.get(PAGE))
    assert f"Not to publish, decided on 2 March 2026: {reason}" in shown
    assert "/publication/panel-advice" in shown

    advice = f"{PAGE}/panel-advice"
    nothing = post(chair, advice, {})
    assert summary(nothing) == [
        ("#advice", "Enter the Panel's advice"),
        ("#received_on-day", "Enter the date the advice came"),
        ("#final", "Select the board's final decision, or that it has not taken it yet"),
    ]
    no_reason = post(
        chair,
        advice,
        {"advice": "Publish a summary", "received_on": ["2", "3", "2026"], "final": "not_publish"},
    )
    assert summary(no_reason) == [("#final_reason", "Say why the report will not be published")]
    made = post(
        chair,
        advice,
        {
            "advice": "Publish a summary",
            "received_on": ["2", "3", "2026"],
            "final": "not_publish",
            "final_reason": "A summary of the learning is published instead",
        },
    )
    assert made.status_code == 302
    final = events("publication.decided")[-1]
    assert final["final"] is True and final["publish"] is False
    shown = text(chair.get(PAGE))
    assert "Received on 2 March 2026: Publish a summary" in shown
    assert "Not to publish, decided on 2 March 2026: A summary of the learning is published instead" in shown


# -- published -----------------------------------------------------------------------------------


def test_recording_it_published_asks_for_the_check_of_the_published_copy(browser, signed, clock):
    business = browser("business")
    path = f"{PAGE}/published"
    form = text(business.get(path))
    assert 'href="/documents/cases/c1/published-copy"' in form
    empty = post(business, path, {})
    assert summary(empty) == [
        ("#published_on-day", "Enter the date the report was published"),
        ("#url", "Enter the web address of the published report"),
        ("#reviewed", "Confirm that you checked the replacements in the published copy"),
    ]
    bad = post(business, path, {"published_on": ["2", "3", "2026"], "url": "board website", "reviewed": "y"})
    assert summary(bad) == [
        ("#url", "Enter the web address in full, like https://www.example.org/reviews/child-a")
    ]
    no_copies = post(business, path, {"published_on": ["2", "3", "2026"], "url": URL, "reviewed": "y"})
    assert no_copies.status_code == 422
    assert summary(no_copies) == [
        ("#published_on-day", "Send the copies to Ofsted, the DfE and the National Panel first")
    ]

    post(business, f"{PAGE}/copies", {})
    steps = text(business.get(PAGE))
    assert (
        'href="/documents/cases/c1/published-copy"' in steps
        and 'href="/reviews/c1/publication/published"' in steps
    )
    clock["today"] = date(2026, 3, 10)
    early = post(business, path, {"published_on": ["10", "3", "2026"], "url": URL, "reviewed": "y"})
    [(_, message)] = summary(early)
    assert "publish 7 working days after them at the earliest, on 11 March 2026" in message
    clock["today"] = date(2026, 3, 11)
    made = post(business, path, {"published_on": ["11", "3", "2026"], "url": URL, "reviewed": "y"})
    assert made.status_code == 302
    page = business.get(PAGE)
    raw = page.get_data(as_text=True)
    assert f'<a class="govuk-link" href="{URL}">{URL}</a>' in raw  # a link, not its HTML as text
    shown = text(page)
    assert "Recorded: the report was published on 11 March 2026" in shown
    assert "11 March 2027" in shown  # on the website until at least
    assert events("report.published")[0]["url"] == URL
    assert "/published-copy" not in shown and "/publication/published" not in shown  # done


# -- the documents service's page of the published copy -----------------------------------------


def test_the_replacements_are_listed_by_kind_and_stand_in_never_by_value():
    from services.documents.domain.publication import Replacement, replacements

    context = {
        "child": {"name": "Jane Doe", "date_of_birth": "2025-06-01", "nhs_number": "943 476 5919"},
        "family": [{"name": "Mary Doe", "relationship": "mother"}],
    }
    found = replacements(context, {"Dr Wendy Smith": "GP 1"})
    assert found == [
        Replacement("glossary", "GP 1"),
        Replacement("child_name", "Child A"),
        Replacement("family_name", "Mother"),
        Replacement("date_of_birth", "[date of birth]"),
        Replacement("nhs_number", "[NHS number]"),
    ]


@pytest.fixture
def documents(settings):
    from tests.unit.documents.conftest import World

    return World(settings)


def _documents_browser(world, role: str, agency: str | None = None):
    from tests.factories import make_user
    from tests.unit.auth.conftest import sign_in

    user = make_user(role, board=world.board, agency=agency)
    client = world.client()
    assert sign_in(client, user.email).status_code == 302
    return client


def test_the_published_copy_page_lists_what_was_replaced_and_links_the_copy(documents):
    from shared.audit import AuditEntry as Entry

    case_id = documents.new_case()
    path = f"/documents/cases/{case_id}/published-copy"
    unit = _documents_browser(documents, "business_unit")
    before = text(unit.get(path))
    assert "No published copy has been made yet" in before
    made = documents.generate(case_id, "referral_summary", publication=True, glossary={"Jane Doe": "Child A"})
    assert made.status_code == 202, made.get_json()
    page = unit.get(path)
    assert page.status_code == 200
    shown = text(page)
    for kind, stand_in in (
        ("The child's name", "Child A"),
        ("Date of birth", "[date of birth]"),
        ("NHS number", "[NHS number]"),
    ):
        assert (
            f'<td class="govuk-table__cell">{kind}</td><td class="govuk-table__cell">{stand_in}</td>' in shown
        )
    assert "Jane Doe" not in shown and "943 476 5919" not in shown  # kinds, never the values
    assert '<th scope="col" class="govuk-table__header">Detail replaced</th>' in shown
    copy = made.get_json()["id"] if "id" in made.get_json() else made.get_json()["document_id"]
    assert f'href="/api/v1/documents/{copy}/content"' in shown
    assert Entry.objects(action="case.read", resource_type="document", resource_id=case_id).count() == 2


@pytest.mark.parametrize(
    "role,agency", [("agency_practitioner", "police"), ("family_viewer", None), ("chair", None)]
)
def test_only_the_business_unit_and_admins_see_the_published_copy(documents, role, agency):
    case_id = documents.new_case()
    client = _documents_browser(documents, role, agency)
    assert client.get(f"/documents/cases/{case_id}/published-copy").status_code == 403


def test_another_boards_case_has_no_published_copy_page(documents):
    admin = _documents_browser(documents, "admin")
    assert admin.get("/documents/cases/case-elsewhere/published-copy").status_code == 404
