"""The one way into the scheduler's service layer (cosmicpython ``service_layer/messagebus.py``).

Entrypoints hand it a command or query (:mod:`...messages`) or a received event;
it calls the one handler of that message with the dependencies ``bootstrap()``
injected, and returns what the handler returns. Events go through the same
subscriptions the bus worker consumes with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from services.scheduler.service_layer import deadlines, feeds, reminders, timetables, work
from services.scheduler.service_layer import messages as m
from shared.bus import Subscription
from shared.events import Event

COMMAND_HANDLERS: dict[type[m.Message], Callable[..., Any]] = {
    m.PreviewDeadlines: deadlines.preview_deadlines,
    m.GetCaseDeadlines: deadlines.case_deadlines,
    m.WaiveDeadline: deadlines.waive_deadline,
    m.GetCaseSchedule: deadlines.case_schedule,
    m.GetBoardDeadlinesDue: deadlines.board_deadlines_due,
    m.SendReminders: reminders.send_reminders,
    m.PlanTimetable: timetables.plan_timetable,
    m.GetTimetable: timetables.get_timetable,
    m.ReplanStage: timetables.replan_stage,
    m.MarkStageDone: timetables.mark_stage_done,
    m.PauseTimetable: timetables.pause_timetable,
    m.ResumeTimetable: timetables.resume_timetable,
    m.CreateCalendarFeed: feeds.create_feed,
    m.RevokeCalendarFeed: feeds.revoke_feed,
    m.ReadCalendarFeed: feeds.read_feed,
    **work.COMMAND_HANDLERS,
}


class MessageBus:
    def __init__(
        self,
        subscriptions: Sequence[Subscription],
        command_handlers: Mapping[type[m.Message], Callable[[Any], Any]],
    ) -> None:
        self.subscriptions = list(subscriptions)
        self._commands = dict(command_handlers)

    def handle(self, message: m.Message | Event[Any]) -> Any:
        if isinstance(message, Event):
            subscribed = [s for s in self.subscriptions if message.event_type in s.event_types]
            if not subscribed:
                raise LookupError(f"the scheduler does not listen to {message.event_type}")
            for subscription in subscribed:
                subscription.handler(message)
            return None
        return self._commands[type(message)](message)
