"""The one place where the scheduler service's adapters, handlers and entrypoints are wired."""

from __future__ import annotations

from services.scheduler.entrypoints import api, consumer
from shared.config import Settings
from shared.service import Service, build_service

NAME = "scheduler"


def bootstrap(settings: Settings | None = None) -> Service:
    return build_service(
        NAME,
        settings,
        import_name=__name__,
        register=api.register,
        subscriptions=consumer.subscriptions(),
        outbox_documents=consumer.OUTBOX_DOCUMENTS,
    )
