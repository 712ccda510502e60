"""App factory of the referral service."""

from __future__ import annotations

from flask import Flask

from shared.config import Settings


def create_app(config: Settings | None = None) -> Flask:
    from services.referral.bootstrap import bootstrap

    return bootstrap(config).app
