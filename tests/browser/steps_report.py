"""The final report, in the browser (the first part of issue 15's journey): the business unit
writes two versions and compares them, then shows the second to the family member, who reads it
page by page and comments on it; the business unit reads the comment, the lead reviewer comments
on the draft from their home page, and the Chair signs version 2 off.

Each person starts from their home page, the navigation or the case's Review tab; every page
they land on is checked with axe-core. The case is left with version 2 signed off for the board.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tests.browser.conftest import assert_accessible
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

# Three paragraphs a section, so that the family member's copy runs over two pages.
SECTIONS = {
    "circumstances": "Circumstances that led to the review",
    "process_and_methodology": "Review process and methodology",
    "participation": "Participation of practitioners and family",
    "good_practice": "Findings: good practice",
    "improvement": "Findings: where practice must improve",
    "actions_taken": "Actions already taken",
    "conclusion": "Conclusion on the effectiveness of local practice",
    "recommendations": "Recommendations and practice challenges",
}
VERSIONS = re.compile(r"^Versions$")  # the caption of the versions' table, not of the shares'
CONCLUSION_1 = "Agencies worked together well once the referral was made."
CONCLUSION_2 = "Agencies shared what they knew too late; earlier strategy discussions were needed."
FAMILY_SAYS = "The report should say that we asked the school for help twice."
REVIEWER_SAYS = "The conclusion now matches the findings on information sharing."


def _text(key: str, title: str) -> str:
    if key == "conclusion":
        return f"{CONCLUSION_1}\nThe panel met three times.\nThe family took part in the review."
    return f"What the review found: {title.lower()}.\nThe agencies' chronologies agree.\nThe panel agreed it."


def _long(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _report_page(page: Any, case: Case) -> None:
    """From the home page to the case's final report: the case list, the case, its Review tab."""
    page.goto("/home")
    assert_accessible(page)
    open_review(page, case)
    go(page, main(page).get_by_role("link", name="The final report", exact=True))
    assert path(page) == f"/reviews/{case.case_id}/report", page.url
    assert page.locator("h1").inner_text() == "Final report"


def _write_two_versions(business: Any, case: Case) -> None:
    assert "No version saved yet." in main(business).inner_text()
    go(business, main(business).get_by_role("link", name="Write a new version"))
    assert "Saving makes version 1." in main(business).inner_text()
    for key, title in SECTIONS.items():
        business.fill(f"#{key}", _text(key, title))
    go(business, business.get_by_role("button", name="Save as a new version"))
    assert "Version 1 saved" in banner(business)
    assert business.locator("h1").inner_text() == "Version 1 of the final report"
    assert CONCLUSION_1 in main(business).inner_text()

    go(business, business.get_by_role("link", name="Back to the final report"))
    go(business, main(business).get_by_role("link", name="Write a new version"))
    assert "Each section starts with the text of version 1" in main(business).inner_text()
    conclusion = business.locator("#conclusion")
    assert CONCLUSION_1 in conclusion.input_value()
    conclusion.fill(conclusion.input_value().replace(CONCLUSION_1, CONCLUSION_2))
    go(business, business.get_by_role("button", name="Save as a new version"))
    assert "Version 2 saved" in banner(business)
    shown = main(business).inner_text()
    assert CONCLUSION_2 in shown and CONCLUSION_1 not in shown

    go(business, business.get_by_role("link", name="Back to the final report"))
    versions = main(business).locator("table", has=business.locator("caption", has_text=VERSIONS))
    rows = versions.locator("tbody tr")
    assert rows.count() == 2
    assert "Version 2" in rows.nth(0).inner_text() and "Bea Business" in rows.nth(0).inner_text()
    assert "Written in the browser" in rows.nth(1).inner_text()


def _compare(business: Any) -> None:
    go(business, main(business).get_by_role("link", name="Compare two versions"))
    business.locator("input[name=from_version][value='1']").check()
    business.locator("input[name=to_version][value='2']").check()
    go(business, main(business).get_by_role("button", name="Compare"))
    shown = main(business).inner_text()
    assert "Version 1 and version 2" in shown
    assert "1 of 8 sections changed." in shown
    changed = main(business).locator("section", has=business.locator("h3", has_text=SECTIONS["conclusion"]))
    assert "Changed" in changed.locator("h3").inner_text()
    assert CONCLUSION_1 in changed.locator("del").inner_text()
    assert CONCLUSION_2 in changed.locator("ins").inner_text()
    same = main(business).locator("section", has=business.locator("h3", has_text=SECTIONS["circumstances"]))
    assert "Not changed" in same.locator("h3").inner_text()
    go(business, business.get_by_role("link", name="Back to the final report"))


def _show_to_family(business: Any) -> None:
    go(business, main(business).get_by_role("link", name="Show a version to a family member"))
    business.get_by_label("Version 2", exact=True).check()
    business.get_by_label("Frankie Family", exact=True).check()
    go(business, business.get_by_role("button", name="Continue"))
    assert business.locator("h1").inner_text() == "Check before you show the version"
    check = main(business).inner_text()
    assert "Frankie Family" in check and "Version 2, saved on" in check
    go(business, business.get_by_role("button", name="Show the version"))
    assert "Version 2 shown to Frankie Family" in banner(business)
    shares = main(business).locator("table", has=business.locator("caption", has_text="Versions shown"))
    row = shares.locator("tbody tr")
    assert row.count() == 1
    assert "Frankie Family" in row.inner_text() and "Version 2" in row.inner_text()


def _family_reads_and_comments(family: Any) -> None:
    family.goto("/home")
    assert_accessible(family)
    go(
        family,
        family.locator(".govuk-service-navigation").get_by_role("link", name=re.compile(r"^Reports\b")),
    )
    assert path(family) == "/reports"  # the count beside the link says something was shared
    # The documents service shares the version's copy once the share's event reaches it.
    wait_until(family, lambda p: main(p).get_by_role("link", name="Final report").count() > 0)
    assert_accessible(family)
    go(family, main(family).get_by_role("link", name="Final report"))
    assert family.locator("h1").inner_text() == "Final report"
    first = main(family).inner_text()
    assert "Page 1 of 2" in first, first[:1000]
    assert "Version 2" in first and SECTIONS["circumstances"] in first
    go(family, main(family).get_by_role("link", name=re.compile("^Next")))
    second = main(family).inner_text()
    assert "Page 2 of 2" in second
    assert CONCLUSION_2 in second and CONCLUSION_1 not in second
    go(family, main(family).get_by_role("link", name="Comment on this report"))
    assert family.locator("h1").inner_text() == "Comment on the report"
    family.select_option("#section", label=SECTIONS["conclusion"])
    family.fill("#text", FAMILY_SAYS)
    go(family, family.get_by_role("button", name="Send your comment"))
    assert "Comment sent" in main(family).inner_text()


def _business_reads_the_family(business: Any) -> None:
    business.reload()
    assert_accessible(business)
    shown = main(business).inner_text()
    assert "Comments from the family" in shown
    assert FAMILY_SAYS in shown and "Frankie Family" in shown
    go(business, main(business).get_by_role("link", name="Read it with version 2"))
    comment = main(business).locator(".govuk-inset-text", has_text=FAMILY_SAYS)
    assert "Family member" in comment.inner_text() and "Frankie Family" in comment.inner_text()
    go(business, business.get_by_role("link", name="Back to the final report"))


def _lead_reviewer_comments(reviewer: Any, case: Case) -> None:
    reviewer.goto("/home")
    assert_accessible(reviewer)
    drafts = reviewer.locator('[data-work-section="comment_drafts"]')
    # The scheduler lists the draft once the version's event reaches it.
    wait_until(reviewer, lambda p: drafts.get_by_text("Final report, version 2").count() > 0)
    assert_accessible(reviewer)
    item = drafts.locator("li", has_text="Final report, version 2")
    assert case.reference in item.inner_text(), drafts.inner_text()
    go(reviewer, item.get_by_role("link"))
    assert path(reviewer) == f"/reviews/{case.case_id}/report/versions/2", reviewer.url
    assert reviewer.locator("h1").inner_text() == "Version 2 of the final report"
    shown = main(reviewer).inner_text()
    assert CONCLUSION_2 in shown
    assert FAMILY_SAYS not in shown  # the family's comments are for the business unit and the Chair
    reviewer.select_option("#section", label=SECTIONS["conclusion"])
    reviewer.fill("#text", REVIEWER_SAYS)
    go(reviewer, reviewer.get_by_role("button", name="Add the comment"))
    assert "Your comment has been added" in banner(reviewer)
    comment = main(reviewer).locator(".govuk-inset-text", has_text=REVIEWER_SAYS)
    assert "Lee Reviewer" in comment.inner_text()


def _chair_signs_off(chair: Any, case: Case) -> None:
    today = date.today()
    _report_page(chair, case)
    go(chair, main(chair).get_by_role("link", name="Sign off the report for the board"))
    chair.get_by_label("Version 2", exact=True).check()
    fill_date(chair, "signed_off_on", today)
    go(chair, chair.get_by_role("button", name="Continue"))
    assert chair.locator("h1").inner_text() == "You are signing off version 2 for the board"
    assert _long(today) in main(chair).inner_text()
    go(chair, chair.get_by_role("button", name="Sign off version 2"))
    assert "Version 2 signed off for the board" in banner(chair)
    signed = main(chair).locator(".govuk-summary-list__row", has_text="Signed off").inner_text()
    assert f"Version 2, on {_long(today)} by Charles Chair" in signed, signed
    versions = main(chair).locator("table", has=chair.locator("caption", has_text=VERSIONS))
    assert "Signed off" in versions.locator("tbody tr").nth(0).inner_text()


def run(people: People, case: Case) -> None:
    business = people.as_("business_unit")
    _report_page(business, case)
    _write_two_versions(business, case)
    _compare(business)
    _show_to_family(business)

    _family_reads_and_comments(people.as_("family_viewer"))
    _business_reads_the_family(business)
    _lead_reviewer_comments(people.as_("lead_reviewer"), case)
    _chair_signs_off(people.as_("chair"), case)
