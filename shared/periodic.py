"""A job run every few seconds in a thread of the service's worker (the scheduler's tick), or at
once when woken (the notifications dispatcher, when a notification is recorded)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from shared import foreground
from shared.logging import bound, get_logger, new_correlation_id

log = get_logger(__name__)


class Periodic:
    def __init__(self, name: str, interval: float, job: Callable[[], object]):
        self.name = name
        self.interval = interval
        self.job = job
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=f"periodic-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Run the job now rather than at the end of the interval (again, if it is running)."""
        self._wake.set()

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            foreground.wait()  # the requests being answered first
            with bound(correlation_id=new_correlation_id(), job=self.name):
                try:
                    self.job()
                except Exception:  # noqa: BLE001 - the next run tries again
                    log.exception("periodic.failed", job=self.name)
            self._wake.wait(self.interval)
