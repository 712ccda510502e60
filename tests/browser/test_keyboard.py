"""The referral journey with the keyboard only, as an agency practitioner."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.journey import SUMMARY, press_button, refer_by_keyboard, tab_to


def test_a_practitioner_refers_a_case_with_the_keyboard_alone(page):
    sign_in(page, "agency_practitioner")

    # From the navigation to the start of the journey, with no click and no typed address.
    tab_to(page, text="Refer a case")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/referrals")
    tab_to(page, text="Start a new referral")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/referrals/new")
    screenshot(page, "referral-form")

    refer_by_keyboard(page)

    assert "/referrals/submitted/" in page.url
    confirmation = page.locator("main").inner_text()
    assert "Referral sent" in confirmation
    assert_accessible(page)

    # The case it made is the practitioner's to see, with the summary typed on the way.
    tab_to(page, text="Cases")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    reference = page.locator("main table tbody tr").first.locator("a").first
    assert reference.count() == 1
    reference.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert SUMMARY in page.locator("main").inner_text()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page):
    sign_in(page, "agency_practitioner")
    page.goto("/referrals")
    first = tab_to(page, limit=1, tag="A")
    assert first["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    press = tab_to(page, text="Start a new referral")
    assert press["tag"] == "A"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # "Continue" with nothing chosen keeps the user on the page with the error summary.
    assert page.url.endswith("/referrals/new")
    press_button(page, "Continue")
    assert page.locator(".govuk-error-summary").is_visible()
