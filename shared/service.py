"""Wiring a service: store, bus runtime and Flask app, in one place per service.

Each service's ``bootstrap.py`` calls :func:`build_service` with its own
blueprints, subscriptions and outbox documents. Tests pass ``start_bus=False``
to drive handlers directly, or a settings object pointing at a test broker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from shared import buscheck, crypto, foreground, idempotency, openapi, security, store, tracing, ui
from shared.auth import access, demo, passwords, sessions, views
from shared.bus import BusRuntime, OutboxDocument, Subscription
from shared.config import Settings, load_settings
from shared.logging import configure as configure_logging
from shared.periodic import Periodic
from shared.web import create_service_app


@dataclass
class Service:
    name: str
    settings: Settings
    app: Flask
    runtime: BusRuntime
    extras: dict[str, Any] = field(default_factory=dict)

    def start(self) -> Service:
        if not self.runtime.started:
            self.runtime.start()
            for job in self.extras.get("periodic", ()):
                job.start()
        return self

    def stop(self) -> None:
        if self.runtime.started:
            for job in self.extras.get("periodic", ()):
                job.stop()
            self.runtime.stop()
        for close in self.extras.get("closers", ()):
            close()  # what the service holds besides the bus: worker processes


def build_service(
    name: str,
    settings: Settings | None = None,
    *,
    import_name: str,
    register: Callable[[Flask], None] | None = None,
    subscriptions: Iterable[Subscription] = (),
    outbox_documents: Iterable[type[OutboxDocument]] = (),
    periodic: Iterable[Periodic] = (),
    closers: Iterable[Callable[[], None]] = (),
) -> Service:
    settings = settings or load_settings()
    configure_logging(settings.LOG_LEVEL)
    store.connect(settings)
    crypto.configure(settings.FIELD_ENCRYPTION_KEYS)
    passwords.configure(settings.PASSWORD_TIME_COST, settings.PASSWORD_MEMORY_KIB)
    runtime = BusRuntime(
        settings,
        name,
        subscriptions=[*buscheck.subscriptions(name), *subscriptions],
        outbox_documents=[*buscheck.OUTBOX_DOCUMENTS, *outbox_documents],
    )
    app = create_service_app(name, settings, bus_check=runtime.check, import_name=import_name)
    # Its background threads let the requests being answered go first (shared/foreground.py).
    app.wsgi_app = foreground.middleware(app.wsgi_app)  # type: ignore[method-assign]
    if settings.TRUSTED_PROXIES:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.TRUSTED_PROXIES,
            x_proto=settings.TRUSTED_PROXIES,
            x_host=settings.TRUSTED_PROXIES,
        )
    security.init_app(app)
    tracing.init_app(app, name)  # a server span per request; its trace travels in the events raised
    access.init_app(app, settings, name)
    idempotency.init_app(app)  # after the access guard: it keys answers by the caller
    ui.init_app(app)
    views.init_sso(app)
    app.register_blueprint(views.blueprint)
    app.register_blueprint(sessions.keep_alive_blueprint)
    app.register_blueprint(buscheck.blueprint)
    openapi.init_app(app)
    if register is not None:
        register(app)
    app.extensions["lscb_runtime"] = runtime
    service = Service(
        name=name,
        settings=settings,
        app=app,
        runtime=runtime,
        extras={"periodic": list(periodic), "closers": list(closers)},
    )
    if settings.seeds_demo:
        service.extras["demo_credentials"] = demo.seed(settings)
    return service
