"""What the documents service keeps of a review's learning and action plan, from the reviews
service's events: the learning summary as last completed (``learning_summary.completed``), each
action of the plan as last seen (``action.added``, ``.progress_reported``, ``.closed``) and the
board's response that goes with the plan (``action_plan.response_recorded``).

One document per case in the service's own collection ``learning_records``; the content is kept
sealed with the field-encryption keys, as the review's other content is. Each part remembers the
instant of the event it came from, so a late repeat of an older event does not overwrite a newer
state.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from mongoengine import DateTimeField, DictField, Document, StringField

from shared.crypto import open_json, seal_json


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# What every action event says of the action itself.
ACTION_DETAILS = (
    "action_id",
    "reference",
    "recommendation",
    "action",
    "owner_agency",
    "owner_email",
    "due_on",
    "success_measure",
)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


class LearningRecord(Document):
    meta: dict[str, Any] = {"collection": "learning_records"}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    summary_sealed = StringField()
    summary_as_of = DateTimeField()
    response_sealed = StringField()
    response_as_of = DateTimeField()
    publication_planned_on = StringField()  # ISO date, from publication.planned
    # action id -> {"sealed": ..., "as_of": ISO instant}
    actions = DictField()

    @classmethod
    def of(cls, case_id: str, board_id: str) -> LearningRecord:
        found: LearningRecord | None = cls.objects(case_id=case_id).first()
        return found if found is not None else cls(case_id=case_id, board_id=board_id)

    @classmethod
    def find(cls, case_id: str) -> LearningRecord | None:
        found: LearningRecord | None = cls.objects(case_id=case_id).first()
        return found

    def _newer(self, kept: datetime | None, at: datetime) -> bool:
        return kept is None or _aware(kept) <= at

    def keep_summary(self, data: Any, at: datetime) -> bool:
        if not self._newer(self.summary_as_of, at):
            return False
        self.summary_sealed = seal_json(_plain(asdict(data)))
        self.summary_as_of = at
        return True

    def keep_response(self, data: Any, at: datetime) -> bool:
        if not self._newer(self.response_as_of, at):
            return False
        self.response_sealed = seal_json(_plain(asdict(data)))
        self.response_as_of = at
        return True

    def keep_action(self, data: Any, event_id: str, at: datetime, **state: Any) -> bool:
        """Keep an action's details as the event gives them, and ``state``: what the event says of
        its adding, progress (appended to what was kept) or closing. A repeat changes nothing."""
        kept = self.actions.get(data.action_id)
        if kept is not None and (
            datetime.fromisoformat(kept["as_of"]) > at or event_id in kept.get("events", [])
        ):
            return False
        now = open_json(kept["sealed"]) if kept else {"progress": []}
        now.update(_plain({k: getattr(data, k) for k in ACTION_DETAILS}))
        progress = state.pop("progress", None)
        if progress is not None:
            now["progress"] = [*now.get("progress", []), _plain(progress)]
        now.update(_plain(state))
        events = [*(kept or {}).get("events", []), event_id]
        self.actions[data.action_id] = {"sealed": seal_json(now), "as_of": at.isoformat(), "events": events}
        return True

    def summary(self) -> dict[str, Any] | None:
        return open_json(self.summary_sealed) if self.summary_sealed else None

    def response(self) -> dict[str, Any] | None:
        return open_json(self.response_sealed) if self.response_sealed else None

    def opened_actions(self) -> list[dict[str, Any]]:
        """Every action kept, opened, soonest due first."""
        found = [open_json(a["sealed"]) for a in self.actions.values()]
        return sorted(found, key=lambda a: (a.get("due_on") or "", a.get("action_id") or ""))
