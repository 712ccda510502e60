"""The one place where the reviews service's adapters, handlers and entrypoints are wired.

Production takes the real adapters; tests pass fakes::

    service = bootstrap(settings, uow=FakeUnitOfWork(), today=lambda: date(2026, 3, 2))

Handlers take ``(event, uow)``; the API reaches the same unit of work and clock through
:class:`~services.reviews.entrypoints.api.Dependencies`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from services.reviews.adapters.report_store import REPORT_OUTBOX_DOCUMENTS
from services.reviews.adapters.store import OUTBOX_DOCUMENTS
from services.reviews.entrypoints import api, consumer
from services.reviews.service_layer import retention
from services.reviews.service_layer.unit_of_work import MongoUnitOfWork, ReviewsUnitOfWork
from shared.config import Settings, load_settings
from shared.framework import today_in_england
from shared.retention import OUTBOX_DOCUMENTS as RETENTION_OUTBOX
from shared.service import Service, build_service

NAME = "reviews"


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: ReviewsUnitOfWork | None = None,
    today: Callable[[], date] | None = None,
) -> Service:
    settings = settings or load_settings()
    deps = api.Dependencies(uow=uow or MongoUnitOfWork(), today=today or today_in_england)
    service = build_service(
        NAME,
        settings,
        import_name=__name__,
        register=partial(api.register, deps=deps),
        subscriptions=consumer.subscriptions({"uow": deps.uow}),
        outbox_documents=(*OUTBOX_DOCUMENTS, *REPORT_OUTBOX_DOCUMENTS, *RETENTION_OUTBOX),
        periodic=[retention.job().periodic()],
    )
    service.extras["dependencies"] = deps
    return service
