"""The audit log page: filtered by a user chosen by name, by action, record, outcome and days,
a page at a time, in words; every wrong filter named at once."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from services.referral.entrypoints.pages.audit import action_words
from shared.audit import AuditEntry
from tests.factories import make_user
from tests.unit.auth.conftest import sign_in


def entry(
    board, action: str, at: datetime, actor=None, resource: str = "c-1", outcome: str = "success"
) -> None:
    AuditEntry(
        at=at,
        board_id=board.board_id,
        action=action,
        outcome=outcome,
        actor_id=actor.user_id if actor else None,
        actor_name=actor.name if actor else None,
        resource_type="case",
        resource_id=resource,
    ).save(force_insert=True)


@pytest.fixture
def admin(app, board):
    client = app.test_client()
    assert sign_in(client, make_user("admin", board=board, name="Ada Admin").email).status_code == 302
    return client


def rows(body: str) -> list[str]:
    table = body.split("<tbody", 1)[1] if "<tbody" in body else ""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip()
        for r in re.findall(r"<tr.*?</tr>", table, re.S)
    ]


def test_the_user_filter_is_a_list_of_the_boards_people_by_name(admin, board):
    priya = make_user("agency_practitioner", board=board, agency="police", name="Priya Police")
    bea = make_user("business_unit", board=board, name="Bea Business")
    make_user("chair", board="another-board", name="Someone Elsewhere")
    entry(board, "case.read", datetime(2026, 11, 2, 10, tzinfo=UTC), priya, "c-1")
    entry(board, "case.write", datetime(2026, 11, 3, 10, tzinfo=UTC), bea, "c-2")
    body = admin.get("/admin/audit").get_data(as_text=True)
    options = re.findall(
        r'<option value="([^"]*)"[^>]*>([^<]+)</option>', body.split('id="actor"')[1].split("</select>")[0]
    )
    names = [html.unescape(text) for _, text in options]
    assert names[0] == "Anyone" and "Someone Elsewhere" not in " ".join(names)
    assert [n.split(" (")[0] for n in names[1:]] == ["Ada Admin", "Bea Business", "Priya Police"]
    found = rows(admin.get(f"/admin/audit?actor={priya.user_id}").get_data(as_text=True))
    assert len(found) == 1 and "Priya Police" in found[0] and "Case read" in found[0]
    assert "2 November 2026, 10am" in found[0]  # in England's time (GMT in November)


def test_entries_are_filtered_by_action_and_by_days_in_england(admin, board):
    entry(board, "case.read", datetime(2026, 7, 1, 23, 30, tzinfo=UTC))  # 12:30am on 2 July in England
    entry(board, "case.read", datetime(2026, 7, 3, 12, tzinfo=UTC))
    entry(board, "case.write", datetime(2026, 7, 2, 12, tzinfo=UTC))
    body = admin.get("/admin/audit?action=case.write").get_data(as_text=True)
    assert len(rows(body)) == 1 and "Case write" in rows(body)[0]
    assert '<option value="case.write" selected>Case write</option>' in body
    on_2_july = admin.get(
        "/admin/audit?from-day=2&from-month=7&from-year=2026&to-day=2&to-month=7&to-year=2026"
    )
    found = rows(on_2_july.get_data(as_text=True))
    assert len(found) == 2
    assert "2 July 2026, 12:30am" in found[1] and "2 July 2026, 1pm" in found[0]
    csv = re.search(r'href="(/admin/audit.csv[^"]*)"', on_2_july.get_data(as_text=True))
    assert csv and "since=" in html.unescape(csv.group(1)) and "until=" in html.unescape(csv.group(1))
    exported = admin.get(html.unescape(csv.group(1))).get_data(as_text=True).strip().splitlines()
    assert len(exported) == 1 + 2


def test_every_wrong_filter_is_named_at_once(admin, board):
    resp = admin.get(
        "/admin/audit?actor=nobody&action=case.burn&outcome=maybe&from-day=30&from-month=2&from-year=2026&to-year=2026"
    )
    assert resp.status_code == 422
    summary = re.search(r'class="govuk-error-summary".*?</ul>', resp.get_data(as_text=True), re.S)
    assert summary
    assert [html.unescape(m) for m in re.findall(r'<a href="[^"]+">([^<]+)</a>', summary.group(0))] == [
        "Select a user from the list",
        "Select an action from the list",
        "Select an outcome from the list",
        "From must be a real date, like 8 12 2026",
        "To must include a day",
    ]


def test_the_log_comes_a_page_at_a_time_past_any_limit(admin, board):
    for n in range(450):
        entry(board, "case.read", datetime(2026, 5, 1, tzinfo=UTC), resource=f"c-{n}")
    body = admin.get("/admin/audit?action=case.read&page=9").get_data(as_text=True)
    assert "Showing 401 to 450 of 450 entries" in body
    assert len(rows(body)) == 50


def test_actions_are_in_words():
    assert action_words("case.read") == "Case read"
    assert action_words("board.rule_pack_changed") == "Board rule pack changed"
    assert action_words(None) == "Unknown action"
