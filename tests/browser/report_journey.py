"""What the report-to-learning journey's steps share: a signed-in page for each role, each in
a browser context of its own so that several people can work on the same case side by side,
and the moves every step makes (follow a link and check the page with axe, fill a GOV.UK date).

The steps themselves are in ``steps_report``, ``steps_publication``, ``steps_actions`` and
``steps_learning``; ``test_report_to_learning`` runs them in the order the board works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlparse

from tests.browser.conftest import LiveServer, assert_accessible, sign_in


def go(page: Any, locator: Any) -> None:
    """Follow a link or press a button that loads a page, then check the page with axe."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


def main(page: Any) -> Any:
    return page.locator("main")


def path(page: Any) -> str:
    return urlparse(page.url).path


def fill_date(page: Any, name: str, day: date) -> None:
    """A GOV.UK date input whose fields are ``<name>-day``, ``<name>-month`` and ``<name>-year``."""
    for part, value in zip(("day", "month", "year"), (day.day, day.month, day.year), strict=True):
        page.fill(f"#{name}-{part}", str(value))


def banner(page: Any) -> str:
    """The text of the success banner, or "" when there is none."""
    found = page.locator(".govuk-notification-banner--success")
    return str(found.first.inner_text()) if found.count() else ""


def wait_until(page: Any, shown: Any, tries: int = 40) -> None:
    """Reload until ``shown(page)`` is true: what other services do through the bus arrives a
    moment later."""
    for _ in range(tries):
        if shown(page):
            return
        page.wait_for_timeout(500)
        page.reload()
    raise AssertionError(f"never shown on {page.url}:\n{main(page).inner_text()[:2000]}")


@dataclass
class People:
    """A signed-in page per role, made when first asked for; :meth:`close` ends them all."""

    browser: Any
    server: LiveServer
    pages: dict[str, Any] = field(default_factory=dict)
    contexts: list[Any] = field(default_factory=list)

    def as_(self, role: str) -> Any:
        if role not in self.pages:
            context = self.browser.new_context(
                base_url=self.server.url, viewport={"width": 1024, "height": 768}
            )
            context.set_default_timeout(15_000)
            self.contexts.append(context)
            page = context.new_page()
            sign_in(page, role)
            self.pages[role] = page
        return self.pages[role]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@dataclass
class Case:
    """The case the journey works on: decided on a Serious Case Review, its review open."""

    reference: str
    case_id: str


def open_review(page: Any, case: Case) -> None:
    """From wherever the page is, by the navigation: the case list, the case, its Review tab."""
    go(page, page.locator(".govuk-service-navigation").get_by_role("link", name="Cases", exact=True))
    go(page, main(page).get_by_role("link", name=case.reference))
    tabs = page.get_by_role("navigation", name="Pages of this case")
    go(page, tabs.get_by_role("link", name="Review", exact=True))
    assert re.search(rf"/reviews/{case.case_id}$", path(page)), page.url
