"""The family pages (Flask's test client): members and their relationships, the genogram with its
title and description, contacts, support, consent, views, family meetings, and the hold set and
lifted after a confirmation; every error at once, 403 by role, 404 for another board."""

from __future__ import annotations

import re

import pytest

from tests.unit.reviews import conduct_pages
from tests.unit.reviews.conduct_pages import audited, post, summary, text

# The shared fixtures of the reviews pages.
browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere

BASE = "/reviews/c1/family"
JO = {
    "name": "Jo Smith",
    "relationship_to_child": "mother",
    "sex": "female",
    "deceased": "no",
    "born_on": ["4", "5", "1990"],
    "household": "A",
}
SAM = {
    "name": "Sam Smith",
    "relationship_to_child": "child",
    "sex": "male",
    "deceased": "no",
    "born_on": ["1", "2", "2022"],
    "household": "A",
}


def members(client) -> dict[str, str]:
    """The family's members by name, from the links of the family page."""
    page = text(client.get(BASE))
    ids = re.findall(
        r'/family/members/([0-9a-f]+)/change">Change<span class="govuk-visually-hidden"> ([^<]+)\'s details',
        page,
    )
    return {name: mid for mid, name in ids}


def add_family(client) -> dict[str, str]:
    for person in (JO, SAM):
        assert post(client, f"{BASE}/members/new", person).status_code == 302
    return members(client)


def test_the_business_unit_records_two_family_members_their_relationship_and_sees_the_genogram(
    review, browser
):
    unit = browser("business")
    empty = text(unit.get(BASE))
    assert "No family members are recorded yet." in empty and "Record how two people are related" not in empty
    ids = add_family(unit)
    assert set(ids) == {"Jo Smith", "Sam Smith"}
    related = post(
        unit,
        f"{BASE}/relationships/new",
        {"from_": ids["Jo Smith"], "kind": "parent_of", "to": ids["Sam Smith"]},
    )
    assert related.status_code == 302
    page = text(unit.get(BASE))
    assert "Relationship recorded" in page and "Jo Smith is a parent of Sam Smith" in page
    assert "Mother" in page and "4 May 1990" in page and "None" not in page
    # The genogram, drawn inline with its title and its description in words.
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", page, re.S).group(0)
    assert '<title id="genogram-title">' in svg and "Jo Smith: mother, female, household A" in svg
    assert "/api/v1/reviews/c1/family/genogram.svg" in page
    assert audited(unit.user.user_id, "family.write") >= 3


def test_a_family_member_is_changed_and_every_error_is_named_at_once(review, browser):
    unit = browser("business")
    ids = add_family(unit)
    path = f"{BASE}/members/{ids['Jo Smith']}/change"
    form = text(unit.get(path))
    assert 'value="Jo Smith"' in form and 'value="1990"' in form
    bad = post(
        unit,
        path,
        {
            "name": "",
            "relationship_to_child": "",
            "sex": "",
            "deceased": "",
            "born_on": ["31", "2", "1990"],
            "email": "nope",
            "phone": "1",
        },
    )
    assert bad.status_code == 422
    assert summary(bad) == [
        ("#name", "Enter the family member's name"),
        ("#relationship_to_child", "Select how they are related to the child"),
        ("#sex", "Select their sex, or 'Not known'"),
        ("#born_on-day", "Their date of birth must be a real date"),
        ("#deceased", "Select whether this person has died"),
        ("#email", "Enter an email address in the correct format, like name@example.com"),
        ("#phone", "Enter a phone number of 3 to 40 characters"),
    ]
    done = post(unit, path, {**JO, "name": "Joanne Smith", "relationship_to_child": "stepmother"})
    assert done.status_code == 302
    page = text(unit.get(BASE))
    assert "Joanne Smith's details changed" in page and "Stepmother" in page


def test_relationships_the_service_refuses_are_named(review, browser):
    unit = browser("business")
    ids = add_family(unit)
    nothing = post(unit, f"{BASE}/relationships/new", {})
    assert [h for h, _ in summary(nothing)] == ["#from_", "#kind", "#to"]
    same = post(
        unit,
        f"{BASE}/relationships/new",
        {"from_": ids["Jo Smith"], "kind": "partner_of", "to": ids["Jo Smith"]},
    )
    assert summary(same) == [("#to", "Select two different people")]
    post(
        unit,
        f"{BASE}/relationships/new",
        {"from_": ids["Jo Smith"], "kind": "parent_of", "to": ids["Sam Smith"]},
    )
    loop = post(
        unit,
        f"{BASE}/relationships/new",
        {"from_": ids["Sam Smith"], "kind": "parent_of", "to": ids["Jo Smith"]},
    )
    assert loop.status_code == 422
    assert summary(loop) == [("#to", "This person is already an ancestor of the parent")]


def test_contacts_support_views_and_consent(review, browser):
    unit = browser("business")
    ids = add_family(unit)
    missing = post(unit, f"{BASE}/contacts/new", {})
    assert [h for h, _ in summary(missing)] == ["#on-day", "#how", "#member_ids", "#by", "#outcome"]
    made = post(
        unit,
        f"{BASE}/contacts/new",
        {
            "on": ["20", "2", "2026"],
            "how": "letter",
            "member_ids": [ids["Jo Smith"]],
            "by": "Lee Reviewer",
            "outcome": "Letter about the review sent",
        },
    )
    assert made.status_code == 302
    post(
        unit,
        f"{BASE}/support/new",
        {
            "on": ["21", "2", "2026"],
            "member_ids": [ids["Jo Smith"]],
            "what": "Advocacy offered",
            "by": "Victim Support",
        },
    )
    post(
        unit,
        f"{BASE}/views/new",
        {"on": ["22", "2", "2026"], "member_id": ids["Jo Smith"], "summary": "Nobody listened to me."},
    )
    withdrawn = post(
        unit, f"{BASE}/members/{ids['Jo Smith']}/consent", {"status": "withdrawn", "on": ["22", "2", "2026"]}
    )
    assert withdrawn.status_code == 409 and summary(withdrawn) == [
        ("#status", "Only consent that was given can be withdrawn")
    ]
    post(unit, f"{BASE}/members/{ids['Jo Smith']}/consent", {"status": "given", "on": ["22", "2", "2026"]})
    page = text(unit.get(BASE))
    for words in (
        "20 February 2026",
        "Letter",
        "Letter about the review sent",
        "Advocacy offered",
        "Victim Support",
        "Nobody listened to me.",
        "Given on 22 February 2026",
    ):
        assert words in page, words


def test_the_hold_is_set_after_a_confirmation_shown_as_a_warning_and_lifted(review, browser):
    unit = browser("business")
    ids = add_family(unit)
    assert summary(post(unit, f"{BASE}/hold", {"reason": ""})) == [
        ("#reason", "Enter which proceedings the family's involvement waits for")
    ]
    confirm = post(unit, f"{BASE}/hold", {"reason": "Criminal trial of the father"})
    assert confirm.status_code == 200 and "Hold the family's involvement?" in text(confirm)
    assert "is on hold" not in text(unit.get(BASE))  # nothing held before the confirmation
    done = post(unit, f"{BASE}/hold", {"reason": "Criminal trial of the father", "confirmed": "yes"})
    assert done.status_code == 302
    page = text(unit.get(BASE))
    assert (
        "govuk-warning-text" in page
        and "on hold since 2 March 2026" in page
        and "Criminal trial of the father" in page
    )
    post(
        unit,
        f"{BASE}/contacts/new",
        {
            "on": ["2", "3", "2026"],
            "how": "through_police",
            "member_ids": [ids["Jo Smith"]],
            "by": "Family liaison officer",
            "outcome": "Told of the review",
        },
    )
    assert "During the hold" in text(unit.get(BASE))
    assert "Lift the hold?" in text(unit.get(f"{BASE}/hold/lift"))
    assert post(unit, f"{BASE}/hold/lift", {}).status_code == 302
    assert "govuk-warning-text" not in text(unit.get(BASE))


@pytest.mark.parametrize("who", ["police", "health", "family", "outsider"])
def test_who_may_not_read_the_family_is_refused(review, browser, who):
    assert browser(who).get(BASE).status_code == 403


@pytest.mark.parametrize("who", ["chair", "panel", "reviewer", "police"])
def test_only_the_business_unit_or_an_admin_records_the_family(review, browser, who):
    client = browser(who)
    for path in (f"{BASE}/members/new", f"{BASE}/contacts/new", f"{BASE}/hold", f"{BASE}/relationships/new"):
        assert client.get(path).status_code == 403
        assert post(client, path, JO, page="/account").status_code == 403
    assert "Jo Smith" not in text(browser("business").get(BASE))


def test_another_boards_family_is_not_found(review, elsewhere, browser):
    unit = browser("business")
    for path in (
        "/reviews/c9/family",
        "/reviews/c9/family/members/new",
        "/reviews/c1/family/members/nope/change",
    ):
        assert unit.get(path).status_code == 404
