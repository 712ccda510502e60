"""The notifications service's unit of work (cosmicpython ``service_layer/unit_of_work.py``).

A handler opens it (``with uow:``), reads and changes what it needs through
its repositories, and commits. Commit writes, in order: the case projection,
the letters, the recipients, then the notifications, each in one
single-document write holding the events it raised. Letters go before the
notifications that attach them.

One unit of work is given to every handler, and the bus worker, the dispatcher
and the web threads use it at the same time, so the repositories of an open
unit of work belong to the thread that opened it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.notifications.adapters.repository import (
    CaseRepository,
    LetterRepository,
    MongoCaseRepository,
    MongoLetterRepository,
    MongoNotificationRepository,
    MongoRecipientRepository,
    NotificationRepository,
    RecipientRepository,
)
from shared.uow import PerThreadUnitOfWork, Repository


@dataclass(frozen=True)
class Repositories:
    cases: CaseRepository
    letters: LetterRepository
    recipients: RecipientRepository
    notifications: NotificationRepository


class NotificationsUnitOfWork(PerThreadUnitOfWork[Repositories]):
    @property
    def cases(self) -> CaseRepository:
        return self._repos().cases

    @property
    def letters(self) -> LetterRepository:
        return self._repos().letters

    @property
    def recipients(self) -> RecipientRepository:
        return self._repos().recipients

    @property
    def notifications(self) -> NotificationRepository:
        return self._repos().notifications

    def repositories(self) -> Iterator[Repository[Any]]:
        repos = getattr(self._local, "repos", None)
        if repos is None:
            return
        yield from (repos.cases, repos.letters, repos.recipients, repos.notifications)


class MongoUnitOfWork(NotificationsUnitOfWork):
    def _open(self) -> Repositories:
        return Repositories(
            cases=MongoCaseRepository(),
            letters=MongoLetterRepository(),
            recipients=MongoRecipientRepository(),
            notifications=MongoNotificationRepository(),
        )
