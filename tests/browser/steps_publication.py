"""Publication, in the browser, as the business unit (issue 15's journey, after the Chair signed off
version 2 of the final report).

From the review page's "Publication": the publication date planned (a date too soon first, which
the page refuses naming the earliest date, then one 8 working days ahead); the copies sent now to
Ofsted, the DfE and the National Panel from the confirmation page; the three emails in the case's
notification log, delivered to the development outbox, and each opened there (from Board settings)
with the final report and the board's response attached; the published copy's replacements
checked from the "record it published" form; then, the reviews service's today moved on to the
planned date, the report recorded published with its web address, on the website until at least
12 months later. The case is left published.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from services.reviews.domain.publication import retention_ends
from shared.framework import today_in_england
from shared.words import long_date
from shared.working_days import WorkingDays
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.report_journey import (
    Case,
    People,
    banner,
    fill_date,
    go,
    main,
    open_review,
    path,
    wait_until,
)

WEB_ADDRESS = "https://www.example.org/reviews/serious-case-review"
COPIES_SUBJECT = "Case review report before publication"
SEND = "Send the copies to Ofsted, the DfE and the National Panel"
COPIES_MESSAGE = "Copies of the report to Ofsted, the DfE and the National Panel"
# Each national body as the notification log and the outbox name it.
BODIES = {
    "Ofsted": re.compile(r"ofsted", re.I),
    "the DfE": re.compile(r"department for education|\bdfe\b", re.I),
    "the National Panel": re.compile(r"\bpanel\b", re.I),
}


def run(people: People, case: Case, live_server: LiveServer) -> None:
    business = people.as_("business_unit")
    business.goto("/home")
    open_review(business, case)
    _open_publication(business, case)
    planned = _plan(business)
    _send_copies(business, planned)
    addresses = _see_the_emails(business, case)
    _open_the_outbox(business, case, addresses)
    open_review(business, case)
    _open_publication(business, case)
    _check_the_published_copy(business, case)
    live_server.today_is(planned)
    _record_published(business, planned)


def _summary(page: Any, key: str) -> str:
    """The value of a row of the page's summary list."""
    named = re.compile(rf"^\s*{re.escape(key)}\s*$")
    row = (
        main(page)
        .locator(".govuk-summary-list__row")
        .filter(has=page.locator(".govuk-summary-list__key", has_text=named))
    )
    return " ".join(str(row.first.locator(".govuk-summary-list__value").inner_text()).split())


def _open_publication(page: Any, case: Case) -> None:
    go(page, main(page).get_by_role("link", name="Publication", exact=True))
    assert path(page) == f"/reviews/{case.case_id}/publication", page.url
    assert page.locator("h1").inner_text() == "Publication of the final report"
    assert _summary(page, "Signed-off version").startswith("Version 2, signed off on"), main(
        page
    ).inner_text()


def _plan(page: Any) -> date:
    """A date too soon, refused with the earliest date allowed; then 8 working days ahead."""
    today = today_in_england()
    calendar = WorkingDays()
    earliest, planned = calendar.add(today, 7), calendar.add(today, 8)
    assert _summary(page, "Planned publication date") == "Not planned yet"
    go(page, main(page).get_by_role("link", name="Plan the publication date"))
    assert f"The earliest date you can plan today is {long_date(earliest)}" in main(page).inner_text()

    fill_date(page, "planned_on", calendar.add(today, 2))
    go(page, page.get_by_role("button", name="Save the date"))
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1, main(page).inner_text()
    refused = summary.inner_text()
    assert f"the earliest date is {long_date(earliest)}" in refused, refused
    assert page.locator(".govuk-error-message").filter(has_text=long_date(earliest)).count() == 1

    fill_date(page, "planned_on", planned)
    go(page, page.get_by_role("button", name="Save the date"))
    assert path(page).endswith("/publication"), page.url
    assert f"Publication planned for {long_date(planned)}" in banner(page), banner(page)
    assert _summary(page, "Planned publication date").startswith(long_date(planned))
    return planned


def _send_copies(page: Any, planned: date) -> None:
    go(page, main(page).get_by_role("link", name=SEND))
    assert page.locator("h1").inner_text() == SEND
    confirm = main(page).inner_text()
    for body in ("Ofsted", "the Department for Education (DfE)", "the National Panel"):
        assert body in confirm, confirm
    assert "Final report, version 2 as signed off on" in confirm and "The board's response" in confirm
    assert f"planned to be published on {long_date(planned)}" in confirm, confirm

    go(page, page.get_by_role("button", name="Send the copies now"))
    assert path(page).endswith("/publication"), page.url
    assert "The copies are being sent to Ofsted, the DfE and the National Panel" in banner(page)
    sent = _summary(page, "Copies to Ofsted, the DfE and the National Panel")
    assert sent == f"Sent on {long_date(today_in_england())} by this service, version 2", sent
    assert main(page).get_by_role("link", name=SEND).count() == 0


def _see_the_emails(page: Any, case: Case) -> list[str]:
    """The case's notification log: one email of the copies to each body, delivered; their addresses."""
    tabs = page.get_by_role("navigation", name="Pages of this case")
    go(page, tabs.get_by_role("link", name="Notifications", exact=True))
    assert path(page) == f"/notifications/cases/{case.case_id}", page.url
    copies = page.locator("main table tbody tr").filter(has_text=COPIES_MESSAGE)
    delivered = copies.filter(has_text=re.compile("delivered to the (development )?outbox", re.I))

    # The documents service makes the two files, then the notifications service sends the emails.
    wait_until(page, lambda _: delivered.count() >= 3, tries=60)
    assert delivered.count() == 3 and copies.count() == 3, main(page).inner_text()
    # The recipient cell: the body's name, then (on a line of its own) its address.
    recipients = [str(copies.nth(i).locator("td").nth(1).inner_text()).splitlines()[0] for i in range(3)]
    for body, named in BODIES.items():
        assert sum(bool(named.search(r)) for r in recipients) == 1, f"no copies to {body}: {recipients}"
    assert_accessible(page)
    return [str(copies.nth(i).locator("td").nth(1).locator("span").inner_text()).strip() for i in range(3)]


def _open_the_outbox(page: Any, case: Case, addresses: list[str]) -> None:
    """The log lists no attachments: the development outbox, from Board settings, shows them."""
    go(page, page.locator(".govuk-service-navigation").get_by_role("link", name="Board settings", exact=True))
    go(page, main(page).get_by_role("link", name="Development outbox"))
    assert path(page) == "/notifications/outbox", page.url
    subject = f"{COPIES_SUBJECT}: {case.reference}"
    mails = main(page).locator("table tbody tr").filter(has_text=subject)
    assert mails.count() == 3, main(page).inner_text()
    to = []
    for number in range(3):
        row = mails.nth(number)
        assert row.locator("td").nth(3).inner_text().strip() == "2", row.inner_text()
        go(page, row.get_by_role("link", name=subject))
        assert page.locator("h1").inner_text() == subject
        to.append(_summary(page, "To"))
        files = [str(name).strip() for name in main(page).locator("ul.govuk-list li a").all_inner_texts()]
        assert len(files) == 2, files
        assert any(f.startswith("final-report-") for f in files), files
        assert any(f.startswith("board-response-") for f in files), files
        go(page, page.get_by_role("link", name="Development outbox"))
    assert len(set(to)) == 3, to
    for address in addresses:
        assert sum(address in each for each in to) == 1, f"no email to {address} in the outbox: {to}"


def _check_the_published_copy(page: Any, case: Case) -> None:
    """From the "record it published" form, the page of what the published copy replaces."""
    go(page, main(page).get_by_role("link", name="Record the report published"))
    assert page.locator("h1").inner_text() == "Record the report published"
    go(page, main(page).get_by_role("link", name="see what the published copy replaced and download it"))
    assert path(page) == f"/documents/cases/{case.case_id}/published-copy", page.url
    assert page.locator("h1").inner_text() == "Check the published copy"
    shown = main(page).inner_text()
    assert "What the published copy replaces" in shown and "Download the published copy" in shown, shown
    table = main(page).locator("table")
    if table.count():  # the referral named the child or the family
        caption = table.locator("caption").inner_text()
        assert caption == "Details from the case's record and what stands in for them", caption
        for row in table.locator("tbody tr").all():
            kind, stand_in = (str(cell).strip() for cell in row.locator("td").all_inner_texts())
            assert kind and stand_in, table.inner_text()  # each kind with its stand-in, never the value
    else:  # the journey's referral gives no details of the child
        assert "The case's record holds no names or identifying details to replace." in shown, shown
    assert "Every other name or detail given in the glossary" in shown, shown
    go(page, page.get_by_role("link", name="Back to publication"))
    assert path(page) == f"/reviews/{case.case_id}/publication", page.url


def _record_published(page: Any, planned: date) -> None:
    """The reviews service's today is the planned date: the report went on the website."""
    page.reload()
    assert_accessible(page)
    go(page, main(page).get_by_role("link", name="Record the report published"))
    fill_date(page, "published_on", planned)
    page.fill("#url", WEB_ADDRESS)
    go(page, page.get_by_role("button", name="Record it published"))  # the check not confirmed
    refused = page.locator(".govuk-error-summary").inner_text()
    assert "Confirm that you checked the replacements in the published copy" in refused, refused
    assert page.locator(".govuk-error-summary li").count() == 1, refused

    page.check("#reviewed")
    go(page, page.get_by_role("button", name="Record it published"))
    assert path(page).endswith("/publication"), page.url
    assert f"Recorded: the report was published on {long_date(planned)}" in banner(page), banner(page)
    shown = main(page).inner_text()
    assert _summary(page, "Published") == f"{long_date(planned)} at {WEB_ADDRESS}", shown
    assert main(page).get_by_role("link", name=WEB_ADDRESS).count() == 1
    assert _summary(page, "On the website until at least") == long_date(retention_ends(planned)), shown
    assert _summary(page, "After the 12 months") == "Not decided yet", shown
    assert main(page).get_by_role("link", name="Record the report published").count() == 0
    assert main(page).get_by_role("heading", name="Keep the report online or withdraw it").count() == 1
