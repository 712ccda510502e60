"""No notifications test reaches the world outside this machine; and the service on fakes.

Every test here talks to loopback servers (``tests/smtp_server.py``,
``tests/fake_notify.py``) or to fakes. Looking up or connecting to any other
host fails at once, and the test fails at teardown even if the code under
test caught the error (the dispatcher turns an unreachable server into a
retry, which would otherwise hide it).

The handlers' tests take the service wired with fakes (``deps``) and hand it
events as the bus worker would (``handle``).
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from services.notifications.adapters import messages
from services.notifications.bootstrap import Dependencies
from services.notifications.domain.delivery import RetryPolicy
from services.notifications.service_layer import directory
from services.notifications.service_layer.handlers import listeners
from services.notifications.service_layer.unit_of_work import MongoUnitOfWork
from shared.events import Event
from tests.factories import make_board
from tests.unit.notifications import factories as f
from tests.unit.notifications.fakes import BOARD, NATIONAL, T0, FakeChannel, FakeClock, FakeUnitOfWork

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


# -- the service on fakes -----------------------------------------------------------------------


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for role, email in {**NATIONAL, "business_unit": "bu@example.org", "chair": "chair@example.org"}.items():
        uow.add_recipient(BOARD, role, email)
    return uow


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel()


@pytest.fixture
def alerts() -> list[Mapping[str, int]]:
    """What the dispatcher told the alert after each pass."""
    return []


@pytest.fixture
def deps(uow: FakeUnitOfWork, channel: FakeChannel, alerts: list[Mapping[str, int]]) -> Dependencies:
    return Dependencies(
        uow=uow,
        channel_for=lambda board_id: channel,
        render=messages.render,
        clock=FakeClock(T0),
        retry=RetryPolicy(window=timedelta(hours=4), base_seconds=30),
        alert=alerts.append,
    )


@pytest.fixture
def handle(deps: Dependencies):
    """Hand an event to this service's subscriptions, as the bus worker does."""
    subscriptions = listeners.subscriptions(deps.as_dict())

    def handle(event: Event[Any]) -> None:
        routed = [s for s in subscriptions if event.event_type in s.event_types]
        assert routed, f"no listener for {event.event_type}"
        for sub in routed:
            sub.handler(event)

    return handle


@pytest.fixture
def decided(handle) -> Event[Any]:
    handle(f.referral_submitted(BOARD))
    decision = f.decision_recorded(BOARD)
    handle(decision)
    return decision


# -- the service on its real store ---------------------------------------------------------------


@pytest.fixture
def board():
    """A board in the store, with the demo recipients in its directory."""
    made = make_board()
    directory.seed_demo_recipients(MongoUnitOfWork(), made.board_id)
    return made
