"""The quality marker self-assessment and interim learning pages (Flask's test client): a rating
and evidence for each question of a marker, every missing rating and evidence named at once, the
interim learning list and its form; 403 by role, 404 for another board."""

from __future__ import annotations

import pytest

from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import audited, post, summary, text

# The shared fixtures of the reviews pages.
browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere
seated = conduct_pages.seated

QUALITY = "/reviews/c1/quality"
MARKER = f"{QUALITY}/proportionate_form_and_focus"
KEYS = ("members_input", "reviewers_influence", "factors_considered", "rationale_recorded")
INTERIM = "/reviews/c1/interim-learning"


def answers(**overrides):
    out = {}
    for key in KEYS:
        out[f"{key}_rating"] = "met"
        out[f"{key}_evidence"] = f"Minutes of the scoping meeting show {key}"
    return {**out, **overrides}


def test_the_business_unit_saves_the_self_assessment_of_a_marker(review, browser):
    unit = browser("business")
    overview = text(unit.get(QUALITY))
    assert "Deciding a proportionate form and focus for the review" in overview and "Not assessed" in overview
    assert "Setting the review up" in overview and "Practitioner involvement" in overview
    form = text(unit.get(MARKER))
    assert form.count('type="radio"') == 4 * 4 and "govuk-character-count" in form
    assert "Question 1: Board members could give any information" in form
    done = post(unit, MARKER, answers(rationale_recorded_rating="partly_met"))
    assert done.status_code == 302
    page = text(unit.get(QUALITY))
    assert "Self-assessment saved: Deciding a proportionate form and focus for the review" in page
    assert "Partly met" in page and "2 March 2026 by Business User" in page
    again = text(unit.get(MARKER))
    assert (
        'value="partly_met" checked' in again and "Minutes of the scoping meeting show members_input" in again
    )
    assert audited(unit.user.user_id, "review.write") == 1


def test_every_missing_rating_and_evidence_is_named_at_once(review, browser):
    chair = browser("chair")
    resp = post(
        chair,
        MARKER,
        {
            "members_input_rating": "met",
            "members_input_evidence": "",
            "reviewers_influence_rating": "not_yet_assessed",
            "factors_considered_rating": "not_met",
            "factors_considered_evidence": "x" * 20_001,
        },
    )
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#factors_considered_evidence", "The evidence must be 20,000 characters or fewer")
    ]
    resp = post(
        chair,
        MARKER,
        {
            "members_input_rating": "met",
            "reviewers_influence_rating": "not_yet_assessed",
            "factors_considered_rating": "not_met",
        },
    )
    assert resp.status_code == 422
    assert summary(resp) == [
        ("#members_input_evidence", "Say what shows this rating"),
        ("#factors_considered_evidence", "Say what shows this rating"),
        (
            "#rationale_recorded_rating",
            "Rate this question: The scoping document or terms of reference explain the proportionality"
            " decisions by referring to case and context factors",
        ),
    ]


@pytest.mark.parametrize("who", ["police", "health", "family", "outsider"])
def test_who_may_not_read_the_quality_markers_or_interim_learning_is_refused(review, browser, who):
    client = browser(who)
    assert client.get(QUALITY).status_code == 403
    assert client.get(INTERIM).status_code == 403


@pytest.mark.parametrize("who", ["panel", "reviewer", "police"])
def test_only_the_business_unit_an_admin_or_the_chair_assesses(seated, browser, who):
    client = browser(who)
    assert client.get(MARKER).status_code == 403
    assert post(client, MARKER, answers(), page="/account").status_code == 403


def test_interim_learning_is_listed_and_added_by_the_panel(seated, browser):
    member = browser("panel")
    assert "No interim learning is recorded yet." in text(member.get(INTERIM))
    bad = post(member, f"{INTERIM}/new", {"on": ["30", "2", "2026"], "agency": "fire"})
    assert bad.status_code == 422
    assert summary(bad) == [
        ("#improvement", "Enter the improvement identified"),
        ("#action_taken", "Enter the action taken"),
        ("#owner", "Enter who owns the action"),
        ("#on-day", "The date of the action must be a real date"),
        ("#agency", "Select the agency from the list"),
    ]
    done = post(
        member,
        f"{INTERIM}/new",
        {
            "improvement": "Strategy discussions did not include health",
            "action_taken": "Health invited to every strategy discussion",
            "owner": "Head of safeguarding, police",
            "on": ["27", "2", "2026"],
            "agency": "police",
        },
    )
    assert done.status_code == 302
    page = text(member.get(INTERIM))
    assert "Interim learning recorded" in page and "27 February 2026" in page
    assert "Health invited to every strategy discussion" in page and "Police" in page


@pytest.mark.parametrize("who", ["chair", "outsider", "police"])
def test_who_may_not_record_interim_learning_is_refused(seated, browser, who):
    client = browser(who)
    assert client.get(f"{INTERIM}/new").status_code == 403
    assert post(client, f"{INTERIM}/new", {"owner": "x"}, page="/account").status_code == 403


def test_another_boards_review_is_not_found(review, elsewhere, browser):
    unit = browser("business")
    for path in (
        "/reviews/c9/quality",
        "/reviews/c9/quality/proportionate_form_and_focus",
        "/reviews/c9/interim-learning",
        "/reviews/c9/interim-learning/new",
        f"{QUALITY}/no_such_marker",
    ):
        assert unit.get(path).status_code == 404, path
