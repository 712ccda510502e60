"""Handlers of the documents service: keep each case's record, generate documents, keep every version.

The referral service's events arrive on one queue (``documents.generate``), in the
order they were raised: ``referral.submitted`` starts the service's own record of the
case, ``case.screened``, the decision events (recorded, changed, confirmed after a
challenge) and the rapid review complete it, and each of those, like
``reviewer.appointed``, generates the documents it calls for (:mod:`..domain.triggers`),
worded by the case's rule pack (:mod:`..domain.packs`).
Someone may also ask for any kind through the API (:func:`generate`).

A generated document is inserted with its ``document.generated`` event in one write,
so a crash can lose neither without the other; a redelivered event finds the
document it made and skips it, and the event waits in the outbox for the relay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from services.documents.adapters.case_record import CaseRecord
from services.documents.adapters.repository import VersionTaken
from services.documents.adapters.store import DOCX, StoredDocument
from services.documents.domain import triggers
from services.documents.domain.kinds import Kind, get_kind, require_context
from services.documents.service_layer import context as ctx
from services.documents.service_layer import review
from services.documents.service_layer.commands import Cause, GenerateDocument
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.auth.principal import Principal
from shared.bus import Listeners, PermanentError
from shared.crypto import seal_bytes
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Event
from shared.events.referral import (
    CaseScreened,
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
    ReviewerAppointed,
)
from shared.logging import get_logger

log = get_logger(__name__)
PRODUCER = "documents"
QUEUE = "generate"  # the queue documents.generate
VERSION_ATTEMPTS = 5

# What bootstrap() injects besides the unit of work.
Renderer = Callable[[str, Mapping[str, Any]], bytes]
Pseudonymiser = Callable[[Mapping[str, Any], Mapping[str, str]], dict[str, Any]]
Converter = Callable[[bytes], bytes]
Today = Callable[[], date]

listeners = Listeners(PRODUCER)


# -- Asked for ---------------------------------------------------------------------------


def generate(
    cmd: GenerateDocument,
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> StoredDocument:
    """Render one kind for one case and store it as a new version; refuses with what is missing."""
    spec = get_kind(cmd.kind)  # an unknown kind is refused, naming the field
    if cmd.publication and not cmd.glossary:
        raise InvalidInput(
            [{"field": "glossary", "message": "A publication copy needs the case's glossary of pseudonyms"}]
        )
    with uow:
        record = uow.cases.get(cmd.case_id)
        if record is None or not record.visible_to(cmd.requested_by):
            raise NotFound("There is no case with this id", field="case_id")
        board = uow.directory.board(record.board_id)
        agencies = uow.directory.agency_names(record.board_id)
    # The review's content (terms, chronologies, reports): 409 with a plain reason before it exists.
    from_review = review.content_for(spec.code, record, agencies, cmd.agency)
    context = ctx.build(record, board, agencies, {**from_review, **(cmd.extra or {})}, today())
    require_context(spec.code, context)  # 409 naming the missing fields
    if cmd.publication:
        context = pseudonymise(context, cmd.glossary or {})
    data = render_docx(spec.code, context)
    return _store(cmd, spec, record, data, uow)


def _store(
    cmd: GenerateDocument, spec: Kind, record: CaseRecord, data: bytes, uow: DocumentsUnitOfWork
) -> StoredDocument:
    """Insert the next version with its event, in one write; a version taken meanwhile, the next."""
    addressed_to = cmd.addressed_to or cmd.agency
    # One agency's document says which agency in its name; never the child's name.
    suffix = (f"-{cmd.agency}" if cmd.agency else "") + ("-publication" if cmd.publication else "")
    # A letter meant to be sent travels with its event, sealed; a publication copy is not sent.
    sealed = seal_bytes(data) if spec.sent and not cmd.publication else None
    file_id = uow.files.put(data, spec.filename(record.reference), DOCX)
    for _ in range(VERSION_ATTEMPTS):
        with uow:
            doc = StoredDocument(
                board_id=record.board_id,
                case_id=record.case_id,
                case_reference=record.reference,
                kind=spec.code,
                version=uow.documents.next_version(record.case_id, spec.code, cmd.publication),
                publication=cmd.publication,
                filename=spec.filename(record.reference + suffix),
                content_type=DOCX,
                content_hash=hashlib.sha256(data).hexdigest(),
                file_id=file_id,
                caused_by=cmd.cause.caused_by,
                caused_by_type=cmd.cause.caused_by_type,
                addressed_to=addressed_to,
                generated_by=cmd.requested_by.user_id,
            )
            doc.announce(sealed)
            uow.documents.add(doc)
            try:
                uow.commit()
            except VersionTaken:
                continue
        log.info("document.stored", document_id=doc.document_id, kind=doc.kind, version=doc.version)
        return doc
    raise RuntimeError("could not allocate a document version")


# -- Called for by events ----------------------------------------------------------------


@listeners.handles(ReferralSubmitted, queue=QUEUE)
def on_referral_submitted(event: Event[ReferralSubmitted], uow: DocumentsUnitOfWork) -> None:
    """Start (or, on a repeat, refresh) the service's own record of the case."""
    with uow:
        record = uow.cases.get(event.data.case_id)
        if record is None:
            uow.cases.add(CaseRecord.from_referral(event.data))
        else:
            record.apply_referral(event.data)
        uow.commit()


@listeners.handles(CaseScreened, queue=QUEUE)
def on_case_screened(
    event: Event[CaseScreened],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    # The case's own pack, which the screening says (a case keeps it for life).
    kinds = triggers.after_screening(event.data.notifiable, event.data.rule_pack)
    _keep_then_generate(event, CaseRecord.apply_screening, kinds, uow, render_docx, pseudonymise, today)


@listeners.handles(DecisionRecorded, DecisionChanged, queue=QUEUE)
def on_decision(
    event: Event[DecisionRecorded | DecisionChanged],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    kinds = triggers.AFTER_DECISION
    _keep_then_generate(event, CaseRecord.apply_decision, kinds, uow, render_docx, pseudonymise, today)


@listeners.handles(DecisionConfirmed, queue=QUEUE)
def on_decision_confirmed(
    event: Event[DecisionConfirmed],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    """The decision was kept after a challenge: new versions of its record and its letter.

    The letter says the decision stands as the final outcome, for Ofsted, the DfE and the
    Panel (003 checklist, 'Decisions whether to initiate an SCR').
    """
    with uow:
        record = _known_case(uow, event)
        if record.decision is None or record.decision.decision_id != event.data.decision_id:
            raise PermanentError(
                f"decision {event.data.decision_id} of case {record.case_id} is unknown: "
                "no decision.recorded was received for it"
            )
        kept = record.apply_confirmation(event.data, event.occurred_at)
        uow.commit()
    if not kept:
        log.info("document.confirmation_superseded", case_id=record.case_id)
        return  # a newer decision was kept meanwhile: its own letter says what stands
    for kind in triggers.AFTER_DECISION:
        _generate_for(event, kind, uow, render_docx, pseudonymise, today)


@listeners.handles(RapidReviewRecorded, queue=QUEUE)
def on_rapid_review_recorded(
    event: Event[RapidReviewRecorded],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    """The safeguarding partners' rapid review, written up for the Panel (WT2018 ch. 4; WT2023 ch. 5)."""
    kinds = triggers.AFTER_RAPID_REVIEW
    _keep_then_generate(event, CaseRecord.apply_rapid_review, kinds, uow, render_docx, pseudonymise, today)


@listeners.handles(ReviewerAppointed, queue=QUEUE)
def on_reviewer_appointed(
    event: Event[ReviewerAppointed],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    """One letter to the case group contact of each agency involved."""
    with uow:
        record = _known_case(uow, event)
        names = uow.directory.agency_names(record.board_id)
        agencies = list(record.agencies_involved)
    for code in agencies:
        name = names.get(code, code)
        recipient = {"name": f"Case group contact, {name}", "agency": name}
        _generate_for(
            event,
            triggers.CASE_GROUP_LETTER,
            uow,
            render_docx,
            pseudonymise,
            today,
            addressed_to=code,
            extra={"recipient": recipient},
        )


def _keep_then_generate(
    event: Event[Any],
    keep: Callable[[CaseRecord, Any, datetime], object],
    kinds: Iterable[str],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    """Keep what the event says in the case's record (``keep(record, data, at)``), then make ``kinds``."""
    with uow:
        keep(_known_case(uow, event), event.data, event.occurred_at)
        uow.commit()
    for kind in kinds:
        _generate_for(event, kind, uow, render_docx, pseudonymise, today)


def _known_case(uow: DocumentsUnitOfWork, event: Event[Any]) -> CaseRecord:
    record = uow.cases.get(event.data.case_id)
    if record is None:
        # Retrying cannot help: keep the event among the dead letters, to replay once
        # the case's referral.submitted has been received.
        raise PermanentError(f"case {event.data.case_id} is unknown: no referral.submitted was received")
    return record


def _generate_for(
    event: Event[Any],
    kind: str,
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
    *,
    addressed_to: str | None = None,
    extra: Mapping[str, Any] | None = None,
    agency: str | None = None,
) -> None:
    case_id, cause = event.data.case_id, Cause.of(event)
    with uow:
        if uow.documents.made_for(case_id, kind, cause.caused_by, addressed_to or agency):
            log.info("document.repeat_skipped", kind=kind, case_id=case_id)
            return  # made when this event was handled before; its event was stored with it
    cmd = GenerateDocument(
        case_id=case_id,
        kind=kind,
        requested_by=Principal.acting_service(PRODUCER, event.data.board_id),
        extra=extra,
        cause=cause,
        addressed_to=addressed_to,
        agency=agency,
    )
    try:
        generate(cmd, uow, render_docx, pseudonymise, today)
    except NotFound as exc:
        raise PermanentError(f"case {case_id} is not a case of board {event.data.board_id}") from exc
    except (Conflict, InvalidInput) as exc:
        # The record lacks what this kind needs (a child's name, say): say so, carry on.
        log.warning("document.not_generated", kind=kind, case_id=case_id, reason=exc.message)
