"""What the referral service's API and page tests share: its app, a board like the demo's, and
clients for the board's members."""

from __future__ import annotations

import pytest

from services.referral.bootstrap import bootstrap
from tests.factories import DEMO_AGENCIES, TokenClient, make_board, make_token, make_user


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
