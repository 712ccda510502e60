"""The final report of each case in the reviews service's database, with its outbox of events,
and the family viewers of a board (from the identity store every service shares).

The report is a record of its own, not part of the review's: its versions grow large, and the
panel's work on the review and the drafting of the report should not stop each other saving.
"""

from __future__ import annotations

import abc
from typing import Any

from mongoengine import DateTimeField, DictField, IntField, StringField
from mongoengine.errors import NotUniqueError, SaveConditionError

from services.reviews.adapters.repository import PRODUCER
from services.reviews.adapters.store import now
from services.reviews.domain.report import Report
from shared.auth.models import User
from shared.bus import OutboxDocument
from shared.errors import Conflict
from shared.uow import Repository

FAMILY_VIEWER = "family_viewer"


class ReportDocument(OutboxDocument):
    meta: dict[str, Any] = {"collection": "review_reports", "indexes": ["board_id"]}

    case_id = StringField(primary_key=True)
    board_id = StringField(required=True)
    state = DictField()
    version = IntField(default=0)
    updated_at = DateTimeField(default=now)


class ReportRepository(Repository[Report]):
    def get(self, case_id: str, board_id: str) -> Report | None:
        """The board's report of the case, to change."""
        return self._track(self._get(case_id, board_id))

    @abc.abstractmethod
    def _get(self, case_id: str, board_id: str) -> Report | None: ...

    @abc.abstractmethod
    def lookup(self, case_id: str, board_id: str) -> Report | None:
        """The board's report of the case, to read."""


class FamilyViewers(abc.ABC):
    @abc.abstractmethod
    def find(self, board_id: str, user_id: str | None, email: str | None) -> tuple[str, str] | None:
        """The board's family viewer with that id or email address: (user id, email address)."""


class MongoReportRepository(ReportRepository):
    def __init__(self) -> None:
        super().__init__()
        self._docs: dict[str, ReportDocument] = {}

    def _get(self, case_id: str, board_id: str) -> Report | None:
        doc = ReportDocument.objects(case_id=case_id, board_id=board_id).first()
        if doc is None:
            return None
        self._docs[case_id] = doc
        return Report.from_dict(doc.case_id, doc.board_id, doc.version, doc.state)

    def lookup(self, case_id: str, board_id: str) -> Report | None:
        doc = ReportDocument.objects(case_id=case_id, board_id=board_id).exclude("outbox").first()
        return None if doc is None else Report.from_dict(doc.case_id, doc.board_id, doc.version, doc.state)

    def save(self, aggregate: Report) -> None:
        doc = self._docs.get(aggregate.case_id)
        new = doc is None
        if doc is None:
            doc = ReportDocument(case_id=aggregate.case_id, board_id=aggregate.board_id, version=0)
        expected = doc.version
        for payload in aggregate.events:
            doc.raise_event(payload, producer=PRODUCER)
        doc.state = aggregate.as_dict()
        doc.version = expected + 1
        doc.updated_at = now()
        try:
            if new:
                doc.save(force_insert=True)
            else:
                doc.save(save_condition={"version": expected})
        except (SaveConditionError, NotUniqueError) as exc:
            raise Conflict("Someone else changed this report at the same time: try again", "version") from exc
        self._docs[aggregate.case_id] = doc
        aggregate.version = doc.version
        aggregate.events.clear()


class IdentityFamilyViewers(FamilyViewers):
    def find(self, board_id: str, user_id: str | None, email: str | None) -> tuple[str, str] | None:
        if user_id:
            user = User.objects(user_id=user_id).first()
        elif email:
            user = User.objects(email=email.strip().lower()).first()
        else:
            return None
        if user is None or not user.active_in(board_id):
            return None
        membership = user.membership(board_id)
        if membership is None or FAMILY_VIEWER not in membership.roles:
            return None
        return (str(user.user_id), str(user.email))


REPORT_OUTBOX_DOCUMENTS = (ReportDocument,)
