"""The one place where the scheduler service's adapters, handlers and entrypoints are wired."""

from __future__ import annotations

from services.scheduler.adapters.store import OUTBOX_DOCUMENTS
from services.scheduler.entrypoints import api, consumer
from services.scheduler.service_layer import handlers
from shared.config import Settings, load_settings
from shared.periodic import Periodic
from shared.service import Service, build_service

NAME = "scheduler"


def bootstrap(settings: Settings | None = None) -> Service:
    settings = settings or load_settings()
    ticker = Periodic(
        "deadline-reminders",
        settings.SCHEDULER_TICK_SECONDS,
        lambda: handlers.tick(due_soon_days=settings.DUE_SOON_WORKING_DAYS),
    )
    return build_service(
        NAME,
        settings,
        import_name=__name__,
        register=api.register,
        subscriptions=consumer.subscriptions(),
        outbox_documents=OUTBOX_DOCUMENTS,
        periodic=[ticker],
    )
