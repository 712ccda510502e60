"""From the final report to learning, in Chromium, from the demo board (issue 15's journey).

The police practitioner refers a case and the Chair decides on a Serious Case Review; then, each
in a browser of their own and starting from their home page or the navigation: the business unit
drafts the report in two versions and compares them, shows the second to the family member, who
reads it page by page and comments; the Chair signs it off; the business unit plans publication,
sends the copies to Ofsted, the DfE and the National Panel (their emails, with the report and the
board's response attached, in the case's notification log), and records it published on the
planned day (the reviews service's today moved on to it); an action plan of three actions, each
with a progress report and one closed with its evidence; the learning summary; the summary found
by a word in the learning repository; and the board's dashboard counting it all. Every page the
people visit is checked with axe-core.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import steps_actions, steps_learning, steps_publication, steps_report
from tests.browser.conftest import LiveServer
from tests.browser.journey import refer
from tests.browser.report_journey import Case, People, go, main, open_review, path
from tests.browser.test_role_journeys import chair_decides


@pytest.fixture
def people(browser: Any, live_server: LiveServer) -> Iterator[People]:
    found = People(browser, live_server)
    yield found
    found.close()
    live_server.today_is(None)


def decided_case(people: People) -> Case:
    """A case the police referred and the Chair decided on (a Serious Case Review), its review open."""
    practitioner = people.as_("agency_practitioner")
    refer(practitioner)
    practitioner.goto("/cases")
    reference = practitioner.locator("main table tbody tr a").first.inner_text().strip()
    chair_decides(people.as_("chair"), reference)
    business = people.as_("business_unit")
    business.goto("/home")
    go(business, business.locator(".govuk-service-navigation").get_by_role("link", name="Cases", exact=True))
    go(business, main(business).get_by_role("link", name=reference))
    case_id = path(business).rsplit("/", 1)[-1]
    case = Case(reference=reference, case_id=case_id)
    tabs = business.get_by_role("navigation", name="Pages of this case")
    with business.expect_navigation():
        tabs.get_by_role("link", name="Review", exact=True).click()
    for _ in range(40):  # the review opens when the decision's event reaches the reviews service
        if business.locator("h1").inner_text() != "Page not found":
            break
        business.wait_for_timeout(500)
        business.reload()
    open_review(business, case)
    return case


def test_from_the_report_to_learning_in_the_browser(people: People, live_server: LiveServer) -> None:
    case = decided_case(people)
    steps_report.run(people, case)
    steps_publication.run(people, case, live_server)
    steps_actions.run(people, case)
    steps_learning.run(people, case)
