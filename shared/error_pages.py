"""Error pages for people: 403, 404, 500 and the rest in the full page layout.

Browsers get a page with the header, the navigation of whoever is signed in, what went
wrong in plain words, a way back and whom to contact; API clients keep the JSON error
contract (shared.web.error_response decides which). An app without the page machinery
(the embedded product's front app, a bare test app) renders the same templates with an
environment of its own, and an error page never fails: at worst it is plain HTML.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, render_template, request
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape

from shared.logging import get_logger

log = get_logger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
SERVICE_NAME = "Case reviews"

# status: (page title, heading)
TITLES: dict[int, tuple[str, str]] = {
    401: ("Sign in to continue", "Sign in to continue"),
    403: ("You cannot see this page", "You do not have permission to see this page"),
    404: ("Page not found", "Page not found"),
    405: ("Page not found", "Page not found"),
    500: ("Sorry, there is a problem with the service", "Sorry, there is a problem with the service"),
    503: ("Sorry, the service is unavailable", "Sorry, the service is unavailable"),
}
GENERIC = ("Sorry, there is a problem", "Sorry, there is a problem")


def _principal() -> Any:
    """Who is signed in, even when the request never reached a view (no such page)."""
    if "principal" in g:
        return g.principal
    from shared.auth.models import User
    from shared.auth.principal import Principal
    from shared.auth.sessions import MongoSessionInterface, ServerSession

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    interface = app.session_interface
    if not isinstance(interface, MongoSessionInterface):
        from datetime import timedelta

        from shared.config import load_settings

        settings = app.config.get("SETTINGS") or load_settings()
        interface = MongoSessionInterface(
            idle=timedelta(minutes=settings.SESSION_IDLE_MINUTES),
            absolute=timedelta(hours=settings.SESSION_ABSOLUTE_HOURS),
        )
        session: object = interface.open_session(app, request)
    else:
        from flask import session as current_session

        session = current_session
    if not isinstance(session, ServerSession) or session.record is None or not session.user_id:
        return None
    user = User.objects(user_id=session.user_id).first()
    return Principal.for_user(user, session.record.board_id, via="session") if user else None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(TEMPLATES)),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _navigation(principal: Any) -> list[dict[str, Any]]:
    if principal is None:
        return []
    from shared.ui import navigation

    links: list[dict[str, Any]] = [dict(link) for link in navigation(principal.roles)]
    links.append({"href": "/account", "text": principal.name})
    return links


def render(status: int, errors: list[dict[str, Any]]) -> str:
    """The HTML of the error page for this status."""
    title, heading = TITLES.get(status, GENERIC)
    # Messages of the errors a user can act on; a 404's or 500's words are the page's own.
    messages = [] if status in (404, 405, 500) else [str(e.get("message") or "") for e in errors]
    context: dict[str, Any] = {
        "title": title,
        "heading": heading,
        "status": status,
        "messages": [m for m in messages if m],
    }
    try:
        principal = _principal()
    except Exception as exc:  # noqa: BLE001 - the page shows without the user's navigation
        log.warning("error_page.principal_unknown", error=type(exc).__name__)
        principal = None
    if "long_date" in current_app.jinja_env.filters:  # the app has the page machinery (shared.ui)
        g.principal = principal
        return render_template("error.html", **context)
    from shared import branding

    return (
        _environment()
        .get_template("error.html")
        .render(
            service_name=SERVICE_NAME,
            principal=principal,
            nav_links=_navigation(principal),
            **branding.page_context(principal),
            **context,
        )
    )


def page(status: int, errors: list[dict[str, Any]]) -> str:
    try:
        return render(status, errors)
    except Exception:  # noqa: BLE001 - an error page must not fail in turn
        log.exception("error_page.render_failed", status=status)
        title, heading = TITLES.get(status, GENERIC)
        items = "".join(f"<li>{escape(str(e.get('message') or ''))}</li>" for e in errors)
        return (
            f"<!DOCTYPE html><html lang='en'><head><title>{escape(title)}</title></head>"
            f"<body><main><h1>{escape(heading)}</h1><ul>{items}</ul>"
            "<p><a href='/'>Go to the home page</a></p></main></body></html>"
        )
