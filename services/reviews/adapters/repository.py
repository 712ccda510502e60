"""Repositories of the reviews service (cosmicpython ``adapters/repository.py``): what the
handlers may ask, and the answers from MongoDB; the unit tests use in-memory fakes.

``get`` tracks the review it returns, so that the unit of work's commit writes it; ``lookup``
is a read and tracks nothing. A review is written only if nobody changed it since it was read.
The directory reads the identity store every service shares: the board's agencies, its
working-day calendar, a user's email address.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import date

from mongoengine import Q
from mongoengine.errors import NotUniqueError, SaveConditionError

from services.reviews.adapters.records import dump_review, load_review
from services.reviews.adapters.store import CaseDocument, ReviewDocument, now
from services.reviews.domain.review import Review
from shared.auth.models import Agency, Board, User
from shared.errors import Conflict
from shared.pagination import Page, paginate
from shared.uow import Repository
from shared.working_days import DEFAULT_NATION, WorkingDays

PRODUCER = "reviews"


@dataclass
class CaseFacts:
    """What the service keeps of a referred case."""

    case_id: str
    board_id: str
    reference: str | None
    rule_pack: str | None
    incident_on: date | None
    agencies: list[str]
    outbox: tuple[()] = ()  # raises no events


class ReviewRepository(Repository[Review]):
    def get(self, case_id: str) -> Review | None:
        """The case's review, whichever board's, to change."""
        return self._track(self._get(case_id))

    @abc.abstractmethod
    def _get(self, case_id: str) -> Review | None: ...

    @abc.abstractmethod
    def lookup(self, case_id: str, board_id: str) -> Review | None:
        """The board's review of that case, to read."""

    @abc.abstractmethod
    def listing(
        self, board_id: str, *, panel_email: str | None, agency: str | None, page: int, per_page: int
    ) -> Page[Review]:
        """One page of the board's reviews, newest first, to read: all of them when neither
        ``panel_email`` nor ``agency`` is given, else those whose panel has that email address
        or that involve that agency."""


class CaseRepository(Repository[CaseFacts]):
    @abc.abstractmethod
    def get(self, case_id: str) -> CaseFacts | None:
        """What is known of a referred case (not tracked: add a new one to store it)."""


class Directory(abc.ABC):
    @abc.abstractmethod
    def agencies(self, board_id: str) -> dict[str, str]:
        """Each of the board's agencies: code -> name."""

    @abc.abstractmethod
    def working_days(self, board_id: str) -> WorkingDays: ...

    @abc.abstractmethod
    def email_of(self, user_id: str) -> str | None: ...


# -- MongoDB ---------------------------------------------------------------------------------


class MongoReviewRepository(ReviewRepository):
    def __init__(self) -> None:
        super().__init__()
        self._docs: dict[str, ReviewDocument] = {}

    def _load(self, doc: ReviewDocument | None) -> Review | None:
        if doc is None:
            return None
        self._docs[doc.case_id] = doc
        return load_review(doc.case_id, doc.board_id, doc.version, doc.state)

    def _get(self, case_id: str) -> Review | None:
        return self._load(ReviewDocument.objects(case_id=case_id).first())

    def lookup(self, case_id: str, board_id: str) -> Review | None:
        doc = ReviewDocument.objects(case_id=case_id, board_id=board_id).exclude("outbox").first()
        return None if doc is None else load_review(doc.case_id, doc.board_id, doc.version, doc.state)

    def listing(
        self, board_id: str, *, panel_email: str | None, agency: str | None, page: int, per_page: int
    ) -> Page[Review]:
        query = Q(board_id=board_id)
        if panel_email is not None or agency is not None:
            mine = Q(case_id="")  # no review has this id: matches nothing by itself
            if panel_email:
                mine |= Q(panel_emails=panel_email.lower())
            if agency:
                mine |= Q(agencies=agency)
            query &= mine
        found = ReviewDocument.objects(query).exclude("outbox").order_by("-opened_on", "case_id")
        docs = paginate(found, page, per_page)
        items = [load_review(d.case_id, d.board_id, d.version, d.state) for d in docs.items]
        return Page(items, docs.total, docs.page, docs.per_page)

    def save(self, aggregate: Review) -> None:
        doc = self._docs.get(aggregate.case_id)
        new = doc is None
        if doc is None:
            doc = ReviewDocument(case_id=aggregate.case_id, board_id=aggregate.board_id, version=0)
        expected = doc.version
        for payload in aggregate.events:
            doc.raise_event(payload, producer=PRODUCER)
        doc.state = dump_review(aggregate)
        doc.panel_emails = sorted({m.email.lower() for m in aggregate.panel if m.email})
        doc.agencies = sorted({*aggregate.agencies, *(c.agency for c in aggregate.contributions)})
        doc.opened_on = aggregate.opened_on
        doc.version = expected + 1
        doc.updated_at = now()
        try:
            if new:
                doc.save(force_insert=True)
            else:
                doc.save(save_condition={"version": expected})
        except (SaveConditionError, NotUniqueError) as exc:
            raise Conflict("Someone else changed this review at the same time: try again", "version") from exc
        self._docs[aggregate.case_id] = doc
        aggregate.version = doc.version
        aggregate.events.clear()


class MongoCaseRepository(CaseRepository):
    def get(self, case_id: str) -> CaseFacts | None:
        doc = CaseDocument.objects(case_id=case_id).first()
        if doc is None:
            return None
        return CaseFacts(
            doc.case_id, doc.board_id, doc.reference, doc.rule_pack, doc.incident_on, list(doc.agencies)
        )

    def save(self, aggregate: CaseFacts) -> None:
        CaseDocument(
            case_id=aggregate.case_id,
            board_id=aggregate.board_id,
            reference=aggregate.reference,
            rule_pack=aggregate.rule_pack,
            incident_on=aggregate.incident_on,
            agencies=aggregate.agencies,
        ).save()


class IdentityDirectory(Directory):
    def agencies(self, board_id: str) -> dict[str, str]:
        return {a.code: a.name for a in Agency.objects(board_id=board_id)}

    def working_days(self, board_id: str) -> WorkingDays:
        board = Board.objects(board_id=board_id).only("nation", "closures").first()
        if board is None:
            return WorkingDays(DEFAULT_NATION)
        return WorkingDays(board.nation or DEFAULT_NATION, board.closures or ())

    def email_of(self, user_id: str) -> str | None:
        user = User.objects(user_id=user_id).only("email").first()
        return user.email if user is not None else None
