"""The Board settings page: its name and rule pack, kept by admins and the business unit, and
links to the users, calendar closures and recipients directory."""

from __future__ import annotations

import html

import pytest

from shared.audit import AuditEntry
from tests.unit.auth.conftest import csrf_from

BOARD = "/admin/board"
NAME = "/admin/board/name"


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def rename(browser, name):
    page = browser.page(NAME)
    return browser.client.post(NAME, data={"name": name, "csrf_token": csrf_from(page)})


@pytest.mark.parametrize("role", ["admin", "business_unit"])
def test_the_settings_page_links_to_every_setting(browser, role):
    page = browser(role).page(BOARD)
    for href in ('href="/admin/users"', 'href="/schedule/closures"', 'href="/notifications/recipients"'):
        assert href in page
    assert 'href="/admin/board/name"' in page
    assert "Development outbox" not in page  # the test settings send no email anywhere


@pytest.mark.parametrize("role", ["admin", "business_unit"])
def test_the_board_is_renamed_and_the_audit_log_says_from_what(browser, board, role):
    keeper = browser(role)
    done = rename(keeper, "  Wirral Safeguarding Children Partnership ")
    assert done.status_code == 302
    assert "The board is now called Wirral Safeguarding Children Partnership." in text(
        keeper.client.get(done.headers["Location"])
    )
    board.reload()
    assert board.name == "Wirral Safeguarding Children Partnership"
    entry = AuditEntry.objects(action="board.renamed").get()
    assert entry.actor_id == keeper.user.user_id and "'Test Partnership' -> 'Wirral" in entry.detail


def test_a_blank_or_long_name_is_refused_with_the_error_summary(browser, board):
    admin = browser("admin")
    blank = rename(admin, "   ")
    assert blank.status_code == 422
    assert text(blank).count("Enter the board's name") == 2 and 'href="#name"' in text(blank)
    long = rename(admin, "x" * 201)
    assert long.status_code == 422 and "200 characters or fewer" in text(long)
    board.reload()
    assert board.name == "Test Partnership"


def test_the_business_unit_changes_the_rule_pack_too(browser, board):
    business = browser("business_unit")
    page = business.page(BOARD)
    done = business.client.post(BOARD, data={"rule_pack": "wt2023", "csrf_token": csrf_from(page)})
    assert done.status_code == 302
    board.reload()
    assert board.rule_pack == "wt2023"


@pytest.mark.parametrize("role", ["chair", "panel_member", "family_viewer"])
def test_other_roles_are_refused(browser, role):
    client = browser(role)
    assert client.get(BOARD).status_code == 403
    assert client.get(NAME).status_code == 403
