"""What the scheduler's API tests share: its app, a board, and a business unit member's token.
A test module that needs another board or member defines its own."""

from __future__ import annotations

import pytest

from services.scheduler.bootstrap import bootstrap
from tests.factories import bearer, make_board, make_token, make_user


@pytest.fixture
def service(settings):
    return bootstrap(settings)


@pytest.fixture
def client(service):
    return service.app.test_client()


@pytest.fixture
def board():
    return make_board()


@pytest.fixture
def token(board):
    return bearer(make_token(make_user("business_unit", board=board)))
