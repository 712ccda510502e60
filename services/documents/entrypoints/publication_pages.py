"""The published copy of a case's documents, for the business unit to check before the report goes
on the board's website (003 "Publication of reports"; DOMAIN.md "Data protection"): what the
pseudonymisation replaces (:func:`..domain.publication.replacements`), each kind of detail with
its stand-in and never the real value, and links to download the latest publication copies.

The glossary given when a copy was made is not kept, so the replacements listed are those the
service makes from the case's own record (the child's name and identifying details); the page says
so. Business unit and admins only, and audited as a read of the case's documents."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template
from flask.typing import ResponseReturnValue

from services.documents.adapters.store import StoredDocument
from services.documents.domain.kinds import KINDS
from services.documents.domain.publication import Replacement, replacements
from services.documents.entrypoints.api import deps
from services.documents.service_layer import context as ctx
from services.documents.service_layer import queries
from shared.audit import audited
from shared.auth.access import members
from shared.errors import NotFound

blueprint = Blueprint("document_publication_pages", __name__, template_folder="../templates")
CHECKERS = ("business_unit", "admin")
PER_PAGE = 100
MOST_PAGES = 20  # a case's documents, 2,000 versions at most, are read to find its copies

# Each kind of detail the copy replaces, in plain English.
KIND_WORDS = {
    "glossary": "A name or detail from the glossary",
    "child_name": "The child's name",
    "family_name": "A family member's name",
    "date_of_birth": "Date of birth",
    "address": "Address",
    "postcode": "Postcode",
    "nhs_number": "NHS number",
}


def _copies(case_id: str) -> list[StoredDocument]:
    """The latest publication copy of each kind of document of the case."""
    latest: dict[str, StoredDocument] = {}
    for page in range(1, MOST_PAGES + 1):
        found = queries.documents_for(g.principal, case_id, deps().uow, page, PER_PAGE)
        for doc in found.items:
            if doc.publication and (doc.kind not in latest or doc.version > latest[doc.kind].version):
                latest[doc.kind] = doc
        if page * PER_PAGE >= found.total:
            break
    return sorted(latest.values(), key=lambda d: d.kind)


def _replaced(case_id: str) -> tuple[str, list[Replacement]]:
    d = deps()
    with d.uow:
        record = d.uow.cases.get(case_id)
        if record is None or not record.visible_to(g.principal):
            raise NotFound("There is no case with this id", field="case_id")
        board = d.uow.directory.board(record.board_id)
        agencies = d.uow.directory.agency_names(record.board_id)
    context = ctx.build(record, board, agencies, {}, d.today())
    return record.reference or case_id, replacements(context, {})


@blueprint.get("/documents/cases/<case_id>/published-copy")
@members(*CHECKERS)
@audited("case.read", "document", "case_id")
def published_copy(case_id: str) -> ResponseReturnValue:
    reference, replaced = _replaced(case_id)
    copies: list[dict[str, Any]] = [
        {
            "document_id": d.document_id,
            "title": KINDS[d.kind].title if d.kind in KINDS else d.kind.replace("_", " ").capitalize(),
            "version": d.version,
            "filename": d.filename,
            "made_on": d.created_at,
        }
        for d in _copies(case_id)
    ]
    return render_template(
        "publication_copy.html",
        title="Check the published copy",
        case_id=case_id,
        reference=reference,
        replaced=[{"kind": KIND_WORDS.get(r.kind, r.kind), "stand_in": r.stand_in} for r in replaced],
        copies=copies,
    )
