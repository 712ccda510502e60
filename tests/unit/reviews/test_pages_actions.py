"""The action plan pages (Flask's test client): the review's plan with its actions as cards, adding
an action (a past due date allowed), progress red, amber or green with its history, closing only
with evidence after a confirmation, the board's response checked before it is recorded, the board's
list of actions with its filters and pages; every error at once; 403 by role as the API; another
board's review not found."""

from __future__ import annotations

import re

from services.reviews.adapters.store import ReviewDocument
from tests.events import decision_recorded, referral_submitted
from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import audited, post, summary, text
from tests.unit.reviews.conftest import feed

browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere

PLAN = "/reviews/c1/actions"
ACTION = {
    "recommendation": "Agencies share concerns about neglect at the first sign",
    "action": "Add neglect screening to the health visitor's first visit",
    "owner_agency": "health",
    "owner_email": "lead.nurse@example.org",
    "due_on": ["30", "6", "2026"],
    "success_measure": "Nine in ten first visits record the screening, by audit",
}
RESPONSE = {
    "planned_publication_on": ["30", "9", "2026"],
    "publication_notes": "After the inquest",
    "feedback_practitioners": "Briefings for the practitioners who took part",
    "feedback_family": "The independent reviewer meets the mother",
    "dissemination": "Briefing for designated leads\n\n7-minute briefing",
    "actions_taken": "Neglect toolkit relaunched",
    "impact": "",
    "further_work": "",
}


def document() -> ReviewDocument:
    return ReviewDocument.objects(case_id="c1").first()


def stored() -> dict:
    """The review as stored: its actions and the board's response."""
    return document().state


def outbox(event_type: str) -> list[dict]:
    return [e.envelope["data"] for e in document().outbox if e.event_type == event_type]


def add(client, **overrides) -> str:
    """Add an action through the page; its id."""
    resp = post(client, f"{PLAN}/new", {**ACTION, **overrides})
    assert resp.status_code == 302, summary(resp)
    assert resp.headers["Location"] == PLAN
    return stored()["actions"][-1]["id"]


def test_the_business_unit_adds_an_action_and_sees_it_in_the_plan(review, browser):
    unit = browser("business")
    empty = text(unit.get(PLAN))
    assert "No actions are in the plan yet." in empty and f"{PLAN}/new" in empty
    assert 'href="/reviews/c1"' in empty and "govuk-tabs" in empty
    form = text(unit.get(f"{PLAN}/new"))
    assert '<option value="health">' in form and "Choose an agency" in form
    assert 'data-maxlength="2000"' in form  # the success measure's character count

    action_id = add(unit)
    kept = stored()["actions"][0]
    assert kept["owner_agency"] == "health" and kept["owner_email"] == "lead.nurse@example.org"
    assert kept["due_on"] == "2026-06-30" and kept["added_on"] == "2026-03-02"
    assert kept["success_measure"] == ACTION["success_measure"]
    assert [e["action_id"] for e in outbox("action.added")] == [action_id]
    page = text(unit.get(PLAN))
    assert "Action added to the plan, due 30 June 2026" in page
    assert "Add neglect screening to the health visitor's first visit" in page
    assert f"{PLAN}/{action_id}" in page and "lead.nurse@example.org" in page
    assert "No progress reported yet" in page and "Overdue" not in page
    assert re.search(r'govuk-tag--blue">\s*Open', page)
    assert audited(unit.user.user_id, "review.write") == 1


def test_a_past_due_date_is_allowed_and_the_action_is_marked_overdue(review, browser):
    unit = browser("business")
    add(unit, due_on=["31", "1", "2026"])
    page = text(unit.get(PLAN))
    assert "31 January 2026" in page and "1 action, 1 overdue." in page
    assert re.search(r'govuk-tag--red">\s*Overdue', page)


def test_every_problem_with_a_new_action_is_named_at_once(review, browser):
    unit = browser("business")
    resp = post(
        unit,
        f"{PLAN}/new",
        {"owner_agency": "fire_service", "owner_email": "not an email", "due_on": ["31", "2", ""]},
    )
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#recommendation", "Enter the recommendation the action answers"),
        ("#action", "Enter what is to be done"),
        ("#owner_agency", "Select the agency that owns the action"),
        ("#owner_email", "Enter an email address in the correct format, like name@example.org"),
        ("#due_on-year", "The due date must include a year"),
        ("#success_measure", "Enter how the board will know the action has worked"),
    ]
    assert not stored()["actions"]


def test_progress_is_reported_with_its_rating_in_words_and_shown_in_the_history(review, browser):
    unit = browser("business")
    action_id = add(unit)
    page = f"{PLAN}/{action_id}"
    shown = text(unit.get(page))
    assert "No progress has been reported yet." in shown and "Red: not on track" in shown
    resp = post(
        unit,
        f"{page}/progress",
        {
            "reported_on": ["1", "4", "2026"],
            "rag": "amber",
            "note": "Half the teams trained",
            "evidence": "Register",
        },
        page=page,
    )
    assert resp.status_code == 302 and resp.headers["Location"] == page
    [kept] = stored()["actions"][0]["progress"]
    assert kept["reported_on"] == "2026-04-01" and kept["rag"] == "amber" and kept["evidence"] == "Register"
    assert kept["recorded_by"] == "Business User"
    assert outbox("action.progress_reported")[0]["rag"] == "amber"
    after = text(unit.get(page))
    assert "Progress reported: Amber: at risk of slipping" in after
    assert "1 April 2026" in after and "Half the teams trained" in after and "Register" in after
    assert re.search(r'govuk-tag--orange">\s*Amber: at risk of slipping', after)
    # Without a date, today's; the plan shows the latest rating.
    post(unit, f"{page}/progress", {"rag": "green", "note": "Every team trained"}, page=page)
    assert stored()["actions"][0]["progress"][1]["reported_on"] == "2026-03-02"
    assert "Amber: at risk of slipping" in text(unit.get(PLAN))


def test_every_problem_with_a_progress_report_is_named_at_once(review, browser):
    unit = browser("business")
    action_id = add(unit)
    page = f"{PLAN}/{action_id}"
    resp = post(unit, f"{page}/progress", {"reported_on": ["31", "2", "2026"], "rag": "blue"}, page=page)
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#reported_on-day", "The date of the report must be a real date"),
        ("#rag", "Select red, amber or green"),
        ("#note", "Enter what has been done since the last report"),
    ]
    # The domain's rule: no report before the action was added.
    early = post(
        unit, f"{page}/progress", {"reported_on": ["1", "1", "2026"], "rag": "red", "note": "x"}, page=page
    )
    assert early.status_code == 422
    assert summary(early) == [("#reported_on-day", "Progress cannot be reported before the action was added")]
    assert not stored()["actions"][0]["progress"]


def test_the_owning_agency_reports_progress_and_another_agency_may_not(review, browser):
    unit = browser("business")
    action_id = add(unit)
    page = f"{PLAN}/{action_id}"
    health = browser("health")
    assert "Report progress" in text(health.get(page))
    done = post(health, f"{page}/progress", {"rag": "green", "note": "Done in two teams"}, page=page)
    assert done.status_code == 302
    assert stored()["actions"][0]["progress"][0]["recorded_by"] == "Health User"
    police = browser("police")
    assert police.get(page).status_code == 404  # not their agency's: they do not see it
    refused = post(police, f"{page}/progress", {"rag": "red", "note": "x"}, page="/account")
    assert refused.status_code == 403
    chair = browser("chair")
    assert "Report progress" not in text(chair.get(page))
    assert post(chair, f"{page}/progress", {"rag": "red", "note": "x"}, page="/account").status_code == 403


def test_an_action_closes_only_with_evidence_after_a_confirmation(review, browser):
    unit = browser("business")
    action_id = add(unit)
    page = f"{PLAN}/{action_id}"
    confirm = text(unit.get(f"{page}/close"))
    assert "Close this action?" in confirm and "no more progress can be reported" in confirm
    refused = post(unit, f"{page}/close", {"evidence_of_impact": "   "})
    assert refused.status_code == 422
    assert summary(refused) == [
        ("#evidence_of_impact", "Give the evidence of the action's impact to close it")
    ]
    assert stored()["actions"][0]["closed_on"] is None
    closed = post(unit, f"{page}/close", {"evidence_of_impact": "Audit of 40 visits: 37 recorded it"})
    assert closed.status_code == 302 and closed.headers["Location"] == page
    assert stored()["actions"][0]["closed_on"] == "2026-03-02"
    assert outbox("action.closed")[0]["evidence_of_impact"] == "Audit of 40 visits: 37 recorded it"
    after = text(unit.get(page))
    assert "Action closed with the evidence of its impact" in after and "Audit of 40 visits" in after
    assert "Report progress" not in after and f"{page}/close" not in after
    assert unit.get(f"{page}/close").status_code == 302


def test_the_boards_response_is_checked_then_recorded(review, browser):
    chair = browser("chair")
    assert "The board's response has not been recorded yet." in text(chair.get(PLAN))
    sent = post(chair, f"{PLAN}/response", RESPONSE)
    assert sent.status_code == 302 and sent.headers["Location"] == f"{PLAN}/response/check"
    assert stored()["action_plan_response"] is None  # nothing recorded before the check page
    check = text(chair.get(f"{PLAN}/response/check"))
    assert "30 September 2026" in check and "<li>Briefing for designated leads</li>" in check
    assert "<li>7-minute briefing</li>" in check
    done = post(chair, f"{PLAN}/response/check", {})
    assert done.status_code == 302 and done.headers["Location"] == PLAN
    kept = stored()["action_plan_response"]
    assert kept["dissemination"] == ["Briefing for designated leads", "7-minute briefing"]
    assert kept["planned_publication_on"] == "2026-09-30" and kept["recorded_on"] == "2026-03-02"
    assert kept["actions_taken"] == ["Neglect toolkit relaunched"] and kept["impact"] == ""
    [event] = outbox("action_plan.response_recorded")
    assert event["feedback_family"] == RESPONSE["feedback_family"]
    page = text(chair.get(PLAN))
    assert "The board's response is recorded" in page and "Recorded on 2 March 2026." in page
    assert "The independent reviewer meets the mother" in page
    # Changing it starts from what was recorded.
    again = text(chair.get(f"{PLAN}/response"))
    assert "Briefing for designated leads\n7-minute briefing" in again and 'value="30"' in again
    assert audited(chair.user.user_id, "review.write") == 1


def test_every_problem_with_the_response_is_named_at_once(review, browser):
    unit = browser("business")
    resp = post(unit, f"{PLAN}/response", {"planned_publication_on": ["", "13", "2026"]})
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#planned_publication_on-day", "The planned date of publication must include a day"),
        ("#feedback_practitioners", "Enter how the practitioners will be told the review's findings"),
        ("#feedback_family", "Enter how the family will be told the review's findings"),
        ("#dissemination", "Enter at least one way the learning is shared"),
    ]
    assert unit.get(f"{PLAN}/response/check").headers["Location"] == f"{PLAN}/response"


def _three_actions(service, board, unit):
    feed(
        service,
        referral_submitted(board.board_id, case_id="c2"),
        decision_recorded(board.board_id, case_id="c2"),
    )
    add(unit, due_on=["1", "12", "2025"])
    add(unit, owner_agency="police")
    resp = post(unit, "/reviews/c2/actions/new", {**ACTION, "due_on": ["5", "1", "2026"]})
    assert resp.status_code == 302


def test_the_boards_actions_with_filters_and_pages(review, service, board, browser):
    unit = browser("business")
    _three_actions(service, board, unit)
    every = text(unit.get("/actions"))
    assert "Showing 1 to 3 of 3 actions" in every
    assert every.index("1 December 2025") < every.index("5 January 2026") < every.index("30 June 2026")
    assert 'href="/reviews/c2/actions/' in every and 'href="/reviews/c2/actions"' in every
    overdue = text(unit.get("/actions?overdue=true"))
    assert "Showing 1 to 2 of 2 actions" in overdue and "30 June 2026" not in overdue
    assert re.search(r'name="overdue" type="checkbox" value="true" checked', overdue)
    police = text(unit.get("/actions?agency=police"))
    assert "Showing 1 to 1 of 1 actions" in police and '<option value="police" selected>' in police
    assert "No action matches these filters." in text(unit.get("/actions?status=closed"))
    paged = text(unit.get("/actions?per_page=1&page=2&overdue=true"))
    assert "Showing 2 to 2 of 2 actions" in paged and "page=1" in paged and "overdue=true" in paged
    # Agency staff see only their agency's actions, whatever they ask for.
    mine = text(browser("police").get("/actions?agency=health"))
    assert "Showing 1 to 1 of 1 actions" in mine and 'id="agency"' not in mine
    assert audited(unit.user.user_id, "action.list") == 5


def test_agency_staff_see_their_agencys_part_of_the_plan(review, browser):
    unit = browser("business")
    add(unit)
    add(unit, owner_agency="police", action="Train call handlers on neglect")
    page = text(browser("police").get(PLAN))
    assert "Train call handlers on neglect" in page and "health visitor" not in page
    assert "The board's response" not in page and f"{PLAN}/new" not in page


def test_access_as_the_api(review, browser):
    unit = browser("business")
    action_id = add(unit)
    page = f"{PLAN}/{action_id}"
    for who in ("family", "panel", "reviewer"):
        client = browser(who)
        for path in (PLAN, page, "/actions", f"{PLAN}/new", f"{page}/close", f"{PLAN}/response"):
            assert client.get(path).status_code == 403, (who, path)
        assert post(client, f"{PLAN}/new", ACTION, page="/account").status_code == 403
    chair = browser("chair")
    assert chair.get(PLAN).status_code == chair.get(page).status_code == 200
    assert chair.get(f"{PLAN}/new").status_code == chair.get(f"{page}/close").status_code == 403
    assert post(chair, f"{PLAN}/new", ACTION, page="/account").status_code == 403
    health = browser("health")
    assert health.get(f"{PLAN}/new").status_code == health.get(f"{PLAN}/response").status_code == 403
    assert post(health, f"{page}/close", {"evidence_of_impact": "x"}, page="/account").status_code == 403
    assert post(health, f"{PLAN}/response", RESPONSE, page="/account").status_code == 403
    assert len(stored()["actions"]) == 1 and stored()["actions"][0]["closed_on"] is None


def test_another_boards_review_is_not_found(review, elsewhere, browser):
    unit = browser("business")
    for path in ("/reviews/c9/actions", "/reviews/c9/actions/new", "/reviews/c9/actions/response"):
        assert unit.get(path).status_code == 404
