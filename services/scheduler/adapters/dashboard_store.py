"""What the board dashboard keeps, from the referral and reviews services' events: for each case
of a board, when it was referred and decided, the review's kind, stage and themes and how it
finished; for each action of its action plans, the owning agency, due date and closing date; and
each case's deadlines as its schedule holds them (kept whenever the schedule is saved).

Each part of a board is kept in BUCKETS documents (``dashboard_parts``, ``_id``
``"<board>|<part>|<bucket>"``), a case or action always in the same bucket, each holding its
share as JSON text with a version. The page reads 3 x BUCKETS documents however many cases the
board has; a change rewrites only its bucket (a fraction of the board, where rewriting the whole
part made every saved schedule cost more as the board grew), and only if nobody changed that
bucket meanwhile (else it tries again).

Stores made before the buckets hold each part in one document (``"<board>|<part>"``). It is read
beneath the buckets: a fact kept in a bucket is newer than the same fact there.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from mongoengine import Document, IntField, StringField
from pymongo.errors import DuplicateKeyError

from services.scheduler.domain.dashboard import ActionFacts, CaseFacts, DeadlineFacts

CASES, ACTIONS, DEADLINES = "cases", "actions", "deadlines"
ATTEMPTS = 20
BUCKETS = 64


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


def _bucket(item: str) -> int:
    return zlib.crc32(item.encode()) % BUCKETS


def _key(board_id: str, part: str, bucket: int) -> str:
    return f"{board_id}|{part}|{bucket:02d}"


def _read(key: str) -> tuple[dict[str, Any], int | None]:
    found = DashboardPart._get_collection().find_one({"_id": key})
    if found is None:
        return {}, None
    data: dict[str, Any] = json.loads(found.get("data") or "{}")
    return data, int(found.get("version") or 0)


def _read_part(board_id: str, part: str) -> dict[str, Any]:
    """The whole part: every bucket, over what a store made before the buckets kept."""
    keys = [f"{board_id}|{part}"] + [_key(board_id, part, b) for b in range(BUCKETS)]
    found = {d["_id"]: d for d in DashboardPart._get_collection().find({"_id": {"$in": keys}})}
    data: dict[str, Any] = {}
    for key in keys:  # the old single document first
        if key not in found:
            continue
        for item, value in json.loads(found[key].get("data") or "{}").items():
            before = data.get(item)
            if isinstance(before, dict) and isinstance(value, dict):
                value = {**before, **value}
            data[item] = value
    return data


def _change(board_id: str, part: str, item: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the bucket of ``item``, written only over the version it read (tried again
    if not)."""
    key = _key(board_id, part, _bucket(item))
    collection = DashboardPart._get_collection()
    for _ in range(ATTEMPTS):
        data, version = _read(key)
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


def keep_part(board_id: str, part: str, items: Mapping[str, Any]) -> None:
    """Keep a whole part at once, in its buckets (for filling a board's figures in one go)."""
    buckets: dict[int, dict[str, Any]] = {}
    for item, value in items.items():
        buckets.setdefault(_bucket(item), {})[item] = value
    DashboardPart._get_collection().insert_many(
        [
            {"_id": _key(board_id, part, b), "data": json.dumps(d, separators=(",", ":")), "version": 1}
            for b, d in buckets.items()
        ]
    )


def note(case_id: str, board_id: str, **fields: Any) -> None:
    """Set these facts of the board's case."""
    _change(
        board_id,
        CASES,
        case_id,
        lambda d: d.setdefault(case_id, {}).update({k: _plain(v) for k, v in fields.items()}),
    )


def note_action(action_id: str, board_id: str, **fields: Any) -> None:
    _change(
        board_id,
        ACTIONS,
        action_id,
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

    _change(board_id, DEADLINES, case_id, change)


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
        for key, c in _read_part(board_id, CASES).items()
    ]
    actions = [
        ActionFacts(a["owner_agency"], date.fromisoformat(a["due"]), _day(a.get("closed_on")))
        for a in _read_part(board_id, ACTIONS).values()
        if a.get("owner_agency") and a.get("due")
    ]
    day = date.fromordinal
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    deadlines = [
        DeadlineFacts(day(flat[i]), day(flat[i + 1]) if flat[i + 1] else None, bool(flat[i + 2]))
        for flat in _read_part(board_id, DEADLINES).values()
        for i in range(0, len(flat), 3)
        if first <= flat[i] <= last
    ]
    return cases, actions, deadlines
