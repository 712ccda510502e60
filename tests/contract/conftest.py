"""An app with only what every service shares, the way services build theirs, plus the admin API."""

from __future__ import annotations

import pytest
from flask import Flask

from services.referral.entrypoints import admin
from shared import openapi
from shared.service import build_service
from tests.factories import make_board, make_token, make_user


def _register(app: Flask) -> None:
    app.register_blueprint(admin.blueprint)  # /api/v1/tokens and /api/v1/audit: only referral offers them
    openapi.init_app(app)  # idempotent: a no-op once build_service does it


@pytest.fixture
def app(settings) -> Flask:
    return build_service("referral", settings, import_name="shared", register=_register).app


@pytest.fixture
def board():
    return make_board()


@pytest.fixture
def admin_token(board) -> str:
    return make_token(make_user("admin", board=board))


@pytest.fixture
def member_token(board) -> str:
    return make_token(make_user("panel_member", board=board))
