"""Which stored ``final_report`` document is which version of a case's report: the family is
shown a version, and the documents service shares the document made from it."""

from __future__ import annotations

from typing import Any

from mongoengine import Document, IntField, StringField


class ReportVersionDocument(Document):
    meta: dict[str, Any] = {
        "collection": "report_version_documents",
        "indexes": [{"fields": ["case_id", "report_version"], "unique": True}],
    }

    document_id = StringField(primary_key=True)
    case_id = StringField(required=True)
    board_id = StringField(required=True)
    report_version = IntField(required=True)


def document_of(case_id: str, report_version: int) -> str | None:
    found = ReportVersionDocument.objects(case_id=case_id, report_version=report_version).first()
    return str(found.document_id) if found is not None else None


def remember(document_id: str, case_id: str, board_id: str, report_version: int) -> None:
    if document_of(case_id, report_version) is None:
        ReportVersionDocument(
            document_id=document_id, case_id=case_id, board_id=board_id, report_version=report_version
        ).save(force_insert=True)
