"""A review timetable as plain data (ISO dates), and back: what the store keeps and the API shows."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.review_period import ReviewPeriod
from services.scheduler.domain.timetables import Pause, Stage, StageChange, Timetable


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj.isoformat() if isinstance(obj, date) else obj


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _required_date(value: str) -> date:
    return date.fromisoformat(value)


def dump_timetable(timetable: Timetable) -> dict[str, Any]:
    return {
        "template": timetable.template.code,
        "start": timetable.start.isoformat(),
        "stages": [_plain(asdict(s)) for s in timetable.stages],
        "pauses": [_plain(asdict(p)) for p in timetable.pauses],
    }


def load_timetable(state: dict[str, Any], calendar: WorkingCalendar) -> Timetable:
    timetable = Timetable(state["template"], _required_date(state["start"]), calendar)
    timetable.stages = [
        Stage(
            **{
                **s,
                "opens_on": _required_date(s["opens_on"]),
                "planned_on": _required_date(s["planned_on"]),
                "done_on": _date(s.get("done_on")),
                "held_since": _date(s.get("held_since")),
                "history": [
                    StageChange(
                        _required_date(h["previous_on"]), _required_date(h["new_on"]), h["reason"], h["kind"]
                    )
                    for h in s.get("history", [])
                ],
            }
        )
        for s in state["stages"]
    ]
    timetable.pauses = [
        Pause(**{**p, "paused_on": _required_date(p["paused_on"]), "resumed_on": _date(p.get("resumed_on"))})
        for p in state["pauses"]
    ]
    return timetable


def dump_review_period(period: ReviewPeriod) -> dict[str, Any]:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "exceptional_reason": period.exceptional_reason,
    }


def load_review_period(state: dict[str, Any]) -> ReviewPeriod:
    return ReviewPeriod(
        _required_date(state["start"]), _required_date(state["end"]), state.get("exceptional_reason")
    )
