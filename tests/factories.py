"""Small factories for identity records: boards, agencies, users, tokens."""

from __future__ import annotations

import uuid

from shared.auth import tokens
from shared.auth.models import Agency, Board, Membership, User
from shared.auth.passwords import hash_password

PASSWORD = "correct horse battery staple"


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
