"""People first: in one process, the work behind the answers waits for the answers.

A service answers requests in the threads of its web server and, in the same process, does what
those requests set off in background threads: its bus worker (documents, emails, deadlines, the
dashboard's figures) and its periodic jobs. ``make run`` puts every service in one process.
CPython runs one thread at a time, so during a burst of referrals each answer would share the
interpreter with every busy background thread, and a referral that takes 15 ms alone would take
many times that.

So the web app counts the requests it is answering (:func:`middleware`), and a background thread,
before it takes its next piece of work, waits until none is being answered, or for at most
``patience`` seconds (:func:`wait`). A piece of work already started yields too, at each read or
write of the embedded store (:func:`yield_to_requests`, called by the store): a request gives up
the interpreter at every call into the store's file, and a busy background thread would keep it
for up to the switch interval each time. The background work is delayed, never dropped or
starved: between requests, and after each wait, it goes on, and it catches up when the burst is
over. Only the order changes, not what is done.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from shared import metrics

PATIENCE = 0.25  # seconds a background thread waits at most before its next piece of work
STEP_PATIENCE = 0.05  # seconds it waits at most before one read or write of the store


class Foreground:
    """How many requests this process is answering, and a way to wait until it answers none."""

    def __init__(self) -> None:
        self._answering = 0
        self._idle = threading.Condition()

    @property
    def answering(self) -> int:
        return self._answering

    def enter(self) -> None:
        with self._idle:
            self._answering += 1

    def leave(self) -> None:
        with self._idle:
            self._answering -= 1
            if self._answering == 0:
                self._idle.notify_all()

    def wait(self, patience: float = PATIENCE) -> float:
        """Wait until no request is being answered, or ``patience`` seconds; the seconds waited."""
        if not self._answering:
            return 0.0
        started = time.monotonic()
        with self._idle:
            self._idle.wait_for(lambda: self._answering == 0, timeout=patience)
        waited = time.monotonic() - started
        metrics.BACKGROUND_YIELDED.inc(waited)
        return waited


FOREGROUND = Foreground()
_thread = threading.local()  # .answering: this thread is making an answer


def wait(patience: float = PATIENCE) -> float:
    """Before a background thread's next piece of work: let the answers being made go first."""
    return FOREGROUND.wait(patience)


def yield_to_requests(patience: float = STEP_PATIENCE) -> float:
    """Before a step of work (a read or write of the store) in a thread not making an answer: let
    the answers being made go first. Call it holding no lock a request may need."""
    if getattr(_thread, "answering", False):
        return 0.0
    return FOREGROUND.wait(patience)


def middleware(wsgi_app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """A WSGI app that counts itself as answering while the app it wraps makes its answer."""

    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        outer = not getattr(_thread, "answering", False)  # one app may call another (make run)
        FOREGROUND.enter()
        _thread.answering = True
        try:
            return wsgi_app(environ, start_response)
        finally:
            if outer:
                _thread.answering = False
            FOREGROUND.leave()

    return counted
