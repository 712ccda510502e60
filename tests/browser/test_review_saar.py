"""A single agency analysis report in Chromium, with no typed address but the sign-in page: the
business unit asks the police for one on the review of an SCR the Chair decided; the police
practitioner, from their home page, writes its seven sections, checks them and submits; the
business unit accepts it, and downloads the report's Word document from the case's documents,
which the documents service made when the report came in. Every page visited is checked with axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from docx import Document

from tests.browser import journey
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_review_contributions import from_home, go, main, open_review
from tests.browser.test_role_journeys import chair_decides

SECTIONS = {
    "introduction": "The police's contact with the family over ten months",
    "facts": "Officers attended three reports of shouting at the address",
    "analysis": "Each report was graded as standard risk without a check of earlier calls",
    "key_issues": "Repeat calls were not linked",
    "learning_points": "Call handlers need the address history in front of them",
    "recommendations": "Link calls to the same address automatically",
    "action_plan": "The control room changes its screen by the spring",
}


@pytest.fixture(scope="module")
def decided_case(browser: Any, live_server: Any) -> str:
    """The reference of a case referred by the police, the child named (the report's document is
    headed with the child's name), and decided by the Chair: an SCR."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "agency_practitioner")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                journey,
                "JOURNEY",
                [
                    (slug, {"child_name": "Alex Example"} if slug == "child" else a)
                    for slug, a in journey.JOURNEY
                ],
            )
            journey.refer(page)
        page.goto("/cases")
        reference: str = page.locator("main table tbody tr a").first.inner_text().strip()
        chair_decides(page, reference)
        return reference
    finally:
        context.close()


def test_an_agency_writes_its_analysis_report_and_the_board_downloads_it(
    page: Any, decided_case: str
) -> None:
    open_review(page, decided_case)
    go(page, main(page).get_by_role("link", name="Ask an agency for a contribution"))
    page.select_option("#agency", "police")
    page.check("input[name=kind][value=single_agency_analysis_report]")
    page.fill("#contact_name", "The agency's author")
    page.fill("#contact_email", "priya@police.example.org")
    go(page, page.get_by_role("button", name="Send the request"))
    assert "a link to the page where they write it" in main(page).inner_text()

    # The police practitioner writes the seven sections, then checks them on the submit page.
    sign_in(page, "agency_practitioner")
    from_home(page, "contributions_requested", decided_case)
    assert page.locator("h1").inner_text() == "Single agency analysis report"
    for key, text in SECTIONS.items():
        page.fill(f"#{key}", text)
    go(page, page.get_by_role("button", name="Save and continue"))
    checked = main(page).inner_text()
    assert all(text in checked for text in SECTIONS.values()), checked
    go(page, page.get_by_role("button", name="Submit to the review panel"))
    assert "submitted to the review panel" in main(page).inner_text()

    # The business unit reads and accepts it.
    open_review(page, decided_case)
    go(page, main(page).get_by_role("link", name="Single agency analysis report from Police"))
    shown = main(page).inner_text()
    assert all(text in shown for text in SECTIONS.values()), shown
    go(page, page.get_by_role("button", name="Accept the contribution"))
    assert "The contribution was accepted" in main(page).inner_text()
    screenshot(page, "saar-accepted")

    # The documents page cannot make an agency's report on request: it says it was made when the
    # agency submitted it and when the panel accepted it, and lists it among the case's documents.
    go(page, page.get_by_role("link", name="Back to the review"))
    tabs = page.get_by_role("navigation", name="Pages of this case")
    go(page, tabs.get_by_role("link", name="Documents", exact=True))
    go(page, main(page).get_by_role("link", name="Generate a document"))
    why = main(page).locator(".govuk-summary-list__row", has_text="Single agency analysis report")
    assert "made for one agency at a time" in why.inner_text()
    go(page, page.get_by_role("link", name="Back", exact=True))
    rows = main(page).locator("table tbody tr", has_text="analysis report")
    for _ in range(40):  # the document is made when the submission's event reaches the service
        if rows.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    assert rows.count(), main(page).inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        rows.first.get_by_role("link", name=re.compile("Word")).click()
    assert download.value.suggested_filename.endswith(".docx")
    content = download.value.path().read_bytes()
    assert content[:2] == b"PK"  # a Word document is a zip archive

    doc = Document(download.value.path())
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in doc.paragraphs] + cells)
    for section in ("Repeat calls were not linked", "Link calls to the same address automatically"):
        assert section in text, text
