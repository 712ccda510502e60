"""Repositories of the documents service (cosmicpython ``adapters/repository.py``).

Each abstract repository is what the handlers may ask; the Mongo ones below answer
from the service's store, and the unit tests use in-memory fakes. A repository
tracks what a unit of work loaded or added (``seen``), so that committing writes it;
conditional writes ("only if no PDF is kept yet") belong here, not in handlers.

Besides the aggregates, a unit of work reaches two stores read or written outside
the outbox: the file store (GridFS; a file is written before the record that names
it, so a crash leaves at most an unnamed file; every file is encrypted at rest, see
:class:`FileStore`) and the directory of boards, agencies and people (the identity
store every service shares, read only).
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import gridfs
from mongoengine import NotUniqueError

from services.documents.adapters.case_record import CaseRecord
from services.documents.adapters.store import SUMMARY_FIELDS, DocumentShare, StoredDocument
from shared import store
from shared.auth.models import Agency, Board, User
from shared.crypto import is_sealed_file, open_file, seal_file
from shared.pagination import Page, paginate
from shared.uow import Repository


class VersionTaken(Exception):
    """Another generation stored this version number first; take the next one."""


# -- What handlers may ask ---------------------------------------------------------------


class CaseRecordRepository(Repository[CaseRecord]):
    def get(self, case_id: str) -> CaseRecord | None:
        return self._track(self._get(case_id))

    @abc.abstractmethod
    def _get(self, case_id: str) -> CaseRecord | None: ...


class DocumentRepository(Repository[StoredDocument]):
    @abc.abstractmethod
    def get(self, document_id: str, board_id: str) -> StoredDocument | None:
        """A document of the board (not tracked: documents change only through their methods)."""

    @abc.abstractmethod
    def for_case(self, board_id: str, case_id: str, page: int, per_page: int) -> Page[StoredDocument]:
        """One page of every version of every kind, by kind then newest first (originals before copies)."""

    @abc.abstractmethod
    def by_ids(self, document_ids: Iterable[str]) -> dict[str, StoredDocument]: ...

    @abc.abstractmethod
    def next_version(self, case_id: str, kind: str, publication: bool) -> int: ...

    @abc.abstractmethod
    def made_for(self, case_id: str, kind: str, caused_by: str, addressed_to: str | None) -> bool:
        """Whether this event already produced this kind (for this addressee)."""

    @abc.abstractmethod
    def attach_pdf(self, document: StoredDocument, file_id: Any) -> StoredDocument:
        """Keep ``file_id`` as the document's PDF unless one is kept already; the document as stored."""


class ShareRepository(Repository[DocumentShare]):
    @abc.abstractmethod
    def get(self, share_id: str, board_id: str) -> DocumentShare | None:
        """A share of the board, tracked (revoking changes it)."""

    @abc.abstractmethod
    def active_for(self, board_id: str, user_id: str, share_id: str | None = None) -> list[DocumentShare]:
        """The shares not revoked that one person was given (only ``share_id``, if given)."""

    def active_for_case(self, board_id: str, case_id: str) -> list[DocumentShare]:
        """The shares not revoked of a case's documents, whoever was given them."""
        raise NotImplementedError


class FileStore(abc.ABC):
    """The service's files (Word, PDF, publication copies), encrypted at rest.

    Every file is sealed with the field-encryption keys (:func:`shared.crypto.seal_file`)
    before it reaches the store, and opened only by :meth:`read`, which the service
    layer calls once it has checked who is asking (a download through the API, a
    family member's shared pages, a conversion to PDF). ``python -m shared.crypto
    rotate`` re-encrypts the files with the newest key. A file stored in clear before
    files were sealed still reads; that command seals it.
    """

    def put(self, data: bytes, filename: str, content_type: str) -> Any:
        """Store a file, sealed; its id."""
        return self._put(seal_file(data), filename, content_type)

    def read(self, file_id: Any) -> bytes:
        """A file's bytes, opened."""
        stored = self._read(file_id)
        return open_file(stored) if is_sealed_file(stored) else stored

    @abc.abstractmethod
    def _put(self, stored: bytes, filename: str, content_type: str) -> Any: ...

    @abc.abstractmethod
    def _read(self, file_id: Any) -> bytes:
        """The file's bytes as stored."""


@dataclass(frozen=True)
class BoardInfo:
    board_id: str
    name: str
    local_authority: str | None = None


class Directory(abc.ABC):
    """Boards, their agencies and their people: the identity store every service shares."""

    @abc.abstractmethod
    def board(self, board_id: str) -> BoardInfo: ...

    @abc.abstractmethod
    def agency_names(self, board_id: str) -> dict[str, str]:
        """Each agency's code and printed name."""

    @abc.abstractmethod
    def is_family_member(self, board_id: str, user_id: str) -> bool: ...

    def family_members(self, board_id: str) -> dict[str, str]:
        """The board's active family members a report can be shared with: user id -> name."""
        raise NotImplementedError


# -- Mongo -------------------------------------------------------------------------------


class MongoCaseRecordRepository(CaseRecordRepository):
    def _get(self, case_id: str) -> CaseRecord | None:
        found: CaseRecord | None = CaseRecord.objects(case_id=case_id).first()
        return found

    def save(self, aggregate: CaseRecord) -> None:
        aggregate.save()


class MongoDocumentRepository(DocumentRepository):
    def save(self, aggregate: StoredDocument) -> None:
        """A new document and its ``document.generated`` event: one insert."""
        if not self._is_new(aggregate):
            aggregate.save()
            return
        try:
            aggregate.save(force_insert=True)
        except NotUniqueError as exc:
            raise VersionTaken(f"{aggregate.kind} v{aggregate.version} of {aggregate.case_id}") from exc
        self._inserted(aggregate)

    def get(self, document_id: str, board_id: str) -> StoredDocument | None:
        found: StoredDocument | None = StoredDocument.objects(
            document_id=document_id, board_id=board_id
        ).first()
        return found

    def for_case(self, board_id: str, case_id: str, page: int, per_page: int) -> Page[StoredDocument]:
        found = StoredDocument.objects(board_id=board_id, case_id=case_id).only(*SUMMARY_FIELDS)
        # A total order, so that no document is on two pages or none.
        return paginate(found.order_by("kind", "-version", "publication", "document_id"), page, per_page)

    def by_ids(self, document_ids: Iterable[str]) -> dict[str, StoredDocument]:
        return {d.document_id: d for d in StoredDocument.objects(document_id__in=list(document_ids))}

    def next_version(self, case_id: str, kind: str, publication: bool) -> int:
        latest = (
            StoredDocument.objects(case_id=case_id, kind=kind, publication=publication)
            .order_by("-version")
            .only("version")
            .first()
        )
        return (latest.version if latest else 0) + 1

    def made_for(self, case_id: str, kind: str, caused_by: str, addressed_to: str | None) -> bool:
        found = StoredDocument.objects(
            case_id=case_id, kind=kind, caused_by=caused_by, addressed_to=addressed_to
        )
        return bool(found.count())

    def attach_pdf(self, document: StoredDocument, file_id: Any) -> StoredDocument:
        StoredDocument.objects(document_id=document.document_id, pdf_file_id=None).update_one(
            set__pdf_file_id=file_id
        )
        document.reload()
        return document


class MongoShareRepository(ShareRepository):
    def save(self, aggregate: DocumentShare) -> None:
        aggregate.save(force_insert=self._is_new(aggregate))
        self._inserted(aggregate)

    def get(self, share_id: str, board_id: str) -> DocumentShare | None:
        found: DocumentShare | None = DocumentShare.objects(share_id=share_id, board_id=board_id).first()
        return self._track(found)

    def active_for(self, board_id: str, user_id: str, share_id: str | None = None) -> list[DocumentShare]:
        query: dict[str, Any] = {"board_id": board_id, "user_id": user_id, "revoked_at": None}
        if share_id is not None:
            query["share_id"] = share_id
        return list(DocumentShare.objects(**query))

    def active_for_case(self, board_id: str, case_id: str) -> list[DocumentShare]:
        return list(DocumentShare.objects(board_id=board_id, case_id=case_id, revoked_at=None))


class GridFsFiles(FileStore):
    """Files in the GridFS bucket ``document_files``, each in one chunk when it fits.

    The files are always read whole, so nothing is gained by GridFS's small chunks, and a
    file of one chunk is re-encrypted by key rotation in one single-document write.
    """

    BUCKET = "document_files"
    ONE_CHUNK = 8 * 1024 * 1024  # a file up to this size is one chunk (a record holds 16 MB)

    def _fs(self) -> gridfs.GridFS:
        return gridfs.GridFS(store.database(), collection=self.BUCKET)

    def _put(self, stored: bytes, filename: str, content_type: str) -> Any:
        chunk_size = min(max(len(stored), 1), self.ONE_CHUNK)
        return self._fs().put(stored, filename=filename, content_type=content_type, chunk_size=chunk_size)

    def _read(self, file_id: Any) -> bytes:
        data: bytes = self._fs().get(file_id).read()
        return data


class IdentityDirectory(Directory):
    def board(self, board_id: str) -> BoardInfo:
        found = Board.objects(board_id=board_id).first()
        if found is None:
            return BoardInfo(board_id, board_id)
        return BoardInfo(board_id, found.name, found.local_authority)

    def agency_names(self, board_id: str) -> dict[str, str]:
        return {a.code: a.name for a in Agency.objects(board_id=board_id)}

    def is_family_member(self, board_id: str, user_id: str) -> bool:
        user = User.objects(user_id=user_id).first()
        membership = user.membership(board_id) if user else None
        return membership is not None and "family_viewer" in membership.roles

    def family_members(self, board_id: str) -> dict[str, str]:
        found = {
            u.user_id: u.name
            for u in User.objects(memberships__board_id=board_id, active=True)
            if (m := u.membership(board_id)) is not None and m.active and "family_viewer" in m.roles
        }
        return dict(sorted(found.items(), key=lambda item: item[1].lower()))
