"""What every scheduler view shares: the message bus of the running app; how a planned date is read."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from services.scheduler.domain.timetables import FURTHEST_PLANNED
from services.scheduler.service_layer.messagebus import MessageBus
from services.scheduler.service_layer.messages import Message
from shared.validation import Day

STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")

_KEY = "scheduler.bus"


class PlannedDay(Day):
    """A planned date in a request (``YYYY-MM-DD``): from 1900, and at most
    :data:`~services.scheduler.domain.timetables.FURTHEST_PLANNED` ahead.

    Every other date of a request is a :class:`shared.validation.Day` (at most a year
    ahead); the domain says why a plan may lie further.
    """

    furthest_ahead = FURTHEST_PLANNED


def init_app(app: Flask, bus: MessageBus) -> None:
    app.extensions[_KEY] = bus


def handle(message: Message) -> Any:
    """Hand a command or query to the service layer; what its handler returns."""
    bus: MessageBus = current_app.extensions[_KEY]
    return bus.handle(message)
