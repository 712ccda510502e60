# ruff: noqa: F811  (the browser fixture comes from pages_support, shared by the pages tests)
"""The review pages through Flask's test client: the list and the review, adding to the panel, and
the terms of reference drafted, commented on and agreed; every error at once, 403 for each refused
role, 404 for another board's review, and the audit log of each."""

from __future__ import annotations

import pytest

from services.reviews.service_layer.unit_of_work import MongoUnitOfWork
from shared.audit import AuditEntry
from tests.factories import make_board

from .conftest import PANEL_EMAIL
from .pages_support import browser, post, summary, text  # noqa: F401

BASE = "/reviews/c1"
MEMBER = {"role": "member", "name": "Pat Panel", "email": PANEL_EMAIL, "organisation": "Education"}
TERMS = {
    "breadth_and_depth": "Agency practice in the year before the incident",
    "focus_questions": "How was neglect recognised?\nWho knew of the father's return?",
    "method": "systems",
    "period_from": ["3", "11", "2024"],
    "period_to": ["3", "11", "2025"],
    "agencies": ["police", "health"],
    "parallel_processes": ["criminal_investigation"],
    "proportionality_rationale": "Grave concerns about how agencies worked together",
    "case_factors": ["practice_concern_gravity_complexity"],
    "context_factors": ["public_interest"],
    "reviewer_skills": "Systems approach; knowledge of neglect",
}


def stored(case_id: str = "c1"):
    uow = MongoUnitOfWork()
    with uow:
        return uow.reviews.get(case_id)


def test_the_review_page_shows_the_review_and_links_to_its_parts(browser, review):
    unit = browser("business")
    page = text(unit.get(BASE))
    assert "Serious Case Review" in page or "Serious case review" in page
    assert "Scoping" in page and "Not drafted yet" in page and "No one sits on the panel yet" in page
    for href in (
        "/reviews/c1/family",
        "/reviews/c1/quality",
        "/reviews/c1/interim-learning",
        "/reviews/c1/meetings",
        "/reviews/c1/panel/add",
        "/reviews/c1/contributions/request",
        "/reviews/c1/chronology",
        'href="/reviews/c1" aria-current="page"',
    ):
        assert href in page
    assert "None" not in page.split("<main")[1] and "scoping" not in page.split("<main")[1]
    assert AuditEntry.objects(action="review.read", resource_id="c1", outcome="success").count() == 1


def test_the_list_of_reviews_links_to_each(browser, review):
    page = text(browser("chair").get("/reviews"))
    assert 'href="/reviews/c1"' in page and "Showing 1 to 1 of 1 reviews" in page
    assert browser("family").get("/reviews").status_code == 403


def test_agency_staff_see_only_their_part_and_no_panel_or_terms_links(browser, review):
    page = text(browser("police").get(BASE))
    assert "/reviews/c1/panel/add" not in page and "/reviews/c1/chronology" not in page
    assert "/reviews/c1/family" not in page


@pytest.mark.parametrize("role", ["family", "outsider"])
def test_a_role_that_may_not_read_the_review_is_refused(browser, review, role):
    assert browser(role).get(BASE).status_code == 403


def test_another_boards_review_is_not_found(browser, review):
    other = make_board()
    unit = browser("business", other)
    for path in (BASE, f"{BASE}/panel/add", f"{BASE}/terms-of-reference", f"{BASE}/terms-of-reference/edit"):
        assert unit.get(path).status_code == 404, path


def test_a_case_without_a_review_says_so_under_its_tabs(browser, review):
    page = browser("business").get("/reviews/no-such-case")
    assert page.status_code == 404
    body = page.get_data(as_text=True)
    assert "No review yet" in body and "A review opens when the decision to hold one is recorded" in body
    assert 'href="/cases/no-such-case"' in body and 'aria-label="Pages of this case"' in body


def test_a_member_is_added_and_every_error_is_shown_at_once(browser, review):
    unit = browser("business")
    empty = post(unit, f"{BASE}/panel/add", {})
    assert empty.status_code == 422
    assert summary(empty) == [
        ("#role", "Select the member's role on the panel"),
        ("#name", "Enter the member's name"),
        ("#email", "Enter the member's email address"),
        ("#organisation", "Enter the organisation the member comes from"),
    ]
    # The service's own rules, all at once: an SCR lead reviewer from a board agency.
    lead = post(
        unit,
        f"{BASE}/panel/add",
        {**MEMBER, "role": "lead_reviewer", "agency": "police", "involved_in_case": "yes"},
    )
    assert lead.status_code == 422
    wrong = dict(summary(lead))
    assert {"#involved_in_case", "#agency", "#qualifications", "#role"} - set(wrong) == {"#role"}
    assert len(summary(lead)) >= 4
    done = post(unit, f"{BASE}/panel/add", {**MEMBER, "involved_in_case": "no"})
    assert done.status_code == 302 and done.headers["Location"] == BASE
    member = stored().panel[0]
    assert member.email == PANEL_EMAIL and member.declarations == {"involved_in_case": False}
    assert "Pat Panel was added to the panel" in text(unit.get(BASE))
    assert AuditEntry.objects(action="review.write", resource_id="c1", outcome="success").count() == 1


@pytest.mark.parametrize("role", ["chair", "panel", "police", "reviewer"])
def test_only_the_business_unit_or_an_admin_adds_to_the_panel(browser, review, role):
    client = browser(role)
    assert client.get(f"{BASE}/panel/add").status_code == 403
    assert client.post(f"{BASE}/panel/add", data=MEMBER).status_code == 403
    assert stored().panel == []


def test_terms_are_drafted_commented_on_and_agreed(browser, review):
    unit = browser("business")
    post(unit, f"{BASE}/panel/add", MEMBER)
    empty = post(unit, f"{BASE}/terms-of-reference/edit", {})
    assert empty.status_code == 422
    assert [h for h, _ in summary(empty)] == [
        "#breadth_and_depth",
        "#focus_questions",
        "#method",
        "#period_from-day",
        "#period_to-day",
        "#proportionality_rationale",
    ]
    # The service's rules at once: no agencies or factors, no skills, the period back to front.
    ruled = post(
        unit,
        f"{BASE}/terms-of-reference/edit",
        {
            **TERMS,
            "agencies": [],
            "case_factors": [],
            "context_factors": [],
            "reviewer_skills": "",
            "period_to": ["1", "1", "2024"],
        },
    )
    assert ruled.status_code == 422
    assert {h for h, _ in summary(ruled)} >= {
        "#agencies",
        "#case_factors",
        "#context_factors",
        "#reviewer_skills",
        "#period_to-day",
    }
    saved = post(unit, f"{BASE}/terms-of-reference/edit", TERMS)
    assert saved.status_code == 302 and saved.headers["Location"] == f"{BASE}/terms-of-reference"
    page = text(unit.get(f"{BASE}/terms-of-reference"))
    assert "The draft terms of reference were saved" in page and "3 November 2024 to 3 November 2025" in page
    assert "Who knew of the father's return?" in page and "Systems approach" in page

    panel = browser("panel")
    nothing = post(
        panel, f"{BASE}/terms-of-reference/comments", {"comment": ""}, page=f"{BASE}/terms-of-reference"
    )
    assert nothing.status_code == 422 and summary(nothing) == [("#comment", "Write your comment")]
    said = post(
        panel,
        f"{BASE}/terms-of-reference/comments",
        {"comment": "Add education"},
        page=f"{BASE}/terms-of-reference",
    )
    assert said.status_code == 302
    assert "Add education" in text(unit.get(f"{BASE}/terms-of-reference"))
    assert browser("police").get(f"{BASE}/terms-of-reference").status_code == 403

    for role in ("panel", "reviewer", "police"):
        assert browser(role).get(f"{BASE}/terms-of-reference/agree").status_code == 403
    chair = browser("chair")
    confirm = text(chair.get(f"{BASE}/terms-of-reference/agree"))
    assert "The terms of reference document will be produced" in confirm
    agreed = post(chair, f"{BASE}/terms-of-reference/agree")
    assert agreed.status_code == 302 and agreed.headers["Location"] == BASE
    assert stored().terms_agreed_on is not None and stored().stage == "information_gathering"
    again = post(chair, f"{BASE}/terms-of-reference/agree")
    assert again.status_code == 409 and "agreed already" in text(again)


@pytest.mark.parametrize("role", ["chair", "panel", "police"])
def test_only_the_business_unit_or_an_admin_drafts_the_terms(browser, review, role):
    client = browser(role)
    assert client.get(f"{BASE}/terms-of-reference/edit").status_code == 403
    assert client.post(f"{BASE}/terms-of-reference/edit", data={}).status_code == 403


def test_a_member_is_changed_or_removed(browser, review, client, users):
    unit = browser("business")
    post(unit, f"{BASE}/panel/add", MEMBER)
    member_id = stored().panel[0].member_id
    page = f"{BASE}/panel/{member_id}"
    assert f'href="{page}"' in text(unit.get(BASE)) and f'href="{page}/remove"' in text(unit.get(BASE))
    form = text(unit.get(page))
    assert 'value="Pat Panel"' in form and "Save the changes" in form
    wrong = post(unit, page, {**MEMBER, "name": "", "email": ""})
    assert wrong.status_code == 422 and [h for h, _ in summary(wrong)] == ["#name", "#email"]
    involved = post(unit, page, {**MEMBER, "involved_in_case": "yes"})
    assert involved.status_code == 422 and [h for h, _ in summary(involved)] == ["#involved_in_case"]
    done = post(unit, page, {**MEMBER, "name": "Pat Panel-Jones", "organisation": "Schools"})
    assert done.status_code == 302 and stored().panel[0].name == "Pat Panel-Jones"
    assert stored().panel[0].member_id == member_id
    assert unit.get(f"{BASE}/panel/nobody").status_code == 404
    assert browser("chair").get(page).status_code == 403
    assert "Are you sure you want to remove Pat Panel-Jones" in text(unit.get(f"{page}/remove"))
    gone = post(unit, f"{page}/remove")
    assert gone.status_code == 302 and stored().panel == []
    # The API does the same.
    added = client.post("/api/v1/reviews/c1/panel", json=MEMBER, headers=users["business"]).get_json()
    api = f"/api/v1/reviews/c1/panel/{added['id']}"
    assert client.put(api, json={**MEMBER, "name": "P"}, headers=users["business"]).get_json()["name"] == "P"
    assert client.put(api, json={**MEMBER, "email": "x"}, headers=users["business"]).status_code == 422
    assert client.delete(api, headers=users["police"]).status_code == 403
    assert client.delete(api, headers=users["business"]).status_code == 204
    assert client.delete(api, headers=users["business"]).status_code == 404
