"""The reviews service's documents in its own database: each case's review (with its outbox of
events) and what the service keeps of each referred case (its own projection of the referral
service's events)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mongoengine import DateField, DateTimeField, DictField, Document, IntField, ListField, StringField

from shared.bus import OutboxDocument


def now() -> datetime:
    return datetime.now(UTC)


class ReviewDocument(OutboxDocument):
    """One case's review: the aggregate's state as a dictionary, and the events it raised."""

    meta: dict[str, Any] = {
        "collection": "reviews",
        # A board's list of reviews, newest first; the ones a panel member sits on; an agency's.
        "indexes": [("board_id", "-opened_on"), "panel_emails", "agencies"],
    }

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    opened_on = DateField()
    state = DictField()
    # The panel's email addresses, lower case: the reviews a panel member sits on.
    panel_emails = ListField(StringField())
    # The agencies involved or asked for a contribution: the reviews an agency's staff see.
    agencies = ListField(StringField())
    version = IntField(default=0)
    updated_at = DateTimeField(default=now)


class CaseDocument(Document):
    """A referred case as the reviews service knows it, from ``referral.submitted``.

    Named ``review_cases``: in the embedded store the services may share one database, and the
    referral service's own ``cases`` are another record.
    """

    meta: dict[str, Any] = {"collection": "review_cases", "indexes": ["board_id"]}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    reference = StringField()
    rule_pack = StringField()
    incident_on = DateField()
    agencies = ListField(StringField())


OUTBOX_DOCUMENTS = (ReviewDocument,)
