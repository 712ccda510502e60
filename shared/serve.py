"""Start commands: gunicorn for the web, a plain loop for bus workers.

``python -m services.<name>`` runs one service: ``all`` (default: web and bus
worker in one process), ``web`` (HTTP only; another process relays its outbox)
or ``worker`` (consumers and outbox relay, no HTTP). ``python -m services``
runs all four services in one process on the embedded default.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from shared import collector
from shared.config import Settings, load_settings
from shared.logging import configure, dict_config, get_logger

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shared.service import Service

log = get_logger(__name__)

_running: list[Any] = []  # services started in this (worker) process


def _stop_running(*_args: Any) -> None:
    while _running:
        _running.pop().stop()


class StopCleanlyWorker(ThreadWorker):
    """gunicorn's threaded worker, stopping the same way whatever signal asks it to.

    The stock worker answers SIGQUIT (what the master sends on Ctrl-C) by
    shutting its thread pool down inside the signal handler. If the signal lands
    while the main thread holds the pool's lock, the worker hangs until the
    master kills it, and the service's bus consumers never stop cleanly. Here,
    as for SIGTERM, the handler only ends the worker's loop; the pool is shut
    down and the exit hooks run in the normal flow.
    """

    def handle_quit(self, sig: int, frame: FrameType | None) -> None:
        self.alive = False


class GunicornApp(BaseApplication):
    """Runs a WSGI app built in the worker process, after the fork."""

    def __init__(self, build: Callable[[], WSGIApplication], options: dict[str, Any]) -> None:
        self.build = build
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # Several services share a host; none of them is managed through gunicorn's socket.
            self.cfg.set("control_socket_disable", True)

    # typeshed's WSGI application type, which Flask matches; the gunicorn stubs' own is stricter.
    def load(self) -> WSGIApplication:  # type: ignore[override]
        return self.build()


def gunicorn_options(settings: Settings, *, workers: int | None = None) -> dict[str, Any]:
    return {
        "bind": f"{settings.HOST}:{settings.PORT}",
        "workers": workers or settings.WEB_CONCURRENCY,
        "threads": settings.WEB_THREADS,
        "worker_class": "shared.serve.StopCleanlyWorker",
        "accesslog": None,
        "logconfig_dict": dict_config(settings.LOG_LEVEL),
        "timeout": 30,
        "graceful_timeout": 10,
        "worker_exit": lambda server, worker: _stop_running(),
        "post_worker_init": partial(_init_worker, switch_interval=settings.SWITCH_INTERVAL_MS / 1000),
    }


def _init_worker(worker: Any, *, switch_interval: float) -> None:
    _ignore_terminal_interrupt(worker)
    # A request that waits on the store (the embedded store's file, a socket) gives up the
    # interpreter; at CPython's default, a busy background thread keeps it up to 5 ms before the
    # request gets it back, and a request doing twenty such waits loses up to 100 ms.
    sys.setswitchinterval(switch_interval)
    collector.start()  # full passes of the cycle collector between requests (shared/collector.py)


def _ignore_terminal_interrupt(worker: Any) -> None:
    """Leave Ctrl-C to the gunicorn master.

    Ctrl-C sends SIGINT to every process in the terminal's group, and the
    master then sends each worker SIGQUIT as well. A gthread worker that handles
    both re-enters its thread pool's shutdown and hangs until the master kills
    it, skipping the clean stop of its bus consumers. With SIGINT ignored in
    the worker, only the master's signal stops it, once.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_worker_forever(services: list[Any]) -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    for s in services:
        s.start()
    log.info("worker.started", services=[s.name for s in services])
    stop.wait()
    for s in services:
        s.stop()
    log.info("worker.stopped")


def main(bootstrap: Callable[[Settings], Service], argv: list[str] | None = None) -> None:
    """The start command of one service."""
    parser = argparse.ArgumentParser(description="Run the service.")
    parser.add_argument("mode", nargs="?", choices=["all", "web", "worker"], default="all")
    args = parser.parse_args(argv)
    settings = load_settings()
    configure(settings.LOG_LEVEL)

    if args.mode == "worker":
        from shared import probes

        service = bootstrap(settings)
        probes.serve([service], settings.HOST, settings.PORT)  # /healthz, /readyz, /metrics only
        run_worker_forever([service])
        return

    def build() -> WSGIApplication:
        service = bootstrap(settings)
        rows = service.extras.get("demo_credentials")
        if rows:
            from shared.auth import demo

            print(demo.describe(rows, f"http://{settings.HOST}:{settings.PORT}"), flush=True)
        if args.mode == "all":
            service.start()
            _running.append(service)
        return service.app

    GunicornApp(build, gunicorn_options(settings)).run()
