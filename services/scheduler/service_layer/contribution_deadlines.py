"""Due dates of the contributions agencies are asked for in a review, and their reminders.

The reviews service sets a contribution's due date when it asks for it (``contribution.requested``,
from the board's working-day calendar); the scheduler owns it from then on, as it owns the statutory
deadlines: the deadline ``contribution_due`` (its id the contribution's) is met when the agency
submits (``contribution.submitted``; ``contribution.accepted`` too, should it come first), opened
again when the contribution is returned to the agency (``contribution.returned``), and reminded as
``deadline.due_soon`` and ``deadline.overdue`` once each, like every deadline, which the
notifications service sends to the business unit and to the agency's contact.

The handlers are on their own queue, ``scheduler.contributions``; the sweep runs on the reminders'
tick (``bootstrap``).
"""

from __future__ import annotations

from datetime import date

from services.scheduler.adapters.contribution_store import ContributionDeadline, now
from services.scheduler.service_layer.clock import Clock
from services.scheduler.service_layer.handlers import listeners
from services.scheduler.service_layer.kept_due_dates import send_due_reminders
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.events import Event
from shared.events.reviews import (
    ContributionAccepted,
    ContributionRequested,
    ContributionReturned,
    ContributionSubmitted,
)

QUEUE = "contributions"
CODE = "contribution_due"
# Who a contribution's deadline concerns, in the reminders' words: the business unit chases it
# (the agency's contact is reminded by the notifications service from the deadline's id).
CONCERNS = "business_unit"


@listeners.handles(ContributionRequested, queue=QUEUE)
def on_contribution_requested(event: Event[ContributionRequested]) -> None:
    data = event.data
    if ContributionDeadline.objects(deadline_id=data.contribution_id).first() is not None:
        return  # a repeat
    ContributionDeadline(
        deadline_id=data.contribution_id,
        case_id=data.case_id,
        board_id=data.board_id,
        agency=data.agency,
        kind=data.kind,
        due=data.due_on,
        applied_events=[event.event_id],
    ).save(force_insert=True)


def _met(contribution_id: str, event_id: str, on: date | None, by: str) -> None:
    """Met on ``on`` (None: opened again), unless this event was applied already."""
    ContributionDeadline.objects(deadline_id=contribution_id, applied_events__ne=event_id).update_one(
        set__met_on=on, set__met_by=by if on else None, push__applied_events=event_id, set__updated_at=now()
    )


@listeners.handles(ContributionSubmitted, queue=QUEUE)
def on_contribution_submitted(event: Event[ContributionSubmitted]) -> None:
    _met(event.data.contribution_id, event.event_id, event.data.submitted_on, event.event_type)


@listeners.handles(ContributionAccepted, queue=QUEUE)
def on_contribution_accepted(event: Event[ContributionAccepted]) -> None:
    """Accepted: met when it was submitted, if that was seen; else now."""
    found = ContributionDeadline.objects(deadline_id=event.data.contribution_id).only("met_on").first()
    if found is not None and found.met_on is None:
        _met(event.data.contribution_id, event.event_id, event.data.accepted_on, event.event_type)


@listeners.handles(ContributionReturned, queue=QUEUE)
def on_contribution_returned(event: Event[ContributionReturned]) -> None:
    """Back with the agency: due again (on the same date; a reminder already sent is not repeated)."""
    _met(event.data.contribution_id, event.event_id, None, event.event_type)


def send_contribution_reminders(
    uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int, on: date | None = None
) -> int:
    """Announce the contributions that became due soon or overdue on ``on``; how many were."""
    return send_due_reminders(ContributionDeadline, CODE, CONCERNS, uow, clock, due_soon_days, on)
