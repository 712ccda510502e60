"""Reminders: deadlines that became due soon or overdue are announced once each, however many
scheduler processes tick at once."""

from __future__ import annotations

from datetime import timedelta

from services.scheduler.adapters.store import DeadlineRecord, Schedule
from services.scheduler.domain.deadlines import deadline_status
from services.scheduler.service_layer.clock import Clock
from services.scheduler.service_layer.handlers import PRODUCER
from services.scheduler.service_layer.messages import SendReminders
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared import metrics
from shared.events import new_envelope
from shared.events.deadlines import DeadlineDueSoon, DeadlineOverdue
from shared.logging import current

# A deadline's status -> the event announcing it.
REMINDERS: dict[str, type[DeadlineDueSoon] | type[DeadlineOverdue]] = {
    "due_soon": DeadlineDueSoon,
    "overdue": DeadlineOverdue,
}


def send_reminders(cmd: SendReminders, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int) -> int:
    """Announce what became due soon or overdue on ``cmd.on``; returns how many were announced."""
    on = cmd.on or clock.today()
    # Calendar days enough to hold ``due_soon_days`` working days, bank holidays included.
    horizon = on + timedelta(days=14 + due_soon_days * 2)
    announced = overdue = 0
    with uow:
        for schedule in uow.schedules.open_due_by(horizon):
            calendar = uow.calendars.for_board(schedule.board_id)
            for record in schedule.deadlines:
                status = deadline_status(
                    record.due, on, record.met_on, record.waived_at is not None, due_soon_days, calendar
                )
                overdue += status == "overdue"
                if status in REMINDERS and not record.announced(status):
                    announced += _announce(uow, schedule, record, status)
        uow.commit()
    metrics.DEADLINES_OVERDUE.labels("scheduler").set(overdue)  # every board's, for the alert
    return announced


def _announce(uow: SchedulerUnitOfWork, schedule: Schedule, record: DeadlineRecord, kind: str) -> bool:
    """Claim and queue one reminder in one atomic write; False if already announced."""
    payload = REMINDERS[kind](
        case_id=schedule.case_id,
        board_id=schedule.board_id,
        deadline_id=record.deadline_id,
        code=record.code,
        due=record.due,
        concerns=record.concerns,
    )
    envelope = new_envelope(payload, producer=PRODUCER, correlation_id=current("correlation_id"))
    return uow.schedules.announce(schedule, record.deadline_id, kind, envelope)
