"""Events of the documents service."""

from __future__ import annotations

from dataclasses import dataclass, field

from marshmallow import validate

from shared.events.base import CaseEvent, ident
from shared.events.catalogue import event

DOCUMENTS = ("documents",)


@event("document.generated", 2, producers=DOCUMENTS)
@dataclass(frozen=True, kw_only=True)
class DocumentGenerated(CaseEvent):
    """A new version of a case document was stored.

    A letter meant to be sent (a notification to Ofsted, a letter to the case
    group) carries its file, sealed with the field-encryption keys, so that the
    notifications service can attach it without asking the documents service.
    """

    document_id: str = ident()
    kind: str = ident()
    version: int = field(metadata={"validate": validate.Range(min=1)})
    # The event that caused it ("request" when someone asked for it) and that event's type.
    caused_by: str | None = None
    caused_by_type: str | None = None
    filename: str
    content_type: str
    content_hash: str
    content_sealed: str | None = None


@event("document_share.created", 1, producers=DOCUMENTS)
@dataclass(frozen=True, kw_only=True)
class DocumentShared(CaseEvent):
    """A report was shared with one family member of the board, to read on screen."""

    share_id: str = ident()
    document_id: str = ident()
    kind: str = ident()
    user_id: str = ident()  # the family member it was shared with


@event("document_share.revoked", 1, producers=DOCUMENTS)
@dataclass(frozen=True, kw_only=True)
class DocumentShareRevoked(CaseEvent):
    """A family member may no longer read a report shared with them."""

    share_id: str = ident()
    user_id: str = ident()
