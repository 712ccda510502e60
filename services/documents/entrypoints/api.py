"""HTTP entrypoints of the documents service (beyond health, readiness, metrics and bus checks)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register this service's blueprints. Its own resources arrive with their features."""
