"""Bus consumers of the documents service: the referral and reviews services' events, on one queue.

The listeners are declared at their handlers (:mod:`..service_layer.handlers`, and here the
reviews service's events); this module turns them into subscriptions with their dependencies
injected.

From the reviews service the documents service keeps, in its own record of the case, the terms
of reference as agreed and each contribution as submitted, returned or accepted
(:mod:`..adapters.review_record`), then makes what that calls for:

- the ``terms_of_reference`` as agreed;
- a new version of the ``multi_agency_chronology`` whenever what it says changes: an agency
  submits its chronology or submits it again after a return, the panel accepts one (the document
  says which entries are accepted and which may still change), or returns one (its entries
  leave the merged chronology, as they leave the reviews service's page). An event that changes
  nothing (a repeat, an acceptance already known) makes no new version, so each version in the
  list marks a real change in what the panel reads;
- one agency's ``single_agency_analysis_report`` or ``single_agency_review_questionnaire`` when
  it submits it (for the panel to read) and when the panel accepts it (the version on file).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.documents.adapters.case_record import review_of
from services.documents.adapters.review_record import ACCEPTED, SUBMITTED
from services.documents.domain import contributions as co
from services.documents.domain.review_content import TERMS_OF_REFERENCE
from services.documents.service_layer import learning as _learning  # noqa: F401  (its listeners)
from services.documents.service_layer import report_documents as _report  # noqa: F401  (its listeners)
from services.documents.service_layer import review
from services.documents.service_layer.handlers import (
    QUEUE,
    Pseudonymiser,
    Renderer,
    Today,
    _generate_for,
    _known_case,
    listeners,
    log,
)
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.bus import Subscription
from shared.events import Event
from shared.events.reviews import (
    ContributionAccepted,
    ContributionReturned,
    ContributionSubmitted,
    TermsOfReferenceAgreed,
)

# Each contribution kind, and the document made for its agency when it is submitted or accepted.
FOR_AGENCY = {co.SAAR: co.SAAR_DOCUMENT, co.SINGLE_AGENCY_REVIEW: co.QUESTIONNAIRE}


@listeners.handles(TermsOfReferenceAgreed, queue=QUEUE)
def on_terms_of_reference_agreed(
    event: Event[TermsOfReferenceAgreed],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    """The panel agreed the terms of reference: keep them, and make the document as agreed."""
    with uow:
        kept = review_of(_known_case(uow, event)).keep_terms(event.data, event.occurred_at)
        uow.commit()
    if kept:
        _generate_for(event, TERMS_OF_REFERENCE, uow, render_docx, pseudonymise, today)


def _after_contribution(
    event: Event[Any],
    keep: str,
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    """Keep the contribution as ``keep`` says (submitted, accepted, returned), then make what changed."""
    data = event.data
    with uow:
        record = _known_case(uow, event)
        agencies = uow.directory.agency_names(record.board_id)
        before = co.fingerprint(review.chronology(record, agencies))
        part = review_of(record)
        if keep == SUBMITTED:
            kept = part.keep_content(data, SUBMITTED, data.submitted_on, event.occurred_at)
        elif keep == ACCEPTED:
            kept = part.keep_content(data, ACCEPTED, data.accepted_on, event.occurred_at)
        else:
            kept = part.keep_returned(data.contribution_id, event.occurred_at)
        if kept and co.fingerprint(review.chronology(record, agencies)) != before:
            part.chronology_changed_by = event.event_id
        remake = part.chronology_changed_by == event.event_id
        uow.commit()
    if not kept:
        log.info("review.contribution_superseded", case_id=data.case_id, contribution=data.contribution_id)
        return
    if remake:
        _generate_for(event, co.MULTI_AGENCY_CHRONOLOGY, uow, render_docx, pseudonymise, today)
    if keep != "returned" and data.kind in FOR_AGENCY:
        kind = FOR_AGENCY[data.kind]
        _generate_for(event, kind, uow, render_docx, pseudonymise, today, agency=data.agency)


@listeners.handles(ContributionSubmitted, queue=QUEUE)
def on_contribution_submitted(
    event: Event[ContributionSubmitted],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    _after_contribution(event, SUBMITTED, uow, render_docx, pseudonymise, today)


@listeners.handles(ContributionAccepted, queue=QUEUE)
def on_contribution_accepted(
    event: Event[ContributionAccepted],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    _after_contribution(event, ACCEPTED, uow, render_docx, pseudonymise, today)


@listeners.handles(ContributionReturned, queue=QUEUE)
def on_contribution_returned(
    event: Event[ContributionReturned],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    _after_contribution(event, "returned", uow, render_docx, pseudonymise, today)


# The queues this service consumes from (their dead letters are listed by name).
CONSUMERS: tuple[str, ...] = tuple(listeners.queues())


def subscriptions(dependencies: Mapping[str, Any]) -> list[Subscription]:
    return listeners.subscriptions(dependencies)
