"""The board dashboard in Chromium: the business unit opens it from the navigation, sees a referral
awaiting the Chair's decision among the open cases, each figure as a chart with its table, chooses
another year with the form and finds the CSV link; the Chair sees it too. Checked with axe-core."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.journey import refer


@pytest.fixture(scope="module")
def referred(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, "agency_practitioner")
        refer(page)
    finally:
        context.close()


def test_the_business_unit_reads_the_dashboard_and_picks_a_year(page: Any, referred: None) -> None:
    sign_in(page, "business_unit")
    with page.expect_navigation():
        page.locator('.govuk-service-navigation a[href="/dashboard"]').click()
    assert page.locator("h1").inner_text() == "Board dashboard"
    charts = page.locator('main svg[role="img"]')
    assert charts.count() == 7
    open_cases = page.locator("#figure-open_by_stage").locator("xpath=..")
    assert "Awaiting the Chair's decision" in open_cases.locator("table").inner_text()
    assert page.locator("main script").count() == 0
    assert_accessible(page)
    screenshot(page, "dashboard")

    last_year = str(date.today().year - 1)
    page.get_by_label("Year", exact=True).select_option(last_year)
    with page.expect_navigation():
        page.get_by_role("button", name="Show the year").click()
    assert parse_qs(urlparse(page.url).query)["year"] == [last_year]
    assert page.get_by_role("heading", name=f"Deadlines due in {last_year}").count() == 1
    link = page.get_by_role("link", name=f"Download these figures for {last_year} (CSV)")
    assert link.get_attribute("href") == f"/dashboard.csv?year={last_year}"
    assert_accessible(page)


def test_the_chair_sees_the_dashboard(page: Any, referred: None) -> None:
    sign_in(page, "chair")
    page.goto("/dashboard")
    assert page.locator("h1").inner_text() == "Board dashboard"
    assert_accessible(page)
