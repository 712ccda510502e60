"""The recipients directory, kept by the business unit and admins: add, change, remove."""

from __future__ import annotations

import html

import pytest

from services.notifications.adapters.store import Recipient
from services.notifications.bootstrap import bootstrap
from shared.audit import AuditEntry
from tests.factories import make_board, make_user
from tests.unit.auth.conftest import csrf_from, sign_in

LIST = "/notifications/recipients"


@pytest.fixture
def app(settings):
    return bootstrap(settings).app


@pytest.fixture
def board():
    return make_board()


@pytest.fixture
def ofsted(board):
    r = Recipient(board_id=board.board_id, role="ofsted", name="Ofsted", email="old@ofsted.example.org")
    r.save()
    return r


@pytest.fixture
def signed_in(app, board):
    def make(role):
        user = make_user(role, board=board)
        client = app.test_client()
        assert sign_in(client, user.email).status_code == 302
        return client

    return make


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def post(client, path, data):
    page = client.get(path)
    assert page.status_code == 200, text(page)[:300]
    return client.post(path, data={**data, "csrf_token": csrf_from(page.get_data(as_text=True))})


def test_the_business_unit_adds_changes_and_removes_a_recipient(signed_in, ofsted):
    client = signed_in("business_unit")
    listing = text(client.get(LIST))
    assert (
        "old@ofsted.example.org" in listing
        and f"/notifications/recipients/{ofsted.recipient_id}/change" in listing
    )
    added = post(client, LIST, {"role": "dfe", "name": "DfE", "email": "dfe@education.example.org"})
    assert added.status_code == 302
    changed = post(
        client,
        f"{LIST}/{ofsted.recipient_id}/change",
        {"name": "Ofsted notifications", "email": "new@ofsted.example.org"},
    )
    assert changed.status_code == 302
    ofsted.reload()
    assert (ofsted.name, ofsted.email) == ("Ofsted notifications", "new@ofsted.example.org")
    assert AuditEntry.objects(action="recipient.changed").get().detail == "changed name, email"
    confirm = text(client.get(f"{LIST}/{ofsted.recipient_id}/remove"))
    assert "Are you sure you want to remove Ofsted notifications?" in confirm
    removed = post(client, f"{LIST}/{ofsted.recipient_id}/remove", {})
    assert removed.status_code == 302
    ofsted.reload()
    assert not ofsted.active
    assert "new@ofsted.example.org" not in text(client.get(LIST))
    assert client.get(f"{LIST}/{ofsted.recipient_id}/change").status_code == 404


def test_a_change_shows_every_error_at_once(signed_in, ofsted):
    client = signed_in("admin")
    resp = post(client, f"{LIST}/{ofsted.recipient_id}/change", {"name": "", "email": "not an address"})
    assert resp.status_code == 422
    page = text(resp)
    assert page.count("Enter a name") == 2 and page.count("Enter an email address in the correct format") == 2
    ofsted.reload()
    assert ofsted.email == "old@ofsted.example.org"


@pytest.mark.parametrize("role", ["chair", "panel_member", "agency_practitioner"])
def test_other_roles_are_refused(signed_in, ofsted, role):
    client = signed_in(role)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}/{ofsted.recipient_id}/change").status_code == 403
    assert client.get(f"{LIST}/{ofsted.recipient_id}/remove").status_code == 403


def test_a_recipient_of_another_board_is_not_found(signed_in):
    theirs = Recipient(board_id=make_board().board_id, role="ofsted", name="O", email="o@example.org")
    theirs.save()
    assert signed_in("admin").get(f"{LIST}/{theirs.recipient_id}/change").status_code == 404
