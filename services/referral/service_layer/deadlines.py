"""What the referral service does with the scheduler's deadline events: it keeps each case's
next deadline, so the case list can show what is due and what is overdue."""

from __future__ import annotations

from services.referral.domain import case as rules
from services.referral.service_layer.unit_of_work import ReferralUnitOfWork
from shared.bus import Listeners, PermanentError
from shared.events import Event
from shared.events.deadlines import DeadlineDueSoon, DeadlineEvent, DeadlineOverdue

listeners = Listeners("referral")


@listeners.handles(DeadlineDueSoon, DeadlineOverdue, queue="deadlines")
def apply_deadline_event(event: Event[DeadlineEvent], uow: ReferralUnitOfWork) -> None:
    """Keep the case's next deadline as the scheduler announces it (a repeat changes nothing)."""
    data = event.data
    status = rules.OVERDUE if isinstance(data, DeadlineOverdue) else rules.DUE_SOON
    with uow:
        known = uow.cases.record_deadline(
            data.case_id, event.event_id, code=data.code, due=data.due, status=status
        )
    if not known:
        raise PermanentError(f"no case {data.case_id}")
