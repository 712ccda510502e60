"""The action plan, in the browser: the business unit, from the review page, adds three actions
(one of them due already, as a plan the board had before), reports progress on each, closes one
with the evidence of its impact after its confirmation page, and records the board's response
that goes with the plan after checking it; then finds the action that is overdue, still open, on
the board's list of actions. The police practitioner, whose agency owns one of the actions, sees
only that one on the same list.

Every date the steps enter is counted from the day the reviews service says each action was added
(it is shown on the action's page), so the steps work whether or not an earlier step moved the
service's today on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tests.browser.report_journey import Case, People, banner, fill_date, go, main, open_review

RAG_WORDS = {
    "red": "Red: not on track",
    "amber": "Amber: at risk of slipping",
    "green": "Green: on track",
}


@dataclass(frozen=True)
class Planned:
    """An action as the business unit enters it, and the progress reported on it."""

    recommendation: str
    action: str
    agency: str  # the agency's name, as the list offers it
    email: str
    due_on: date
    measure: str
    rag: str
    note: str
    evidence: str


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def read_long_date(text: str) -> date:
    return datetime.strptime(text.strip(), "%d %B %Y").date()


def _plan(case: Case) -> list[Planned]:
    today = date.today()
    tag = case.reference
    return [
        Planned(
            recommendation=f"{tag}: the police tell children's social care of a concern the same day",
            action=f"{tag}: brief every custody sergeant on same-day referrals",
            agency="Police",
            email="inspector.hale@example.org",
            due_on=today - timedelta(days=30),  # a plan the board already had: due before today
            measure="An audit of 20 referrals finds each was made the same day",
            rag="red",
            note="Half the custody sergeants have been briefed so far",
            evidence="Briefing register kept by the safeguarding unit",
        ),
        Planned(
            recommendation=f"{tag}: health visitors follow up every missed appointment",
            action=f"{tag}: add missed appointments to the health visitors' weekly caseload review",
            agency="Health",
            email="named.nurse@example.org",
            due_on=today + timedelta(days=200),
            measure="Every missed appointment in a quarter is followed up within a week",
            rag="amber",
            note="The caseload review template has been changed; training is booked",
            evidence="The new template, version 2",
        ),
        Planned(
            recommendation=f"{tag}: schools record and pass on attendance concerns",
            action=f"{tag}: a termly check of attendance records by the designated leads",
            agency="Education",
            email="designated.lead@example.org",
            due_on=today + timedelta(days=250),
            measure="Every school returns its termly attendance check",
            rag="green",
            note="All schools returned their first termly check",
            evidence="The termly returns, held by the education safeguarding team",
        ),
    ]


def _card(page: Any, planned: Planned) -> Any:
    """The summary card of one action, on the plan or on the board's list."""
    return main(page).locator(".govuk-summary-card", has_text=planned.action)


def _row(within: Any, key: str) -> str:
    """The value shown against ``key`` in a summary list or card."""
    named = within.page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    row = within.locator(".govuk-summary-list__row", has=named)
    assert row.count() == 1, f"no single row {key!r} in:\n{within.inner_text()[:2000]}"
    return str(row.locator("dd").first.inner_text()).strip()


def _add(page: Any, planned: Planned) -> None:
    go(page, main(page).get_by_role("button", name="Add an action"))
    assert page.locator("h1").inner_text() == "Add an action"
    page.fill("#recommendation", planned.recommendation)
    page.fill("#action", planned.action)
    page.select_option("#owner_agency", label=planned.agency)
    page.fill("#owner_email", planned.email)
    fill_date(page, "due_on", planned.due_on)
    page.fill("#success_measure", planned.measure)
    go(page, main(page).get_by_role("button", name="Add the action"))
    assert f"Action added to the plan, due {long_date(planned.due_on)}" in banner(page), banner(page)
    card = _card(page, planned)
    assert card.count() == 1, main(page).inner_text()[:3000]
    assert planned.recommendation in _row(card, "Recommendation")
    owner = _row(card, "Owner")
    assert planned.agency in owner and planned.email in owner, owner
    assert long_date(planned.due_on) in _row(card, "Due")
    assert _row(card, "Latest rating") == "No progress reported yet"


def _report(page: Any, planned: Planned) -> None:
    """From the plan: the action's page, a progress report dated the day it was added, and back."""
    go(page, _card(page, planned).get_by_role("link", name="View and update"))
    details = main(page).locator(".govuk-summary-list").first
    assert planned.action in _row(details, "Action")
    assert planned.measure in _row(details, "How success is measured")
    assert "No progress has been reported yet." in main(page).inner_text()
    added = read_long_date(_row(details, "Added to the plan"))
    fill_date(page, "reported_on", added)
    page.check(f"input[name=rag][value={planned.rag}]")
    page.fill("#note", planned.note)
    page.fill("#evidence", planned.evidence)
    go(page, main(page).get_by_role("button", name="Report progress"))
    assert f"Progress reported: {RAG_WORDS[planned.rag]}" in banner(page), banner(page)
    history = main(page).locator("table", has=page.locator("caption", has_text="Progress reported"))
    rows = history.locator("tbody tr")
    assert rows.count() == 1
    shown = rows.first.inner_text()
    for expected in (long_date(added), RAG_WORDS[planned.rag], planned.note, planned.evidence):
        assert expected in shown, shown
    go(page, main(page).get_by_role("link", name="Back to the action plan").last)
    assert RAG_WORDS[planned.rag] in _row(_card(page, planned), "Latest rating")


def _close(page: Any, planned: Planned, impact: str) -> None:
    """From the plan: the action's page, the confirmation page, closed with its evidence."""
    go(page, _card(page, planned).get_by_role("link", name="View and update"))
    go(page, main(page).get_by_role("button", name="Close the action"))
    assert page.locator("h1").inner_text() == "Close this action?"
    assert planned.action in main(page).inner_text()
    page.fill("#evidence_of_impact", impact)
    go(page, main(page).get_by_role("button", name="Close the action"))
    assert "Action closed with the evidence of its impact" in banner(page), banner(page)
    details = main(page).locator(".govuk-summary-list").first
    assert impact in _row(details, "Evidence of its impact")
    assert _row(details, "Closed")
    assert main(page).get_by_role("button", name="Report progress").count() == 0
    assert main(page).get_by_role("button", name="Close the action").count() == 0
    go(page, main(page).get_by_role("link", name="Back to the action plan").last)
    assert _row(_card(page, planned), "Status") == "Closed"


RESPONSE = {
    "feedback_practitioners": "A briefing for the practitioners involved, led by the lead reviewer",
    "feedback_family": "The Chair meets the family to go through the findings",
    "dissemination": ["A seven-minute briefing for designated leads", "A learning event in each locality"],
    "actions_taken": ["Custody sergeants' briefings started"],
    "impact": "Same-day referrals from custody have risen",
    "further_work": "A multi-agency audit in six months",
}


def _respond(page: Any) -> None:
    """From the plan: the board's response, its check page, recorded."""
    go(page, main(page).get_by_role("link", name=re.compile(r"^(Record|Change) the board's response$")))
    assert page.locator("h1").inner_text() == "The board's response to the review"
    for name in ("feedback_practitioners", "feedback_family", "impact", "further_work"):
        page.fill(f"#{name}", str(RESPONSE[name]))
    page.fill("#dissemination", "\n".join(RESPONSE["dissemination"]))
    page.fill("#actions_taken", "\n".join(RESPONSE["actions_taken"]))
    go(page, main(page).get_by_role("button", name="Continue"))
    assert page.locator("h1").inner_text() == "Check the board's response before recording it"
    check = main(page).inner_text()
    for value in RESPONSE.values():
        for text in value if isinstance(value, list) else [value]:
            assert text in check, check
    go(page, main(page).get_by_role("button", name="Record the response"))
    assert "The board's response is recorded" in banner(page), banner(page)
    recorded = main(page).inner_text()
    assert "Recorded on " in recorded
    for key in ("feedback_practitioners", "feedback_family", "impact", "further_work"):
        assert str(RESPONSE[key]) in recorded, recorded
    assert all(item in recorded for item in RESPONSE["dissemination"]), recorded
    assert main(page).get_by_role("link", name="Change the board's response").count() == 1


def _board_actions(page: Any) -> None:
    """From any page, by the navigation: the board's list of actions."""
    page.goto("/home")
    nav = page.locator(".govuk-service-navigation")
    go(page, nav.get_by_role("link", name="Actions", exact=True))
    assert page.locator("h1").inner_text() == "The board's actions"


def _overdue_on_the_board(page: Any, case: Case, plan: list[Planned]) -> None:
    """The board's list, overdue only: the action due before it was added, still open."""
    overdue, others = plan[0], plan[1:]
    _board_actions(page)
    page.check("input[name=overdue][value=true]")
    go(page, main(page).get_by_role("button", name="Find actions"))
    assert page.locator("input[name=overdue][value=true]").is_checked()
    card = _card(page, overdue)
    assert card.count() == 1, main(page).inner_text()[:3000]
    assert _row(card, "Status") == "Overdue"
    assert "Overdue" in _row(card, "Due")
    assert RAG_WORDS[overdue.rag] in _row(card, "Latest rating")
    assert _row(card, "Case").startswith(case.reference)
    for other in others:
        assert _card(page, other).count() == 0, f"{other.action} is not overdue"
    statuses = main(page).locator(
        ".govuk-summary-card .govuk-tag", has_text=re.compile(r"^\s*(Open|Closed)\s*$")
    )
    assert statuses.count() == 0, "only overdue actions are listed"
    # Still open: its page offers more progress and closing.
    go(page, card.get_by_role("link", name="View and update"))
    assert page.locator("h1").inner_text().strip() == overdue.action
    assert main(page).get_by_role("button", name="Report progress").count() == 1
    assert main(page).get_by_role("button", name="Close the action").count() == 1


def _police_see_their_own(page: Any, plan: list[Planned]) -> None:
    police = [p for p in plan if p.agency == "Police"]
    _board_actions(page)
    assert "You see the actions Police owns." in main(page).inner_text()
    assert page.locator("#agency").count() == 0  # no choice of agency for agency staff
    for planned in plan:
        assert _card(page, planned).count() == (1 if planned in police else 0), planned.action
    cards = main(page).locator(".govuk-summary-card")
    assert cards.count() >= 1
    for number in range(cards.count()):
        owner = _row(cards.nth(number), "Owner")
        assert owner.startswith("Police"), owner


def run(people: People, case: Case) -> None:
    plan = _plan(case)
    business = people.as_("business_unit")
    business.goto("/home")
    open_review(business, case)
    go(business, main(business).get_by_role("link", name="Action plan", exact=True))
    assert business.locator("h1").inner_text() == "Action plan"

    for planned in plan:
        _add(business, planned)
    assert "Overdue" in _row(_card(business, plan[0]), "Due")
    assert _row(_card(business, plan[0]), "Status") == "Overdue"
    assert all(_row(_card(business, p), "Status") == "Open" for p in plan[1:])
    for planned in plan:
        _report(business, planned)
    _close(business, plan[2], "Attendance concerns were passed on in every case the audit looked at")
    _respond(business)

    _overdue_on_the_board(business, case, plan)
    _police_see_their_own(people.as_("agency_practitioner"), plan)
