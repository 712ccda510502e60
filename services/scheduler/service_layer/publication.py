"""The publication deadlines of a reviewed case (003 "Publication of reports"), from the reviews
service's events:

- ``publication.planned`` dates the milestone ``planned_publication_on``: the rule
  ``pre_publication_copies`` then gives the date, 7 working days before on the board's calendar,
  by which the copies go to Ofsted, the DfE and the National Panel;
- ``publication.copies_sent`` meets that deadline on the day they went (by the product or, for a
  review begun before the board used it, outside it);
- ``report.published`` dates ``published_on``: ``publication_retention`` keeps the report on the
  board's website for at least 12 months, and is reminded like every deadline (the reminder asks
  whether to keep or withdraw it: the notifications service's message);
- ``publication.retention_decided``, the board's answer to that reminder (keep the report online
  or withdraw it once the 12 months are up), meets ``publication_retention`` on the day decided.

On the case's own queue, ``scheduler.deadlines``, so they apply after the decision that opened
the review.
"""

from __future__ import annotations

from datetime import date

from services.scheduler.domain.rules import PRE_PUBLICATION_COPIES, PUBLICATION_RETENTION
from services.scheduler.service_layer.handlers import QUEUE, _referred, listeners
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared import words
from shared.events import Event
from shared.events.report import (
    PublicationCopiesSent,
    PublicationPlanned,
    PublicationRetentionDecided,
    ReportPublished,
)

# The codes these messages name, in plain English (the ``plain`` filter).
words.register(
    {
        "pre_publication_copies": "Copies of the report to Ofsted, the DfE and the National Panel",
        "publication_retention": "Published report kept on the website",
        "final_report": "Final report",
        "board_response": "The board's response",
    }
)


def _date_milestone(uow: SchedulerUnitOfWork, event_id: str, case_id: str, name: str, on: date) -> None:
    with uow:
        schedule = _referred(uow, case_id)
        if schedule.has_applied(event_id):
            return
        schedule.set_milestone(name, on)
        schedule.recompute(uow.calendars.for_board(schedule.board_id))
        schedule.applied(event_id)
        uow.commit()


@listeners.handles(PublicationPlanned, queue=QUEUE)
def on_publication_planned(event: Event[PublicationPlanned], uow: SchedulerUnitOfWork) -> None:
    """A planned (or moved) publication date: the copies' deadline follows it."""
    data = event.data
    _date_milestone(uow, event.event_id, data.case_id, "planned_publication_on", data.planned_publication_on)


@listeners.handles(PublicationCopiesSent, queue=QUEUE)
def on_copies_sent(event: Event[PublicationCopiesSent], uow: SchedulerUnitOfWork) -> None:
    """The copies went: the deadline is met on that day (and should the date be planned only
    afterwards, the deadline it then gets is met already)."""
    _done(uow, event, PRE_PUBLICATION_COPIES.code, event.data.sent_on)


def _done(
    uow: SchedulerUnitOfWork,
    event: Event[PublicationCopiesSent] | Event[PublicationRetentionDecided],
    code: str,
    on: date,
) -> None:
    with uow:
        schedule = _referred(uow, event.data.case_id)
        if schedule.has_applied(event.event_id):
            return
        schedule.record_done(code, on, event.event_type)
        schedule.applied(event.event_id)
        uow.commit()


@listeners.handles(ReportPublished, queue=QUEUE)
def on_report_published(event: Event[ReportPublished], uow: SchedulerUnitOfWork) -> None:
    """Published: the 12 months on the website start."""
    data = event.data
    _date_milestone(uow, event.event_id, data.case_id, "published_on", data.published_on)


@listeners.handles(PublicationRetentionDecided, queue=QUEUE)
def on_retention_decided(event: Event[PublicationRetentionDecided], uow: SchedulerUnitOfWork) -> None:
    """The board answered the reminder, keeping the report online or withdrawing it: the
    deadline is met that day (the first answer counts; a later withdrawal changes nothing here)."""
    _done(uow, event, PUBLICATION_RETENTION.code, event.data.decided_on)
