"""What every scheduler view shares: the message bus of the running app; how a request's dates are read."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, current_app
from marshmallow import fields, validate

from services.scheduler.service_layer.messagebus import MessageBus
from services.scheduler.service_layer.messages import Message

STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")

# The dates a case can have. Deadlines are counted on from them, so a date far outside
# (9999-12-31, say) has no deadline the calendar can date; it is refused here, naming
# the field, rather than deep in the counting.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)

_KEY = "scheduler.bus"


def day(**kwargs: Any) -> fields.Date:
    """A date in a request (``YYYY-MM-DD``), between :data:`EARLIEST` and :data:`LATEST`."""
    return fields.Date(
        validate=validate.Range(
            min=EARLIEST,
            max=LATEST,
            error=f"Enter a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}",
        ),
        **kwargs,
    )


def init_app(app: Flask, bus: MessageBus) -> None:
    app.extensions[_KEY] = bus


def handle(message: Message) -> Any:
    """Hand a command or query to the service layer; what its handler returns."""
    bus: MessageBus = current_app.extensions[_KEY]
    return bus.handle(message)
