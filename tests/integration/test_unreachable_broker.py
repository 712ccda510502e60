"""A service started against an unreachable broker says so, keeps retrying, and recovers."""

from __future__ import annotations

import logging
from urllib.parse import urlparse

import pytest

from services.scheduler.bootstrap import bootstrap
from tests.support import TcpProxy, delete_topology, wait_for

pytestmark = pytest.mark.broker


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.events: list[str] = []

    def emit(self, record):
        msg = record.msg
        self.events.append(msg.get("event") if isinstance(msg, dict) else str(msg))


def test_readyz_reports_the_broker_until_it_appears(amqp_settings):
    proxy = TcpProxy(urlparse(amqp_settings.BUS_URL).port or 5672)
    url = f"amqp://guest:guest@127.0.0.1:{proxy.port}//"
    settings = amqp_settings.with_overrides(BUS_URL=url)
    records = Records()
    logging.getLogger("shared.bus.consumer").addHandler(records)
    service = bootstrap(settings).start()
    client = service.app.test_client()
    try:
        resp = wait_for(lambda: (r := client.get("/readyz")).status_code == 503 and r)
        assert "consumer not connected" in resp.get_json()["checks"]["bus"]
        assert client.get("/healthz").status_code == 200  # alive, just not ready
        wait_for(lambda: "Connection refused" in (service.runtime.worker.last_error or ""))
        assert "bus.unreachable" in records.events  # said clearly in the log
        proxy.start()  # the broker becomes reachable
        wait_for(lambda: client.get("/readyz").status_code == 200, timeout=40)
    finally:
        service.stop()
        proxy.stop()
        logging.getLogger("shared.bus.consumer").removeHandler(records)
        delete_topology(amqp_settings, [s.consumer for s in service.runtime.subscriptions])
