"""The documents service's part of the retention schedule (:mod:`shared.retention`).

- ``documents``: a document made before the cutoff (letters, chronologies, reports and their
  PDFs), other than a publication copy, is deleted: its files, its shares, its record;
- ``published_reports``: a publication copy made before the cutoff, the same way. The board
  cannot set less than 12 months (003: a report stays on the board's website at least 12
  months after publication).

It keeps its copy of each board's schedule from ``board.retention_set``.
"""

from __future__ import annotations

from datetime import datetime

import gridfs

from services.documents.adapters.repository import GridFsFiles
from services.documents.adapters.store import DocumentShare, StoredDocument
from services.documents.service_layer.handlers import QUEUE, listeners
from shared import store
from shared.events.retention import BoardRetentionSet
from shared.retention import Applied, RetentionJob, Rule, keep_announced, naive

NAME = "documents"

listeners.handles(BoardRetentionSet, queue=QUEUE)(keep_announced(NAME))


def _deleter(publication: bool) -> Rule:
    def apply(board_id: str, before: datetime) -> Applied:
        records = StoredDocument._get_collection()
        old = {"board_id": board_id, "publication": publication, "created_at": {"$lt": naive(before)}}
        files = gridfs.GridFS(store.database(), collection=GridFsFiles.BUCKET)
        deleted = 0
        for doc in list(records.find(old, {"file_id": 1, "pdf_file_id": 1})):
            for file_id in (doc.get("file_id"), doc.get("pdf_file_id")):
                if file_id is not None:
                    files.delete(file_id)
            DocumentShare._get_collection().delete_many({"document_id": doc["_id"]})
            deleted += records.delete_one({"_id": doc["_id"]}).deleted_count
        return Applied(deleted=deleted)

    return Rule("published_reports" if publication else "documents", apply)


def job() -> RetentionJob:
    return RetentionJob(NAME, [_deleter(publication=False), _deleter(publication=True)])
