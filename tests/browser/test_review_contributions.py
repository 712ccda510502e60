"""The agencies' chronologies in Chromium, each person from their home page with no typed address:
the business unit opens the review of an SCR the Chair decided, adds a panel member, drafts and
agrees the terms of reference and asks the police and health for chronologies; the police
practitioner writes two entries and submits; a health author (invited by an admin as the test's
setup) imports a CSV file and submits; the business unit returns the police chronology, the
practitioner submits it again, the business unit accepts both, reads the merged chronology in
order and downloads it as a Word document. Every page visited is checked with axe-core."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.journey import INCIDENT, refer
from tests.browser.test_role_journeys import chair_decides

HEALTH_EMAIL = "hana.health@example.org"
HEALTH_PASSWORD = "hana-health-password-1"
CSV = (
    "date,time,event,source,significance,learning_point\n"
    f"{(INCIDENT - timedelta(days=40)):%d/%m/%Y},09:00,GP appointment missed,GP record,First missed,yes\n"
    f"{(INCIDENT - timedelta(days=5)):%Y-%m-%d},,Emergency department attendance,ED record,,\n"
)
POLICE_FIRST = INCIDENT - timedelta(days=60)
POLICE_SECOND = INCIDENT - timedelta(days=20)


def go(page: Any, locator: Any) -> None:
    """Follow a link or press a button that loads a page, then check the page with axe."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


def main(page: Any) -> Any:
    return page.locator("main")


def fill_date(page: Any, name: str, day: date) -> None:
    for part, value in zip(("day", "month", "year"), (day.day, day.month, day.year), strict=True):
        page.fill(f"#{name}-{part}", str(value))


def sign_in_as(page: Any, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert urlparse(page.url).path == "/home", page.url


@pytest.fixture(scope="module")
def decided(browser: Any, live_server: Any) -> str:
    """The reference of a case referred by the police and decided by the Chair: an SCR; and a
    health author, invited by an admin, who has created their password."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "agency_practitioner")
        refer(page)
        page.goto("/cases")
        reference = page.locator("main table tbody tr a").first.inner_text().strip()
        chair_decides(page, reference)
        invite_health_author(page)
        return reference
    finally:
        context.close()


def invite_health_author(page: Any) -> None:
    sign_in(page, "admin")
    page.goto("/admin/users/invite")
    page.fill("#name", "Hana Health")
    page.fill("#email", HEALTH_EMAIL)
    page.check("input[name=roles][value=agency_practitioner]")
    page.check("input[name=agency][value=health]")
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    link = None
    for _ in range(40):  # the invitation reaches the development outbox through the bus
        page.goto("/notifications/outbox")
        row = page.locator("main table tbody tr").filter(has_text=HEALTH_EMAIL)
        if row.count():
            with page.expect_navigation():
                row.first.get_by_role("link").click()
            found = re.search(r"https?://[^\s\"<]+/accounts/invitation/[^\s\"<]+", page.content())
            link = found.group(0) if found else None
            break
        page.wait_for_timeout(250)
    assert link, "no invitation for the health author in the outbox"
    page.context.clear_cookies()
    page.goto(urlparse(link).path)
    page.fill("#password", HEALTH_PASSWORD)
    page.fill("#confirm", HEALTH_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create password and sign in").click()
    page.context.clear_cookies()


def from_home(page: Any, section: str, reference: str) -> None:
    """From the home page, the item of ``section`` about the case (waiting for its event)."""
    for _ in range(40):
        items = page.locator(f'[data-work-section="{section}"]').get_by_role("link", name=reference)
        if items.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    assert_accessible(page)
    go(page, page.locator(f'[data-work-section="{section}"]').get_by_role("link", name=reference).first)


def open_review(page: Any, reference: str) -> None:
    """As the business unit, from the home page to the case by the case list, then its Review tab."""
    sign_in(page, "business_unit")
    assert urlparse(page.url).path == "/home"
    assert_accessible(page)
    go(page, page.locator(".govuk-service-navigation").get_by_role("link", name="Cases", exact=True))
    go(page, main(page).get_by_role("link", name=reference))
    tabs = page.get_by_role("navigation", name="Pages of this case")
    with page.expect_navigation():
        tabs.get_by_role("link", name="Review", exact=True).click()
    for _ in range(40):  # the review opens when the decision's event reaches the reviews service
        if page.locator("h1").inner_text() != "Page not found":
            break
        page.wait_for_timeout(250)
        page.reload()
    assert re.search(r"/reviews/[^/]+$", urlparse(page.url).path), page.url
    assert_accessible(page)


def contribution_of(page: Any, agency: str) -> None:
    """From the review page, the chronology of ``agency``."""
    go(page, main(page).get_by_role("link", name=f"Chronology from {agency}"))


def test_agencies_write_their_chronologies_and_the_panel_reads_them_merged(page: Any, decided: str) -> None:
    open_review(page, decided)

    # The panel.
    go(page, main(page).get_by_role("link", name="Add a member to the panel"))
    page.check("input[name=role][value=member]")
    page.fill("#name", "Pat Panel")
    page.fill("#email", "pat.panel@example.org")
    page.fill("#organisation", "Education")
    for key in ("works_for_involved_agency", "line_manages_involved_staff", "involved_in_case"):
        page.check(f"input[name={key}][value=no]")
    go(page, page.get_by_role("button", name="Add to the panel"))
    assert "Pat Panel was added to the panel" in main(page).inner_text()

    # The terms of reference: drafted, then agreed after the confirmation page.
    go(page, main(page).get_by_role("link", name="View the terms of reference"))
    go(page, main(page).get_by_role("link", name="Draft the terms of reference"))
    page.fill("#breadth_and_depth", "Agency practice in the ten months before the incident")
    page.fill("#focus_questions", "How was the risk of harm recognised?\nHow did agencies share it?")
    page.check("input[name=method][value=systems]")
    fill_date(page, "period_from", INCIDENT - timedelta(days=300))
    fill_date(page, "period_to", INCIDENT)
    page.fill("#proportionality_rationale", "Grave concerns about how agencies worked together")
    page.locator("input[name=case_factors]").first.check()
    page.locator("input[name=context_factors]").first.check()
    page.fill("#reviewer_skills", "The systems approach; knowledge of childminding")
    go(page, page.get_by_role("button", name="Save as draft"))
    assert "The draft terms of reference were saved" in main(page).inner_text()
    go(page, main(page).get_by_role("button", name="Agree the terms of reference"))
    assert "The terms of reference document will be produced" in main(page).inner_text()
    go(page, main(page).get_by_role("button", name="Agree the terms of reference"))
    assert "The terms of reference were agreed" in main(page).inner_text()
    screenshot(page, "review")

    # Chronologies asked of the police and health.
    for agency, contact in (("police", "priya@police.example.org"), ("health", HEALTH_EMAIL)):
        go(page, main(page).get_by_role("link", name="Ask an agency for a contribution"))
        page.select_option("#agency", agency)
        page.check("input[name=kind][value=chronology]")
        page.fill("#contact_name", "The agency's author")
        page.fill("#contact_email", contact)
        go(page, page.get_by_role("button", name="Send the request"))
        assert "a link to the page where they write it" in main(page).inner_text()
        go(page, main(page).get_by_role("link", name="Back to the review"))

    # The police practitioner, from their home page: two entries, then the check page.
    sign_in(page, "agency_practitioner")
    from_home(page, "contributions_requested", decided)
    for day, event in ((POLICE_FIRST, "Officers attended a report of shouting"), (POLICE_SECOND, "Arrest")):
        go(page, main(page).get_by_role("button", name="Add an entry"))
        fill_date(page, "date", day)
        page.fill("#event", event)
        page.fill("#source", "Incident log")
        page.check("input[name=learning_point][value=yes]")
        go(page, page.get_by_role("button", name="Save the entry"))
    assert main(page).locator("#entries + table tbody tr").count() == 2
    go(page, main(page).get_by_role("button", name="Continue to submit"))
    assert "2 entries" in main(page).inner_text()
    go(page, page.get_by_role("button", name="Submit to the review panel"))
    assert "submitted to the review panel" in main(page).inner_text()

    # The health author imports a CSV file.
    sign_in_as(page, HEALTH_EMAIL, HEALTH_PASSWORD)
    from_home(page, "contributions_requested", decided)
    go(page, main(page).get_by_role("button", name="Import from a CSV file"))
    assert "date" in main(page).inner_text() and "Download an example CSV file" in main(page).inner_text()
    page.set_input_files(
        "#file", files=[{"name": "health.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    go(page, page.get_by_role("button", name="Import the file"))
    assert "2 entries were imported from the file" in main(page).inner_text()
    go(page, main(page).get_by_role("button", name="Continue to submit"))
    go(page, page.get_by_role("button", name="Submit to the review panel"))

    # The business unit returns the police chronology with a comment.
    open_review(page, decided)
    contribution_of(page, "Police")
    go(page, main(page).get_by_role("link", name="Return it to the agency with comments"))
    page.fill("#comments", "Add the 999 call made before the arrest")
    go(page, page.get_by_role("button", name="Return it"))

    # The practitioner sees the comments at the top, adds the entry and submits again.
    sign_in(page, "agency_practitioner")
    from_home(page, "contributions_requested", decided)
    assert "Add the 999 call made before the arrest" in main(page).inner_text()
    go(page, main(page).get_by_role("button", name="Add an entry"))
    fill_date(page, "date", POLICE_SECOND - timedelta(days=1))
    page.fill("#time", "23:40")
    page.fill("#event", "999 call from a neighbour")
    page.fill("#source", "Call record")
    go(page, page.get_by_role("button", name="Save the entry"))
    go(page, main(page).get_by_role("button", name="Continue to submit"))
    go(page, page.get_by_role("button", name="Submit to the review panel"))

    # The business unit accepts both, reads the merged chronology and downloads it.
    open_review(page, decided)
    for agency in ("Police", "Health"):
        contribution_of(page, agency)
        go(page, page.get_by_role("button", name="Accept the contribution"))
        assert "The contribution was accepted" in main(page).inner_text()
        go(page, page.get_by_role("link", name="Back to the review"))
    go(page, main(page).get_by_role("link", name="The merged multi-agency chronology"))
    rows = main(page).locator("table tbody tr").all_inner_texts()
    events = [
        "Officers attended a report of shouting",
        "GP appointment missed",
        "999 call from a neighbour",
        "Arrest",
        "Emergency department attendance",
    ]
    assert [next(i for i, r in enumerate(rows) if e in r) for e in events] == list(range(5)), rows
    screenshot(page, "merged-chronology")
    go(page, main(page).get_by_role("link", name="Download the merged chronology as a Word document"))
    page.check("input[name=kind][value=multi_agency_chronology]")
    go(page, page.get_by_role("button", name="Generate the document"))
    link = (
        main(page)
        .locator("table tbody tr", has_text="hronology")
        .first.get_by_role("link", name=re.compile("Word"))
    )
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".docx")
