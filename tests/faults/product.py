"""The product as `make run-services` runs it, one process per service, that the suite can SIGKILL.

Each service is ``python -m services.<name>`` (as ``services/separate.py``
starts it) in a session of its own, with its output in a file, on the
suite's RabbitMQ node and one shared store. ``kill`` SIGKILLs the whole
session (the gunicorn master and its worker: no clean stop, as when a
container or machine dies); ``start`` starts it again with the same settings.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from services import NAMES
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]


def _retried(answer: requests.Response) -> bool:
    """What a client tries again: the service is down or restarting (5xx; no connection and
    timeouts never get this far), the request was dropped as abandoned (499), or the first try
    with this key is still being handled (409 naming the Idempotency-Key). The rest is the answer."""
    if answer.status_code >= 500 or answer.status_code == 499:
        return True
    if answer.status_code == 409:
        errors = answer.json().get("errors") or [{}]
        return errors[0].get("field") == "Idempotency-Key"
    return False


class ServiceProcess:
    def __init__(self, name: str, port: int, env: dict[str, str], logs: Path) -> None:
        self.name, self.port, self.env = name, port, env
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = logs / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        with open(self.log_path, "a") as log:  # the child keeps its own copy of the file
            log.write(f"\n===== start {self.starts} =====\n")
            log.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.name}"],
                cwd=ROOT,
                env={**self.env, "PORT": str(self.port)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL the service's whole session: no handler, no clean stop."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def ready(self) -> bool:
        """/readyz answers 200: its store and its bus are reachable."""
        if self.proc is None or self.proc.poll() is not None:
            raise AssertionError(f"{self.name} stopped:\n{self.log_tail()}")
        try:
            return requests.get(f"{self.base}/readyz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Product:
    """The services, their shared settings, and an API client holding the admin token."""

    def __init__(self, bus_url: str, store_env: dict[str, str], smtp_port: int, logs: Path) -> None:
        self.token = "lscb_faults_" + uuid.uuid4().hex
        ports = self._ports()
        env = {
            **os.environ,
            **store_env,
            "PYTHONPATH": str(ROOT),
            "APP_ENV": "development",
            "BUS_URL": bus_url,
            "BUS_NAMESPACE": "lscb",
            "DEMO_SEED": "1",
            "SEED_ADMIN_TOKEN": self.token,
            "DEMO_PASSWORD": uuid.uuid4().hex,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_STARTTLS": "never",
            "NOTIFICATION_DISPATCH_SECONDS": "0.5",
            # Refused messages are tried again after 1, 2, 4, ... seconds (30 s by default).
            "NOTIFICATION_RETRY_BASE_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("FRESH", None)
        for name, port in zip(NAMES, ports, strict=True):
            env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{port}"
        logs.mkdir(parents=True, exist_ok=True)
        self.services = {
            name: ServiceProcess(name, port, env, logs) for name, port in zip(NAMES, ports, strict=True)
        }
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        self._lock = threading.Lock()
        self.in_flight = dict.fromkeys(NAMES, 0)  # POSTs sent to each service and not yet answered

    @staticmethod
    def _ports() -> list[int]:
        ports: list[int] = []
        while len(ports) < len(NAMES):
            port = free_port()
            if port not in ports:
                ports.append(port)
        return ports

    def __getitem__(self, name: str) -> ServiceProcess:
        return self.services[name]

    def start(self) -> None:
        for service in self.services.values():
            service.start()

    def wait_ready(self, *names: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        for name in names or tuple(self.services):
            while not self.services[name].ready():
                if time.monotonic() > deadline:
                    raise AssertionError(f"{name} not ready within {timeout}s:\n{self[name].log_tail()}")
                time.sleep(0.2)

    def stop(self) -> None:
        for service in self.services.values():
            service.stop()

    # -- the API, as a client that retries -------------------------------------------------------

    def post(self, service: str, path: str, body: dict[str, Any], *, key: str, patience: float = 180):
        """POST with an Idempotency-Key, again with the same key until the service answers.

        Returns the answer and how many tries it took.
        """
        url = f"{self[service].base}{path}"
        deadline = time.monotonic() + patience
        tries = 0
        while True:
            tries += 1
            with self._lock:
                self.in_flight[service] += 1
            try:
                answer = self.http.post(url, json=body, headers={"Idempotency-Key": key}, timeout=15)
                if not _retried(answer):
                    return answer, tries
                last = f"{answer.status_code} {answer.text[:300]}"
            except requests.RequestException as exc:
                last = f"{type(exc).__name__}: {exc}"
            finally:
                with self._lock:
                    self.in_flight[service] -= 1
            if time.monotonic() > deadline:
                raise AssertionError(f"POST {path} (key {key}) unanswered after {tries} tries: {last}")
            time.sleep(min(0.05 * tries, 1.0))

    def get(self, service: str, path: str, *, patience: float = 60, **params: Any) -> Any:
        url = f"{self[service].base}{path}"
        deadline = time.monotonic() + patience
        while True:
            try:
                answer = self.http.get(url, params=params, timeout=30)
                if answer.status_code == 200:
                    return answer.json()
                last = f"{answer.status_code} {answer.text[:300]}"
            except requests.RequestException as exc:
                last = f"{type(exc).__name__}: {exc}"
            if time.monotonic() > deadline:
                raise AssertionError(f"GET {path} {params}: {last}")
            time.sleep(0.2)

    def every(self, service: str, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paged list."""
        page = 1
        while True:
            answer = self.get(service, path, page=page, per_page=200, **params)
            yield from answer["items"]
            if page >= answer["pages"]:
                return
            page += 1
