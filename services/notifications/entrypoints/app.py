"""App factory of the notifications service."""

from __future__ import annotations

from flask import Flask

from shared.config import Settings


def create_app(config: Settings | None = None) -> Flask:
    from services.notifications.bootstrap import bootstrap

    return bootstrap(config).app
