"""What the referral service's API and page tests share: its app, a board like the demo's,
clients for the board's members, and a browser for each (signed in, following its forms)."""

from __future__ import annotations

import html
import re

import pytest

from services.referral.bootstrap import bootstrap
from tests.factories import DEMO_AGENCIES, TokenClient, make_board, make_token, make_user
from tests.unit.auth.conftest import csrf_from, sign_in


@pytest.fixture
def app(settings):
    return bootstrap(settings).app


@pytest.fixture
def board():
    return make_board(agencies=DEMO_AGENCIES)


@pytest.fixture
def as_role(app, board):
    """A client for a new member of the board (or of ``board_``) with ``roles``, sending its token."""

    def client_for(*roles, agency=None, board_=None, name="Test User") -> TokenClient:
        user = make_user(*roles, board=board_ or board, agency=agency, name=name)
        return TokenClient(app.test_client(), make_token(user))

    return client_for


class Browser:
    """One signed-in user's session."""

    def __init__(self, client, user):
        self.client, self.user = client, user

    def get(self, path):
        return self.client.get(path)

    def page(self, path) -> str:
        resp = self.client.get(path)
        assert resp.status_code == 200, (path, resp.status_code, resp.get_data(as_text=True)[:300])
        return resp.get_data(as_text=True)

    def submit(self, path, data, action="continue"):
        """Open the page at ``path``, fill in its form and send it where the form says."""
        body = self.page(path)
        target = re.search(r'<form method="post" action="([^"]+)"', body)
        assert target, f"no form on {path}"
        payload = {**data, "csrf_token": csrf_from(body)}
        if action:
            payload["action"] = action
        return self.client.post(html.unescape(target.group(1)), data=payload)

    def answer(self, path, data, action="continue") -> str:
        resp = self.submit(path, data, action)
        assert resp.status_code == 302, html.unescape(resp.get_data(as_text=True))[:2000]
        return resp.headers["Location"]


@pytest.fixture
def browser(app, board):
    def make(*roles, agency=None, name="Test User", board_=None):
        user = make_user(*roles, board=board_ or board, agency=agency, name=name)
        client = app.test_client()
        assert sign_in(client, user.email).status_code == 302
        return Browser(client, user)

    return make
