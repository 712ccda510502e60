"""The unit of work of the final report: the case's report to change, the review to read (who
may see and do what follows the review: its board, its panel), the directory and the board's
family viewers."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.reviews.adapters.report_store import (
    FamilyViewers,
    IdentityFamilyViewers,
    MongoReportRepository,
    ReportRepository,
)
from services.reviews.adapters.repository import (
    Directory,
    IdentityDirectory,
    MongoReviewRepository,
    ReviewRepository,
)
from shared.uow import PerThreadUnitOfWork, Repository, UnitOfWork


@dataclass
class ReportRepositories:
    reports: ReportRepository
    reviews: ReviewRepository  # read only: ``lookup``, never ``get``


class ReportUnitOfWork(UnitOfWork):
    directory: Directory
    family: FamilyViewers

    @property
    def reports(self) -> ReportRepository:
        return self._repos().reports

    @property
    def reviews(self) -> ReviewRepository:
        return self._repos().reviews

    @abc.abstractmethod
    def _repos(self) -> ReportRepositories: ...

    def repositories(self) -> Iterator[Repository[Any]]:
        yield self._repos().reports


class MongoReportUnitOfWork(PerThreadUnitOfWork[ReportRepositories], ReportUnitOfWork):
    def __init__(self, directory: Directory | None = None, family: FamilyViewers | None = None) -> None:
        super().__init__()
        self.directory = directory or IdentityDirectory()
        self.family = family or IdentityFamilyViewers()

    def _open(self) -> ReportRepositories:
        return ReportRepositories(MongoReportRepository(), MongoReviewRepository())
