"""The one place where the notifications service's adapters, handlers and entrypoints are wired."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from services.notifications.adapters.channels import NotifyChannel, SmtpChannel
from services.notifications.adapters.documents import DocumentsClient
from services.notifications.adapters.store import OUTBOX_DOCUMENTS
from services.notifications.entrypoints import api, consumer
from services.notifications.service_layer import handlers
from services.notifications.service_layer.directory import seed_demo_recipients
from shared.auth.client import ServiceClient
from shared.config import Settings, load_settings
from shared.periodic import Periodic
from shared.service import Service, build_service

NAME = "notifications"


def channels(settings: Settings):
    @lru_cache(maxsize=4)
    def make(name: str):
        if name == "smtp":
            return SmtpChannel(
                settings.SMTP_HOST,
                settings.SMTP_PORT,
                settings.SMTP_SENDER,
                username=settings.SMTP_USERNAME or None,
                password=settings.SMTP_PASSWORD or None,
                starttls=settings.SMTP_STARTTLS,
            )
        return NotifyChannel(
            settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID, base_url=settings.NOTIFY_BASE_URL
        )

    def channel_for(board_id: str):
        name = handlers.board_channel_name(board_id, settings)
        return make(name) if name else None

    return channel_for


def bootstrap(settings: Settings | None = None, deps: handlers.Deps | None = None) -> Service:
    settings = settings or load_settings()
    if deps is None:
        documents = DocumentsClient(ServiceClient(settings, "documents"))
        deps = handlers.Deps(
            channel_for=channels(settings),
            fetch_attachment=documents.fetch,
            retry_window=timedelta(seconds=settings.NOTIFICATION_RETRY_WINDOW_SECONDS),
            retry_base=settings.NOTIFICATION_RETRY_BASE_SECONDS,
        )
    dispatcher = Periodic(
        "notification-dispatch", settings.NOTIFICATION_DISPATCH_SECONDS, lambda: handlers.dispatch(deps)
    )
    service = build_service(
        NAME,
        settings,
        import_name=__name__,
        register=api.register,
        subscriptions=consumer.subscriptions(),
        outbox_documents=OUTBOX_DOCUMENTS,
        periodic=[dispatcher],
    )
    service.extras["deps"] = deps
    if settings.seeds_demo:
        seed_demo_recipients()
    return service
