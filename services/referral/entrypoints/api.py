"""HTTP entrypoints of the referral service (beyond health, readiness, metrics and bus checks)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register this service's blueprints."""
    from shared.auth import admin

    app.register_blueprint(admin.blueprint)
