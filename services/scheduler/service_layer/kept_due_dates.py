"""The reminders of the due dates the scheduler keeps one record each for (a contribution's, an
action's): the sweep that finds the open ones that became due soon or overdue, and the atomic write
that marks a reminder sent and queues its event, so each goes once."""

from __future__ import annotations

from datetime import date, timedelta

from services.scheduler.adapters.contribution_store import ANNOUNCED_AT, now
from services.scheduler.adapters.repository import outbox_entry
from services.scheduler.domain.deadlines import deadline_status
from services.scheduler.service_layer.clock import Clock
from services.scheduler.service_layer.handlers import PRODUCER
from services.scheduler.service_layer.reminders import REMINDERS
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.bus import OutboxDocument
from shared.events import new_envelope
from shared.logging import current


def send_due_reminders(
    records: type[OutboxDocument],
    code: str,
    concerns: str,
    uow: SchedulerUnitOfWork,
    clock: Clock,
    due_soon_days: int,
    on: date | None = None,
) -> int:
    """Announce the open ``records`` that became due soon or overdue on ``on``; how many were.
    ``code`` names the deadline in the reminders, ``concerns`` who it concerns."""
    today = on or clock.today()
    horizon = today + timedelta(days=14 + due_soon_days * 2)
    announced = 0
    with uow:
        for record in records.objects(met_on=None, due__lte=horizon):
            calendar = uow.calendars.for_board(record.board_id)
            status = deadline_status(record.due, today, None, False, due_soon_days, calendar)
            if status in REMINDERS and getattr(record, ANNOUNCED_AT[status]) is None:
                announced += _announce(records, record, status, code, concerns)
    return announced


def _announce(
    records: type[OutboxDocument], record: OutboxDocument, kind: str, code: str, concerns: str
) -> bool:
    """Mark the reminder sent and queue its event in one atomic write; False if it went already."""
    payload = REMINDERS[kind](
        case_id=record.case_id,
        board_id=record.board_id,
        deadline_id=record.deadline_id,
        code=code,
        due=record.due,
        concerns=concerns,
    )
    envelope = new_envelope(payload, producer=PRODUCER, correlation_id=current("correlation_id"))
    flag = ANNOUNCED_AT[kind]
    result = records._get_collection().update_one(
        {"_id": record.deadline_id, flag: None, "met_on": None},
        {"$set": {flag: now()}, "$push": {"outbox": outbox_entry(envelope).to_mongo().to_dict()}},
    )
    return bool(result.modified_count == 1)
