"""Each role's journey in Chromium, from its home page to its main task, by links and forms alone.

The business unit walks a case's tabs, names the child's pseudonym and waives a deadline; the
Chair decides (the regulators' emails reach the development outbox); an agency manager, a panel
member and a lead reviewer open their cases; the business unit shares a report that a family
member then reads page by page; an admin invites a user, who creates a password from the email.

Only the sign-in page (and an emailed link, opened as its recipient would) is ever typed: every
other page is reached by clicking. axe-core checks every page the journeys visit.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import PASSWORD, assert_accessible, sign_in
from tests.browser.journey import refer

REVIEWER_EMAIL = "reviewer@demo.example.org"


def go(page: Any, locator: Any) -> None:
    """Follow a link (or press a button) that loads a page, then check the page with axe."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


def path(page: Any) -> str:
    return urlparse(page.url).path


def case_id_of(page: Any) -> str:
    found = re.search(r"/cases/([^/?#]+)", page.url)
    assert found, page.url
    return found.group(1)


@pytest.fixture(scope="module")
def referred(browser: Any, live_server: Any) -> str:
    """The reference of a case the police practitioner referred (screened, awaiting a decision)."""
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


@pytest.fixture(scope="module")
def awaiting(browser: Any, live_server: Any) -> str:
    """The reference of another referred case, left awaiting a decision."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        sign_in(page, "agency_practitioner")
        refer(page)
        page.goto("/cases")
        return page.locator("main table tbody tr a").first.inner_text().strip()
    finally:
        context.close()


@pytest.fixture(scope="module")
def decided(browser: Any, live_server: Any, referred: str) -> str:
    """The reference of the case once the Chair decided on a Serious Case Review, naming the demo
    lead reviewer: the journey of the Chair, which the reviewers' journeys follow."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        chair_decides(page, referred)
        return referred
    finally:
        context.close()


def chair_decides(page: Any, reference: str) -> None:
    sign_in(page, "chair")
    assert path(page) == "/home"
    assert_accessible(page)
    to_make = page.locator('[data-work-section="decisions_to_make"]')
    go(page, to_make.get_by_role("link", name=reference))
    assert page.locator("h1").inner_text() == reference
    go(page, page.locator("main").get_by_role("button", name=re.compile("Record the Chair")).first)
    assert path(page).endswith("/decision")

    page.check("input[name=outcome][value=serious_case_review]")
    page.check("input[name=method][value=intensive]")
    page.fill("#rationale", "The criteria for a Serious Case Review are met.")
    page.fill("#lead_reviewers-0-name", "Lee Reviewer")
    page.fill("#lead_reviewers-0-organisation", "Independent Reviews Ltd")
    page.fill("#lead_reviewers-0-email", REVIEWER_EMAIL)
    page.fill("#lead_reviewers-0-qualifications", "Accredited lead reviewer")
    page.check("input[name='lead_reviewers-0-declarations'][value=none]")
    page.check("input[name=case_factors][value=legal_requirements]")
    go(page, page.get_by_role("button", name="Continue"))
    assert path(page).endswith("/decision/check"), page.url
    assert "Check the decision" in page.locator("h1").inner_text()
    assert "Ofsted, the Department for Education and the National Panel" in page.locator("main").inner_text()

    go(page, page.get_by_role("button", name="Record the decision and send the emails"))
    assert page.locator("h1").inner_text() == reference
    shown = page.locator("main").inner_text()
    assert "Decision recorded: Serious Case Review" in shown

    tabs = page.get_by_role("navigation", name="Pages of this case")
    go(page, tabs.get_by_role("link", name="Notifications", exact=True))
    assert path(page).startswith("/notifications/cases/")
    # The emails go out a moment later, through the bus: the page shows them when reloaded.
    # The test server has no mail server: the development outbox takes them.
    rows = page.locator("main table tbody tr")
    for _ in range(40):
        delivered = rows.filter(has_text=re.compile("delivered to the (development )?outbox", re.I))
        if delivered.count() >= 3:
            break
        page.wait_for_timeout(500)
        page.reload()
    log = page.locator("main").inner_text()
    assert delivered.count() >= 3, log
    for recipient in ("ofsted", "education", "panel"):
        assert recipient in log.lower(), f"no statutory email to {recipient}: {log}"
    assert_accessible(page)


def test_the_chair_decides_from_the_home_page_and_the_regulators_are_emailed(decided: str) -> None:
    assert decided  # the journey ran in the fixture: its assertions are in chair_decides


def test_the_business_unit_walks_a_case_and_waives_a_deadline(page: Any, awaiting: str) -> None:
    referred = awaiting
    sign_in(page, "business_unit")
    assert path(page) == "/home"
    assert_accessible(page)
    awaited = page.locator('[data-work-section="decisions_awaited"]')
    go(page, awaited.get_by_role("link", name=referred))
    case_page = page.url
    tabs = page.get_by_role("navigation", name="Pages of this case")
    for name, prefix in (
        ("Timetable and deadlines", "/schedule/cases/"),
        ("Documents", "/documents/cases/"),
        ("Notifications", "/notifications/cases/"),
        ("Audit trail", "/"),
        ("Case", "/cases/"),
    ):
        link = tabs.get_by_role("link", name=name, exact=True)
        if name == "Audit trail" and link.count() == 0:
            continue  # the audit trail is a section of the case page for this role
        go(page, link)
        assert path(page).startswith(prefix), page.url
    assert page.url == case_page

    # The child's pseudonym, as published reports will call the child; the case list finds it.
    go(page, page.locator("main").get_by_role("link", name=re.compile("^Set")).first)
    page.fill("#pseudonym", "Child Q")
    go(page, page.get_by_role("button", name="Save the pseudonym"))
    assert "Case of Child Q" in page.locator("main").inner_text()
    go(page, page.get_by_role("link", name="Cases", exact=True).first)
    page.fill("#pseudonym", "child q")
    go(page, page.get_by_role("button", name="Find cases"))
    assert referred in page.locator("main table tbody").inner_text()
    go(page, page.locator("main table").get_by_role("link", name=referred, exact=True))

    tabs = page.get_by_role("navigation", name="Pages of this case")
    go(page, tabs.get_by_role("link", name="Timetable and deadlines", exact=True))
    go(page, page.locator("main").get_by_role("link", name=re.compile("^Waive")).first)
    page.fill("#reason", "The board agreed the referral is dealt with in another review.")
    go(page, page.get_by_role("button", name="Continue"))
    go(page, page.get_by_role("button", name="Yes, waive the deadline"))
    assert path(page).startswith("/schedule/cases/")
    assert "Waived: The board agreed" in page.locator("main").inner_text()


def test_an_agency_manager_opens_their_agency_case_from_the_home_page(page: Any, awaiting: str) -> None:
    referred = awaiting
    sign_in(page, "agency_manager")
    assert path(page) == "/home"
    assert_accessible(page)
    section = page.locator('[data-work-section="agency_referrals"]')
    go(page, section.get_by_role("link", name=referred))
    assert page.locator("h1").inner_text() == referred
    assert "Summary from the referrer" in page.locator("main").inner_text()
    # The case's documents are the board's: agency staff are not shown the tab (nor may open it).
    tabs = page.get_by_role("navigation", name="Pages of this case")
    assert tabs.get_by_role("link", name="Documents", exact=True).count() == 0


@pytest.mark.parametrize("role", ["panel_member", "lead_reviewer"])
def test_a_reviewer_opens_the_case_they_sit_on(page: Any, role: str, decided: str) -> None:
    sign_in(page, role)
    assert path(page) == "/home"
    assert_accessible(page)
    involved = page.locator('[data-work-section="involved"]')
    go(page, involved.get_by_role("link", name=decided))
    assert page.locator("h1").inner_text() == decided
    assert "Serious Case Review" in page.locator("main").inner_text()


def test_a_family_member_reads_a_report_the_business_unit_shared(
    browser: Any, live_server: Any, page: Any, decided: str
) -> None:
    # The business unit generates the decision's record and shares it, choosing the family
    # member by name.
    sign_in(page, "business_unit")
    assert_accessible(page)
    go(page, page.get_by_role("link", name="Cases", exact=True).first)
    go(page, page.locator("main table").get_by_role("link", name=decided, exact=True))
    tabs = page.get_by_role("navigation", name="Pages of this case")
    go(page, tabs.get_by_role("link", name="Documents", exact=True))
    go(page, page.locator("main").get_by_role("link", name=re.compile("Generate")).first)
    page.get_by_label("Screening and decision record", exact=True).check()
    go(page, page.get_by_role("button", name=re.compile("Generate")))
    go(page, page.locator("main").get_by_role("link", name=re.compile("with a family member")).first)
    page.get_by_label(re.compile("Frankie Family")).check()
    go(page, page.get_by_role("button", name="Share the report"))
    assert "Frankie Family" in page.locator("main").inner_text()

    # The family member, in a browser of their own.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    family = context.new_page()
    try:
        sign_in(family, "family_viewer")
        assert path(family) == "/home"
        assert_accessible(family)
        shared = family.locator('[data-work-section="shared_reports"]')
        go(family, shared.get_by_role("link").first)
        assert path(family).startswith("/reports/")
        pages_read = 1
        while family.get_by_role("link", name=re.compile("^Next")).count():
            go(family, family.get_by_role("link", name=re.compile("^Next")).first)
            pages_read += 1
            assert pages_read < 50
        assert family.locator("main").inner_text().strip()
    finally:
        context.close()


def test_an_admin_invites_a_user_who_creates_a_password(browser: Any, live_server: Any, page: Any) -> None:
    sign_in(page, "admin")
    assert path(page) == "/home"
    assert_accessible(page)
    go(page, page.get_by_role("link", name="Board settings").first)
    go(page, page.locator("main").get_by_role("link", name="Users", exact=True))
    go(page, page.get_by_role("button", name="Invite a user"))
    page.fill("#name", "Nia Newcomer")
    page.fill("#email", "nia.newcomer@demo.example.org")
    roles = page.locator("input[name=roles][value=panel_member]")
    if roles.count():
        roles.check()
    go(page, page.get_by_role("button", name="Send invitation"))
    assert "Nia Newcomer" in page.locator("main").inner_text()

    # The invitation, in the development outbox, from the board settings.
    go(page, page.get_by_role("link", name="Board settings").first)
    go(page, page.locator("main").get_by_role("link", name="Development outbox"))
    mail = page.locator("main table tbody tr").filter(has_text="nia.newcomer@demo.example.org").first
    go(page, mail.get_by_role("link").first)
    text = page.locator("main").inner_text()
    link = re.search(r"https?://\S+/accounts/invitation/\S+", text)
    assert link, f"no invitation link in the email:\n{text}"

    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    invited = context.new_page()
    try:
        invited.goto(link.group(0).rstrip(".,)"))
        assert_accessible(invited)
        invited.fill("#password", PASSWORD + "-nia")
        invited.fill("#confirm", PASSWORD + "-nia")
        go(invited, invited.get_by_role("button", name="Create password and sign in"))
        assert "/accounts/" not in invited.url and "/sign-in" not in invited.url, invited.url
        assert path(invited) == "/home"  # signed in, on their own home page
        assert "Nia Newcomer" in invited.locator("header").inner_text()
    finally:
        context.close()


def test_a_practitioners_saved_referral_is_on_their_home_page_until_deleted(page: Any) -> None:
    sign_in(page, "agency_practitioner")
    go(page, page.locator('header a[href="/referrals"]').first)
    go(page, page.get_by_role("button", name="Start a new referral"))
    page.check("input[name=what_happened][value=seriously_harmed]")
    go(page, page.get_by_role("button", name="Save and come back later"))

    # The draft reaches the home page through the referral service's event.
    go(page, page.locator('header a[href="/home"]').first)
    drafts = page.locator('[data-work-section="drafts"]')
    for _ in range(40):
        if drafts.get_by_role("link", name="A child was seriously harmed").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert_accessible(page)
    link = drafts.get_by_role("link", name="A child was seriously harmed").first
    href = link.get_attribute("href")
    go(page, link)
    assert "/referrals/" in page.url and "seriously" not in page.url

    go(page, page.locator('header a[href="/referrals"]').first)
    go(page, page.locator("main table").get_by_role("link", name=re.compile("^Delete")).first)
    go(page, page.get_by_role("button", name="Yes, delete it"))
    assert "Your saved referral was deleted" in page.locator("main").inner_text()
    go(page, page.locator('header a[href="/home"]').first)
    gone = page.locator(f'[data-work-section="drafts"] a[href="{href}"]')
    for _ in range(40):
        if gone.count() == 0:
            break
        page.wait_for_timeout(500)
        page.reload()
    assert gone.count() == 0, drafts.inner_text()
