"""The board's closure days: the days it declared closed, which deadlines do not count as
working days (DOMAIN.md "Timescales"; ``domain/calendar.py``).

They are kept with the board in the identity store, beside its nation, whose bank holidays
close it too; the scheduler's calendars read them (``adapters/repository.py``,
``MongoBoardCalendars``). A change counts for every deadline worked out after it; deadlines
already set keep their dates.
"""

from __future__ import annotations

from datetime import date

from services.scheduler.domain.calendar import DEFAULT_NATION, bank_holidays
from shared.auth.models import Board
from shared.errors import InvalidInput, NotFound


def _board(board_id: str) -> Board:
    board: Board | None = Board.objects(board_id=board_id).only("board_id", "nation", "closures").first()
    if board is None:
        raise NotFound("There is no such board", field="board_id")
    return board


def closures(board_id: str) -> list[date]:
    return sorted(_board(board_id).closures or ())


def upcoming_bank_holidays(board_id: str, today: date) -> list[date]:
    """The bank holidays of the board's nation from today to the end of next year."""
    nation = _board(board_id).nation or DEFAULT_NATION
    days = bank_holidays(nation, (today.year, today.year + 1))
    return sorted(d for d in days if d >= today)


def add(board_id: str, day: date) -> None:
    board = _board(board_id)
    nation = board.nation or DEFAULT_NATION
    if day in (board.closures or ()):
        raise InvalidInput([{"field": "day", "message": "The board is already closed on that day"}])
    if day.weekday() >= 5:
        raise InvalidInput(
            [{"field": "day", "message": "That day is a weekend, which is never a working day"}]
        )
    if day in bank_holidays(nation, (day.year,)):
        raise InvalidInput(
            [{"field": "day", "message": "That day is a bank holiday, which is never a working day"}]
        )
    Board.objects(board_id=board_id).update_one(add_to_set__closures=day)


def remove(board_id: str, day: date) -> bool:
    """Open the board again on ``day``; False when it was not a closure day."""
    _board(board_id)
    return bool(Board.objects(board_id=board_id, closures=day).update_one(pull__closures=day))
