"""Fakes for the notifications service's handlers: an in-memory unit of work, a channel, a clock.

The fake repositories keep what was committed as copies (a notification as
the document MongoDB would hold), so a handler that forgets to commit leaves
nothing behind here either; the unique idempotency key is enforced, and so is
the notification's version (a write over someone else's is refused).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from services.notifications.adapters.channels import DeliveryError, Message, Receipt
from services.notifications.adapters.repository import (
    CaseRepository,
    ConcurrentChange,
    LetterRepository,
    NotificationRepository,
    RecipientRepository,
)
from services.notifications.adapters.store import Notification, Recipient
from services.notifications.domain import delivery
from services.notifications.domain.case import Case
from services.notifications.domain.letters import Letter
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork, Repositories
from shared.pagination import PER_PAGE, Page, paginate

T0 = datetime(2027, 1, 8, 10, 0, tzinfo=UTC)
BOARD = "b-test"
NATIONAL = {
    "ofsted": "ofsted@example.org",
    "dfe": "dfe@example.org",
    "national_panel": "panel@example.org",
}


class FakeCaseRepository(CaseRepository):
    def __init__(self, stored: dict[str, Case]) -> None:
        super().__init__()
        self.stored = stored

    def _get(self, case_id: str) -> Case | None:
        return copy.deepcopy(self.stored.get(case_id))

    def save(self, aggregate: Case) -> None:
        self.stored[aggregate.case_id] = copy.deepcopy(aggregate)


class FakeLetterRepository(LetterRepository):
    def __init__(self, stored: dict[str, Letter]) -> None:
        super().__init__()
        self.stored = stored

    def _get(self, document_id: str) -> Letter | None:
        return self.stored.get(document_id)

    def save(self, aggregate: Letter) -> None:
        self.stored.setdefault(aggregate.document_id, aggregate)


class FakeRecipientRepository(RecipientRepository):
    def __init__(self, stored: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.stored = stored

    def _all(self) -> list[Recipient]:
        return [Recipient._from_son(copy.deepcopy(son)) for son in self.stored.values()]

    def _get(self, board_id: str, recipient_id: str) -> Recipient | None:
        return next(
            (r for r in self._all() if r.recipient_id == recipient_id and r.board_id == board_id), None
        )

    def with_role(self, board_id: str, role: str, case_id: str | None = None) -> list[Recipient]:
        return [
            r
            for r in self._all()
            if r.board_id == board_id and r.role == role and r.active and r.case_id in (None, case_id)
        ]

    def listed(self, board_id: str, page: int = 1, per_page: int = PER_PAGE) -> Page[Recipient]:
        active = (r for r in self._all() if r.board_id == board_id and r.active)
        return paginate(sorted(active, key=lambda r: (r.role, r.name)), page, per_page)

    def any_for(self, board_id: str) -> bool:
        return any(r.board_id == board_id for r in self._all())

    def save(self, aggregate: Recipient) -> None:
        self.stored[aggregate.recipient_id] = aggregate.to_mongo().to_dict()


class FakeNotificationRepository(NotificationRepository):
    def __init__(self, stored: dict[str, dict[str, Any]]) -> None:
        super().__init__()
        self.stored = stored

    def _all(self) -> list[Notification]:
        return [Notification._from_son(copy.deepcopy(son)) for son in self.stored.values()]

    def _get(self, notification_id: str, board_id: str | None) -> Notification | None:
        return next(
            (
                n
                for n in self._all()
                if n.notification_id == notification_id and board_id in (None, n.board_id)
            ),
            None,
        )

    def _claim_next(self, at: datetime, lease_until: datetime) -> Notification | None:
        for n in sorted(self._all(), key=lambda n: n.next_attempt_at or at):
            if n.status != delivery.PENDING or n.next_attempt_at is None or n.next_attempt_at > at:
                continue
            if n.lease_until is not None and n.lease_until >= at:
                continue
            n.lease_until = lease_until
            self.stored[n.notification_id]["lease_until"] = lease_until
            return n
        return None

    def _in_flight(self, lease_ended_by: datetime | None) -> list[Notification]:
        return [
            n
            for n in self._all()
            if n.status == delivery.SENDING and (lease_ended_by is None or n.lease_until <= lease_ended_by)
        ]

    def exists(self, idempotency_key: str) -> bool:
        return any(son["idempotency_key"] == idempotency_key for son in self.stored.values())

    def _of_board(self, board_id: str, statuses: Iterable[str]) -> list[Notification]:
        wanted = set(statuses)
        return [n for n in self._all() if n.board_id == board_id and n.status in wanted]

    def listed(
        self,
        board_id: str,
        case_id: str | None = None,
        statuses: Iterable[str] | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page[Notification]:
        found = self._of_board(board_id, delivery.STATUSES if statuses is None else statuses)
        found = [n for n in found if case_id in (None, n.case_id)]
        return paginate(sorted(found, key=lambda n: n.created_at), page, per_page)

    def needing_attention(self, board_id: str, page: int = 1, per_page: int = PER_PAGE) -> Page[Notification]:
        first, *rest = delivery.NEEDS_ATTENTION
        newest_first = [
            sorted(self._of_board(board_id, statuses), key=lambda n: n.created_at, reverse=True)
            for statuses in ([first], rest)
        ]
        return paginate(newest_first[0] + newest_first[1], page, per_page)

    def counts(self, statuses: Iterable[str]) -> Mapping[str, int]:
        found = [son["status"] for son in self.stored.values()]
        return {status: found.count(status) for status in statuses}

    def save(self, aggregate: Notification) -> None:
        expected = aggregate.version or 0
        if self._is_new(aggregate):
            self._inserted(aggregate)
            if self.exists(aggregate.idempotency_key) or aggregate.notification_id in self.stored:
                return  # the unique index: a repeat is not stored twice
        elif (self.stored[aggregate.notification_id].get("version") or 0) != expected:
            raise ConcurrentChange(f"notification {aggregate.notification_id} changed meanwhile")
        aggregate.version = expected + 1
        self.stored[aggregate.notification_id] = aggregate.to_mongo().to_dict()


class FakeUnitOfWork(NotificationsUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.stored_cases: dict[str, Case] = {}
        self.stored_letters: dict[str, Letter] = {}
        self.stored_recipients: dict[str, dict[str, Any]] = {}
        self.stored_notifications: dict[str, dict[str, Any]] = {}
        self.commits = 0

    def _open(self) -> Repositories:
        return Repositories(
            cases=FakeCaseRepository(self.stored_cases),
            letters=FakeLetterRepository(self.stored_letters),
            recipients=FakeRecipientRepository(self.stored_recipients),
            notifications=FakeNotificationRepository(self.stored_notifications),
        )

    def commit(self) -> None:
        super().commit()
        self.commits += 1

    def another(self) -> FakeUnitOfWork:
        """A unit of work on the same store: another thread or process writing at the same time."""
        other = FakeUnitOfWork()
        other.stored_cases, other.stored_letters = self.stored_cases, self.stored_letters
        other.stored_recipients, other.stored_notifications = (
            self.stored_recipients,
            self.stored_notifications,
        )
        return other

    # -- what tests look at --------------------------------------------------------------

    def notifications_stored(self, **match: Any) -> list[Notification]:
        found = [Notification._from_son(copy.deepcopy(son)) for son in self.stored_notifications.values()]
        return [n for n in found if all(getattr(n, k) == v for k, v in match.items())]

    def published(self) -> list[dict[str, Any]]:
        """The envelopes the stored notifications' outboxes hold, to be relayed to the bus."""
        return [
            entry["envelope"]
            for son in self.stored_notifications.values()
            for entry in son.get("outbox", [])
            if entry.get("pending")
        ]

    def add_recipient(self, board_id: str, role: str, email: str, case_id: str | None = None) -> Recipient:
        recipient = Recipient(board_id=board_id, role=role, name=role.title(), email=email, case_id=case_id)
        self.stored_recipients[recipient.recipient_id] = recipient.to_mongo().to_dict()
        return recipient


class FakeChannel:
    """Takes every message, or fails with the errors it is given, in turn: ``failures`` for any
    message, ``failures_to[address]`` for messages to that address.

    ``tried`` keeps every message handed over, ``sent`` those it took.
    """

    def __init__(self, name: str = "smtp") -> None:
        self.name = name
        self.tried: list[Message] = []
        self.sent: list[Message] = []
        self.failures: list[DeliveryError] = []
        self.failures_to: dict[str, list[DeliveryError]] = {}

    def identify(self, reference: str) -> str:
        return f"<{reference}@fake.example>"

    def send(self, message: Message) -> Receipt:
        self.tried.append(message)
        failures = self.failures_to.get(message.to) or self.failures
        if failures:
            raise failures.pop(0)
        self.sent.append(message)
        return Receipt(channel=self.name, provider_id=f"fake-{len(self.sent)}")


class FakeClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at
