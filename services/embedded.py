"""All the services in one process, behind one address.

Each service keeps its own Flask app. A request goes to:
- ``/healthz``, ``/readyz``, ``/metrics``: the product as a whole; ``/``: the home page;
- a path some service's URL map matches: that service. Services own distinct
  paths (``/api/v1/referrals`` and ``/api/v1/deadlines``, say), so the same
  URLs work here and against each service deployed on its own;
- ``/<service>/...`` otherwise: that service, with the prefix removed (its own
  ``/healthz``, ``/readyz``, ``/metrics`` and ops endpoints).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, jsonify, redirect
from flask.typing import ResponseReturnValue
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from services import NAMES
from shared import security
from shared.config import Settings
from shared.service import Service
from shared.web import readiness, register_error_handlers

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

HOST_PATHS = ("/", "/healthz", "/readyz", "/metrics")
SERVICE_PATHS = ("/healthz", "/readyz", "/metrics")  # each service's own, at /<service>/...


def bootstrap_all(settings: Settings, names: Iterable[str] = NAMES) -> list[Service]:
    services = []
    for name in names:
        module = importlib.import_module(f"services.{name}.bootstrap")
        services.append(module.bootstrap(settings))
    return services


def service_health(service: Service) -> str:
    with service.app.test_client() as client:
        resp = client.get("/healthz")
    if resp.status_code != 200:
        return f"unhealthy ({resp.status_code})"
    runtime = service.runtime
    if not runtime.started:
        return "bus runtime not started"
    threads = [runtime.relay._thread, runtime.worker._thread if runtime.worker else None]
    for thread in threads:
        if thread is not None and not thread.is_alive():
            return f"{thread.name} stopped"
    return "ok"


class EmbeddedApp:
    def __init__(self, services: list[Service]):
        self.services = services
        self.prefixes = {f"/{s.name}": s.app for s in services}
        self.host = self._host_app()

    def _host_app(self) -> Flask:
        app = Flask("lscb")
        services = self.services

        @app.get("/healthz")
        def healthz() -> ResponseReturnValue:
            states = {s.name: service_health(s) for s in services}
            ok = all(v == "ok" for v in states.values())
            return jsonify({"status": "ok" if ok else "unhealthy", "services": states}), (200 if ok else 503)

        @app.get("/readyz")
        def readyz() -> ResponseReturnValue:
            states = {s.name: readiness(s.runtime.check) for s in services}
            ok = all(v == "ok" for checks in states.values() for v in checks.values())
            return jsonify({"status": "ok" if ok else "unavailable", "services": states}), (
                200 if ok else 503
            )

        @app.get("/metrics")
        def prometheus_metrics() -> ResponseReturnValue:
            return generate_latest(REGISTRY), 200, {"Content-Type": CONTENT_TYPE_LATEST}

        @app.get("/")
        def index() -> ResponseReturnValue:
            # The home page says what needs the user's action (the scheduler serves it); it
            # sends someone not signed in to sign in first, and back.
            return redirect("/home")

        register_error_handlers(app)
        security.init_app(app)
        return app

    def owner(self, environ: WSGIEnvironment) -> Flask | None:
        for service in self.services:
            adapter = service.app.url_map.bind_to_environ(environ)
            try:
                adapter.match()
            except NotFound:
                continue
            except (MethodNotAllowed, RequestRedirect):
                return service.app
            return service.app
        return None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if path in HOST_PATHS:
            return self.host(environ, start_response)
        prefix, _, rest = path[1:].partition("/")
        if "/" + rest in SERVICE_PATHS and "/" + prefix in self.prefixes:
            # /<service>/healthz is that service's own probe, even where a page of a service would
            # take the path (/reviews/<case_id>).
            return self._to_service(f"/{prefix}", environ, start_response)
        owner = self.owner(environ)
        if owner is not None:
            return owner(environ, start_response)
        for prefix in self.prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                return self._to_service(prefix, environ, start_response)
        return self.host(environ, start_response)

    def _to_service(
        self, prefix: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """The service at ``prefix``, with the prefix taken off the path."""
        path = environ.get("PATH_INFO", "") or "/"
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
        environ["PATH_INFO"] = path[len(prefix) :] or "/"
        return self.prefixes[prefix](environ, start_response)
