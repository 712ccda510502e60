"""The one place where the referral service's adapters, handlers and entrypoints are wired.

Production: ``bootstrap(settings)`` on MongoDB. Tests of the handlers build the message bus
alone on fakes: ``messagebus(uow=FakeUnitOfWork(), clock=lambda: date(2026, 3, 2))``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from services.referral.adapters.store import OUTBOX_DOCUMENTS
from services.referral.entrypoints import consumer, flask_app
from services.referral.service_layer import retention
from services.referral.service_layer.handlers import HANDLERS
from services.referral.service_layer.messagebus import MessageBus
from services.referral.service_layer.unit_of_work import MongoUnitOfWork, ReferralUnitOfWork
from shared.auth.links import AccountLink
from shared.bus import inject
from shared.config import Settings
from shared.framework import today_in_england
from shared.retention import OUTBOX_DOCUMENTS as RETENTION_OUTBOX
from shared.service import Service, build_service

NAME = "referral"


def messagebus(*, uow: ReferralUnitOfWork, clock: Callable[[], date] = today_in_england) -> MessageBus:
    """Every command and query handler, with its dependencies injected by parameter name."""
    dependencies = {"uow": uow, "clock": clock}
    return MessageBus({cls: inject(fn, dependencies) for cls, fn in HANDLERS.items()}, dependencies)


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: ReferralUnitOfWork | None = None,
    clock: Callable[[], date] = today_in_england,
) -> Service:
    bus = messagebus(uow=uow or MongoUnitOfWork(), clock=clock)
    service = build_service(
        NAME,
        settings,
        import_name=__name__,
        register=partial(flask_app.register, bus=bus),
        subscriptions=consumer.subscriptions(bus.dependencies),
        outbox_documents=(*OUTBOX_DOCUMENTS, AccountLink, *RETENTION_OUTBOX),
    )
    service.extras["bus"] = bus
    service.extras["periodic"].append(retention.job().periodic())
    return service
