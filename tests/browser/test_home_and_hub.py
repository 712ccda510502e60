"""From the home page to the work, in Chromium: the business unit lands on "Needs your action",
sees the count beside Home, opens a referral awaiting a decision and walks the case's tabs; the
case list finds it by reference; an admin filters the audit log by a user chosen by name. Each
page is checked with axe-core."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.journey import refer


@pytest.fixture(scope="module")
def referred(browser: Any, live_server: Any) -> str:
    """The reference of a case the police practitioner referred."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, "agency_practitioner")
        refer(page)
        page.goto("/cases")
        reference = page.locator("main table tbody tr a").first.inner_text()
        assert reference, "the referred case is not in the practitioner's case list"
        return reference.strip()
    finally:
        context.close()


def test_the_business_unit_goes_from_its_home_page_to_the_case_and_its_tabs(page: Any, referred: str) -> None:
    sign_in(page, "business_unit")
    assert urlparse(page.url).path == "/home"
    assert page.locator("h1").inner_text() == "Needs your action"
    awaited = page.locator('[data-work-section="decisions_awaited"]')
    assert awaited.get_by_role("link", name=referred).count() == 1
    # The navigation's count, added by the script once the page has loaded.
    count = page.locator('.govuk-service-navigation a[href="/home"] .app-nav-count')
    count.wait_for()
    assert int(count.inner_text().split()[0]) >= 1
    assert_accessible(page)
    screenshot(page, "home")

    with page.expect_navigation():
        awaited.get_by_role("link", name=referred).click()
    assert page.locator("h1").inner_text() == referred
    assert_accessible(page)
    screenshot(page, "case-hub")
    tabs = page.get_by_role("navigation", name="Pages of this case")
    for name, path in (
        ("Timetable and deadlines", "/schedule/cases/"),
        ("Documents", "/documents/cases/"),
        ("Notifications", "/notifications/cases/"),
        ("Case", "/cases/"),
    ):
        with page.expect_navigation():
            tabs.get_by_role("link", name=name, exact=True).click()
        assert urlparse(page.url).path.startswith(path), page.url
        current = page.locator('nav.app-case-tabs [aria-current="page"]')
        assert current.inner_text().strip() == name
        assert_accessible(page)


def test_the_case_list_finds_a_case_by_reference_and_sorts_by_column(page: Any, referred: str) -> None:
    sign_in(page, "business_unit")
    page.goto("/cases")
    page.fill("#reference", referred[-4:])
    with page.expect_navigation():
        page.get_by_role("button", name="Find cases").click()
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 1
    assert referred in rows.first.inner_text()
    with page.expect_navigation():
        page.locator("th").get_by_role("link", name="Referred").click()
    assert page.locator('th[aria-sort="descending"]').inner_text().startswith("Referred")
    assert_accessible(page)
    page.goto("/cases?status=lost&from-day=31&from-month=2&from-year=2026")
    summary = page.locator(".govuk-error-summary")
    assert "Select a status from the list" in summary.inner_text()
    assert "Referred from must be a real date" in summary.inner_text()
    assert_accessible(page)


def test_an_admin_filters_the_audit_log_by_a_user_chosen_by_name(page: Any) -> None:
    sign_in(page, "admin")
    page.goto("/admin/audit")
    names = page.locator("#actor option").all_inner_texts()
    admin_name = next(n for n in names if "admin@" in n)
    page.select_option("#actor", label=admin_name)
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 1
    assert_accessible(page)
