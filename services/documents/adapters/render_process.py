"""Word documents rendered in a process of their own: the same ``render_docx``, off the interpreter
that answers requests.

Rendering a document (Jinja over each part of the template, then lxml writing the XML and
the zip) is tens of milliseconds of pure Python and C that holds the interpreter all along.
In a process that also answers requests (``make run`` puts every service in one), a
referral arriving meanwhile waits for it at every switch. :class:`RenderProcesses` sends
the work to a pool of ``RENDER_PROCESSES`` worker processes instead, started on the first
document, and waits for the bytes with the interpreter released.

What does not change: the context is checked here first, so a missing field or an
unprintable date is refused exactly as before (409 naming the fields) without a round trip;
the bytes are those ``render_docx`` makes; a worker that dies (killed, out of memory) is
replaced and the document rendered again, here if the pool cannot be started again.
Workers come from a fork server started fresh (never a fork of this threaded process), so
they hold no lock, connection or key of the parent: they get a kind and a context, and give
back bytes.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import structlog

from services.documents.adapters.render import render_docx
from services.documents.domain.kinds import require_context

log = structlog.get_logger(__name__)

RENDER_TIMEOUT = 120.0  # seconds; a render takes well under one


class RenderProcesses:
    """A renderer (``(kind, context) -> bytes``) that renders in worker processes."""

    def __init__(self, processes: int = 1) -> None:
        if processes < 1:
            raise ValueError("RENDER_PROCESSES must be at least 1 to render in processes")
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self, kind: str, context: Mapping[str, Any]) -> bytes:
        require_context(kind, context)  # refusals are made here, as the in-process renderer makes them
        plain = dict(context)
        for attempt in (1, 2):
            pool = self._get_pool()
            if pool is None:
                break
            try:
                data: bytes = pool.submit(render_docx, kind, plain).result(timeout=RENDER_TIMEOUT)
                return data
            except BrokenProcessPool:
                log.warning("documents.render_process_lost", kind=kind, attempt=attempt)
                self._discard(pool)
        return render_docx(kind, plain)  # the pool cannot be had: render here, as without one

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _get_pool(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._closed:
                return None
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([render_docx.__module__])  # each worker starts ready
                try:
                    self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=context)
                except OSError as exc:  # no processes to be had: render here
                    log.warning("documents.render_processes_unavailable", error=str(exc))
                    return None
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)
