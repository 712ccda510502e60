"""The one place where the scheduler service's adapters, handlers and entrypoints are wired.

``messagebus()`` wires the handlers to their dependencies (the unit of work, the clock,
how many working days ahead a deadline is "due soon"); unit tests call it with fakes.
``bootstrap()`` does the same with the real adapters and builds the service around it:
the bus subscriptions from the handlers' listeners, the web app, the reminder tick.
"""

from __future__ import annotations

from functools import partial

from services.scheduler.adapters.actions_store import OUTBOX_DOCUMENTS as ACTIONS_OUTBOX
from services.scheduler.adapters.contribution_store import OUTBOX_DOCUMENTS as CONTRIBUTION_OUTBOX
from services.scheduler.adapters.store import OUTBOX_DOCUMENTS
from services.scheduler.adapters.work_store import MongoWorkQueue, WorkQueue
from services.scheduler.entrypoints import api, consumer
from services.scheduler.service_layer import retention
from services.scheduler.service_layer.actions import send_action_reminders
from services.scheduler.service_layer.clock import Clock, SystemClock
from services.scheduler.service_layer.contribution_deadlines import send_contribution_reminders
from services.scheduler.service_layer.messagebus import COMMAND_HANDLERS, MessageBus
from services.scheduler.service_layer.messages import SendReminders
from services.scheduler.service_layer.unit_of_work import MongoUnitOfWork, SchedulerUnitOfWork
from shared.bus import inject
from shared.config import Settings, load_settings
from shared.periodic import Periodic
from shared.retention import OUTBOX_DOCUMENTS as RETENTION_OUTBOX
from shared.service import Service, build_service

NAME = "scheduler"


def messagebus(
    *, uow: SchedulerUnitOfWork, clock: Clock, due_soon_days: int, work_queue: WorkQueue | None = None
) -> MessageBus:
    work = work_queue or MongoWorkQueue()
    dependencies = {"uow": uow, "clock": clock, "due_soon_days": due_soon_days, "work_queue": work}
    return MessageBus(
        consumer.subscriptions(dependencies),
        {kind: inject(handler, dependencies) for kind, handler in COMMAND_HANDLERS.items()},
    )


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: SchedulerUnitOfWork | None = None,
    clock: Clock | None = None,
) -> Service:
    settings = settings or load_settings()
    bus = messagebus(
        uow=uow or MongoUnitOfWork(),
        clock=clock or SystemClock(),
        due_soon_days=settings.DUE_SOON_WORKING_DAYS,
    )
    ticker = Periodic(
        "deadline-reminders", settings.SCHEDULER_TICK_SECONDS, lambda: bus.handle(SendReminders())
    )
    reviews_uow, reviews_clock = uow or MongoUnitOfWork(), clock or SystemClock()
    contributions = Periodic(
        "contribution-reminders",
        settings.SCHEDULER_TICK_SECONDS,
        lambda: send_contribution_reminders(reviews_uow, reviews_clock, settings.DUE_SOON_WORKING_DAYS),
    )
    actions = Periodic(
        "action-reminders",
        settings.SCHEDULER_TICK_SECONDS,
        lambda: send_action_reminders(reviews_uow, reviews_clock, settings.DUE_SOON_WORKING_DAYS),
    )
    service = build_service(
        NAME,
        settings,
        import_name=__name__,
        register=partial(api.register, bus=bus),
        subscriptions=bus.subscriptions,
        outbox_documents=(*OUTBOX_DOCUMENTS, *CONTRIBUTION_OUTBOX, *ACTIONS_OUTBOX, *RETENTION_OUTBOX),
        periodic=[ticker, contributions, actions, retention.job().periodic()],
    )
    service.extras["bus"] = bus
    return service
