"""Learning, in the browser: the business unit, from the review page, completes every field of the
learning summary (two themes ticked), sees it saved, records a seven-minute briefing made from it
and sees it listed; then, from the navigation, finds the summary in the learning repository by a
word written in it and by a theme, follows the result to the case's learning summary, and
downloads the search as a spreadsheet with the case's reference in it. The Chair, from the
navigation, reads the board's dashboard before and after: the review counted once more under each
theme ticked, the reviews by kind counting it, and the actions by status matching, number for
number, the board's list of actions.

A learning summary enters the repository when it is saved (published or not: the result says
which). The steps leave the case with its summary and one learning product.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
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

THEMES = ("Neglect", "Information sharing")
KIND = "Serious case review"


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _nav(page: Any, name: str) -> None:
    """From the home page, a link of the service navigation."""
    page.goto("/home")
    go(page, page.locator(".govuk-service-navigation").get_by_role("link", name=name, exact=True))


def _summary_fields(case: Case, word: str) -> dict[str, str]:
    return {
        "board_area": "Wirral",
        "review_type": "A Serious Case Review by a systems method, chaired and written by an "
        "independent lead reviewer; the Chair decided on it after the police referred the case",
        "reference": case.reference,
        "summary": f"A baby's missed health appointments were not followed up; the {word} family "
        "moved between areas and no agency held the whole picture.",
        "case_learning": "Missed appointments were seen one at a time.\nNo agency asked who cared "
        "for the baby day to day.",
        "method_learning": "Practitioners' conversations gave more than written reports. The review "
        "took eight months.",
        "single_agency_recommendations": "Health visitors follow up every missed appointment within a week.",
        "multi_agency_recommendations": "Agencies share a family's move between areas on the day "
        "they learn of it.",
        "changes": "The business unit leads a task group with health and children's social care; "
        "each agency names a lead.",
        "impact_audit": "A multi-agency case-file audit of 20 cases in six months.",
        "other_comments": "Involving the family early helped the review.",
    }


def _row(page: Any, key: str) -> str:
    """A row of the summary list, its paragraphs one line each."""
    row = main(page).locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key))
    shown = str(row.first.locator("dd").first.inner_text())
    return "\n".join(line.strip() for line in shown.splitlines() if line.strip())


def _complete_summary(page: Any, case: Case, word: str) -> None:
    go(page, main(page).get_by_role("link", name="Learning summary", exact=True))
    assert page.locator("h1").inner_text() == "Learning summary"
    assert "The learning summary has not been completed yet." in main(page).inner_text()
    go(page, main(page).get_by_role("button", name="Complete the learning summary"))
    assert page.locator("h1").inner_text() == "Complete the learning summary"
    assert page.input_value("#board_area"), "the board's area is offered"

    # Saved with nothing written: every missing field is named at once, and the page still passes axe.
    go(page, main(page).get_by_role("button", name="Save the learning summary"))
    errors = page.locator(".govuk-error-summary a")
    named = [str(t).strip() for t in errors.all_inner_texts()]
    required = [
        n for n in _summary_fields(case, word) if n not in ("board_area", "reference", "other_comments")
    ]
    assert len(named) == len(required) + 1, named
    assert "Select at least one theme" in named, named
    for name in required:
        assert page.locator(f"#{name}-error").count() == 1, name

    given = _summary_fields(case, word)
    for name, value in given.items():
        page.fill(f"#{name}", value)
    completed = date.today()
    fill_date(page, "completed_on", completed)
    incident = (completed.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    page.fill("#incident_month-month", str(incident.month))
    page.fill("#incident_month-year", str(incident.year))
    for theme in THEMES:
        page.get_by_label(theme, exact=True).check()
    go(page, main(page).get_by_role("button", name="Save the learning summary"))

    assert re.search(rf"/reviews/{case.case_id}/learning-summary$", path(page)), page.url
    assert "The learning summary was saved" in banner(page), banner(page)
    assert _row(page, "Board's area") == given["board_area"]
    assert _row(page, "Date completed") == long_date(completed)
    assert _row(page, "Month of the incident") == f"{incident:%B %Y}"
    assert _row(page, "Review reference") == case.reference
    assert _row(page, "Summary") == given["summary"]
    assert _row(page, "What was learnt about the case") == given["case_learning"]
    assert _row(page, "Key multi-agency recommendations") == given["multi_agency_recommendations"]
    assert _row(page, "How the impact will be audited") == given["impact_audit"]
    assert _row(page, "Other comments") == given["other_comments"]
    assert _row(page, "Themes") == "; ".join(THEMES)


def _record_briefing(page: Any, case: Case) -> None:
    go(page, main(page).get_by_role("link", name="Record a learning product"))
    assert page.locator("h1").inner_text() == "Record a learning product"
    title = f"Seven-minute briefing: missed health appointments ({case.reference})"
    given_on = date.today() - timedelta(days=2)
    page.get_by_label("Seven-minute briefing", exact=True).check()
    page.fill("#title", title)
    fill_date(page, "on", given_on)
    page.fill("#reach", "45")
    agencies = main(page).locator("input[name=agencies]")
    agency = ""
    if agencies.count():  # the board's agencies, when it has any
        first = agencies.first
        agency = str(page.locator(f"label[for='{first.get_attribute('id')}']").inner_text()).strip()
        first.check()
    page.fill("#notes", "Given at the designated leads' forum")
    go(page, main(page).get_by_role("button", name="Record the learning product"))

    assert f"Seven-minute briefing recorded: {title}" in banner(page), banner(page)
    table = main(page).locator("table", has=page.locator("caption", has_text="Learning products"))
    rows = table.locator("tbody tr")
    assert rows.count() == 1, main(page).inner_text()[:2000]
    cells = [str(c).strip() for c in rows.first.locator("td").all_inner_texts()]
    assert cells[0] == long_date(given_on), cells
    assert cells[1] == "Seven-minute briefing", cells
    assert title in cells[2] and "designated leads' forum" in cells[2], cells
    assert cells[3] == "45", cells
    assert cells[4] == (agency or "Not recorded"), cells


def _search(page: Any, **asked: str) -> None:
    """The repository's search form: words and a theme, as asked."""
    page.fill("#q", asked.get("q", ""))
    page.select_option("#theme", label=asked.get("theme", "Any theme"))
    go(page, main(page).get_by_role("button", name="Search", exact=True))


def _result(page: Any, case: Case) -> Any:
    """The result's link (its hidden words may be read with a space before them)."""
    named = re.compile(rf"^{re.escape(case.reference)}\s*: learning summary$")
    return main(page).locator("#results").get_by_role("link", name=named)


def _find_in_repository(page: Any, case: Case, word: str) -> None:
    _nav(page, "Learning")
    assert page.locator("h1").inner_text() == "Learning from reviews"

    _search(page, q=word)
    shown = main(page).inner_text()
    assert "1 learning summary found" in shown, shown[:2000]
    assert _result(page, case).count() == 1, main(page).locator("#results").inner_html()
    item = main(page).locator("#results > li").first
    assert word in item.inner_text() and "Serious case review" in item.inner_text(), item.inner_text()
    for theme in THEMES:
        assert theme in item.inner_text()
    finished = "Review not finished yet." not in item.inner_text()

    _search(page, theme=THEMES[0])
    assert re.search(r"\d+ learning summar(y|ies) found", main(page).inner_text())
    assert _result(page, case).count() == 1, main(page).inner_text()[:2000]
    go(page, _result(page, case))
    assert re.search(rf"/reviews/{case.case_id}/learning-summary$", path(page)), page.url
    assert _row(page, "Review reference") == case.reference

    _nav(page, "Learning")
    _search(page, q=word, theme=THEMES[1])
    assert "1 learning summary found" in main(page).inner_text()
    link = main(page).get_by_role("link", name="as a spreadsheet (CSV)")
    with page.expect_download() as asked:
        link.click()
    download = asked.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1, text[:2000]
    row = rows[0]
    assert row["Reference"] == case.reference, row
    assert row["Kind of review"] == KIND, row
    assert row["Themes"] == "; ".join(THEMES), row
    assert row["Summary"] == _summary_fields(case, word)["summary"], row
    assert row["Completed"] == long_date(date.today()), row
    # Published or not, the spreadsheet says what the repository said.
    assert (row["Finished"] == "Yes") == finished, (row, finished)


# -- the Chair's dashboard ----------------------------------------------------------------------


def _figure(page: Any, key: str) -> dict[str, int]:
    """A figure's data table on the dashboard: each row's words and number."""
    table = main(page).locator(f"section[aria-labelledby='figure-{key}'] table")
    if not table.count():
        return {}
    found = {}
    for row in table.locator("tbody tr").all():
        found[str(row.locator("th").inner_text()).strip()] = int(row.locator("td").inner_text().strip())
    return found


def _dashboard(page: Any) -> int:
    _nav(page, "Dashboard")
    assert page.locator("h1").inner_text() == "Board dashboard"
    return int(page.locator("#year").input_value())


def _board_actions_by_status(page: Any, year: int) -> dict[str, int]:
    """What the dashboard should count: the board's actions due in ``year``, from the board's list
    of actions (every page of it), as closed, overdue (due before today) or open."""
    _nav(page, "Actions")
    assert page.locator("h1").inner_text() == "The board's actions"
    counts: dict[str, int] = {}
    while True:
        for card in main(page).locator(".govuk-summary-card").all():
            due_row = card.locator(".govuk-summary-list__row", has=page.locator("dt", has_text="Due"))
            status_row = card.locator(".govuk-summary-list__row", has=page.locator("dt", has_text="Status"))
            due_text = re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", due_row.locator("dd").inner_text())
            assert due_text, card.inner_text()
            due = datetime.strptime(due_text.group(0), "%d %B %Y").date()
            if due.year != year:
                continue
            if status_row.locator("dd").inner_text().strip() == "Closed":
                status = "Closed"
            else:
                status = "Overdue" if due < date.today() else "Open"
            counts[status] = counts.get(status, 0) + 1
        following = main(page).locator(".govuk-pagination__next a")
        if not following.count():
            return counts
        go(page, following)


def run(people: People, case: Case) -> None:
    word = f"quillbrook{secrets.token_hex(3)}x"  # no other summary holds it

    chair = people.as_("chair")
    _dashboard(chair)
    themes_before = _figure(chair, "reviews_by_theme")

    business = people.as_("business_unit")
    business.goto("/home")
    open_review(business, case)
    _complete_summary(business, case, word)
    _record_briefing(business, case)
    _find_in_repository(business, case, word)

    # The Chair's dashboard counts the review under each theme its summary was given.
    year = _dashboard(chair)
    wanted = {t: themes_before.get(t, 0) + 1 for t in THEMES}

    def counted(page: Any) -> bool:
        now = _figure(page, "reviews_by_theme")
        return all(now.get(t) == n for t, n in wanted.items())

    wait_until(chair, counted)
    assert_accessible(chair)
    themes = _figure(chair, "reviews_by_theme")
    for theme, number in themes.items():
        if theme not in THEMES:
            assert number == themes_before.get(theme), (theme, themes, themes_before)
    kinds = _figure(chair, "reviews_by_kind")
    assert kinds.get(KIND, 0) >= 1, kinds
    assert sum(kinds.values()) >= themes[THEMES[0]], (kinds, themes)
    by_status = _figure(chair, "actions_by_status")

    expected = _board_actions_by_status(chair, year)
    assert by_status == expected, (by_status, expected)
