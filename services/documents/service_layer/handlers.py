"""Handlers of the documents service: generate a kind of document for a case, keep every version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.documents.adapters import store
from services.documents.adapters.cases import CaseSource, CaseUnavailable
from services.documents.adapters.store import DOCX, PDF, StoredDocument
from services.documents.domain.kinds import get_kind, require_context
from services.documents.service_layer import context as ctx
from shared.auth.client import acting_for_board
from shared.auth.models import Agency, Board
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.errors import Conflict, NotFound
from shared.events import Event
from shared.framework import today_in_england
from shared.logging import get_logger

log = get_logger(__name__)
PRODUCER = "documents"

# What each event produces without anyone asking (DOMAIN.md, "Documents the board produces").
ON_EVENT = {
    "referral.submitted": ("referral_summary", "ofsted_incident_notification"),
    "decision.recorded": ("screening_decision_record", "decision_notification"),
    "decision.changed": ("screening_decision_record", "decision_notification"),
    "reviewer.appointed": ("case_group_letter",),
}


@dataclass
class Deps:
    cases: CaseSource
    render_docx: Callable[[str, dict], bytes]
    to_pdf: Callable[[bytes], bytes]
    pseudonymise: Callable[[dict, dict], dict]


today = today_in_england


def _board(board_id: str) -> dict:
    board = Board.objects(board_id=board_id).first()
    return {
        "name": board.name if board else board_id,
        "local_authority": board.local_authority if board else None,
    }


def _agencies(board_id: str) -> dict[str, str]:
    return {a.code: a.name for a in Agency.objects(board_id=board_id)}


def generate(
    deps: Deps,
    principal: Principal,
    case_id: str,
    kind: str,
    *,
    caused_by: str = "request",
    extra: dict | None = None,
    publication: bool = False,
    glossary: dict | None = None,
) -> StoredDocument:
    """Render one kind for one case and store it as a new version; refuses with what is missing."""
    spec = get_kind(kind)  # an unknown kind is refused, naming the field
    case = deps.cases.get(case_id, principal)  # a case the caller may not see is not found
    context = ctx.build(case, _board(case["board_id"]), _agencies(case["board_id"]), extra, today())
    require_context(kind, context)  # 409 naming the missing fields
    if publication:
        context = deps.pseudonymise(context, glossary or {})
    data = deps.render_docx(kind, context)
    suffix = "-publication" if publication else ""
    doc = StoredDocument(
        board_id=case["board_id"],
        case_id=case_id,
        case_reference=case["reference"],
        kind=kind,
        version=1,
        publication=publication,
        filename=spec.filename(case["reference"] + suffix),
        content_type=DOCX,
        content_hash=store.sha256(data),
        file_id=store.put_file(data, spec.filename(case["reference"]), DOCX),
        caused_by=caused_by,
        generated_by=principal.user_id,
    )
    store.save_new_version(doc)
    doc.raise_event(
        "document.generated",
        {
            "case_id": case_id,
            "board_id": case["board_id"],
            "document_id": doc.document_id,
            "kind": kind,
            "version": doc.version,
            "caused_by": caused_by,
        },
        producer=PRODUCER,
    )
    doc.save()
    log.info("document.generated", document_id=doc.document_id, kind=kind, version=doc.version)
    return doc


def on_event(deps: Deps, event: Event) -> None:
    principal = acting_for_board(PRODUCER, event.data["board_id"])
    case_id = event.data["case_id"]
    for kind in ON_EVENT.get(event.event_type, ()):
        extras = [None]
        if kind == "case_group_letter":
            extras = _case_group(deps, principal, case_id)
        for extra in extras:
            if StoredDocument.objects(case_id=case_id, kind=kind, caused_by=event.event_id).count() >= len(
                extras
            ):
                break  # this event was handled before (a repeat)
            try:
                generate(deps, principal, case_id, kind, caused_by=event.event_id, extra=extra)
            except NotFound as exc:
                raise PermanentError(f"case {case_id} is unknown to the referral service") from exc
            except CaseUnavailable:
                raise  # temporary: the bus retries
            except Conflict as exc:
                # The record lacks what this kind needs (a child's name, say): say so, carry on.
                log.warning("document.not_generated", kind=kind, case_id=case_id, reason=exc.message)


def _case_group(deps: Deps, principal: Principal, case_id: str) -> list[dict]:
    """One letter per agency involved, addressed to its case group contact."""
    case = deps.cases.get(case_id, principal)
    names = _agencies(case["board_id"])
    return [
        {
            "recipient": {
                "name": f"Case group contact, {names.get(code, code)}",
                "agency": names.get(code, code),
            }
        }
        for code in case["agencies_involved"]
    ]


def documents_for(principal: Principal, case_id: str):
    return StoredDocument.objects(board_id=principal.board_id, case_id=case_id).order_by("kind", "-version")


def get_document(principal: Principal, document_id: str) -> StoredDocument:
    doc = StoredDocument.objects(document_id=document_id, board_id=principal.board_id).first()
    if doc is None:
        raise NotFound("There is no such document", field="document_id")
    return doc


def content(deps: Deps, doc: StoredDocument, fmt: str) -> tuple[bytes, str, str]:
    """The file's bytes, content type and filename; PDF is converted once and kept."""
    if fmt == "docx":
        return store.read_file(doc.file_id), DOCX, doc.filename
    if doc.pdf_file_id is None:
        pdf = deps.to_pdf(store.read_file(doc.file_id))
        file_id = store.put_file(pdf, doc.filename.rsplit(".", 1)[0] + ".pdf", PDF)
        StoredDocument.objects(document_id=doc.document_id, pdf_file_id=None).update_one(
            set__pdf_file_id=file_id
        )
        doc.reload()
    return store.read_file(doc.pdf_file_id), PDF, doc.filename.rsplit(".", 1)[0] + ".pdf"
