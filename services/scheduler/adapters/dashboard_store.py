"""What the board dashboard keeps, from the referral and reviews services' events: for each case
of a board, when it was referred and decided, the review's kind, stage and themes and how it
finished; for each action of its action plans, the owning agency, due date and closing date; and
each case's deadlines as its schedule holds them (kept whenever the schedule is saved).

Each part of a board is one document (``dashboard_parts``, ``_id`` ``"<board>|<part>"``) holding
the part as JSON text with a version: the page reads three documents however many cases the board
has, and a change rewrites its part only if nobody changed it meanwhile (else it tries again)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from mongoengine import Document, IntField, StringField
from pymongo.errors import DuplicateKeyError

from services.scheduler.domain.dashboard import ActionFacts, CaseFacts, DeadlineFacts

CASES, ACTIONS, DEADLINES = "cases", "actions", "deadlines"
ATTEMPTS = 20


class DashboardPart(Document):
    meta: dict[str, Any] = {"collection": "dashboard_parts"}

    key = StringField(primary_key=True)
    data = StringField(default="{}")
    version = IntField(default=0)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _read(board_id: str, part: str) -> tuple[dict[str, Any], int | None]:
    found = DashboardPart._get_collection().find_one({"_id": f"{board_id}|{part}"})
    if found is None:
        return {}, None
    data: dict[str, Any] = json.loads(found.get("data") or "{}")
    return data, int(found.get("version") or 0)


def _change(board_id: str, part: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the part, written only over the version it read (tried again if not)."""
    key = f"{board_id}|{part}"
    collection = DashboardPart._get_collection()
    for _ in range(ATTEMPTS):
        data, version = _read(board_id, part)
        change(data)
        text = json.dumps(data, separators=(",", ":"))
        if version is None:
            try:
                collection.insert_one({"_id": key, "data": text, "version": 1})
                return
            except DuplicateKeyError:  # inserted meanwhile: read it again
                continue
        if collection.update_one(
            {"_id": key, "version": version}, {"$set": {"data": text, "version": version + 1}}
        ).modified_count:
            return
    raise RuntimeError(f"the dashboard's {part} of board {board_id} kept changing")


def note(case_id: str, board_id: str, **fields: Any) -> None:
    """Set these facts of the board's case."""
    _change(
        board_id, CASES, lambda d: d.setdefault(case_id, {}).update({k: _plain(v) for k, v in fields.items()})
    )


def note_action(action_id: str, board_id: str, **fields: Any) -> None:
    _change(
        board_id,
        ACTIONS,
        lambda d: d.setdefault(action_id, {}).update({k: _plain(v) for k, v in fields.items()}),
    )


def note_deadlines(case_id: str, board_id: str, rows: list[tuple[date, date | None, bool]]) -> None:
    """Keep the case's deadlines as its schedule holds them now (in place of what was kept)."""
    # Flat and in day numbers (date.toordinal; 0: not met), which read back quickly.
    kept = [
        n for due, met, waived in rows for n in (due.toordinal(), met.toordinal() if met else 0, int(waived))
    ]

    def change(data: dict[str, Any]) -> None:
        data[case_id] = kept

    _change(board_id, DEADLINES, change)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def facts_of(board_id: str, year: int) -> tuple[list[CaseFacts], list[ActionFacts], list[DeadlineFacts]]:
    """The board's cases and actions, and its deadlines due in ``year``."""
    cases = [
        CaseFacts(
            case_id=key,
            referred_on=_day(c.get("referred_on")),
            decided_on=_day(c.get("decided_on")),
            outcome=c.get("outcome"),
            review_kind=c.get("review_kind"),
            opened_on=_day(c.get("opened_on")),
            stage=c.get("stage"),
            themes=tuple(c.get("themes") or ()),
            published_on=_day(c.get("published_on")),
            not_published=bool(c.get("not_published")),
        )
        for key, c in _read(board_id, CASES)[0].items()
    ]
    actions = [
        ActionFacts(a["owner_agency"], date.fromisoformat(a["due"]), _day(a.get("closed_on")))
        for a in _read(board_id, ACTIONS)[0].values()
        if a.get("owner_agency") and a.get("due")
    ]
    day = date.fromordinal
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    deadlines = [
        DeadlineFacts(day(flat[i]), day(flat[i + 1]) if flat[i + 1] else None, bool(flat[i + 2]))
        for flat in _read(board_id, DEADLINES)[0].values()
        for i in range(0, len(flat), 3)
        if first <= flat[i] <= last
    ]
    return cases, actions, deadlines
