"""The users pages: the board's people for its admins and business unit; inviting someone by
email, their roles and agency, deactivating, reactivating, unlocking, each in the audit log."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from shared.audit import AuditEntry
from shared.auth import links
from shared.auth.models import User, now
from shared.crypto import open_json
from shared.events import parse_envelope
from tests.factories import make_user
from tests.unit.auth.conftest import csrf_from

USERS = "/admin/users"
INVITE = "/admin/users/invite"


def post_form(browser, path, data) -> object:
    """Open the page at ``path`` and send its form with ``data`` (and the page's CSRF token)."""
    body = browser.page(path)
    return browser.client.post(path, data={**data, "csrf_token": csrf_from(body)})


def press(browser, page, action) -> object:
    """Press a button on ``page`` whose form posts to ``action``."""
    body = browser.page(page)
    return browser.client.post(action, data={"csrf_token": csrf_from(body)})


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def link_events(email: str) -> list:
    user = User.objects.get(email=email)
    found = []
    for link in links.AccountLink.objects(user_id=user.user_id):
        found += [parse_envelope(e.envelope) for e in link.outbox]
    return found


# -- who may see them --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "business_unit"])
def test_admins_and_the_business_unit_list_the_boards_users(browser, board, role):
    make_user("agency_practitioner", board=board, agency="police", name="Priya Practitioner", email="p@x.org")
    make_user(
        "chair", board=board, name="Locked Chair", email="c@x.org", locked_until=now() + timedelta(minutes=9)
    )
    make_user("chair", board="another-board", name="Someone Elsewhere")
    page = html.unescape(browser(role).page(USERS))
    assert "Priya Practitioner" in page and "Agency practitioner" in page and "Police" in page
    assert "Locked Chair" in page and "Locked" in page
    assert "Someone Elsewhere" not in page
    assert "None" not in page and "agency_practitioner" not in page


@pytest.mark.parametrize("role", ["chair", "panel_member", "lead_reviewer", "family_viewer"])
def test_other_roles_are_refused(browser, role):
    client = browser(role)
    assert client.get(USERS).status_code == 403
    assert client.get(INVITE).status_code == 403


def test_the_list_comes_a_page_at_a_time(browser, board):
    for n in range(3):
        make_user("panel_member", board=board, name=f"Panel {n}")
    admin = browser("admin")
    first = admin.page(f"{USERS}?per_page=2")
    assert "Showing 1 to 2 of 4 users" in first and "page=2" in first


# -- inviting ----------------------------------------------------------------------------------


def test_an_invitation_makes_the_account_and_emails_a_sealed_single_use_link(browser, board):
    admin = browser("admin")
    resp = post_form(
        admin,
        INVITE,
        {
            "name": "Ann Agency",
            "email": "Ann@Police.example.org",
            "roles": ["agency_manager"],
            "agency": "police",
        },
    )
    assert resp.status_code == 302, text(resp)[:2000]
    user = User.objects.get(email="ann@police.example.org")
    assert user.password_hash is None and user.membership(board.board_id).agency == "police"
    shown = text(admin.client.get(resp.headers["Location"]))
    assert "We have sent an invitation to ann@police.example.org" in shown and "Invited" in shown
    [event] = link_events("ann@police.example.org")
    assert event.event_type == "account.link_issued" and event.data.purpose == "invitation"
    assert event.data.email == "ann@police.example.org" and event.data.name == "Ann Agency"
    assert "/accounts/invitation/" not in str(event.raw)  # the link travels sealed
    assert "/accounts/invitation/" in open_json(event.data.link_sealed)["url"]
    entry = AuditEntry.objects(action="user.invited").first()
    assert entry.actor_id == admin.user.user_id and entry.resource_id == user.user_id


def test_the_invitation_form_shows_every_error_at_once(browser):
    resp = post_form(
        browser("admin"), INVITE, {"name": "", "email": "not an address", "roles": ["agency_manager"]}
    )
    assert resp.status_code == 422
    page = text(resp)
    assert "There is a problem" in page
    for message in (
        "Enter the person's full name",
        "Enter an email address in the correct format",
        "Select the agency this person works for",
    ):
        assert page.count(message) == 2, message  # in the summary and at its field
    nothing = post_form(browser("admin"), INVITE, {"name": "A", "email": "a@example.org"})
    assert "Select at least one role" in text(nothing)


def test_an_email_already_on_the_board_is_refused(browser, board):
    make_user("chair", board=board, email="taken@example.org")
    resp = post_form(
        browser("admin"), INVITE, {"name": "X", "email": "taken@example.org", "roles": ["chair"]}
    )
    assert resp.status_code == 422 and "already has an account on this board" in text(resp)


def test_the_business_unit_invites_but_cannot_make_an_administrator(browser):
    business = browser("business_unit")
    page = business.page(INVITE)
    assert 'value="admin"' not in page
    resp = post_form(business, INVITE, {"name": "Eve", "email": "eve@example.org", "roles": ["admin"]})
    assert resp.status_code == 422 and "Only an administrator can make someone an administrator" in text(resp)
    ok = post_form(business, INVITE, {"name": "Pam", "email": "pam@example.org", "roles": ["panel_member"]})
    assert ok.status_code == 302


# -- changing an account -----------------------------------------------------------------------


def test_roles_and_agency_change_and_the_audit_log_says_from_what(browser, board):
    person = make_user("agency_practitioner", board=board, agency="police")
    admin = browser("admin")
    path = f"{USERS}/{person.user_id}/roles"
    assert "checked" in admin.page(path)
    resp = post_form(admin, path, {"roles": ["agency_manager", "panel_member"], "agency": "health"})
    assert resp.status_code == 302, text(resp)[:1500]
    m = User.objects.get(user_id=person.user_id).membership(board.board_id)
    assert sorted(m.roles) == ["agency_manager", "panel_member"] and m.agency == "health"
    entry = AuditEntry.objects(action="user.roles_changed").first()
    assert entry.actor_id == admin.user.user_id and "police -> health" in entry.detail
    bad = post_form(admin, path, {"roles": [], "agency": ""})
    assert bad.status_code == 422 and "Select at least one role" in text(bad)


def test_the_business_unit_cannot_change_an_administrator_nor_anyone_their_own_roles(browser, board):
    other_admin = make_user("admin", board=board)
    business = browser("business_unit")
    page = business.page(INVITE)
    refused = business.client.post(
        f"{USERS}/{other_admin.user_id}/roles", data={"roles": ["chair"], "csrf_token": csrf_from(page)}
    )
    assert refused.status_code == 403
    assert User.objects.get(user_id=other_admin.user_id).membership(board.board_id).roles == ["admin"]
    admin = browser("admin")
    assert "This is your own account" in admin.page(f"{USERS}/{admin.user.user_id}")
    selfish = admin.client.post(
        f"{USERS}/{admin.user.user_id}/deactivate", data={"csrf_token": csrf_from(admin.page(INVITE))}
    )
    assert selfish.status_code == 403


def test_deactivating_asks_first_then_stops_sign_in_and_reactivating_restores_it(browser, board, app):
    person = make_user("chair", board=board, email="leaving@example.org")
    admin = browser("admin")
    confirm = admin.page(f"{USERS}/{person.user_id}/deactivate")
    assert "Are you sure you want to deactivate this account?" in confirm
    done = post_form(admin, f"{USERS}/{person.user_id}/deactivate", {})
    assert done.status_code == 302
    assert "Deactivated" in text(admin.client.get(done.headers["Location"]))
    from tests.unit.auth.conftest import sign_in

    assert sign_in(app.test_client(), "leaving@example.org").status_code == 401
    back = press(admin, f"{USERS}/{person.user_id}", f"{USERS}/{person.user_id}/reactivate")
    assert back.status_code == 302
    assert sign_in(app.test_client(), "leaving@example.org").status_code == 302
    actions = [e.action for e in AuditEntry.objects(resource_id=person.user_id)]
    assert "user.deactivated" in actions and "user.reactivated" in actions


def test_unlocking_lets_a_locked_out_person_sign_in_at_once(browser, board, app):
    person = make_user(
        "chair", board=board, email="locked@example.org", locked_until=now() + timedelta(minutes=10)
    )
    from tests.unit.auth.conftest import sign_in

    assert sign_in(app.test_client(), "locked@example.org").status_code == 401
    admin = browser("business_unit")
    assert "Unlock account" in admin.page(f"{USERS}/{person.user_id}")
    assert press(admin, f"{USERS}/{person.user_id}", f"{USERS}/{person.user_id}/unlock").status_code == 302
    assert sign_in(app.test_client(), "locked@example.org").status_code == 302
    assert AuditEntry.objects(action="user.unlocked", resource_id=person.user_id).count() == 1


def test_a_reset_link_can_be_sent_from_the_users_page(browser, board):
    person = make_user("chair", board=board, email="forgetful@example.org")
    admin = browser("admin")
    resp = press(admin, f"{USERS}/{person.user_id}", f"{USERS}/{person.user_id}/send-link")
    assert resp.status_code == 302
    [event] = link_events("forgetful@example.org")
    assert event.data.purpose == "password_reset"
    assert "/accounts/password-reset/" in open_json(event.data.link_sealed)["url"]


def test_a_user_of_another_board_is_not_found(browser):
    elsewhere = make_user("chair", board="another-board")
    assert browser("admin").get(f"{USERS}/{elsewhere.user_id}").status_code == 404


def test_someone_with_an_account_on_another_board_is_added_without_a_new_password(browser, board):
    elsewhere = make_user("chair", board="another-board", email="twoboards@example.org")
    resp = post_form(
        browser("admin"), INVITE, {"name": "Two Boards", "email": elsewhere.email, "roles": ["panel_member"]}
    )
    assert resp.status_code == 302
    user = User.objects.get(user_id=elsewhere.user_id)
    assert user.membership(board.board_id).roles == ["panel_member"] and user.membership("another-board")
    assert link_events(elsewhere.email) == []
