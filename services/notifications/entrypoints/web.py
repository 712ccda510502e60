"""The notifications service's web entrypoints, registered on its Flask app by ``bootstrap()``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask

from services.notifications.entrypoints import api, extension, outbox_pages, pages, recipients_pages
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork


def register(app: Flask, uow: NotificationsUnitOfWork, clock: Callable[[], datetime]) -> None:
    extension.init_app(app, uow, clock)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(outbox_pages.blueprint)
    app.register_blueprint(recipients_pages.blueprint)
