"""Word documents rendered in processes of their own: the same ``render_docx``, off the interpreter
that answers requests.

Rendering a document (Jinja over each part of the template, then lxml writing the XML and
the zip) is tens of milliseconds of Python and C that holds the interpreter all along. In a
process that also answers requests (``make run`` puts every service in one), a referral
arriving meanwhile waits for it at every switch. :class:`RenderProcesses` hands the work to
``RENDER_PROCESSES`` worker processes instead (``python -m
services.documents.adapters.render_process``, started on the first document) and waits for
the bytes with the interpreter released.

A worker is a fresh interpreter, not a fork of this threaded process and not a re-import of
its main module: it holds no lock, connection or key of the service. It reads a kind and a
context from its standard input and writes the document's bytes to its standard output,
each message a 4-byte length and a pickle (between two processes of the product only). It
ends when its input closes, so it ends with the service, however the service stops; it
ignores Ctrl-C, which the service answers by closing that input.

What does not change: the context is checked here first, so a missing field is refused
exactly as before (409 naming the fields) without a round trip; the bytes are those
``render_docx`` makes. Anything else that goes wrong in a worker (it died, was killed, or
refused the context) makes the document here instead, so the outcome, a document or the
service's own error naming the fields, is the one rendering here would give.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import structlog

from services.documents.adapters.render import render_docx
from services.documents.domain.kinds import require_context

log = structlog.get_logger(__name__)

ROOT = Path(__file__).resolve().parents[3]
_HEADER = struct.Struct(">I")


def _pickled(obj: object) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def _send(stream: IO[bytes], payload: bytes) -> None:
    """One message: its length, then the pickle."""
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the other process has gone")
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("the other process has gone")
    return pickle.loads(payload)  # noqa: S301 - written by the worker this service started


class _Worker:
    """One worker process and its two pipes."""

    def __init__(self) -> None:
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def render(self, request: bytes) -> bytes:
        """The document for a pickled (kind, context)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        _send(self.proc.stdin, request)
        ok, result = _receive(self.proc.stdout)
        if not ok:
            raise _WorkerRefused(result)
        assert isinstance(result, bytes)
        return result

    def close(self) -> None:
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()  # the worker ends at the end of its input
            except OSError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


class _WorkerRefused(Exception):
    """The worker could not render the document (the error, as text)."""


class RenderProcesses:
    """A renderer (``(kind, context) -> bytes``) that renders in worker processes."""

    def __init__(self, processes: int = 1) -> None:
        if processes < 1:
            raise ValueError("RENDER_PROCESSES must be at least 1 to render in processes")
        self.processes = processes
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(processes):
            self._idle.put(None)  # a slot; its worker is started when first needed
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pids(self) -> set[int]:
        """The worker processes running now."""
        with self._lock:
            return {w.pid for w in self._workers if w.proc.poll() is None}

    def __call__(self, kind: str, context: Mapping[str, Any]) -> bytes:
        require_context(kind, context)  # refusals are made here, as the in-process renderer makes them
        plain = dict(context)
        try:
            request = _pickled((kind, plain))
        except Exception:  # noqa: BLE001 - a value that cannot travel: rendered here, as without workers
            log.warning("documents.render_context_not_sent", kind=kind)
            return render_docx(kind, plain)
        if self._closed:
            return render_docx(kind, plain)
        worker = self._idle.get()
        try:
            for attempt in (1, 2):
                if self._closed:
                    break
                try:
                    worker = worker or self._start()
                    return worker.render(request)
                except (OSError, EOFError, pickle.PickleError) as exc:  # the worker died: a new one
                    log.warning("documents.render_process_lost", kind=kind, attempt=attempt, error=str(exc))
                    self._discard(worker)
                    worker = None
                except _WorkerRefused as exc:
                    log.warning("documents.render_process_refused", kind=kind, error=str(exc))
                    break
        finally:
            self._idle.put(worker)
        return render_docx(kind, plain)  # made here: the document, or the error that names the fields

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        for worker in workers:
            worker.close()

    def _start(self) -> _Worker:
        worker = _Worker()
        with self._lock:
            self._workers.add(worker)
        return worker

    def _discard(self, worker: _Worker | None) -> None:
        if worker is None:
            return
        with self._lock:
            self._workers.discard(worker)
        worker.proc.kill()
        worker.close()


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The worker: render each (kind, context) read, until the input ends."""
    while True:
        try:
            kind, context = _receive(requests)
        except EOFError:
            return
        try:
            answer: tuple[bool, object] = (True, render_docx(kind, context))
        except Exception as exc:  # noqa: BLE001 - told to the service, which renders it itself
            answer = (False, f"{type(exc).__name__}: {exc}")
        _send(answers, _pickled(answer))


if __name__ == "__main__":
    # Ctrl-C in a terminal reaches the whole process group: the service ends its workers itself,
    # by closing their input, when it has finished with them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # anything printed goes to the log, never
    sys.stdout = sys.stderr  # into the answers
    serve(sys.stdin.buffer, answers)
