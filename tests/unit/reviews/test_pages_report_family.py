"""The final report's pages, continued (Flask's test client): showing a version to a family member
chosen by name, the Chair's sign-off with a check page, the family member's comment and the link
to it from the page they read the report on; every error of a form at once, 403 by role (as the
API), 404 for another board."""

from __future__ import annotations

import re

import pytest

from shared.audit import AuditEntry
from tests.factories import bearer, make_token
from tests.unit.reviews import conduct_pages
from tests.unit.reviews import test_pages_report as report_pages
from tests.unit.reviews.conduct_pages import post, summary, text

from .test_report_api import V1

browser = conduct_pages.browser
elsewhere = conduct_pages.elsewhere
seated = conduct_pages.seated
unit = report_pages.unit
two_versions = report_pages.two_versions
api, write = report_pages.api, report_pages.write

BASE = report_pages.BASE


# -- showing a version to a family member ----------------------------------------------------------


def test_the_business_unit_shows_a_version_to_a_family_member_chosen_by_name(client, two_versions, browser):
    family = browser("family")
    page = text(two_versions.get(f"{BASE}/share?version=1"))
    assert "Family User" in page and family.user.user_id in page  # the radio's value, the name its label
    assert re.search(r'value="1" checked', page)
    chosen = post(two_versions, f"{BASE}/share", {"version": "1", "user_id": family.user.user_id})
    assert chosen.status_code == 302 and chosen.headers["Location"] == f"{BASE}/share/check"
    check = text(two_versions.get(f"{BASE}/share/check"))
    assert (
        "Version 1, saved on 2 March 2026" in check and "Family User will be able to read version 1" in check
    )
    assert api(client, two_versions)["shares"] == []  # nothing shown before the check page
    done = post(two_versions, f"{BASE}/share/check", {})
    assert done.status_code == 302 and done.headers["Location"] == BASE
    assert "Version 1 shown to Family User" in text(two_versions.get(BASE))
    [share] = api(client, two_versions)["shares"]
    assert (share["version"], share["user_id"]) == (1, family.user.user_id)
    assert (
        AuditEntry.objects(
            actor_id=two_versions.user.user_id, action="review.write", resource_type="report_share"
        ).count()
        == 1
    )


def test_every_problem_with_the_share_is_named_at_once(two_versions, browser):
    browser("family")
    bad = post(two_versions, f"{BASE}/share", {"version": "9", "user_id": "nobody"})
    assert bad.status_code == 422
    assert summary(bad) == [
        ("#version", "Select the version to show"),
        ("#user_id", "Select the family member to show it to"),
    ]
    assert two_versions.get(f"{BASE}/share/check").headers["Location"] == f"{BASE}/share"


# -- the Chair's sign-off -------------------------------------------------------------------------


def test_the_chair_signs_off_after_a_check_page_and_a_second_sign_off_is_refused(client, unit, browser):
    write(unit, V1)
    chair = browser("chair")
    form = text(chair.get(f"{BASE}/sign-off"))
    assert 'name="signed_off_on-day"' in form or 'name="signed_off_on"' in form
    chosen = post(chair, f"{BASE}/sign-off", {"version": "1", "signed_off_on": ["2", "3", "2026"]})
    assert chosen.status_code == 302 and chosen.headers["Location"] == f"{BASE}/sign-off/check"
    check = text(chair.get(f"{BASE}/sign-off/check"))
    assert "You are signing off version 1 for the board" in check and "2 March 2026" in check
    assert api(client, unit)["signed_off"] is None
    done = post(chair, f"{BASE}/sign-off/check", {})
    assert done.status_code == 302 and done.headers["Location"] == BASE
    assert "Version 1 signed off for the board" in text(chair.get(BASE))
    assert api(client, unit)["signed_off"] == {
        "version": 1,
        "signed_off_on": "2026-03-02",
        "by": "Chair User",
    }

    post(chair, f"{BASE}/sign-off", {"version": "1", "signed_off_on": ["2", "3", "2026"]})
    again = post(chair, f"{BASE}/sign-off/check", {})
    assert again.status_code == 409
    assert summary(again) == [(f"{BASE}/sign-off#version", "This version is signed off already")]


def test_every_problem_with_the_sign_off_is_named_at_once(unit, browser):
    write(unit, V1)
    write(unit, {**V1, "conclusion": "Second draft."})
    chair = browser("chair")
    empty = post(chair, f"{BASE}/sign-off", {"version": "", "signed_off_on": ["", "", ""]})
    assert empty.status_code == 422
    assert summary(empty) == [
        ("#version", "Select the version the board is signing off"),
        ("#signed_off_on-day", "Enter the date the board signed off the report"),
    ]
    future = post(chair, f"{BASE}/sign-off", {"version": "2", "signed_off_on": ["1", "1", "2099"]})
    assert summary(future) == [
        ("#signed_off_on-day", "The date of the sign-off must be today or in the past")
    ]
    # The domain's rules, on the check page: only the latest version, never before it was saved.
    post(chair, f"{BASE}/sign-off", {"version": "1", "signed_off_on": ["1", "3", "2026"]})
    wrong = post(chair, f"{BASE}/sign-off/check", {})
    assert wrong.status_code == 422
    assert summary(wrong) == [(f"{BASE}/sign-off#version", "Sign off the latest version, version 2")]


# -- the family member's comment ------------------------------------------------------------------


def test_a_family_member_comments_on_the_version_shown_to_them_only(client, two_versions, browser):
    family = browser("family")
    post(two_versions, f"{BASE}/share", {"version": "1", "user_id": family.user.user_id})
    post(two_versions, f"{BASE}/share/check", {})
    path = f"{BASE}/versions/1/family-comment"
    page = text(family.get(path))
    assert "Comment on the report" in page and 'href="/reports"' in page
    assert "/content" not in page and ".docx" not in page  # nothing to download
    assert family.get(f"{BASE}/versions/2/family-comment").status_code == 404
    bad = post(family, path, {"section": "nonsense", "text": ""})
    assert bad.status_code == 422
    assert summary(bad) == [
        ("#section", "Select a part of the report from the list"),
        ("#text", "Enter your comment"),
    ]
    sent = post(family, path, {"section": "conclusion", "text": "My son's school is not mentioned."})
    assert sent.status_code == 302 and sent.headers["Location"] == f"{path}/sent"
    confirmation = text(family.get(f"{path}/sent"))
    assert "Comment sent" in confirmation and 'href="/reports"' in confirmation
    [stored] = api(client, two_versions)["comments"]
    assert (stored["text"], stored["section"], stored["family"]) == (
        "My son's school is not mentioned.",
        "conclusion",
        True,
    )
    assert stored["by"] == "Family User"
    # The business unit reads it on the version's page; the panel does not see it.
    seen = text(two_versions.get(f"{BASE}/versions/1"))
    assert "My son's school is not mentioned." in seen and "Family member" in seen
    assert "My son's school" not in text(browser("panel").get(f"{BASE}/versions/1"))
    assert (
        AuditEntry.objects(actor_id=family.user.user_id, action="report.write", outcome="success").count()
        == 1
    )
    # Staff never use the family's page, and the family never the staff's.
    assert two_versions.get(path).status_code == 403


# -- who may open what -----------------------------------------------------------------------------

STAFF_PAGES = [
    BASE,
    f"{BASE}/versions/1",
    f"{BASE}/compare",
    f"{BASE}/write",
    f"{BASE}/upload",
    f"{BASE}/share",
    f"{BASE}/sign-off",
]


@pytest.mark.parametrize("who", ["police", "family"])
def test_agency_staff_and_family_members_are_refused_every_staff_page(unit, browser, who):
    write(unit, V1)
    client = browser(who)
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 403, path


def test_each_page_keeps_the_apis_roles(unit, browser):
    write(unit, V1)
    panel, chair, outsider, reviewer = (
        browser("panel"),
        browser("chair"),
        browser("outsider"),
        browser("reviewer"),
    )
    assert panel.get(f"{BASE}/write").status_code == 403  # the panel reads and comments
    assert panel.get(f"{BASE}/share").status_code == 403
    assert panel.get(f"{BASE}/sign-off").status_code == 403
    assert chair.get(f"{BASE}/write").status_code == 403 and chair.get(f"{BASE}/share").status_code == 403
    assert unit.get(f"{BASE}/sign-off").status_code == 403  # only the Chair speaks for the board
    assert outsider.get(BASE).status_code == 403  # a panel member not on this review's panel
    assert reviewer.get(f"{BASE}/write").status_code == 403  # a lead reviewer not on it
    assert browser("admin").get(f"{BASE}/share").status_code == 200


def test_another_boards_report_is_not_found(unit, elsewhere):
    assert unit.get(f"/reviews/{elsewhere}/report").status_code == 404
    assert unit.get(f"/reviews/{elsewhere}/report/write").status_code == 404


def test_the_family_members_reading_page_links_to_the_comment_page_of_a_report_version(settings):
    """In the documents service: a version of a case's report links to its comment page; any other
    shared document does not."""
    from services.documents.adapters.report_versions import remember
    from tests.factories import make_user
    from tests.unit.documents.conftest import World

    world = World(settings)
    case_id = world.new_case()
    family = make_user("family_viewer", board=world.board)
    documents = world.client()
    pages = []
    for _ in range(2):
        doc = world.generate(case_id, "referral_summary").get_json()
        made = documents.post(
            f"/api/v1/documents/{doc['id']}/shares", headers=world.token, json={"user_id": family.user_id}
        )
        assert made.status_code == 201, made.get_json()
        pages.append((doc["id"], f"/reports/{made.get_json()['id']}"))
    (version_doc, version_page), (other_doc, other_page) = pages
    remember(version_doc, case_id, world.board.board_id, 2)
    reading = text(documents.get(version_page, headers=bearer(make_token(family))))
    assert f'href="/reviews/{case_id}/report/versions/2/family-comment"' in reading
    assert "Comment on this report" in reading
    other = text(documents.get(other_page, headers=bearer(make_token(family))))
    assert "family-comment" not in other and "Comment on this report" not in other
