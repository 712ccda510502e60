"""The "How long records are kept" page under Board settings."""

from __future__ import annotations

import re

import pytest

from services.referral.bootstrap import bootstrap
from shared import retention
from shared.auth.models import Board
from tests.factories import DEMO_AGENCIES, make_board, make_user
from tests.unit.auth.conftest import csrf_from, sign_in


@pytest.fixture
def board() -> Board:
    return make_board(agencies=DEMO_AGENCIES)


@pytest.fixture
def client_for(settings, board):
    app = bootstrap(settings).app

    def make(*roles, agency=None):
        client = app.test_client()
        assert sign_in(client, make_user(*roles, board=board, agency=agency).email).status_code == 302
        return client

    return make


def _form(client) -> tuple[str, dict[str, str]]:
    page = client.get("/admin/board/retention")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    values = dict(re.findall(r'name="([a-z_]+)" type="text"[^>]*value="([^"]*)"', body))
    return body, {**values, "csrf_token": csrf_from(body)}


def test_board_settings_link_to_the_page_and_it_shows_every_type_with_its_months(client_for):
    client = client_for("business_unit")
    assert "/admin/board/retention" in client.get("/admin/board").get_data(as_text=True)
    body, values = _form(client)
    for kind in retention.RECORD_TYPES:
        assert kind.title in body
        assert values[kind.code] == str(kind.default_months)
    assert "None" not in body and "referrals_not_reviewed</" not in body


def test_wrong_answers_are_all_named_in_the_error_summary(client_for, board):
    client = client_for("admin")
    _, values = _form(client)
    values.update(published_reports="6", audit_log="many", documents="24")
    resp = client.post("/admin/board/retention", data=values)
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "There is a problem" in body
    assert 'href="#published_reports"' in body and 'href="#audit_log"' in body
    assert 'href="#documents"' not in body
    assert retention.schedule_for("referral", board.board_id) == retention.defaults()  # nothing saved


def test_a_right_schedule_is_saved_and_announced(client_for, board):
    client = client_for("admin")
    _, values = _form(client)
    values.update(review_records="180", documents="24")
    resp = client.post("/admin/board/retention", data=values)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("changed=retention")
    saved = retention.schedule_for("referral", board.board_id)
    assert saved["review_records"] == 180 and saved["documents"] == 24
    setting = retention.RetentionSetting.objects.get(key=f"referral:{board.board_id}")
    assert [e.event_type for e in setting.outbox] == ["board.retention_set"]
    assert "retention schedule is saved" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_people_who_do_not_keep_the_board_s_settings_cannot_open_it(client_for):
    client = client_for("agency_practitioner", agency="police")
    assert client.get("/admin/board/retention").status_code == 403
