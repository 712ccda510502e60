"""Wiring a service: store, bus runtime and Flask app, in one place per service.

Each service's ``bootstrap.py`` calls :func:`build_service` with its own
blueprints, subscriptions and outbox documents. Tests pass ``start_bus=False``
to drive handlers directly, or a settings object pointing at a test broker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from flask import Flask

from shared import buscheck, store
from shared.bus import BusRuntime, OutboxDocument, Subscription
from shared.config import Settings, load_settings
from shared.logging import configure as configure_logging
from shared.web import create_service_app


@dataclass
class Service:
    name: str
    settings: Settings
    app: Flask
    runtime: BusRuntime
    extras: dict = field(default_factory=dict)

    def start(self) -> "Service":
        if not self.runtime.started:
            self.runtime.start()
        return self

    def stop(self) -> None:
        if self.runtime.started:
            self.runtime.stop()


def build_service(
    name: str,
    settings: Settings | None = None,
    *,
    import_name: str,
    register: Callable[[Flask], None] | None = None,
    subscriptions: Iterable[Subscription] = (),
    outbox_documents: Iterable[type[OutboxDocument]] = (),
) -> Service:
    settings = settings or load_settings()
    configure_logging(settings.LOG_LEVEL)
    store.connect(settings)
    runtime = BusRuntime(
        settings,
        name,
        subscriptions=[*buscheck.subscriptions(name), *subscriptions],
        outbox_documents=[*buscheck.OUTBOX_DOCUMENTS, *outbox_documents],
    )
    app = create_service_app(name, settings, bus_check=runtime.check, import_name=import_name)
    app.register_blueprint(buscheck.blueprint)
    if register is not None:
        register(app)
    app.extensions["lscb_runtime"] = runtime
    return Service(name=name, settings=settings, app=app, runtime=runtime)
