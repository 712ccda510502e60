"""Every page each role reaches from the navigation, checked with axe-core: no violations at all."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from shared.auth.demo import USERS
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.journey import refer

ROLES = [role for role, _, _, _ in USERS]


@pytest.fixture(scope="module")
def referred_case(browser, live_server) -> str:
    """The address of the case page of a case the police practitioner referred."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, "agency_practitioner")
        refer(page)
        with page.expect_navigation():
            page.get_by_role("link", name="Cases", exact=True).first.click()
        link = page.locator("main table tbody tr a").first
        href = link.get_attribute("href")
        assert href, "the referred case is not in the practitioner's case list"
        return href
    finally:
        context.close()


def navigation_links(page) -> list[str]:
    """The pages the header and the service navigation link to, in order, without repeats."""
    hrefs = page.eval_on_selector_all("header a[href]", "links => links.map(a => a.getAttribute('href'))")
    seen: list[str] = []
    for href in hrefs:
        path = urlparse(href).path or "/"
        if path not in seen:
            seen.append(path)
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_the_navigation_has_no_axe_violations(page, role, referred_case):
    sign_in(page, role)
    assert_accessible(page)  # where signing in lands: the role's home page
    if role == "business_unit":
        screenshot(page, "home")
    visited = []
    for path in navigation_links(page):
        page.goto(path)
        assert page.locator("h1").count() >= 1, f"{path} has no heading"
        assert_accessible(page)
        visited.append(urlparse(page.url).path)
        if path == "/cases":
            # The case list leads to the case page of the referred case.
            link = page.locator(f'main a[href="{referred_case}"]')
            assert link.count() >= 1, f"{role} does not see the referred case in the case list"
            with page.expect_navigation():
                link.first.click()
            assert_accessible(page)
            if role == "business_unit":
                screenshot(page, "case")
            for linked in case_links(page):
                response = page.goto(linked)
                if response is None or "text/html" not in response.headers.get("content-type", ""):
                    continue  # a document to download
                assert_accessible(page)
                visited.append(urlparse(page.url).path)
    assert visited, f"{role} has no navigation"


def case_links(page) -> list[str]:
    """The pages the case page links to (its documents, schedule, notifications...), once each."""
    here = urlparse(page.url).path
    hrefs = page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    found: list[str] = []
    for href in hrefs:
        path = urlparse(href).path
        if path != here and href not in found and not path.startswith("/sign-out"):
            found.append(href)
    return found[:25]


def test_the_axe_check_finds_and_names_violations(page):
    page.goto("/sign-in")
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<img src="/nothing.png"><table><tr><th></th></tr><tr><td>1</td></tr></table>')"""
    )
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_accessible(page)
    message = str(failed.value)
    assert "image-alt (critical)" in message and "empty-table-header (minor)" in message
    assert "img" in message  # the element's selector


def test_a_page_that_does_not_exist_is_styled_and_accessible(page):
    sign_in(page, "business_unit")
    response = page.goto("/cases/no-such-case/nothing-here")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.get_by_role("link", name="Go to the home page").is_visible()
    assert "Demo Safeguarding Children Partnership" in page.locator("header").inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Go back to the previous page").click()
    assert urlparse(page.url).path != "/cases/no-such-case/nothing-here"
