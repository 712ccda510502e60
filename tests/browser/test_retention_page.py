"""Board settings → "How long records are kept", in Chromium with axe-core: the admin opens it
from the board's settings, is told every wrong answer at once, then saves the schedule."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from tests.browser.conftest import assert_accessible, screenshot, sign_in


def test_an_admin_sets_how_long_records_are_kept(page: Any) -> None:
    sign_in(page, "admin")
    page.goto("/admin/board")
    with page.expect_navigation():
        page.get_by_role("link", name="How long records are kept").click()
    assert urlparse(page.url).path == "/admin/board/retention"
    assert page.locator("h1").inner_text() == "How long records are kept"
    assert page.get_by_label("Audit log").input_value() == "72"
    assert_accessible(page)
    screenshot(page, "retention")

    page.get_by_label("Published reports").fill("6")
    page.get_by_label("Documents").fill("lots")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link").count() == 2
    assert_accessible(page)
    screenshot(page, "retention-errors")

    page.get_by_label("Published reports").fill("24")
    page.get_by_label("Documents").fill("120")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert urlparse(page.url).path == "/admin/board"
    assert "retention schedule is saved" in page.locator(".govuk-notification-banner").inner_text()
    page.goto("/admin/board/retention")
    assert page.get_by_label("Documents").input_value() == "120"
