"""Repositories of the notifications service (cosmicpython ``adapters/repository.py``).

Each abstract repository says what the service layer may ask of the store;
the MongoDB ones below answer it, and the unit tests answer it with
in-memory fakes. A repository keeps what it loaded or added (``seen``) so
that the unit of work writes it on commit; each write is one single-document
write, which for a notification holds the events it raised (the outbox).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from mongoengine import NotUniqueError
from mongoengine.errors import SaveConditionError

from services.notifications.adapters.store import CaseRecord, LetterRecord, Notification, Recipient, now
from services.notifications.domain import delivery
from services.notifications.domain.case import Case, Decision, Reviewer
from services.notifications.domain.letters import Letter
from shared.logging import get_logger
from shared.pagination import PER_PAGE, Page, paginate
from shared.uow import Repository

log = get_logger(__name__)


class ConcurrentChange(RuntimeError):
    """Someone else wrote the notification since it was read: nothing was written; read it again."""


# -- what the service layer may ask -------------------------------------------------------------


class CaseRepository(Repository[Case]):
    def get(self, case_id: str) -> Case | None:
        return self._track(self._get(case_id))

    @abc.abstractmethod
    def _get(self, case_id: str) -> Case | None: ...


class LetterRepository(Repository[Letter]):
    def get(self, document_id: str) -> Letter | None:
        return self._get(document_id)

    @abc.abstractmethod
    def _get(self, document_id: str) -> Letter | None: ...


class RecipientRepository(Repository[Recipient]):
    def get(self, board_id: str, recipient_id: str) -> Recipient | None:
        return self._track(self._get(board_id, recipient_id))

    @abc.abstractmethod
    def _get(self, board_id: str, recipient_id: str) -> Recipient | None: ...

    @abc.abstractmethod
    def with_role(self, board_id: str, role: str, case_id: str | None = None) -> list[Recipient]:
        """Active recipients of a role: the board's, and those for this case only."""

    @abc.abstractmethod
    def listed(self, board_id: str, page: int = 1, per_page: int = PER_PAGE) -> Page[Recipient]:
        """A page of a board's active recipients, by role."""

    @abc.abstractmethod
    def any_for(self, board_id: str) -> bool: ...


class NotificationRepository(Repository[Notification]):
    def get(self, notification_id: str, board_id: str | None = None) -> Notification | None:
        return self._track(self._get(notification_id, board_id))

    def claim_next(self, at: datetime, lease_until: datetime) -> Notification | None:
        """The next pending notification due at ``at``, leased to this caller until ``lease_until``."""
        return self._track(self._claim_next(at, lease_until))

    def in_flight(self, lease_ended_by: datetime | None = None) -> list[Notification]:
        """Notifications left ``sending``: all of them, or those whose lease ended by ``lease_ended_by``."""
        found = self._in_flight(lease_ended_by)
        for n in found:
            self._track(n)
        return found

    @abc.abstractmethod
    def _get(self, notification_id: str, board_id: str | None) -> Notification | None: ...

    @abc.abstractmethod
    def _claim_next(self, at: datetime, lease_until: datetime) -> Notification | None: ...

    @abc.abstractmethod
    def _in_flight(self, lease_ended_by: datetime | None) -> list[Notification]: ...

    @abc.abstractmethod
    def exists(self, idempotency_key: str) -> bool: ...

    @abc.abstractmethod
    def listed(
        self,
        board_id: str,
        case_id: str | None = None,
        statuses: Iterable[str] | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page[Notification]:
        """A page of a board's notifications, oldest first; read only (not written on commit)."""

    @abc.abstractmethod
    def needing_attention(self, board_id: str, page: int = 1, per_page: int = PER_PAGE) -> Page[Notification]:
        """A page of those a person must look at: uncertain ones first, then the rest; newest first."""

    @abc.abstractmethod
    def counts(self, statuses: Iterable[str]) -> Mapping[str, int]:
        """How many notifications of every board are in each of ``statuses``."""


# -- MongoDB ------------------------------------------------------------------------------------


def _decision_to_mongo(d: Decision) -> dict[str, Any]:
    return {
        "correlation_id": d.correlation_id,
        "outcome": d.outcome,
        "decided_on": d.decided_on.isoformat(),
        "initiated_on": d.initiated_on.isoformat() if d.initiated_on else None,
        "lead_reviewers": [{"name": r.name, "organisation": r.organisation} for r in d.lead_reviewers],
        "previous_outcome": d.previous_outcome,
        "confirmed": d.confirmed,
        "challenged_by": d.challenged_by,
    }


def _decision_from_mongo(event_id: str, raw: dict[str, Any]) -> Decision:
    return Decision(
        event_id=event_id,
        correlation_id=raw["correlation_id"],
        outcome=raw["outcome"],
        decided_on=date.fromisoformat(raw["decided_on"]),
        initiated_on=date.fromisoformat(raw["initiated_on"]) if raw.get("initiated_on") else None,
        lead_reviewers=tuple(Reviewer(r["name"], r["organisation"]) for r in raw.get("lead_reviewers", [])),
        previous_outcome=raw.get("previous_outcome"),
        confirmed=bool(raw.get("confirmed", False)),
        challenged_by=raw.get("challenged_by"),
    )


class MongoCaseRepository(CaseRepository):
    def _get(self, case_id: str) -> Case | None:
        record = CaseRecord.objects(case_id=case_id).first()
        if record is None:
            return None
        return Case(
            case_id=record.case_id,
            board_id=record.board_id,
            reference=record.reference,
            rule_pack=record.rule_pack,
            decisions={k: _decision_from_mongo(k, v) for k, v in (record.decisions or {}).items()},
        )

    def save(self, aggregate: Case) -> None:
        CaseRecord.objects(case_id=aggregate.case_id).update_one(
            upsert=True,
            set__board_id=aggregate.board_id,
            set__reference=aggregate.reference,
            set__rule_pack=aggregate.rule_pack,
            set__decisions={k: _decision_to_mongo(d) for k, d in aggregate.decisions.items()},
        )


class MongoLetterRepository(LetterRepository):
    def _get(self, document_id: str) -> Letter | None:
        r = LetterRecord.objects(document_id=document_id).first()
        return Letter(**{f.name: getattr(r, f.name) for f in fields(Letter)}) if r else None

    def save(self, aggregate: Letter) -> None:
        """A letter is written once and never changed: a repeat of its event leaves it as it is."""
        kept = {k: v for k, v in vars(aggregate).items() if k != "document_id"}
        LetterRecord.objects(document_id=aggregate.document_id).update_one(
            upsert=True,
            set_on_insert__received_at=now(),
            **{f"set_on_insert__{k}": v for k, v in kept.items()},
        )


class MongoRecipientRepository(RecipientRepository):
    def _get(self, board_id: str, recipient_id: str) -> Recipient | None:
        found: Recipient | None = Recipient.objects(recipient_id=recipient_id, board_id=board_id).first()
        return found

    def with_role(self, board_id: str, role: str, case_id: str | None = None) -> list[Recipient]:
        return list(Recipient.objects(board_id=board_id, role=role, active=True, case_id__in=[None, case_id]))

    def listed(self, board_id: str, page: int = 1, per_page: int = PER_PAGE) -> Page[Recipient]:
        return paginate(
            Recipient.objects(board_id=board_id, active=True).order_by("role", "name"), page, per_page
        )

    def any_for(self, board_id: str) -> bool:
        return Recipient.objects(board_id=board_id).first() is not None

    def save(self, aggregate: Recipient) -> None:
        aggregate.save()


class MongoNotificationRepository(NotificationRepository):
    def _get(self, notification_id: str, board_id: str | None) -> Notification | None:
        query: dict[str, str] = {"notification_id": notification_id}
        if board_id is not None:
            query["board_id"] = board_id
        found: Notification | None = Notification.objects(**query).first()
        return found

    def _claim_next(self, at: datetime, lease_until: datetime) -> Notification | None:
        raw = Notification._get_collection().find_one_and_update(
            {
                "status": delivery.PENDING,
                "next_attempt_at": {"$lte": at},
                "$or": [{"lease_until": None}, {"lease_until": {"$lt": at}}],
            },
            {"$set": {"lease_until": lease_until}},
        )
        return Notification.objects(notification_id=raw["_id"]).first() if raw else None

    def _in_flight(self, lease_ended_by: datetime | None) -> list[Notification]:
        query: dict[str, Any] = {"status": delivery.SENDING}
        if lease_ended_by is not None:
            query["lease_until__lte"] = lease_ended_by
        return list(Notification.objects(**query))

    def exists(self, idempotency_key: str) -> bool:
        return Notification.objects(idempotency_key=idempotency_key).first() is not None

    def listed(
        self,
        board_id: str,
        case_id: str | None = None,
        statuses: Iterable[str] | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page[Notification]:
        query: dict[str, Any] = {"board_id": board_id}
        if case_id is not None:
            query["case_id"] = case_id
        if statuses is not None:
            query["status__in"] = list(statuses)
        return paginate(Notification.objects(**query).order_by("created_at"), page, per_page)

    def needing_attention(self, board_id: str, page: int = 1, per_page: int = PER_PAGE) -> Page[Notification]:
        first, *rest = delivery.NEEDS_ATTENTION
        uncertain = Notification.objects(board_id=board_id, status=first).order_by("-created_at")
        others = Notification.objects(board_id=board_id, status__in=rest).order_by("-created_at")
        return _one_page_of_two(uncertain, others, page, per_page)

    def counts(self, statuses: Iterable[str]) -> Mapping[str, int]:
        return {status: Notification.objects(status=status).count() for status in statuses}

    def save(self, aggregate: Notification) -> None:
        """Insert a new notification once; write a changed one only if nobody wrote it since it was read."""
        expected = aggregate.version or 0
        aggregate.version = expected + 1
        if self._is_new(aggregate):
            self._inserted(aggregate)
            try:
                aggregate.save(force_insert=True)
            except NotUniqueError:
                # The same event, recipient and template made it before: a repeat has no effect.
                log.info("notifications.repeat_skipped", key=aggregate.idempotency_key)
            return
        # Records written before notifications had a version have none: they count as 0.
        condition = {"version__in": [expected, None]} if expected == 0 else {"version": expected}
        try:
            aggregate.save(save_condition=condition)  # the change and the events it raised, in one write
        except SaveConditionError as exc:
            aggregate.version = expected
            raise ConcurrentChange(f"notification {aggregate.notification_id} changed meanwhile") from exc


def _one_page_of_two(first: Any, second: Any, page: int, per_page: int) -> Page[Notification]:
    """A page of ``first`` followed by ``second`` (two querysets), sliced by the store."""
    skip, in_first = (page - 1) * per_page, first.count()
    items = list(first.skip(skip).limit(per_page)) if skip < in_first else []
    if len(items) < per_page:
        items += list(second.skip(max(0, skip - in_first)).limit(per_page - len(items)))
    return Page(items, in_first + second.count(), page, per_page)
