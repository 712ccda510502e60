"""The referral service's web entrypoints: its blueprints, and the message bus their views use."""

from __future__ import annotations

from flask import Flask

from services.referral.entrypoints import (
    EXTENSION,
    accounts,
    admin,
    api_board,
    api_cases,
    api_drafts,
    api_referrals,
    api_subject_access,
    token_pages,
    users,
)
from services.referral.entrypoints.pages import blueprint as pages
from services.referral.entrypoints.pages import pseudonym
from services.referral.service_layer.messagebus import MessageBus


def register(app: Flask, *, bus: MessageBus) -> None:
    """Register this service's blueprints; their views reach the handlers through ``bus``."""
    app.extensions[EXTENSION] = bus
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(api_referrals.blueprint)
    app.register_blueprint(api_drafts.blueprint)
    app.register_blueprint(api_cases.blueprint)
    app.register_blueprint(api_board.blueprint)
    app.register_blueprint(api_subject_access.blueprint)
    app.register_blueprint(users.blueprint)
    app.register_blueprint(accounts.blueprint)
    app.register_blueprint(pages)
    app.register_blueprint(pseudonym.api)
    app.register_blueprint(token_pages.blueprint)
