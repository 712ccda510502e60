"""The one place where the notifications service's adapters, handlers and entrypoints are wired.

Production passes nothing and gets MongoDB, the board's SMTP or Notify channel,
the message templates, the wall clock and the Prometheus alert; tests pass
fakes for any of them. Each handler's dependencies are given by parameter
name (``uow``, ``clock``, ``channel_for``, ``render``, ``retry``, ``alert``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from mongoengine import signals

from services.notifications.adapters import messages, metrics
from services.notifications.adapters.boards import ChannelFor, channels_for_boards
from services.notifications.adapters.store import OUTBOX_DOCUMENTS, Notification, now
from services.notifications.domain.delivery import RetryPolicy
from services.notifications.entrypoints import web
from services.notifications.service_layer import retention
from services.notifications.service_layer.directory import seed_demo_recipients
from services.notifications.service_layer.dispatch import Alert, Dispatcher, Render, dispatch
from services.notifications.service_layer.handlers import listeners
from services.notifications.service_layer.unit_of_work import MongoUnitOfWork, NotificationsUnitOfWork
from shared.config import Settings, load_settings
from shared.periodic import Periodic
from shared.retention import OUTBOX_DOCUMENTS as RETENTION_OUTBOX
from shared.service import Service, build_service

NAME = "notifications"


@dataclass(frozen=True)
class Dependencies:
    uow: NotificationsUnitOfWork
    channel_for: ChannelFor
    render: Render
    clock: Callable[[], datetime]
    retry: RetryPolicy
    alert: Alert | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def dispatch(self, limit: int = 100, *, starting: bool = False) -> int:
        """Send what is due now (what the worker's dispatcher runs every few seconds).

        ``starting``: as a dispatcher's first run in a new process does, count
        whatever is still ``sending`` as cut short (uncertain).
        """
        return dispatch(
            self.uow,
            self.channel_for,
            self.render,
            self.clock,
            self.retry,
            limit,
            starting=starting,
            alert=self.alert,
        )


def dependencies(
    settings: Settings,
    *,
    uow: NotificationsUnitOfWork | None = None,
    channel_for: ChannelFor | None = None,
    render: Render | None = None,
    clock: Callable[[], datetime] | None = None,
    alert: Alert | None = None,
) -> Dependencies:
    return Dependencies(
        uow=uow or MongoUnitOfWork(),
        channel_for=channel_for or channels_for_boards(settings),
        render=render or messages.render,
        clock=clock or now,
        retry=RetryPolicy(
            window=timedelta(seconds=settings.NOTIFICATION_RETRY_WINDOW_SECONDS),
            base_seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS,
        ),
        alert=alert or metrics.needing_attention,
    )


def _wake_on_new_notification(dispatcher: Periodic) -> Callable[..., None]:
    """A notification recorded in this process is sent at once, not at the dispatcher's next run.

    The dispatcher's interval remains for retries and for what another process recorded.
    """

    def wake(sender: object, document: object = None, created: bool = False, **kwargs: object) -> None:
        if created:
            dispatcher.wake()

    signals.post_save.connect(wake, sender=Notification)
    return wake


def bootstrap(
    settings: Settings | None = None,
    *,
    uow: NotificationsUnitOfWork | None = None,
    channel_for: ChannelFor | None = None,
    render: Render | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Service:
    settings = settings or load_settings()
    deps = dependencies(settings, uow=uow, channel_for=channel_for, render=render, clock=clock)
    dispatcher = Periodic(
        "notification-dispatch", settings.NOTIFICATION_DISPATCH_SECONDS, Dispatcher(deps.dispatch)
    )
    wake = _wake_on_new_notification(dispatcher)
    service = build_service(
        NAME,
        settings,
        import_name=__name__,
        register=partial(web.register, uow=deps.uow, clock=deps.clock),
        subscriptions=listeners.subscriptions(deps.as_dict()),
        outbox_documents=(*OUTBOX_DOCUMENTS, *RETENTION_OUTBOX),
        periodic=[dispatcher, retention.job().periodic()],
    )
    service.extras["dependencies"] = deps
    service.extras["wake_dispatcher"] = wake  # the signal holds it weakly: it lives as long as the service
    if settings.seeds_demo:
        seed_demo_recipients(deps.uow)
    return service
