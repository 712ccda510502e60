"""In-memory stand-ins for the documents service's store, file store, directory and renderer.

They hold the same record objects the Mongo repositories write, and behave as the
store does where a handler relies on it: a new document whose version is taken is
refused (:class:`VersionTaken`), a PDF already kept is kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from services.documents.adapters.case_record import CaseRecord
from services.documents.adapters.repository import (
    BoardInfo,
    CaseRecordRepository,
    Directory,
    DocumentRepository,
    FileStore,
    ShareRepository,
    VersionTaken,
)
from services.documents.adapters.store import DocumentShare, StoredDocument
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.pagination import Page, paginate


class FakeCaseRecords(CaseRecordRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, CaseRecord] = {}

    def _get(self, case_id: str) -> CaseRecord | None:
        return self.stored.get(case_id)

    def save(self, aggregate: CaseRecord) -> None:
        self.stored[aggregate.case_id] = aggregate


class FakeDocuments(DocumentRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: list[StoredDocument] = []
        self.inserts = 0
        self.taken_once: set[tuple[str, str]] = set()  # (case_id, kind): a rival takes the next version

    def save(self, aggregate: StoredDocument) -> None:
        if any(d is aggregate for d in self.stored):
            return
        key = (aggregate.case_id, aggregate.kind)
        if key in self.taken_once:  # someone else inserted this version meanwhile
            self.taken_once.discard(key)
            self.stored.append(
                StoredDocument(
                    board_id=aggregate.board_id,
                    case_id=aggregate.case_id,
                    kind=aggregate.kind,
                    version=aggregate.version,
                    publication=aggregate.publication,
                    caused_by="request",
                )
            )
        if any(
            (d.case_id, d.kind, d.publication, d.version)
            == (aggregate.case_id, aggregate.kind, aggregate.publication, aggregate.version)
            for d in self.stored
        ):
            raise VersionTaken(aggregate.kind)
        self.inserts += 1
        self.stored.append(aggregate)

    def get(self, document_id: str, board_id: str) -> StoredDocument | None:
        return next((d for d in self.stored if d.document_id == document_id and d.board_id == board_id), None)

    def for_case(self, board_id: str, case_id: str, page: int, per_page: int) -> Page[StoredDocument]:
        found = [d for d in self.stored if d.board_id == board_id and d.case_id == case_id]
        in_order = sorted(found, key=lambda d: (d.kind, -d.version, d.publication, d.document_id))
        return paginate(in_order, page, per_page)

    def by_ids(self, document_ids: Iterable[str]) -> dict[str, StoredDocument]:
        wanted = set(document_ids)
        return {d.document_id: d for d in self.stored if d.document_id in wanted}

    def next_version(self, case_id: str, kind: str, publication: bool) -> int:
        versions = [
            d.version
            for d in self.stored
            if (d.case_id, d.kind, d.publication) == (case_id, kind, publication)
        ]
        return max(versions, default=0) + 1

    def made_for(self, case_id: str, kind: str, caused_by: str, addressed_to: str | None) -> bool:
        return any(
            (d.case_id, d.kind, d.caused_by, d.addressed_to) == (case_id, kind, caused_by, addressed_to)
            for d in self.stored
        )

    def attach_pdf(self, document: StoredDocument, file_id: Any) -> StoredDocument:
        if document.pdf_file_id is None:
            document.pdf_file_id = file_id
        return document

    def of_kind(self, kind: str) -> list[StoredDocument]:
        return [d for d in self.stored if d.kind == kind]


class FakeShares(ShareRepository):
    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, DocumentShare] = {}

    def save(self, aggregate: DocumentShare) -> None:
        self.stored[aggregate.share_id] = aggregate

    def get(self, share_id: str, board_id: str) -> DocumentShare | None:
        found = self.stored.get(share_id)
        return self._track(found if found is not None and found.board_id == board_id else None)

    def active_for(self, board_id: str, user_id: str, share_id: str | None = None) -> list[DocumentShare]:
        return [
            s
            for s in self.stored.values()
            if (s.board_id, s.user_id) == (board_id, user_id)
            and s.revoked_at is None
            and share_id in (None, s.share_id)
        ]


class FakeFiles(FileStore):
    """Files in memory, as the store holds them: sealed (``files``), opened by ``read``."""

    def __init__(self) -> None:
        self.files: dict[int, tuple[bytes, str, str]] = {}
        self._ids = itertools.count(1)

    def _put(self, stored: bytes, filename: str, content_type: str) -> Any:
        file_id = next(self._ids)
        self.files[file_id] = (stored, filename, content_type)
        return file_id

    def _read(self, file_id: Any) -> bytes:
        return self.files[file_id][0]


class FakeDirectory(Directory):
    def __init__(
        self,
        boards: Mapping[str, BoardInfo] | None = None,
        agencies: Mapping[str, Mapping[str, str]] | None = None,
        family: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.boards = dict(boards or {})
        self.agencies = {k: dict(v) for k, v in (agencies or {}).items()}
        self.family = set(family)  # (board_id, user_id)

    def board(self, board_id: str) -> BoardInfo:
        return self.boards.get(board_id) or BoardInfo(board_id, board_id)

    def agency_names(self, board_id: str) -> dict[str, str]:
        return dict(self.agencies.get(board_id, {}))

    def is_family_member(self, board_id: str, user_id: str) -> bool:
        return (board_id, user_id) in self.family


class FakeUnitOfWork(DocumentsUnitOfWork):
    def __init__(self, directory: FakeDirectory | None = None) -> None:
        self.cases = FakeCaseRecords()
        self.documents = FakeDocuments()
        self.shares = FakeShares()
        self.files = FakeFiles()
        self.directory = directory or FakeDirectory()
        self.commits = 0

    def commit(self) -> None:
        super().commit()
        self.commits += 1


class FakeRenderer:
    """Returns distinct bytes for each render and remembers what it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, kind: str, context: Mapping[str, Any]) -> bytes:
        self.calls.append((kind, dict(context)))
        return f"{kind} #{len(self.calls)} for {context['case_reference']}".encode()

    def contexts(self, kind: str) -> list[dict[str, Any]]:
        return [c for k, c in self.calls if k == kind]
