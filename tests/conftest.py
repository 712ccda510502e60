"""Fixtures shared by every test: settings, the store, the real broker."""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlparse

import pytest

from shared import store
from shared.config import load_settings

BROKER_URL = os.environ.get("BUS_TEST_URL", "amqp://guest:guest@localhost:5672//")


def _broker_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "localhost", parsed.port or 5672), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _embedded_store():
    """Every test process talks to mongomock unless a test reconnects on purpose."""
    settings = load_settings(APP_ENV="test", MONGODB_URI="")
    store.connect(settings)
    from shared.auth import passwords

    passwords.configure(settings.PASSWORD_TIME_COST, settings.PASSWORD_MEMORY_KIB)
    yield
    store.disconnect()


@pytest.fixture(autouse=True)
def clean_store():
    # A test that connected another store may have left document classes holding its
    # collections: every test looks its collections up anew, in the store connected now.
    store.forget_collections()
    db = store.database()
    for name in db.list_collection_names():
        db[name].delete_many({})
    yield


@pytest.fixture
def settings():
    """Test settings on the in-process bus, in a namespace of their own."""
    return load_settings(APP_ENV="test", BUS_NAMESPACE=f"t{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="session")
def broker_url() -> str:
    """The real RabbitMQ. Never skipped: CI must fail if the broker is down."""
    if not _broker_reachable(BROKER_URL):
        pytest.fail(
            f"RabbitMQ is not reachable at {BROKER_URL}; start it with `rabbitmq-server -detached`",
            pytrace=False,
        )
    return BROKER_URL


@pytest.fixture
def amqp_settings(broker_url):
    return load_settings(APP_ENV="test", BUS_URL=broker_url, BUS_NAMESPACE=f"t{uuid.uuid4().hex[:8]}")
