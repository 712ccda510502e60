"""Repositories of the referral service (cosmicpython ``adapters/repository.py``).

Each abstract repository says what the service layer may ask of the store; the Mongo ones
answer from MongoDB, and the unit tests of the handlers use in-memory ones
(``tests/unit/referral/fakes.py``). A unit of work commits what its repositories loaded or
added, each record in one single-document write that also holds the events it raised.

- :class:`CaseRepository`: cases, the board's reference numbers, and the two changes made
  in place (a deadline announced, a case shared) because they are single atomic updates.
  A case loaded and changed is saved only if its status is still the one it was loaded with:
  someone who moved the case on meanwhile wins, and the later writer gets a conflict.
- :class:`DraftRepository`: referrals being written, each visible only to its author.
- :class:`BoardRepository` (in :mod:`.boards`): what the identity store says about a board and
  its members, and the board's rule pack, which an admin may change.
"""

from __future__ import annotations

import abc
import dataclasses
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from mongoengine import Q
from mongoengine.errors import SaveConditionError
from pymongo import ReturnDocument

from services.referral.adapters.boards import BoardRepository, MongoBoardRepository
from services.referral.adapters.case_search import CaseCriteria, narrow
from services.referral.adapters.store import Case, Counter, Draft, DraftNotice, NextDeadline, now
from shared.errors import Conflict
from shared.pagination import PER_PAGE, Page, paginate
from shared.uow import Repository

CHANGED_MEANWHILE = "The case changed while you were working on it. Reload and try again."

__all__ = [
    "CHANGED_MEANWHILE",
    "BoardRepository",
    "CaseRepository",
    "CaseSummary",
    "DeadlineSummary",
    "DraftRepository",
    "MongoBoardRepository",
    "MongoCaseRepository",
    "MongoDraftRepository",
    "reference",
]


def reference(board_id: str, year: int, number: int) -> str:
    """A case's reference: the board, the year and a number counted per board and year."""
    return f"{board_id.upper()}-{year}-{number:04d}"


# -- what a list of cases shows ---------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineSummary:
    code: str | None
    due: date | None
    status: str | None  # due_soon or overdue, as the scheduler announced


@dataclass(frozen=True)
class CaseSummary:
    """A case as a list shows it: its reference, where it stands and its key dates.

    Not its facts, screening, history, decision's reasons or the child: those are read one
    case at a time (``CaseRepository.get``), so a page of fifty stays small and nothing
    encrypted is opened to draw a list.
    """

    case_id: str
    reference: str
    status: str
    review_kind: str | None
    referring_agency: str | None
    incident_on: date
    became_aware_on: date
    board_notified_on: date
    decided_on: date | None
    next_deadline: DeadlineSummary | None
    created_at: datetime
    pseudonym: str | None = None

    # The stored fields a summary is made of: the store sends only these.
    FIELDS = (
        "case_id",
        "reference",
        "pseudonym",
        "status",
        "referring_agency",
        "incident_on",
        "became_aware_on",
        "board_notified_on",
        "decision.outcome",
        "decision.decided_on",
        "next_deadline",
        "created_at",
    )

    @classmethod
    def of(cls, son: Mapping[str, Any]) -> CaseSummary:
        """The summary of a case as the store keeps it (a raw document)."""
        decision = son.get("decision") or {}
        deadline = son.get("next_deadline")
        return cls(
            case_id=son["_id"],
            reference=son["reference"],
            status=son["status"],
            review_kind=decision.get("outcome"),
            referring_agency=son.get("referring_agency"),
            incident_on=_day(son["incident_on"]),
            became_aware_on=_day(son["became_aware_on"]),
            board_notified_on=_day(son["board_notified_on"]),
            decided_on=_day(decision["decided_on"]) if decision.get("decided_on") else None,
            next_deadline=None
            if not deadline
            else DeadlineSummary(
                deadline.get("code"),
                _day(deadline["due"]) if deadline.get("due") else None,
                deadline.get("status"),
            ),
            created_at=_utc(son["created_at"]),
            pseudonym=son.get("pseudonym"),
        )


def _day(stored: datetime | date) -> date:
    """A date as the store keeps it (midnight of that day) as a date."""
    return stored.date() if isinstance(stored, datetime) else stored


def _utc(stored: datetime) -> datetime:
    return stored if stored.tzinfo else stored.replace(tzinfo=UTC)


# The order of every list of cases: newest first, by reference. A case's reference is given
# when it is referred, counting up within the board and year (``next_reference``), and no two
# of a board's cases share one: so the order is the order of referral, and a case is on exactly
# one page, with one key to sort by. The store's indexes on the cases (``adapters/store.py``)
# end in it.
CASE_ORDER = ("-reference",)


class CaseRepository(Repository[Case]):
    def __init__(self) -> None:
        super().__init__()
        self._loaded_status: dict[int, str] = {}

    def get(self, board_id: str, case_id: str, *, agency: str | None = None) -> Case | None:
        """A case of the board; with ``agency``, only one that agency referred or was shown."""
        case = self._get(board_id, case_id, agency)
        if case is not None:
            self._loaded_status[id(case)] = case.status
        return self._track(case)

    def save(self, case: Case) -> None:
        if self._is_new(case):
            self._insert(case)
            self._inserted(case)
        else:
            self._update_if_status(case, self._loaded_status[id(case)])
        self._loaded_status[id(case)] = case.status

    @abc.abstractmethod
    def _get(self, board_id: str, case_id: str, agency: str | None) -> Case | None: ...

    @abc.abstractmethod
    def _insert(self, case: Case) -> None: ...

    @abc.abstractmethod
    def _update_if_status(self, case: Case, expected: str) -> None:
        """Write the case only if its stored status is still ``expected``; else :class:`Conflict`."""

    @abc.abstractmethod
    def list(
        self,
        board_id: str,
        *,
        agency: str | None = None,
        status: str | None = None,
        review_kind: str | None = None,
        overdue: bool | None = None,
        criteria: CaseCriteria | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page[CaseSummary]:
        """One page of the board's cases, newest first, each as a list shows it, and their total."""

    @abc.abstractmethod
    def next_reference(self, board_id: str, year: int) -> str:
        """The next reference of the board in that year; never the same twice, across processes."""

    @abc.abstractmethod
    def record_deadline(self, case_id: str, event_id: str, *, code: str, due: date, status: str) -> bool:
        """Keep the case's next deadline unless event ``event_id`` was applied already.

        One atomic update (a repeat of the event changes nothing). False when there is no
        such case.
        """

    @abc.abstractmethod
    def share(self, case_id: str, agency: str) -> None:
        """Let ``agency`` see the case too (one atomic update; sharing twice changes nothing)."""


class DraftRepository(Repository[Draft]):
    def __init__(self) -> None:
        super().__init__()
        self._removed: set[int] = set()
        self._announced: dict[int, list[Any]] = {}
        # What :meth:`_publish` was given, in order (kept by the fakes of the unit tests).
        self.published: list[Any] = []

    def announce(self, draft: Draft, payload: Any) -> None:
        """Publish ``payload`` (a ``referral_draft`` event) once the unit of work writes the draft."""
        self._announced.setdefault(id(draft), []).append(payload)
        self._track(draft)

    def get(self, board_id: str, user_id: str, draft_id: str) -> Draft | None:
        """One of the user's own drafts on the board; nobody else's."""
        return self._track(self._get(board_id, user_id, draft_id))

    def remove(self, draft: Draft) -> None:
        """Delete the draft when the unit of work commits."""
        self._removed.add(id(draft))
        self._track(draft)

    def save(self, draft: Draft) -> None:
        if id(draft) in self._removed:
            self._delete(draft)
        else:
            self._save(draft)
        payloads = self._announced.pop(id(draft), [])
        if payloads:
            self._publish(draft, payloads)

    def _publish(self, draft: Draft, payloads: list[Any]) -> None:
        """Queue the events about the draft in its notice's outbox (here: only remembered)."""
        self.published.extend(payloads)

    @abc.abstractmethod
    def _get(self, board_id: str, user_id: str, draft_id: str) -> Draft | None: ...

    @abc.abstractmethod
    def _save(self, draft: Draft) -> None: ...

    @abc.abstractmethod
    def _delete(self, draft: Draft) -> None: ...

    @abc.abstractmethod
    def list(self, board_id: str, user_id: str, *, page: int = 1, per_page: int = PER_PAGE) -> Page[Draft]:
        """One page of the user's drafts on the board, the one saved last first, and their total.

        For reading only: the drafts come without the child's details (``child`` is None).
        """


# -- MongoDB -------------------------------------------------------------------------------


class MongoCaseRepository(CaseRepository):
    _counter_lock = threading.Lock()

    @staticmethod
    def _visible(board_id: str, agency: str | None):  # type: ignore[no-untyped-def]
        qs = Case.objects(board_id=board_id)
        if agency is not None:
            qs = qs.filter(Q(referring_agency=agency) | Q(shared_with=agency))
        return qs

    def _get(self, board_id: str, case_id: str, agency: str | None) -> Case | None:
        return self._visible(board_id, agency).filter(case_id=case_id).first()

    def _insert(self, case: Case) -> None:
        case.save(force_insert=True)

    def _update_if_status(self, case: Case, expected: str) -> None:
        if not case._get_changed_fields():
            return  # nothing to write
        try:
            case.save(save_condition={"status": expected})
        except SaveConditionError:
            raise Conflict(CHANGED_MEANWHILE, field="status") from None

    def list(
        self,
        board_id: str,
        *,
        agency: str | None = None,
        status: str | None = None,
        review_kind: str | None = None,
        overdue: bool | None = None,
        criteria: CaseCriteria | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page[CaseSummary]:
        qs = self._visible(board_id, agency)
        if status:
            qs = qs.filter(status=status)
        if review_kind:
            qs = qs.filter(decision__outcome=review_kind)
        if overdue is True:
            qs = qs.filter(next_deadline__status="overdue")
        elif overdue is False:
            qs = qs.filter(next_deadline__status__ne="overdue")
        # The store counts, sorts and slices; only the summaries' fields leave it.
        qs = narrow(qs, criteria) if criteria else qs.order_by(*CASE_ORDER)
        found = paginate(qs.only(*CaseSummary.FIELDS).as_pymongo(), page, per_page)
        return dataclasses.replace(found, items=[CaseSummary.of(son) for son in found.items])

    def next_reference(self, board_id: str, year: int) -> str:
        coll = Counter._get_collection()
        # MongoDB makes the increment atomic across processes; the in-memory store does
        # not between threads, so threads of this process take turns.
        with self._counter_lock:
            doc = coll.find_one_and_update(
                {"_id": f"{board_id}:{year}"},
                {"$inc": {"value": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        return reference(board_id, year, doc["value"])

    def record_deadline(self, case_id: str, event_id: str, *, code: str, due: date, status: str) -> bool:
        updated = Case.objects(case_id=case_id, applied_events__ne=event_id).update_one(
            set__next_deadline=NextDeadline(code=code, due=due, status=status),
            push__applied_events=event_id,
        )
        return bool(updated) or Case.objects(case_id=case_id).first() is not None

    def share(self, case_id: str, agency: str) -> None:
        Case.objects(case_id=case_id).update_one(add_to_set__shared_with=agency)


class MongoDraftRepository(DraftRepository):
    def _get(self, board_id: str, user_id: str, draft_id: str) -> Draft | None:
        return Draft.objects(draft_id=draft_id, board_id=board_id, user_id=user_id).first()

    def _save(self, draft: Draft) -> None:
        draft.save()

    def _delete(self, draft: Draft) -> None:
        draft.delete()

    def _publish(self, draft: Draft, payloads: list[Any]) -> None:
        super()._publish(draft, payloads)
        notice = DraftNotice.objects(draft_id=draft.draft_id).first() or DraftNotice(
            draft_id=draft.draft_id, board_id=draft.board_id
        )
        for payload in payloads:
            notice.raise_event(payload, producer="referral")
        notice.updated_at = now()
        notice.save()

    def list(self, board_id: str, user_id: str, *, page: int = 1, per_page: int = PER_PAGE) -> Page[Draft]:
        drafts = Draft.objects(board_id=board_id, user_id=user_id).exclude("child")
        return paginate(drafts.order_by("-updated_at", "-draft_id"), page, per_page)
