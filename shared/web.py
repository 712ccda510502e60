"""What every service's Flask app has in common.

:func:`create_service_app` builds an app with the product-wide pieces:
correlation ids and JSON access logs, ``/healthz``, ``/readyz``, ``/metrics``
and the one error contract. Each service adds its own blueprints.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, request
from marshmallow import ValidationError
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from structlog.contextvars import clear_contextvars
from werkzeug.exceptions import HTTPException

from shared import branding, error_pages, metrics, store
from shared.config import Settings
from shared.errors import DomainError, flatten_messages
from shared.input import MAX_BODY_BYTES, SafeJSONProvider
from shared.logging import bind, get_logger, new_correlation_id

log = get_logger(__name__)

OPEN_PATHS = ("/healthz", "/readyz", "/metrics")
_CORRELATION_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def client_gone(environ: dict[str, Any]) -> bool:
    """True when the client has closed its connection (gunicorn hands over its socket)."""
    sock = environ.get("gunicorn.socket")
    if sock is None:
        return False
    try:
        peeked: bytes = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        return peeked == b""
    except (BlockingIOError, InterruptedError):
        return False  # open, nothing more to read
    except OSError:
        return True


def wants_json() -> bool:
    path = request.path
    if path.startswith(("/api/", "/ops/")) or path in OPEN_PATHS:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def error_response(status: int, errors: list[dict[str, Any]]) -> Response:
    """The JSON error contract for the API and clients asking for JSON; a styled page for browsers."""
    if wants_json():
        resp = jsonify({"status": status, "errors": errors})
    else:
        resp = Response(error_pages.page(status, errors), mimetype="text/html")
    resp.status_code = status
    return resp


def register_error_handlers(app: Flask) -> None:
    """The one error contract. The catch-all handler is registered last."""

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError) -> Response:
        return error_response(422, flatten_messages(exc.messages))

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> Response:
        return error_response(exc.status, exc.errors())

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return error_response(exc.code or 500, [{"field": None, "message": exc.description}])

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("http.unhandled_error")
        return error_response(500, [{"field": None, "message": "Something went wrong. It has been logged."}])


ReadinessCheck = Callable[[], "str | None"]


def create_service_app(
    name: str,
    settings: Settings,
    *,
    bus_check: ReadinessCheck | None = None,
    import_name: str | None = None,
) -> Flask:
    app = Flask(import_name or name)
    app.config.update(SERVICE_NAME=name, SETTINGS=settings, MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.json = SafeJSONProvider(app)

    @app.before_request
    def _start() -> None:
        clear_contextvars()
        incoming = request.headers.get("X-Correlation-ID", "")
        g.correlation_id = incoming if _CORRELATION_RE.match(incoming) else new_correlation_id()
        g.started = time.perf_counter()
        bind(correlation_id=g.correlation_id, causation_id=None, service=name)

    @app.before_request
    def _client_still_there() -> Response | None:
        # A request that waited for a worker thread while its client gave up must not go on
        # to change anything: the client will retry (with its Idempotency-Key) or has gone.
        if request.method in ("GET", "HEAD", "OPTIONS") or not client_gone(request.environ):
            return None
        metrics.ABANDONED_REQUESTS.labels(name).inc()
        log.info("http.client_gone", method=request.method, path=request.path)
        return Response(status=499)

    @app.after_request
    def _finish(response: Response) -> Response:
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.HTTP_REQUESTS.labels(name, request.method, endpoint, response.status_code).inc()
        metrics.HTTP_SECONDS.labels(name, endpoint).observe(elapsed)
        response.headers["X-Correlation-ID"] = g.get("correlation_id", "")
        if request.path not in OPEN_PATHS:
            log.info(
                "http.request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                ms=round(elapsed * 1000, 1),
            )
        return response

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok", "service": name})

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        checks = readiness(bus_check)
        ok = all(v == "ok" for v in checks.values())
        return jsonify({"status": "ok" if ok else "unavailable", "service": name, "checks": checks}), (
            200 if ok else 503
        )

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)

    register_error_handlers(app)
    branding.init_app(app)
    return app


def readiness(bus_check: ReadinessCheck | None) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        store.ping()
        checks["store"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["store"] = f"unreachable: {type(exc).__name__}: {exc}"
    if bus_check is not None:
        problem = bus_check()
        checks["bus"] = "ok" if problem is None else problem
    return checks
