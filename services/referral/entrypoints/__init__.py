"""Entrypoints of the referral service: its web pages and JSON API (wired in :mod:`.flask_app`)
and its bus consumer (:mod:`.consumer`)."""

from __future__ import annotations

from datetime import date

from flask import current_app

from services.referral.service_layer.messagebus import MessageBus

EXTENSION = "referral.bus"


def current_bus() -> MessageBus:
    """The message bus of the app handling the current request: how views reach the handlers."""
    bus: MessageBus = current_app.extensions[EXTENSION]
    return bus


def today() -> date:
    """Today's date by the clock the handlers are given (so pages and handlers agree)."""
    day: date = current_bus().dependencies["clock"]()
    return day
