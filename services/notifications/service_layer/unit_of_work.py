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

import abc
import threading
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
from shared.uow import Repository, UnitOfWork


@dataclass(frozen=True)
class Repositories:
    cases: CaseRepository
    letters: LetterRepository
    recipients: RecipientRepository
    notifications: NotificationRepository


class NotificationsUnitOfWork(UnitOfWork):
    def __init__(self) -> None:
        self._local = threading.local()

    def __enter__(self) -> NotificationsUnitOfWork:
        self._local.repos = self._open()
        super().__enter__()
        return self

    def __exit__(self, *args: object) -> None:
        super().__exit__(*args)
        self._local.repos = None

    @abc.abstractmethod
    def _open(self) -> Repositories:
        """Fresh repositories for one unit of work."""

    def _repos(self) -> Repositories:
        repos: Repositories | None = getattr(self._local, "repos", None)
        if repos is None:
            raise RuntimeError("use the unit of work's repositories inside `with uow:`")
        return repos

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
