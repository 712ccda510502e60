"""Generated documents: metadata in a collection, the files themselves in GridFS."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

import gridfs
from mongoengine import (
    BooleanField,
    DateTimeField,
    Document,
    IntField,
    NotUniqueError,
    ObjectIdField,
    StringField,
)

from shared import store
from shared.bus import OutboxDocument

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def now() -> datetime:
    return datetime.now(UTC)


class StoredDocument(OutboxDocument):
    meta = {
        "collection": "documents",
        "indexes": [
            {"fields": ["case_id", "kind", "publication", "version"], "unique": True},
            ("board_id", "case_id"),
        ],
    }

    document_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    case_id = StringField(required=True)
    case_reference = StringField(required=True)
    kind = StringField(required=True)
    version = IntField(required=True, min_value=1)
    publication = BooleanField(default=False)  # a pseudonymised copy for publication
    filename = StringField(required=True)
    content_type = StringField(default=DOCX)
    content_hash = StringField(required=True)  # sha256 of the .docx
    file_id = ObjectIdField(required=True)
    pdf_file_id = ObjectIdField()
    caused_by = StringField()  # the event id that caused it, or "request"
    generated_by = StringField()  # a user id, or service:<name>
    created_at = DateTimeField(default=now)

    def as_dict(self) -> dict:
        return {
            "id": self.document_id,
            "case_id": self.case_id,
            "kind": self.kind,
            "version": self.version,
            "publication": self.publication,
            "filename": self.filename,
            "content_type": self.content_type,
            "content_hash": self.content_hash,
            "caused_by": self.caused_by,
            "generated_by": self.generated_by,
            "created_at": self.created_at.isoformat(),
        }


def files() -> gridfs.GridFS:
    return gridfs.GridFS(store.database(), collection="document_files")


def put_file(data: bytes, filename: str, content_type: str):
    return files().put(data, filename=filename, content_type=content_type)


def read_file(file_id) -> bytes:
    return files().get(file_id).read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def next_version(case_id: str, kind: str, publication: bool) -> int:
    latest = (
        StoredDocument.objects(case_id=case_id, kind=kind, publication=publication)
        .order_by("-version")
        .only("version")
        .first()
    )
    return (latest.version if latest else 0) + 1


def save_new_version(doc: StoredDocument, attempts: int = 5) -> StoredDocument:
    """Insert with the next free version number; concurrent generations each get their own."""
    for _ in range(attempts):
        doc.version = next_version(doc.case_id, doc.kind, doc.publication)
        try:
            doc.save(force_insert=True)
            return doc
        except NotUniqueError:
            continue
    raise RuntimeError("could not allocate a document version")


class DocumentShare(Document):
    """A document shared with one family member to read on screen, until revoked."""

    meta = {"collection": "document_shares", "indexes": [("board_id", "user_id"), "document_id"]}

    share_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    document_id = StringField(required=True)
    case_id = StringField(required=True)
    user_id = StringField(required=True)
    shared_by = StringField(required=True)
    shared_at = DateTimeField(default=now)
    revoked_at = DateTimeField()


OUTBOX_DOCUMENTS = (StoredDocument,)
