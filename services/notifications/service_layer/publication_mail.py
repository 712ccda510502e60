"""Emails about publishing a review's report (003 "Publication of reports"; 002 §2.9):

- the copies: when the documents service has made both the signed-off report and the board's
  response after ``publication.copies_sent``, Ofsted, the DfE and the National Panel each get one
  email with both attached, through the ledger like every statutory message: one notification
  per recipient, keyed by the copies' event, so a repeated event or document sends nothing again,
  and each attempt carries the same Message-ID;
- not publishing (``publication.decided``, not final): the DfE and the Panel are told why;
- the final decision after the Panel's advice (final): Ofsted, the DfE and the Panel are told.

The reminder that the report's 12 months on the website end (the scheduler's
``publication_retention``) is the deadline reminder every deadline has; its message asks
whether to keep the report online or withdraw it, and points at the case's publication page
(:data:`RETENTION_PAGE`), where the business unit records the answer that meets the deadline.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from services.notifications.adapters.publication_store import gather
from services.notifications.domain import rules
from services.notifications.domain.letters import Letter
from services.notifications.service_layer.handlers import (
    QUEUE,
    _case,
    _log_created,
    create_notifications,
    listeners,
    plain,
)
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from shared import words
from shared.bus import PermanentError
from shared.events import CATALOGUE, Event
from shared.events.documents import DocumentGenerated
from shared.events.report import PublicationCopiesSent, PublicationDecided

Clock = Callable[[], datetime]
SOURCE = "003 SCR checklist (publication of reports)"
COPIES_SENT = CATALOGUE.spec_for(PublicationCopiesSent).event_type
# The documents the copies are made of (the documents service's kinds).
COPY_KINDS = ("final_report", "board_response")

# Where the board records whether the published report stays online (the reviews service's page).
RETENTION_PAGE = "/reviews/{case_id}/publication"

COPIES = rules.Rule("pre_publication_copies", rules.NATIONAL_BODIES, SOURCE)
NOT_PUBLISHED = rules.Rule("publication_not_published", ("dfe", "national_panel"), SOURCE)
FINAL_DECISION = rules.Rule("publication_final_decision", rules.NATIONAL_BODIES, SOURCE)

# The codes these messages name, in plain English (the ``plain`` filter).
words.register(
    {
        "pre_publication_copies": "Copies of the report to Ofsted, the DfE and the National Panel",
        "publication_retention": "Published report kept on the website",
        "final_report": "Final report",
        "board_response": "The board's response",
    }
)


@listeners.handles(DocumentGenerated, queue=QUEUE)
def on_copy_generated(event: Event[DocumentGenerated], uow: NotificationsUnitOfWork, clock: Clock) -> None:
    data = event.data
    if data.caused_by_type != COPIES_SENT or data.kind not in COPY_KINDS or data.caused_by is None:
        return  # not one of the copies for the national bodies
    if not data.content_sealed:
        raise PermanentError(f"{data.kind} document {data.document_id} came without its file to attach")
    with uow:
        case = _case(uow, data.case_id)
        if uow.letters.get(data.document_id) is None:
            uow.letters.add(
                Letter(
                    document_id=data.document_id,
                    board_id=data.board_id,
                    case_id=data.case_id,
                    kind=data.kind,
                    version=data.version,
                    filename=data.filename,
                    content_type=data.content_type,
                    content_hash=data.content_hash,
                    sealed=data.content_sealed,
                )
            )
        uow.commit()
    gathered = gather(data.caused_by, data.case_id, data.kind, data.document_id)
    if any(kind not in gathered for kind in COPY_KINDS):
        return  # the other copy is still to come
    # Keyed by the copies' event, not by this document's: whichever copy comes last, or again,
    # the ledger finds the same notifications.
    cause = dataclasses.replace(event, event_id=data.caused_by, event_type=COPIES_SENT)
    with uow:
        created = create_notifications(
            uow, cause, case, COPIES, case.context(), clock(), attachments=[gathered[k] for k in COPY_KINDS]
        )
        uow.commit()
    _log_created(created)


@listeners.handles(PublicationDecided, queue=QUEUE)
def on_publication_decided(
    event: Event[PublicationDecided], uow: NotificationsUnitOfWork, clock: Clock
) -> None:
    data = event.data
    if not data.final and data.publish:
        return  # publishing as planned: nobody needs telling yet
    rule = FINAL_DECISION if data.final else NOT_PUBLISHED
    with uow:
        case = _case(uow, data.case_id)
        context = {**plain(data), **case.context()}
        created = create_notifications(uow, event, case, rule, context, clock())
        uow.commit()
    _log_created(created)
