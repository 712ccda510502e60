"""Deny by default: every route declares who may use it.

Decorate each view with one of:

- :func:`open_route` — anyone, no sign-in (only ``/healthz``, ``/readyz``, ``/metrics``);
- :func:`sign_in_route` — reachable before signing in (the sign-in pages and the
  design system's assets), with the session and CSRF checks still applied;
- :func:`members` — signed-in members of the board, optionally only those
  holding one of the given roles.

A route that declares nothing answers 403 and is logged; a test walks every
service's URL map and fails on such a route. Requests authenticate with the
session cookie (pages), ``Authorization: Bearer <token>`` (the API) or a
service token minted by another service for the user it acts for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import quote

from flask import Flask, Response, current_app, g, redirect, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.wrappers import Response as BaseResponse

from shared import audit
from shared.auth import tokens
from shared.auth.models import ROLES, User
from shared.auth.principal import Principal
from shared.auth.sessions import MongoSessionInterface, ServerSession
from shared.config import Settings
from shared.logging import bind, get_logger
from shared.web import error_response, wants_json

log = get_logger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Access:
    kind: str  # "open", "sign_in" or "members"
    roles: frozenset[str] = frozenset()

    def describe(self) -> str:
        if self.kind != "members":
            return self.kind
        return "members" + (f" ({', '.join(sorted(self.roles))})" if self.roles else "")


def _declare(view: View, access: Access) -> View:
    view._access = access  # type: ignore[attr-defined]
    return view


def open_route(view: View) -> View:
    return _declare(view, Access("open"))


def sign_in_route(view: View) -> View:
    return _declare(view, Access("sign_in"))


def capability_route(view: View) -> View:
    """Reachable with a secret in the URL instead of a sign-in (calendar subscriptions).

    The view itself must verify that secret and answer 404 when it is wrong.
    """
    return _declare(view, Access("capability"))


def members(*roles: str) -> Callable[[View], View]:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view: View) -> View:
        return _declare(view, Access("members", frozenset(roles)))

    return decorate


def declare_endpoint(app: Flask, endpoint: str, access: Access) -> None:
    """Declare access for an endpoint whose view is not ours (Flask's ``static``)."""
    app.config.setdefault("LSCB_ACCESS", {})[endpoint] = access


def access_for(app: Flask, endpoint: str) -> Access | None:
    view = app.view_functions.get(endpoint)
    declared: Access | None = getattr(view, "_access", None)
    configured: Access | None = app.config.get("LSCB_ACCESS", {}).get(endpoint)
    return declared or configured


class Unauthenticated(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def authenticate(settings: Settings, service_name: str) -> Principal | None:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value:
            raise Unauthenticated("Send the token as 'Authorization: Bearer <token>'")
        principal = tokens.authenticate(value)
        if principal is None:
            raise Unauthenticated("The token is not valid, has expired or has been revoked")
        return principal
    user_id = getattr(session, "user_id", None)
    # A user id comes only from a ServerSession with its record.
    if user_id and isinstance(session, ServerSession) and session.record is not None:
        user: User | None = User.objects(user_id=user_id).first()
        if user is not None:
            return Principal.for_user(user, session.record.board_id, via="session")
    return None


def current_principal() -> Principal | None:
    principal: Principal | None = g.get("principal")
    return principal


def _unauthenticated(message: str) -> BaseResponse:
    if wants_json():
        resp = error_response(401, [{"field": "Authorization", "message": message}])
        resp.headers["WWW-Authenticate"] = 'Bearer realm="lscb"'
        return resp
    target = request.full_path if request.query_string else request.path
    expired = getattr(session, "expired_reason", None)
    suffix = f"&timeout={expired}" if expired in ("idle", "absolute") else ""
    return redirect(f"/sign-in?next={quote(target)}{suffix}")


def _denied(access: Access | None, principal: Principal | None, reason: str) -> Response:
    audit.record(
        "access.denied",
        outcome="denied",
        principal=principal,
        resource=("route", request.path),
        detail=reason,
    )
    return error_response(403, [{"field": None, "message": "You do not have permission to do this."}])


def init_app(app: Flask, settings: Settings, service_name: str) -> None:
    app.secret_key = settings.SECRET_KEY
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in the guard, for cookie sessions only
        WTF_CSRF_TIME_LIMIT=None,  # the session's own timeouts apply
        WTF_CSRF_SSL_STRICT=True,
    )
    app.session_interface = MongoSessionInterface(
        idle=timedelta(minutes=settings.SESSION_IDLE_MINUTES),
        absolute=timedelta(hours=settings.SESSION_ABSOLUTE_HOURS),
    )
    csrf = CSRFProtect(app)
    for endpoint in ("healthz", "readyz", "prometheus_metrics"):
        _declare(app.view_functions[endpoint], Access("open"))
    declare_endpoint(app, "static", Access("sign_in"))

    @app.before_request
    def guard() -> BaseResponse | None:
        endpoint = request.endpoint
        if endpoint is None:
            return None  # no such route: the 404 handler answers
        access = access_for(current_app, endpoint)
        if access is None:
            log.error("access.undeclared_route", endpoint=endpoint)
            return _denied(None, None, f"route {endpoint} declares no access rule")
        if access.kind in ("open", "capability"):
            return None
        try:
            principal = authenticate(settings, service_name)
        except Unauthenticated as exc:
            audit.record(
                "auth.token_refused", outcome="denied", resource=("route", request.path), detail=exc.message
            )
            return _unauthenticated(exc.message)
        g.principal = principal
        if principal is not None:
            bind(user_id=principal.user_id, board_id=principal.board_id)
        if access.kind == "members" and principal is None:
            return _unauthenticated("Sign in to continue")
        if request.method not in SAFE_METHODS and (principal is None or principal.via == "session"):
            csrf.protect()
        if access.kind == "sign_in":
            return None
        if access.roles and (principal is None or not principal.has_any(access.roles)):
            return _denied(access, principal, f"needs one of {', '.join(sorted(access.roles))}")
        return None

    @app.errorhandler(CSRFError)
    def csrf_failed(exc: CSRFError) -> Response:
        audit.record(
            "access.denied",
            outcome="denied",
            resource=("route", request.path),
            detail=f"CSRF: {exc.description}",
        )
        return error_response(
            403,
            [
                {
                    "field": "csrf_token",
                    "message": (
                        "This form has expired or was not sent from this site."
                        " Go back, reload the page and try again."
                    ),
                }
            ],
        )
