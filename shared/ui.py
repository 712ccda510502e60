"""Pages in the GOV.UK Design System, shared by every service that serves them.

Templates come from, in order: the service's own ``templates/``, this
package's ``templates/``, and the govuk-frontend-jinja and govuk-frontend-wtf
packages. The design system's CSS, JavaScript, fonts and images are served
from the npm package ``govuk-frontend`` installed by ``make install``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from flask import Flask, Response, abort, send_from_directory
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from shared.auth.access import Access, declare_endpoint
from shared.auth.principal import Principal
from shared.words import long_date, plain

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOVUK_DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates"
SHARED_STATIC = Path(__file__).resolve().parent / "static"
SERVICE_NAME = "Case reviews"


STAFF = {"business_unit", "chair", "admin", "panel_member", "lead_reviewer"}
AGENCY = {"agency_practitioner", "agency_manager"}
EVERYONE = STAFF | AGENCY | {"family_viewer"}

# (path, words, roles that see the link). Home (the scheduler's "Needs your action") comes
# first; shared/static/js/work-counts.js adds the number of things to do beside it.
NAVIGATION = (
    ("/home", "Home", EVERYONE),
    ("/cases", "Cases", STAFF | AGENCY),
    ("/referrals", "Refer a case", AGENCY | {"business_unit", "admin"}),
    ("/schedule", "Deadlines", STAFF),
    ("/dashboard", "Dashboard", {"business_unit", "chair", "admin"}),
    ("/actions", "Actions", {"business_unit", "chair", "admin"} | AGENCY),
    ("/learning", "Learning", STAFF),
    ("/notifications/operations", "Notifications", {"business_unit", "admin"}),
    ("/admin/audit", "Audit log", {"admin"}),
    ("/admin/board", "Board settings", {"admin", "business_unit"}),
    ("/reports", "Reports", {"family_viewer"}),
)


class NavLink(TypedDict):
    """A link in the service navigation; `active` marks the current section."""

    href: str
    text: str
    active: NotRequired[bool]


def navigation(roles: Iterable[str]) -> list[NavLink]:
    """The service navigation a user with these roles sees: only pages they may open."""
    return [{"href": href, "text": text} for href, text, allowed in NAVIGATION if allowed & set(roles)]


def init_app(app: Flask) -> None:
    configured = app.config["SETTINGS"].GOVUK_FRONTEND_DIR
    govuk_dist = Path(configured) if configured else DEFAULT_GOVUK_DIST
    loaders = [app.jinja_loader] if app.jinja_loader else []
    app.jinja_loader = ChoiceLoader(
        [
            *loaders,
            FileSystemLoader(str(SHARED_TEMPLATES)),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(plain, "plain")

    @app.context_processor
    def _globals() -> dict[str, Any]:
        from flask import g, request

        principal: Principal | None = g.get("principal")
        links = navigation(principal.roles) if principal else []
        for link in links:
            link["active"] = request.path.startswith(link["href"])
        if principal:
            links.append({"href": "/account", "text": principal.name})
        return {"service_name": SERVICE_NAME, "principal": principal, "nav_links": links}

    @app.get("/assets/<path:filename>")
    def govuk_assets(filename: str) -> Response:
        return send_from_directory(govuk_dist / "assets", filename, max_age=86400)

    @app.get("/static/govuk/<path:filename>")
    def govuk_static(filename: str) -> Response:
        if not filename.startswith("govuk-frontend.min."):
            abort(404)
        return send_from_directory(govuk_dist, filename, max_age=86400)

    @app.get("/static/lscb/<path:filename>")
    def lscb_static(filename: str) -> Response:
        return send_from_directory(SHARED_STATIC, filename, max_age=3600)

    for endpoint in ("govuk_assets", "govuk_static", "lscb_static"):
        declare_endpoint(app, endpoint, Access("sign_in"))
