"""App factory of the documents service."""

from __future__ import annotations

from flask import Flask

from shared.config import Settings


def create_app(config: Settings | None = None) -> Flask:
    from services.documents.bootstrap import bootstrap

    return bootstrap(config).app
