"""What the scheduler's rule tests share: calendars, and a case's deadlines by code."""

from __future__ import annotations

from datetime import date

import pytest

from services.scheduler.domain.calendar import WorkingCalendar
from services.scheduler.domain.deadlines import compute_deadlines
from services.scheduler.domain.errors import ScheduleInputError

ENGLAND = WorkingCalendar()
SCOTLAND = WorkingCalendar("scotland")


def due_dates(milestones, review_kind=None, pack="wt2015", calendar=ENGLAND, **kwargs):
    """code -> due date (or list of dates for a repeating rule)."""
    out: dict[str, date | list[date]] = {}
    for d in compute_deadlines(pack, milestones, review_kind, calendar, **kwargs):
        if d.occurrence > 1 or kwargs.get("occurrences", 1) > 1 or "not_before" in kwargs:
            existing = out.setdefault(d.code, [])
            assert isinstance(existing, list)
            existing.append(d.due)
        else:
            out[d.code] = d.due
    return out


def deadline(code, milestones, review_kind=None, pack="wt2015", calendar=ENGLAND):
    (found,) = [d for d in compute_deadlines(pack, milestones, review_kind, calendar) if d.code == code]
    return found


def fields_of(pack, milestones, review_kind=None, **kwargs):
    with pytest.raises(ScheduleInputError) as caught:
        compute_deadlines(pack, milestones, review_kind, ENGLAND, **kwargs)
    return caught.value.fields


def full_case(**overrides):
    case = {
        "incident_on": date(2025, 12, 20),
        "became_aware_on": date(2025, 12, 24),
        "board_notified_on": date(2026, 1, 5),
        "decided_on": date(2026, 2, 2),
        "initiated_on": date(2026, 2, 9),
        "planned_publication_on": date(2026, 4, 10),
        "published_on": date(2026, 4, 10),
        "action_plan_agreed_on": date(2026, 3, 31),
    }
    case.update(overrides)
    return case
