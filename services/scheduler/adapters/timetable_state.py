"""Storing a review's timetable: the domain object to a plain document and back."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.timetables import Pause, Stage, StageChange, Timetable


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_jsonable(v) for v in obj]
    return _iso(obj)


def dump(timetable: Timetable) -> dict:
    return {
        "template": timetable.template.code,
        "start": timetable.start.isoformat(),
        "stages": [_jsonable(asdict(s)) for s in timetable.stages],
        "pauses": [_jsonable(asdict(p)) for p in timetable.pauses],
    }


def _d(value):
    return date.fromisoformat(value) if value else None


def load(state: dict, calendar: WorkingCalendar) -> Timetable:
    timetable = Timetable(state["template"], date.fromisoformat(state["start"]), calendar)
    timetable.stages = [
        Stage(
            **{
                **s,
                "opens_on": _d(s["opens_on"]),
                "planned_on": _d(s["planned_on"]),
                "done_on": _d(s.get("done_on")),
                "held_since": _d(s.get("held_since")),
                "history": [
                    StageChange(_d(h["previous_on"]), _d(h["new_on"]), h["reason"], h["kind"])
                    for h in s.get("history", [])
                ],
            }
        )
        for s in state["stages"]
    ]
    timetable.pauses = [
        Pause(**{**p, "paused_on": _d(p["paused_on"]), "resumed_on": _d(p.get("resumed_on"))})
        for p in state["pauses"]
    ]
    return timetable
