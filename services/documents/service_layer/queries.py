"""Reading documents: a case's documents, one document, and its file as Word or PDF."""

from __future__ import annotations

from dataclasses import dataclass

from services.documents.adapters.store import DOCX, PDF, StoredDocument
from services.documents.service_layer.handlers import Converter
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.auth.principal import Principal
from shared.errors import NotFound
from shared.pagination import PER_PAGE, Page

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Content:
    data: bytes
    content_type: str
    filename: str
    content_hash: str | None  # of the .docx, which is what is stored


def documents_for(
    principal: Principal, case_id: str, uow: DocumentsUnitOfWork, page: int = 1, per_page: int = PER_PAGE
) -> Page[StoredDocument]:
    """One page of every version of every document of a case of the principal's board."""
    with uow:
        return uow.documents.for_case(principal.board_id, case_id, page, per_page)


def get_document(principal: Principal, document_id: str, uow: DocumentsUnitOfWork) -> StoredDocument:
    with uow:
        doc = uow.documents.get(document_id, principal.board_id)
    if doc is None:
        raise NotFound("There is no such document", field="document_id")
    return doc


def content(
    principal: Principal, document_id: str, fmt: str, uow: DocumentsUnitOfWork, to_pdf: Converter
) -> Content:
    """The file as stored (``docx``) or as PDF, converted on first asking and kept."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    doc = get_document(principal, document_id, uow)
    with uow:
        if fmt == "docx":
            return Content(uow.files.read(doc.file_id), DOCX, doc.filename, doc.content_hash)
        if doc.pdf_file_id is None:
            pdf = to_pdf(uow.files.read(doc.file_id))
            doc = uow.documents.attach_pdf(doc, uow.files.put(pdf, doc.pdf_filename, PDF))
        return Content(uow.files.read(doc.pdf_file_id), PDF, doc.pdf_filename, None)
