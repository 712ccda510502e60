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

import threading
from collections.abc import Iterator
from typing import Any, Self

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
from shared.uow import Repository, UnitOfWork


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


class _Repositories(threading.local):
    cases: CaseRecordRepository
    documents: DocumentRepository
    shares: ShareRepository


class MongoUnitOfWork(DocumentsUnitOfWork):
    def __init__(self) -> None:
        self._local = _Repositories()
        self.files = GridFsFiles()
        self.directory = IdentityDirectory()

    def __enter__(self) -> Self:
        self._local.cases = MongoCaseRecordRepository()
        self._local.documents = MongoDocumentRepository()
        self._local.shares = MongoShareRepository()
        return super().__enter__()

    @property
    def cases(self) -> CaseRecordRepository:  # type: ignore[override]
        return self._local.cases

    @property
    def documents(self) -> DocumentRepository:  # type: ignore[override]
        return self._local.documents

    @property
    def shares(self) -> ShareRepository:  # type: ignore[override]
        return self._local.shares
