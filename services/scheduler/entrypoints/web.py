"""What every scheduler view shares: the service layer's message bus of the running app."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from services.scheduler.service_layer.messagebus import MessageBus
from services.scheduler.service_layer.messages import Message

STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")

_KEY = "scheduler.bus"


def init_app(app: Flask, bus: MessageBus) -> None:
    app.extensions[_KEY] = bus


def handle(message: Message) -> Any:
    """Hand a command or query to the service layer; what its handler returns."""
    bus: MessageBus = current_app.extensions[_KEY]
    return bus.handle(message)
