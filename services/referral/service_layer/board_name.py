"""The board's name, which its administrators and business unit may change.

It is kept with the board in the identity store, which every service reads: letters, emails
and the page header take it from there.
"""

from __future__ import annotations

from shared.auth.models import Board
from shared.errors import NotFound

MAX_NAME = 200


def problem(name: str) -> str | None:
    """What is wrong with a new name, in words to show; None when it will do."""
    if not name.strip():
        return "Enter the board's name"
    if len(name.strip()) > MAX_NAME:
        return f"The board's name must be {MAX_NAME} characters or fewer"
    return None


def rename(board_id: str, name: str) -> str:
    """Give the board its new name; returns the name it had."""
    board: Board | None = Board.objects(board_id=board_id).only("name").first()
    if board is None:
        raise NotFound("There is no such board", field="board_id")
    Board.objects(board_id=board_id).update_one(set__name=name.strip())
    before: str = board.name
    return before
