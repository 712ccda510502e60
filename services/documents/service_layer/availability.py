"""What the documents pages offer for a case: the kinds that can be generated now, those that
cannot yet and why, and who its reports are shared with.

Whether a kind can be generated is the same check :func:`.handlers.generate` makes
(:func:`~services.documents.domain.kinds.check_context` on the context built from the service's
record of the case), so a page never offers what the API would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from services.documents.adapters.case_record import CaseRecord
from services.documents.adapters.store import DocumentShare, StoredDocument
from services.documents.domain.kinds import KINDS
from services.documents.domain.kinds.review import REVIEW_KINDS
from services.documents.service_layer import context as ctx
from services.documents.service_layer import review
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.auth.principal import Principal
from shared.errors import NotFound

# The kinds whose content is gathered during the review (terms of reference, chronologies, agencies'
# reports and answers, the final report): whether they can be generated, and why not, comes from
# what the service kept of the review's events (:func:`.review.unavailable`).
DURING_REVIEW = frozenset(k.code for k in REVIEW_KINDS)
# Fields a page asks for when a letter is addressed to someone (the API's ``recipient``).
ASKED = ("recipient.",)


@dataclass(frozen=True)
class KindOffer:
    code: str
    title: str
    available: bool
    reason: str = ""  # why it cannot be generated now
    needs_recipient: bool = False


@dataclass(frozen=True)
class CaseShares:
    family: dict[str, str]  # user id -> name: whom a report can be shared with
    shares: list[DocumentShare]  # the shares not revoked, of this case's documents


def _record(principal: Principal, case_id: str, uow: DocumentsUnitOfWork) -> CaseRecord:
    record = uow.cases.get(case_id)
    if record is None or not record.visible_to(principal):
        raise NotFound("There is no case with this id", field="case_id")
    return record


def kinds_for(
    principal: Principal, case_id: str, uow: DocumentsUnitOfWork, today: Callable[[], date]
) -> list[KindOffer]:
    """Every kind, each either available now or with the reason it is not."""
    with uow:
        record = _record(principal, case_id, uow)
        board = uow.directory.board(record.board_id)
        agencies = uow.directory.agency_names(record.board_id)
    context = ctx.build(record, board, agencies, None, today())
    offers = []
    for code, kind in KINDS.items():
        kind_context = context
        if code in DURING_REVIEW:
            why_not = review.unavailable(code, record)
            if why_not is not None:
                offers.append(KindOffer(code, kind.title, False, why_not))
                continue
            from_review = review.content_for(code, record, agencies, None)
            kind_context = ctx.build(record, board, agencies, from_review, today())
        missing = kind.missing(kind_context)
        asked = [label for path, label in missing if path.startswith(ASKED)]
        lacking = [label for path, label in missing if not path.startswith(ASKED)]
        if lacking:
            reason = "The case record does not have it yet: " + "; ".join(lacking).lower() + "."
            offers.append(KindOffer(code, kind.title, False, reason))
        else:
            offers.append(KindOffer(code, kind.title, True, needs_recipient=bool(asked)))
    return offers


def shares_of(principal: Principal, case_id: str, uow: DocumentsUnitOfWork) -> CaseShares:
    """The board's family members, and the case's documents shared with them."""
    with uow:
        _record(principal, case_id, uow)
        family = uow.directory.family_members(principal.board_id)
        shares = uow.shares.active_for_case(principal.board_id, case_id)
    return CaseShares(family, shares)


def family_of(principal: Principal, uow: DocumentsUnitOfWork) -> dict[str, str]:
    with uow:
        return uow.directory.family_members(principal.board_id)


def share_of(
    principal: Principal, share_id: str, uow: DocumentsUnitOfWork
) -> tuple[DocumentShare, StoredDocument] | None:
    """A share of the board not yet revoked, and its document; None otherwise."""
    with uow:
        share = uow.shares.get(share_id, principal.board_id)
        if share is None or share.revoked_at is not None:
            return None
        doc = uow.documents.by_ids([share.document_id]).get(share.document_id)
    return (share, doc) if doc is not None else None
