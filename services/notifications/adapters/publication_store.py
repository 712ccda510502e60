"""The copies of a report for the national bodies, gathered by what caused them: the documents
service makes the signed-off report and the board's response, each announced on its own; the
email goes once both are here."""

from __future__ import annotations

from typing import Any

from mongoengine import DictField, Document, StringField


class PublicationCopies(Document):
    meta: dict[str, Any] = {"collection": "notification_publication_copies"}

    caused_by = StringField(primary_key=True)  # the publication.copies_sent event's id
    case_id = StringField(required=True)
    documents = DictField()  # kind -> document id


def gather(caused_by: str, case_id: str, kind: str, document_id: str) -> dict[str, str]:
    """Keep one more of the copies; every copy gathered so far (kind -> document id)."""
    PublicationCopies.objects(caused_by=caused_by).update_one(
        upsert=True, set__case_id=case_id, **{f"set__documents__{kind}": document_id}
    )
    found = PublicationCopies.objects(caused_by=caused_by).first()
    return dict(found.documents) if found is not None else {}
