"""The reviews service's part of the retention schedule (:mod:`shared.retention`).

A review's record (panel, terms of reference, contributions, meetings, family engagement)
not changed since before the cutoff of ``review_records`` is deleted, with what the service
kept of its case. It keeps its copy of each board's schedule from ``board.retention_set``.
"""

from __future__ import annotations

from datetime import datetime

from services.reviews.adapters.store import CaseDocument, ReviewDocument
from services.reviews.service_layer.handlers import QUEUE, listeners
from shared.events.retention import BoardRetentionSet
from shared.retention import Applied, RetentionJob, Rule, keep_announced, naive

NAME = "reviews"

listeners.handles(BoardRetentionSet, queue=QUEUE)(keep_announced(NAME))


def _delete_reviews(board_id: str, before: datetime) -> Applied:
    reviews = ReviewDocument._get_collection()
    old = {"board_id": board_id, "updated_at": {"$lt": naive(before)}}
    case_ids = [doc["_id"] for doc in reviews.find(old, {"_id": 1})]
    if not case_ids:
        return Applied()
    deleted = reviews.delete_many({"_id": {"$in": case_ids}}).deleted_count
    CaseDocument._get_collection().delete_many({"_id": {"$in": case_ids}})
    return Applied(deleted=deleted)


def job() -> RetentionJob:
    return RetentionJob(NAME, [Rule("review_records", _delete_reviews)])
