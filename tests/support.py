"""Small helpers for tests: waiting, broker housekeeping, free ports."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from collections.abc import Callable

from kombu import Exchange, Queue

from shared.bus.connection import make_connection
from shared.bus.topology import Topology
from shared.config import Settings


def wait_for(predicate: Callable[[], object], timeout: float = 10.0, interval: float = 0.02):
    """Poll until ``predicate()`` is truthy; return its value or raise AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def delete_topology(settings: Settings, consumers: list[str]) -> None:
    """Remove a test namespace's queues and exchanges from the broker."""
    topology = Topology(settings.BUS_NAMESPACE)
    with make_connection(settings) as conn:
        channel = conn.channel()
        for consumer in consumers:
            name = topology.queue_name(consumer)
            for q in (name, topology.dead_letter_queue_name(name)):
                Queue(q, channel=channel).delete()
        for ex in (topology.exchange.name, topology.dead_letter_exchange.name):
            Exchange(ex, channel=channel).delete()


def close_my_broker_connections() -> int:
    """Close, on the broker side, every AMQP connection this test process holds.

    Only this process's connections are closed, so other users of the broker
    are not disturbed. Returns how many were closed.
    """
    pid = os.getpid()
    out = subprocess.run(
        ["ss", "-tnpH", "state", "established", "( dport = :5672 )"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ports = set()
    for line in out.splitlines():
        if f"pid={pid}," not in line:
            continue
        local = line.split()[2]  # Local Address:Port
        ports.add(local.rsplit(":", 1)[1])
    listing = subprocess.run(
        ["rabbitmqctl", "-q", "list_connections", "pid", "peer_port"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    closed = 0
    for line in listing.splitlines():
        m = re.match(r"^(<\S+>)\s+(\d+)$", line.strip())
        if m and m.group(2) in ports:
            subprocess.run(
                ["rabbitmqctl", "-q", "close_connection", m.group(1), "test: broker interruption"],
                capture_output=True,
                check=False,
            )
            closed += 1
    return closed


class TcpProxy:
    """A loopback TCP forwarder, started and stopped by tests to make a server appear or vanish."""

    def __init__(self, target_port: int, listen_port: int | None = None):
        import threading

        self.target_port = target_port
        self.port = listen_port or free_port()
        self._server: socket.socket | None = None
        self._stop = threading.Event()
        self._threads: list = []

    def start(self) -> TcpProxy:
        import threading

        self._stop.clear()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", self.port))
        self._server.listen(16)
        self._server.settimeout(0.2)
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def _accept(self) -> None:
        import threading

        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while not self._stop.is_set():
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.close()
