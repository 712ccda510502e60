"""The documents service's unit of work (cosmicpython ``service_layer/unit_of_work.py``).

A handler opens the unit of work, reads and changes records through its
repositories, and commits; committing writes each changed record in one
single-document write holding the events it raised (see :mod:`shared.uow`).
Leaving the block without committing writes nothing.

:class:`MongoUnitOfWork` may be shared by the web threads and the bus worker: each
thread's ``with uow:`` block gets repositories of its own. A block is not re-entrant:
finish one before opening the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.documents.adapters.repository import (
    CaseRecordRepository,
    Directory,
    DocumentRepository,
    FileStore,
    GridFsFiles,
    IdentityDirectory,
    MongoCaseRecordRepository,
    MongoDocumentRepository,
    MongoShareRepository,
    ShareRepository,
)
from shared.uow import PerThreadUnitOfWork, Repository, UnitOfWork


class DocumentsUnitOfWork(UnitOfWork):
    cases: CaseRecordRepository
    documents: DocumentRepository
    shares: ShareRepository
    files: FileStore
    directory: Directory

    def repositories(self) -> Iterator[Repository[Any]]:
        yield self.cases
        yield self.documents
        yield self.shares


@dataclass(frozen=True)
class Repositories:
    """What each ``with`` block of :class:`MongoUnitOfWork` opens."""

    cases: CaseRecordRepository
    documents: DocumentRepository
    shares: ShareRepository


class MongoUnitOfWork(PerThreadUnitOfWork[Repositories], DocumentsUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.files = GridFsFiles()
        self.directory = IdentityDirectory()

    def _open(self) -> Repositories:
        return Repositories(MongoCaseRecordRepository(), MongoDocumentRepository(), MongoShareRepository())

    @property
    def cases(self) -> CaseRecordRepository:  # type: ignore[override]
        return self._repos().cases

    @property
    def documents(self) -> DocumentRepository:  # type: ignore[override]
        return self._repos().documents

    @property
    def shares(self) -> ShareRepository:  # type: ignore[override]
        return self._repos().shares
