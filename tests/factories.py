"""Small factories for identity records: boards, agencies, users, tokens, and a client sending one."""

from __future__ import annotations

import uuid
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from shared.auth import tokens
from shared.auth.models import Agency, Board, Membership, User
from shared.auth.passwords import hash_password

PASSWORD = "correct horse battery staple"
# The agencies of a board like the demo's.
DEMO_AGENCIES = ("police", "health", "childrens_social_care", "education")


def make_board(board_id: str | None = None, agencies=("police", "health")) -> Board:
    board = Board(board_id=board_id or f"b-{uuid.uuid4().hex[:8]}", name="Test Partnership")
    board.save(force_insert=True)
    for code in agencies:
        Agency(board_id=board.board_id, code=code, name=code.replace("_", " ").capitalize()).save()
    return board


def make_user(
    *roles: str,
    board: Board | str,
    agency: str | None = None,
    password: str = PASSWORD,
    email: str | None = None,
    **overrides,
) -> User:
    board_id = board if isinstance(board, str) else board.board_id
    user = User(
        email=email or f"{uuid.uuid4().hex[:8]}@example.org",
        name=overrides.pop("name", "Test User"),
        password_hash=hash_password(password) if password else None,
        memberships=[Membership(board_id=board_id, roles=list(roles), agency=agency)],
        **overrides,
    )
    user.save()
    return user


def make_token(user: User, board_id: str | None = None, days: int = 30) -> str:
    secret, _ = tokens.issue(user, board_id or user.default_board(), "test", days)
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


class TokenClient:
    """A Flask test client that sends ``secret`` as a Bearer token with every request."""

    def __init__(self, client: FlaskClient, secret: str) -> None:
        self.client, self.headers = client, bearer(secret)

    def get(self, path: str, **kw: Any) -> TestResponse:
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> TestResponse:
        return self.client.post(path, json=json, headers=self.headers, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any) -> TestResponse:
        return self.client.patch(path, json=json, headers=self.headers, **kw)

    def delete(self, path: str, **kw: Any) -> TestResponse:
        return self.client.delete(path, headers=self.headers, **kw)
