"""The notifications service's part of the retention schedule (:mod:`shared.retention`).

``notifications``: a message recorded before the cutoff, once it is no longer being sent, is
pseudonymised: its address, the recipient's name, what the template was given and its
history are removed, and the letters attached to it are deleted; that a message of that
kind went to that role on that day stays. Letters received before the cutoff are deleted.
It keeps its copy of each board's schedule from ``board.retention_set``.
"""

from __future__ import annotations

from datetime import datetime

from services.notifications.adapters.store import LetterRecord, Notification
from services.notifications.domain.delivery import PENDING, SENDING
from services.notifications.service_layer.handlers import QUEUE, listeners
from shared.events.retention import BoardRetentionSet
from shared.retention import REMOVED, Applied, RetentionJob, Rule, keep_announced, naive

NAME = "notifications"

listeners.handles(BoardRetentionSet, queue=QUEUE)(keep_announced(NAME))


def _pseudonymise(board_id: str, before: datetime) -> Applied:
    cutoff = naive(before)
    found = Notification._get_collection().update_many(
        {
            "board_id": board_id,
            "created_at": {"$lt": cutoff},
            "status": {"$nin": [PENDING, SENDING]},
            "address": {"$ne": REMOVED},
        },
        {
            "$set": {"address": REMOVED, "recipient_name": REMOVED, "context": {}, "attachments": []},
            "$unset": {"history": ""},
        },
    )
    letters = LetterRecord._get_collection().delete_many(
        {"board_id": board_id, "received_at": {"$lt": cutoff}}
    )
    return Applied(pseudonymised=found.modified_count, deleted=letters.deleted_count)


def job() -> RetentionJob:
    return RetentionJob(NAME, [Rule("notifications", _pseudonymise)])
