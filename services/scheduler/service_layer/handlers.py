"""Handlers of the events the scheduler listens to: a case's deadlines follow its referral,
its decision (recorded, changed or kept after a challenge), its rapid review and the
notifications sent about it.

Each is declared at the handler (``@listeners.handles``) and receives the event and the
unit of work; ``bootstrap()`` subscribes them to the one queue ``scheduler.deadlines``,
so a case's events are applied one after another, in the order they came.
"""

from __future__ import annotations

from services.scheduler.adapters.store import Schedule, new_schedule
from services.scheduler.domain.notices import TEMPLATES
from services.scheduler.domain.rules_current import RAPID_REVIEW
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.bus import Listeners, PermanentError
from shared.events import Event
from shared.events.notifications import NotificationSent
from shared.events.referral import (
    DecisionChanged,
    DecisionConfirmed,
    DecisionRecorded,
    RapidReviewRecorded,
    ReferralSubmitted,
)

PRODUCER = "scheduler"
QUEUE = "deadlines"

listeners = Listeners(PRODUCER)


@listeners.handles(ReferralSubmitted, queue=QUEUE)
def on_referral_submitted(event: Event[ReferralSubmitted], uow: SchedulerUnitOfWork) -> None:
    """A referral opens the case's schedule, with the deadlines its dates already give."""
    data = event.data
    with uow:
        if uow.schedules.get(data.case_id) is not None:
            return  # already scheduled (a repeat of the event)
        schedule = new_schedule(
            case_id=data.case_id,
            board_id=data.board_id,
            reference=data.reference,
            rule_pack=data.rule_pack,
            # A referral that is not notifiable owes no incident notification (003 "Notifiable
            # Incidents"; under wt2018/wt2023 no notification to the Panel and no rapid review).
            notifiable=data.notifiable,
            milestones={
                "incident_on": data.incident_on,
                "became_aware_on": data.became_aware_on,
                "board_notified_on": data.board_notified_on,
            },
        )
        schedule.recompute(uow.calendars.for_board(data.board_id))
        schedule.applied(event.event_id)
        uow.schedules.add(schedule)
        uow.commit()


def _referred(uow: SchedulerUnitOfWork, case_id: str) -> Schedule:
    """The case's schedule, to change; an event about a case never referred cannot be applied."""
    schedule = uow.schedules.get(case_id)
    if schedule is None:
        raise PermanentError(f"no schedule for case {case_id}: its referral was never seen")
    return schedule


@listeners.handles(DecisionRecorded, DecisionChanged, queue=QUEUE)
def on_decision(event: Event[DecisionRecorded] | Event[DecisionChanged], uow: SchedulerUnitOfWork) -> None:
    """The Chair's decision (or its change after a challenge): its dates and the kind of review."""
    data = event.data
    with uow:
        schedule = _referred(uow, data.case_id)
        if schedule.has_applied(event.event_id):
            return
        schedule.record_decision(
            decided_on=data.decided_on,
            initiated_on=data.initiated_on,
            outcome=data.outcome,
            calendar=uow.calendars.for_board(schedule.board_id),
            by=event.event_type,
        )
        schedule.applied(event.event_id)
        uow.commit()


@listeners.handles(DecisionConfirmed, queue=QUEUE)
def on_decision_confirmed(event: Event[DecisionConfirmed], uow: SchedulerUnitOfWork) -> None:
    """After a challenge the board kept its decision. Ofsted, the DfE and the Panel are told the
    final outcome (003 SCR checklist), with no time limit: no deadline. The decision's dates
    stand; the schedule holds the final outcome as its kind of review."""
    data = event.data
    with uow:
        schedule = _referred(uow, data.case_id)
        if schedule.has_applied(event.event_id):
            return
        schedule.record_outcome(data.outcome, uow.calendars.for_board(schedule.board_id))
        schedule.applied(event.event_id)
        uow.commit()


@listeners.handles(RapidReviewRecorded, queue=QUEUE)
def on_rapid_review(event: Event[RapidReviewRecorded], uow: SchedulerUnitOfWork) -> None:
    """The safeguarding partners completed their rapid review: the ``rapid_review`` deadline is
    met on the day they completed it (wt2018/wt2023), late or not."""
    data = event.data
    with uow:
        schedule = _referred(uow, data.case_id)
        if schedule.has_applied(event.event_id):
            return
        schedule.record_done(RAPID_REVIEW, data.completed_on, event.event_type)
        schedule.applied(event.event_id)
        uow.commit()


@listeners.handles(NotificationSent, queue=QUEUE)
def on_notification_sent(event: Event[NotificationSent], uow: SchedulerUnitOfWork) -> None:
    """Notifications to the national bodies discharge the duties to notify them (domain ``notices``)."""
    data = event.data
    if data.template not in TEMPLATES:
        return  # a notification no deadline waits for
    with uow:
        schedule = uow.schedules.get(data.case_id)
        if schedule is None or schedule.has_applied(event.event_id):
            return
        calendar = uow.calendars.for_board(schedule.board_id)
        schedule.record_notice(data.template, data.recipient_role, data.sent_on, event.event_type, calendar)
        schedule.applied(event.event_id)
        uow.commit()
