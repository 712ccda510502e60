"""The scheduler's part of the retention schedule (:mod:`shared.retention`).

Its records are each case's deadlines and timetable: dates and codes, no one's details. It
deletes a case's schedule and timetable once they have not changed since before the cutoff
of ``review_records`` (a case whose deadlines have not moved for that long is over, whether
or not it led to a review). It keeps its copy of each board's schedule from
``board.retention_set``.
"""

from __future__ import annotations

from datetime import datetime

from services.scheduler.adapters.store import Schedule, TimetableDocument
from services.scheduler.service_layer.handlers import QUEUE, listeners
from shared.events.retention import BoardRetentionSet
from shared.retention import Applied, RetentionJob, Rule, keep_announced, naive

NAME = "scheduler"

listeners.handles(BoardRetentionSet, queue=QUEUE)(keep_announced(NAME))


def _delete_schedules(board_id: str, before: datetime) -> Applied:
    old = {"board_id": board_id, "updated_at": {"$lt": naive(before)}}
    deleted = Schedule._get_collection().delete_many(old).deleted_count
    deleted += TimetableDocument._get_collection().delete_many(old).deleted_count
    return Applied(deleted=deleted)


def job() -> RetentionJob:
    return RetentionJob(NAME, [Rule("review_records", _delete_schedules)])
