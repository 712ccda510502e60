"""Reports shared with family members: read on screen, page by page, never downloaded.

Family members may read the report before publication but not keep it (002 §2.5):
the business unit shares one document with one family member of the board, and
may revoke that share; the family member reads it as pages of text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from services.documents.adapters import reading
from services.documents.adapters.store import DocumentShare, StoredDocument
from services.documents.domain.kinds import KINDS
from services.documents.service_layer.commands import RevokeShare, ShareDocument
from services.documents.service_layer.queries import get_document
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.auth.principal import Principal
from shared.errors import InvalidInput, NotFound
from shared.events.documents import DocumentShared, DocumentShareRevoked


@dataclass(frozen=True)
class ReportPage:
    document_id: str
    title: str
    blocks: list[reading.Block]
    page: int
    pages: int


def share_document(cmd: ShareDocument, uow: DocumentsUnitOfWork) -> DocumentShare:
    principal = cmd.shared_by
    doc = get_document(principal, cmd.document_id, uow)
    with uow:
        if not uow.directory.is_family_member(principal.board_id, cmd.user_id):
            raise InvalidInput([{"field": "user_id", "message": "Choose a family member of this board"}])
        share = DocumentShare(
            board_id=doc.board_id,
            document_id=doc.document_id,
            case_id=doc.case_id,
            user_id=cmd.user_id,
            shared_by=principal.user_id,
        )
        share.raise_event(
            DocumentShared(**_about(share), document_id=doc.document_id, kind=doc.kind), producer="documents"
        )
        uow.shares.add(share)
        uow.commit()
    return share


def revoke_share(cmd: RevokeShare, uow: DocumentsUnitOfWork) -> DocumentShare:
    with uow:
        share = uow.shares.get(cmd.share_id, cmd.revoked_by.board_id)
        if share is None:
            raise NotFound("There is no such share", field="share_id")
        if share.revoked_at is None:
            share.raise_event(DocumentShareRevoked(**_about(share)), producer="documents")
        share.revoke(datetime.now(UTC))
        uow.commit()
    return share


def _about(share: DocumentShare) -> dict[str, str]:
    """What every event about a share says: the case, the board, the share and who has it."""
    return {
        "case_id": share.case_id,
        "board_id": share.board_id,
        "share_id": share.share_id,
        "user_id": share.user_id,
    }


def shared_with(principal: Principal, uow: DocumentsUnitOfWork) -> list[tuple[DocumentShare, StoredDocument]]:
    """The reports shared with this family member and not revoked."""
    with uow:
        shares = uow.shares.active_for(principal.board_id, principal.user_id)
        docs = uow.documents.by_ids(s.document_id for s in shares)
    return [(s, docs[s.document_id]) for s in shares if s.document_id in docs]


def read_report(principal: Principal, share_id: str, page: int, uow: DocumentsUnitOfWork) -> ReportPage:
    """One page of a report shared with this family member (the nearest page that exists)."""
    with uow:
        shares = uow.shares.active_for(principal.board_id, principal.user_id, share_id)
        doc = uow.documents.by_ids([shares[0].document_id]).get(shares[0].document_id) if shares else None
        if doc is None:
            raise NotFound("There is no such report", field="share_id")
        all_pages = reading.pages(uow.files.read(doc.file_id))
    number = min(max(1, page), len(all_pages))
    title = KINDS[doc.kind].title if doc.kind in KINDS else "Report"
    return ReportPage(doc.document_id, title, all_pages[number - 1], number, len(all_pages))
