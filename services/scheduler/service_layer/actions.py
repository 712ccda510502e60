"""The action plans' dates (000 §9-§11; 003 "Agreeing improvement action"), from the reviews
service's events:

- ``action.added`` dates the milestone ``action_plan_agreed_on`` (the day the plan's first action
  was added): the rule ``action_plan_progress`` then falls due quarterly, reminded to the business
  unit like every deadline (progress goes to the performance committee, 000 §9). It also keeps the
  action's own due date (deadline ``action_due``, its id the action's);
- ``action.progress_reported`` keeps the latest rating; ``action.closed`` meets the action's
  deadline on the day it closed.

An open action's due date is reminded as ``deadline.due_soon`` and ``deadline.overdue``, once
each (the notifications service emails the action's owner); the sweep runs on the reminders'
tick (``bootstrap``). The milestone is on the case's own queue (``scheduler.deadlines``), after
the decision that opened the review; the actions' records on ``scheduler.actions``.
"""

from __future__ import annotations

from datetime import date

from services.scheduler.adapters.actions_store import ActionDeadline
from services.scheduler.adapters.contribution_store import now
from services.scheduler.service_layer.clock import Clock
from services.scheduler.service_layer.handlers import QUEUE, _referred, listeners
from services.scheduler.service_layer.kept_due_dates import send_due_reminders
from services.scheduler.service_layer.unit_of_work import SchedulerUnitOfWork
from shared.events import Event
from shared.events.reviews import ActionAdded, ActionClosed, ActionProgressReported

ACTIONS_QUEUE = "actions"
CODE = "action_due"
MILESTONE = "action_plan_agreed_on"
# Who an action's deadline concerns, in the reminders' words: the business unit follows the plan
# (the owner is emailed by the notifications service from the deadline's id).
CONCERNS = "business_unit"


@listeners.handles(ActionAdded, queue=QUEUE)
def on_action_added_to_plan(event: Event[ActionAdded], uow: SchedulerUnitOfWork) -> None:
    """The plan's first action dates the quarterly progress reports (a later action changes nothing)."""
    data = event.data
    with uow:
        schedule = _referred(uow, data.case_id)
        if schedule.has_applied(event.event_id):
            return
        kept = schedule.dated_milestones().get(MILESTONE)
        if kept is None or data.plan_agreed_on < kept:
            schedule.set_milestone(MILESTONE, data.plan_agreed_on)
            schedule.recompute(uow.calendars.for_board(schedule.board_id))
        schedule.applied(event.event_id)
        uow.commit()


@listeners.handles(ActionAdded, queue=ACTIONS_QUEUE)
def on_action_added(event: Event[ActionAdded]) -> None:
    data = event.data
    if ActionDeadline.objects(deadline_id=data.action_id).first() is not None:
        return  # a repeat
    ActionDeadline(
        deadline_id=data.action_id,
        case_id=data.case_id,
        board_id=data.board_id,
        owner_agency=data.owner_agency,
        due=data.due_on,
        added_on=data.added_on,
        applied_events=[event.event_id],
    ).save(force_insert=True)


@listeners.handles(ActionProgressReported, queue=ACTIONS_QUEUE)
def on_action_progress(event: Event[ActionProgressReported]) -> None:
    ActionDeadline.objects(deadline_id=event.data.action_id, applied_events__ne=event.event_id).update_one(
        set__rag=event.data.rag, push__applied_events=event.event_id, set__updated_at=now()
    )


@listeners.handles(ActionClosed, queue=ACTIONS_QUEUE)
def on_action_closed(event: Event[ActionClosed]) -> None:
    ActionDeadline.objects(deadline_id=event.data.action_id, applied_events__ne=event.event_id).update_one(
        set__met_on=event.data.closed_on, push__applied_events=event.event_id, set__updated_at=now()
    )


def send_action_reminders(
    uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int, on: date | None = None
) -> int:
    """Announce the open actions that became due soon or overdue on ``on``; how many were."""
    return send_due_reminders(ActionDeadline, CODE, CONCERNS, uow, clock, due_soon_days, on)
