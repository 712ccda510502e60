"""What the views of this service are given by ``bootstrap()``: the unit of work and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork

KEY = "notifications"


@dataclass(frozen=True)
class ViewDependencies:
    uow: NotificationsUnitOfWork
    clock: Callable[[], datetime]


def init_app(app: Flask, uow: NotificationsUnitOfWork, clock: Callable[[], datetime]) -> None:
    app.extensions[KEY] = ViewDependencies(uow, clock)


def dependencies() -> ViewDependencies:
    deps: ViewDependencies = current_app.extensions[KEY]
    return deps
