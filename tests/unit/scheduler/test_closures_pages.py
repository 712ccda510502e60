"""The board's calendar closures page: the business unit and admins add and remove the days the
board is closed, and deadlines worked out afterwards skip them."""

from __future__ import annotations

import html
from datetime import date

import pytest

from services.scheduler.adapters.repository import MongoBoardCalendars
from shared.audit import AuditEntry
from tests.factories import make_user
from tests.unit.auth.conftest import csrf_from, sign_in

PAGE = "/schedule/closures"
TUESDAY = date(2026, 12, 29)


@pytest.fixture
def signed_in(service, board):
    def make(role):
        user = make_user(role, board=board)
        client = service.app.test_client()
        assert sign_in(client, user.email).status_code == 302
        return client

    return make


def add(client, day: date | None, parts: list[str] | None = None):
    """Send the form: the day's three boxes (day, month, year), as the date input names them."""
    page = client.get(PAGE).get_data(as_text=True)
    boxes = parts or (["", "", ""] if day is None else [str(day.day), str(day.month), str(day.year)])
    return client.post(PAGE, data={"day": boxes, "csrf_token": csrf_from(page)})


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


@pytest.mark.parametrize("role", ["business_unit", "admin"])
def test_a_closure_day_is_added_counted_by_the_calendar_and_removed(signed_in, board, role):
    client = signed_in(role)
    assert MongoBoardCalendars().for_board(board.board_id).is_working_day(TUESDAY)
    done = add(client, TUESDAY)
    assert done.status_code == 302
    page = text(client.get(PAGE))
    assert "The board is closed on 29 December 2026." in page and "Tuesday 29 December 2026" in page
    assert "2026-12-29" not in page.split("<main")[1].replace(
        'action="/schedule/closures/2026-12-29/remove"', ""
    )
    board.reload()
    assert board.closures == [TUESDAY]
    assert not MongoBoardCalendars().for_board(board.board_id).is_working_day(TUESDAY)
    removed = client.post(f"{PAGE}/2026-12-29/remove", data={"csrf_token": csrf_from(page)})
    assert removed.status_code == 302
    assert "29 December 2026 is a working day again." in text(client.get(PAGE))
    board.reload()
    assert board.closures == []
    actions = [e.action for e in AuditEntry.objects(resource_id=board.board_id)]
    assert "board.closure_added" in actions and "board.closure_removed" in actions


def test_the_date_is_checked_with_the_design_systems_messages(signed_in):
    client = signed_in("business_unit")
    empty = add(client, None)
    assert empty.status_code == 422 and "Enter the day the board is closed" in text(empty)
    unreal = add(client, None, ["31", "2", "2027"])
    assert unreal.status_code == 422 and "The closure day must be a real date" in text(unreal)
    weekend = add(client, date(2027, 1, 2))
    assert weekend.status_code == 422 and "weekend" in text(weekend)
    christmas = add(client, date(2026, 12, 25))
    assert christmas.status_code == 422 and "bank holiday" in text(christmas)
    assert add(client, TUESDAY).status_code == 302
    again = add(client, TUESDAY)
    assert again.status_code == 422 and "already closed on that day" in text(again)


@pytest.mark.parametrize("role", ["chair", "panel_member", "lead_reviewer"])
def test_other_roles_are_refused(signed_in, role):
    assert signed_in(role).get(PAGE).status_code == 403
