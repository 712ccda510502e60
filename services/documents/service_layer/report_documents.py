"""The final report as documents, from the reviews service's events (002 §2.5, §2.8, §2.9):

- ``report.version_saved``: each version of the report becomes a ``final_report`` document (its
  Word file from the version's sections), so that it can be shown to the family;
- ``report.shared_with_family``: the document of that version is shared with the family member,
  who reads it on screen, page by page, and cannot download it (each reading audited, as for
  every shared report: :mod:`.family`);
- ``publication.copies_sent`` by the product: the signed-off version and the board's response
  are made as letters to send (``final_report`` and ``board_response``, sealed with their
  ``document.generated``), which the notifications service emails to Ofsted, the DfE and the
  National Panel.

These kinds are made from the report's own text, not from a template, so they are not among the
kinds the API generates on request (:mod:`..domain.kinds`).
"""

from __future__ import annotations

from services.documents.adapters import report_render, report_versions
from services.documents.adapters.store import DocumentShare
from services.documents.domain.kinds.fields import Kind
from services.documents.service_layer.commands import Cause, GenerateDocument
from services.documents.service_layer.handlers import PRODUCER, QUEUE, _known_case, _store, listeners, log
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.auth.principal import Principal
from shared.bus import PermanentError
from shared.events import Event
from shared.events.documents import DocumentShared
from shared.events.report import PublicationCopiesSent, ReportSharedWithFamily, ReportVersionSaved

FINAL_REPORT = Kind("final_report", "Final report", "final-report", "002 §2.8", (), sent=False)
# The copies for the national bodies travel sealed with their event (003 "Publication of reports").
FINAL_REPORT_COPY = Kind("final_report", "Final report", "final-report", "002 §2.8; 003", (), sent=True)
BOARD_RESPONSE = Kind(
    "board_response",
    "The board's response",
    "board-response",
    "002 §2.9; 003 'Publication of reports'",
    (),
    sent=True,
)


def _make(
    event: Event[object], spec: Kind, data: bytes, uow: DocumentsUnitOfWork, addressed_to: str | None
) -> str:
    case_id = event.data.case_id  # type: ignore[attr-defined]
    board_id = event.data.board_id  # type: ignore[attr-defined]
    with uow:
        record = _known_case(uow, event)
    cmd = GenerateDocument(
        case_id=case_id,
        kind=spec.code,
        requested_by=Principal.acting_service(PRODUCER, board_id),
        cause=Cause.of(event),
        addressed_to=addressed_to,
    )
    return str(_store(cmd, spec, record, data, uow).document_id)


@listeners.handles(ReportVersionSaved, queue=QUEUE)
def on_report_version_saved(event: Event[ReportVersionSaved], uow: DocumentsUnitOfWork) -> None:
    data = event.data
    if report_versions.document_of(data.case_id, data.version) is not None:
        return  # made when this event came before
    body = report_render.final_report(data.reference or data.case_id, data.version, data.sections)
    document_id = _make(event, FINAL_REPORT, body, uow, None)  # type: ignore[arg-type]
    report_versions.remember(document_id, data.case_id, data.board_id, data.version)


@listeners.handles(ReportSharedWithFamily, queue=QUEUE)
def on_report_shared(event: Event[ReportSharedWithFamily], uow: DocumentsUnitOfWork) -> None:
    data = event.data
    document_id = report_versions.document_of(data.case_id, data.version)
    if document_id is None:
        raise PermanentError(f"version {data.version} of the report of {data.case_id} was never made")
    with uow:
        if not uow.directory.is_family_member(data.board_id, data.user_id):
            log.warning("document.report_share_refused", case_id=data.case_id, reason="not a family member")
            return
        if any(s.document_id == document_id for s in uow.shares.active_for(data.board_id, data.user_id)):
            return  # shared already
        share = DocumentShare(
            board_id=data.board_id,
            document_id=document_id,
            case_id=data.case_id,
            user_id=data.user_id,
            shared_by=f"service:{PRODUCER}",
        )
        share.raise_event(
            DocumentShared(
                case_id=data.case_id,
                board_id=data.board_id,
                share_id=share.share_id,
                user_id=data.user_id,
                document_id=document_id,
                kind=FINAL_REPORT.code,
            ),
            producer=PRODUCER,
        )
        uow.shares.add(share)
        uow.commit()


@listeners.handles(PublicationCopiesSent, queue=QUEUE)
def on_copies_sent(event: Event[PublicationCopiesSent], uow: DocumentsUnitOfWork) -> None:
    data = event.data
    if not data.by_product:
        return  # sent outside the product: nothing to send
    reference = data.reference or data.case_id
    made = {
        FINAL_REPORT_COPY: report_render.final_report(reference, data.version, data.sections),
        BOARD_RESPONSE: report_render.board_response(
            reference, data.version, data.sections, data.sent_on, data.planned_publication_on
        ),
    }
    for spec, body in made.items():
        with uow:
            if uow.documents.made_for(data.case_id, spec.code, event.event_id, None):
                continue  # made when this event came before
        _make(event, spec, body, uow, None)  # type: ignore[arg-type]
