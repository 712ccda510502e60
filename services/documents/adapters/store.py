"""The documents service's own records: generated documents (the aggregate) and family shares.

A :class:`StoredDocument` is one version of one kind of document for one case. It
is inserted once, in one write that also holds the ``document.generated`` event it
raises (its outbox), so a document is never stored without its announcement. The
file itself lives in the file store, encrypted (:class:`.repository.FileStore`);
the record keeps its id.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from mongoengine import (
    BooleanField,
    DateTimeField,
    IntField,
    ObjectIdField,
    StringField,
)

from shared.bus import OutboxDocument
from shared.events.documents import DocumentGenerated

PRODUCER = "documents"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def now() -> datetime:
    return datetime.now(UTC)


class StoredDocument(OutboxDocument):
    meta: dict[str, Any] = {
        "collection": "documents",
        "indexes": [
            {"fields": ["case_id", "kind", "publication", "version"], "unique": True},
            ("board_id", "case_id"),
            ("case_id", "caused_by"),
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
    caused_by_type = StringField()  # that event's type; None for a request
    addressed_to = StringField()  # the agency a letter to one agency's case group is for
    generated_by = StringField()  # a user id, or service:<name>
    created_at = DateTimeField(default=now)

    @property
    def pdf_filename(self) -> str:
        return str(self.filename).rsplit(".", 1)[0] + ".pdf"

    def announce(self, content_sealed: str | None) -> None:
        """Raise ``document.generated``; it is stored with this document when it is inserted."""
        self.raise_event(
            DocumentGenerated(
                case_id=self.case_id,
                board_id=self.board_id,
                document_id=self.document_id,
                kind=self.kind,
                version=self.version,
                caused_by=self.caused_by,
                caused_by_type=self.caused_by_type,
                filename=self.filename,
                content_type=self.content_type,
                content_hash=self.content_hash,
                content_sealed=content_sealed,
            ),
            producer=PRODUCER,
        )

    def summary(self) -> dict[str, Any]:
        """What a list of documents shows of this one (it reads only :data:`SUMMARY_FIELDS`)."""
        return {
            "id": self.document_id,
            "kind": self.kind,
            "version": self.version,
            "publication": self.publication,
            "filename": self.filename,
            "content_type": self.content_type,
            "created_at": self.created_at.isoformat(),
        }


# The fields a list loads: not the outbox, whose sealed letters are large.
SUMMARY_FIELDS = (
    "document_id",
    "board_id",
    "case_id",
    "kind",
    "version",
    "publication",
    "filename",
    "content_type",
    "created_at",
)


class DocumentShare(OutboxDocument):
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

    def revoke(self, at: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = at


OUTBOX_DOCUMENTS = (StoredDocument, DocumentShare)
