"""Conducting a review in Chromium, as the business unit, from its home page: a panel meeting and a
practitioner learning event scheduled with their invitations (each with its .ics in the development
outbox), two family members and how they are related, the genogram, a contact with the family, the
quality marker self-assessment and an interim learning item. The case is referred and decided in
the browser first. Every page visited is checked with axe-core; apart from signing in, only the
development outbox (which nothing links to) is opened by its address."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.journey import refer
from tests.browser.test_role_journeys import chair_decides

LEARNING_EVENT_ON = date.today() + timedelta(days=14)
PANEL_ON = date.today() + timedelta(days=21)


def go(page: Any, locator: Any) -> None:
    """Follow a link or press a button that loads a page, then check the page with axe."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


def main(page: Any) -> Any:
    return page.locator("main")


@pytest.fixture(scope="module")
def decided(browser: Any, live_server: Any) -> str:
    """The reference of a case referred by the police and decided by the Chair: an SCR."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "agency_practitioner")
        refer(page)
        page.goto("/cases")
        reference = page.locator("main table tbody tr a").first.inner_text().strip()
        chair_decides(page, reference)
        return reference
    finally:
        context.close()


def open_review(page: Any, reference: str) -> None:
    """From the home page to the case, by the navigation and the case list, then its Review tab."""
    sign_in(page, "business_unit")
    assert urlparse(page.url).path == "/home"
    assert_accessible(page)
    go(
        page,
        page.locator(".govuk-service-navigation").get_by_role("link", name="Cases", exact=True),
    )
    go(page, main(page).get_by_role("link", name=reference))
    assert page.locator("h1").inner_text() == reference
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


def fill_date(page: Any, name: str, day: date) -> None:
    for part, value in zip(("day", "month", "year"), (day.day, day.month, day.year), strict=True):
        page.fill(f"#{name}-{part}", str(value))


def schedule(page: Any, kind: str, on: date, people: list[dict[str, str]], agenda: str) -> None:
    """From the meetings page: the details, each attendee, the check page, the invitations."""
    go(page, main(page).get_by_role("button", name="Schedule a meeting"))
    page.check(f"input[name=kind][value={kind}]")
    fill_date(page, "held_on", on)
    page.fill("#start_time", "10am")
    page.fill("#end_time", "12:30pm")
    page.fill("#place", "Town Hall, committee room 2")
    page.fill("#agenda", agenda)
    go(page, page.get_by_role("button", name="Continue"))
    for person in people:
        page.fill("#name", person["name"])
        page.fill("#email", person["email"])
        page.select_option("#agency", person["agency"])
        page.fill("#role", person["role"])
        go(page, page.get_by_role("button", name="Add this person"))
        assert f"{person['name']} added" in main(page).inner_text()
    go(page, page.get_by_role("button", name="Continue to check the meeting"))
    check = main(page).inner_text()
    assert "Each attendee will get an email invitation with a calendar file (.ics)" in check
    assert f"{on.day} {on.strftime('%B')} {on.year}, 10am to 12:30pm" in check
    go(page, page.get_by_role("button", name="Send the invitations"))
    assert "every attendee has been sent an invitation" in main(page).inner_text()


PANEL = [
    {"name": "Pat Panel", "email": "pat.panel@example.org", "agency": "education", "role": "Panel member"},
    {"name": "Dee Nurse", "email": "dee.nurse@example.org", "agency": "health", "role": "Designated nurse"},
]
PRACTITIONERS = [
    {
        "name": "Sam Officer",
        "email": "sam.officer@example.org",
        "agency": "police",
        "role": "Detective constable",
    },
]


def test_the_business_unit_conducts_the_review(page: Any, decided: str) -> None:
    open_review(page, decided)

    # Meetings: a learning event and the panel meeting after it, each with its invitations.
    go(page, main(page).get_by_role("link", name="Meetings and learning events"))
    assert "No meetings are coming up." in main(page).inner_text()
    schedule(page, "learning_event", LEARNING_EVENT_ON, PRACTITIONERS, "What happened\nWhat helped")
    go(page, page.get_by_role("link", name="Back to the meetings"))
    schedule(page, "panel_meeting", PANEL_ON, PANEL, "The agencies' chronologies\nThe learning event")
    screenshot(page, "review-meeting")
    go(page, main(page).get_by_role("link", name="Cancel the meeting"))
    assert "2 people invited will get an email saying it is cancelled" in main(page).inner_text()
    go(page, main(page).get_by_role("link", name="Keep the meeting"))
    go(page, page.get_by_role("link", name="Back to the meetings"))
    upcoming = page.locator("table", has=page.locator("caption", has_text="Upcoming"))
    assert upcoming.locator("tbody tr").count() == 2
    assert (
        "Practitioner learning event" in upcoming.inner_text()
        and "Review panel meeting" in upcoming.inner_text()
    )

    # Family: two members, how they are related, the genogram, a contact.
    go(page, page.get_by_role("link", name="Back to the review"))
    go(page, main(page).get_by_role("link", name="Family engagement"))
    for name, relationship, sex in (("Jo Smith", "mother", "female"), ("Sam Smith", "child", "male")):
        go(page, main(page).get_by_role("button", name="Add a family member"))
        page.fill("#name", name)
        page.select_option("#relationship_to_child", relationship)
        page.check(f"input[name=sex][value={sex}]")
        go(page, page.get_by_role("button", name="Add this person"))
        assert f"{name} added to the family" in main(page).inner_text()
    go(page, main(page).get_by_role("link", name="Record how two people are related"))
    page.select_option("#from_", label="Jo Smith")
    page.select_option("#kind", "parent_of")
    page.select_option("#to", label="Sam Smith")
    go(page, page.get_by_role("button", name="Record the relationship"))
    assert "Jo Smith is a parent of Sam Smith" in main(page).inner_text()
    genogram = page.get_by_role("img", name=re.compile("Genogram of the family"))
    assert genogram.count() == 1
    assert "Jo Smith: mother, female" in (genogram.locator("desc").text_content() or "")
    go(page, main(page).get_by_role("link", name="Record a contact"))
    fill_date(page, "on", date.today())
    page.check("input[name=how][value=letter]")
    page.get_by_label("Jo Smith", exact=True).check()
    page.fill("#by", "Lee Reviewer, lead reviewer")
    page.fill("#outcome", "Wrote to explain the review and offer a meeting")
    go(page, page.get_by_role("button", name="Record the contact"))
    assert "Wrote to explain the review and offer a meeting" in main(page).inner_text()
    screenshot(page, "review-family")
    # The hold while criminal proceedings run: set after a confirmation, shown, lifted.
    go(page, main(page).get_by_role("link", name=re.compile("Hold the family's involvement")))
    page.fill("#reason", "The criminal trial of the child's father")
    go(page, page.get_by_role("button", name="Continue"))
    go(page, page.get_by_role("button", name="Hold the family's involvement"))
    warning = page.locator(".govuk-warning-text")
    assert "The criminal trial of the child's father" in warning.inner_text()
    go(page, main(page).get_by_role("link", name="Lift the hold"))
    go(page, page.get_by_role("button", name="Lift the hold"))
    assert page.locator(".govuk-warning-text").count() == 0

    # Quality marker self-assessment.
    go(page, page.get_by_role("link", name="Back to the review"))
    go(page, main(page).get_by_role("link", name="Quality markers"))
    go(page, main(page).get_by_role("link", name="Deciding a proportionate form and focus for the review"))
    for key in ("members_input", "reviewers_influence", "factors_considered", "rationale_recorded"):
        page.check(f"input[name={key}_rating][value=met]")
        page.fill(f"#{key}_evidence", "The scoping meeting's minutes record it")
    go(page, page.get_by_role("button", name="Save the self-assessment"))
    assert "Self-assessment saved" in main(page).inner_text()

    # Interim learning.
    go(page, page.get_by_role("link", name="Back to the review"))
    go(page, main(page).get_by_role("link", name="Interim learning"))
    go(page, main(page).get_by_role("button", name="Record interim learning"))
    page.fill("#improvement", "Strategy discussions did not include health")
    page.fill("#action_taken", "Health is now invited to every strategy discussion")
    page.fill("#owner", "Head of safeguarding, police")
    fill_date(page, "on", date.today())
    page.select_option("#agency", "police")
    go(page, page.get_by_role("button", name="Record the learning"))
    assert "Health is now invited to every strategy discussion" in main(page).inner_text()

    # The invitations, kept by the development outbox (the test server has no mail server).
    for _ in range(40):
        page.goto("/notifications/outbox")
        rows = page.locator("main table tbody tr")
        if (
            rows.filter(has_text="pat.panel@example.org").count()
            and rows.filter(has_text="sam.officer@").count()
        ):
            break
        page.wait_for_timeout(250)
    assert_accessible(page)
    invitations = page.locator("main table tbody tr")
    for email, title in (
        ("pat.panel@example.org", "Review panel meeting"),
        ("dee.nurse@example.org", "Review panel meeting"),
        ("sam.officer@example.org", "Practitioner learning event"),
    ):
        row = invitations.filter(has_text=email)
        assert row.count() == 1, f"no invitation to {email}"
        assert title in row.inner_text()
        assert row.locator("td").last.inner_text().strip() == "1"
    go(page, invitations.filter(has_text="pat.panel@example.org").get_by_role("link"))
    assert main(page).get_by_role("link", name="invitation.ics").count() == 1
