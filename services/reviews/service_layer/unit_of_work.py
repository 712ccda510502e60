"""The reviews service's unit of work (cosmicpython ``service_layer/unit_of_work.py``), after
:mod:`shared.uow`.

A handler opens it (``with uow:``), reads and changes reviews through its repositories and
commits; committing writes each changed review in one single-document write that also holds
the events it raised (the outbox). The directory (the identity store every service shares)
is read, never written.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.reviews.adapters.repository import (
    CaseRepository,
    Directory,
    IdentityDirectory,
    MongoCaseRepository,
    MongoReviewRepository,
    ReviewRepository,
)
from shared.uow import PerThreadUnitOfWork, Repository, UnitOfWork


@dataclass
class Repositories:
    reviews: ReviewRepository
    cases: CaseRepository


class ReviewsUnitOfWork(UnitOfWork):
    directory: Directory

    @property
    def reviews(self) -> ReviewRepository:
        return self._repos().reviews

    @property
    def cases(self) -> CaseRepository:
        return self._repos().cases

    @abc.abstractmethod
    def _repos(self) -> Repositories: ...

    def repositories(self) -> Iterator[Repository[Any]]:
        repos = self._repos()
        yield repos.reviews
        yield repos.cases


class MongoUnitOfWork(PerThreadUnitOfWork[Repositories], ReviewsUnitOfWork):
    """Repositories on MongoDB; one instance serves every thread (web requests, the bus worker)."""

    def __init__(self, directory: Directory | None = None) -> None:
        super().__init__()
        self.directory = directory or IdentityDirectory()

    def _open(self) -> Repositories:
        return Repositories(MongoReviewRepository(), MongoCaseRepository())
