"""Health, readiness and metrics for a worker process, which serves no pages.

``python -m services.<name> worker`` runs the bus consumers, the outbox relay and
the periodic jobs without gunicorn. A cluster still needs to know the process is
alive and ready, and Prometheus still needs its gauges (the outbox age, the
dead-letter depth, the overdue deadlines are measured where the relay and the
periodic jobs run). :func:`serve` answers ``/healthz``, ``/readyz`` and
``/metrics`` on ``PORT``, from a thread, and nothing else.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from shared.logging import get_logger
from shared.web import readiness

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shared.service import Service

log = get_logger(__name__)


def liveness(service: Service) -> str:
    """ "ok", or what has stopped: the bus runtime, or one of its threads."""
    runtime = service.runtime
    if not runtime.started:
        return "bus runtime not started"
    threads = [runtime.relay._thread, runtime.worker._thread if runtime.worker else None]
    for thread in threads:
        if thread is not None and not thread.is_alive():
            return f"{thread.name} stopped"
    return "ok"


class ProbeApp:
    """The three open endpoints of a worker, as a WSGI application."""

    def __init__(self, services: Iterable[Service]):
        self.services = list(services)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return self._answer(start_response, 200, generate_latest(REGISTRY), CONTENT_TYPE_LATEST)
        if path == "/healthz":
            states = {s.name: liveness(s) for s in self.services}
            ok = all(v == "ok" for v in states.values())
            body: dict[str, Any] = {"status": "ok" if ok else "unhealthy", "services": states}
        elif path == "/readyz":
            checks = {s.name: readiness(s.runtime.check) for s in self.services}
            ok = all(v == "ok" for c in checks.values() for v in c.values())
            body = {"status": "ok" if ok else "unavailable", "services": checks}
        else:
            return self._answer(start_response, 404, b'{"status": 404}', "application/json")
        return self._answer(start_response, 200 if ok else 503, json.dumps(body).encode(), "application/json")

    @staticmethod
    def _answer(start_response: StartResponse, status: int, body: bytes, content_type: str) -> list[bytes]:
        reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}[status]
        start_response(
            f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        )
        return [body]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # probes every few seconds: not worth a log line each


def serve(services: Iterable[Service], host: str, port: int) -> WSGIServer | None:
    """Answer the probes on ``host:port`` from a daemon thread; ``shutdown()`` stops it.

    A port already taken (a worker started beside ``make run`` on the same machine) leaves the
    worker without probes, said in the log, rather than not running at all.
    """
    try:
        server = make_server(host, port, ProbeApp(services), handler_class=_QuietHandler)
    except OSError as exc:
        log.warning("worker.probes_unavailable", host=host, port=port, error=str(exc))
        return None
    threading.Thread(target=server.serve_forever, name="probes", daemon=True).start()
    log.info("worker.probes", host=host, port=port)
    return server
