"""No notifications test reaches the world outside this machine.

Every test here talks to loopback servers (``tests/smtp_server.py``,
``tests/fake_notify.py``) or to fakes. Looking up or connecting to any other
host fails at once, and the test fails at teardown even if the code under
test caught the error (the dispatcher turns an unreachable server into a
retry, which would otherwise hide it).
"""

from __future__ import annotations

import socket

import pytest

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def outside_world(monkeypatch) -> list[str]:
    """The hosts a test tried to reach; it must leave this empty."""
    tried: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK:
            tried.append(name)
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not look up {name}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK:
            tried.append(str(address[0]))
            raise ConnectionRefusedError(f"tests may not connect to {address[0]}")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield tried
    assert tried == [], f"a test tried to reach {sorted(set(tried))}: use a fake or a loopback server"
