"""`make run` and `make run-services`, started as a user would, driven over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import requests

from tests.support import delete_topology, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
ADMIN_TOKEN = "lscb_e2e_" + uuid.uuid4().hex
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def start(cmd: list[str], **env) -> subprocess.Popen:
    # Output goes to a file: a pipe nobody reads would fill and stall the servers.
    out = tempfile.TemporaryFile(mode="w+")
    # Each run on a store folder of its own, unless the test names one: never the clone's ./var.
    env.setdefault("EMBEDDED_STORE_DIR", tempfile.mkdtemp(prefix="lscb-e2e-store-"))
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proc.output = out
    return proc


def stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    proc.output.seek(0)
    return proc.output.read()


def get(url: str):
    try:
        return requests.get(url, headers=AUTH, timeout=5)
    except (requests.ConnectionError, requests.Timeout):
        return None  # still starting


def bus_check(base: str, via: str = "") -> dict:
    assert requests.post(f"{base}{via}/ops/bus-checks", timeout=5).status_code == 401
    created = requests.post(f"{base}{via}/ops/bus-checks", headers=AUTH, timeout=5)
    assert created.status_code == 202, created.text
    url = f"{base}{created.json()['url']}"
    return wait_for(
        lambda: (r := requests.get(url, headers=AUTH, timeout=5).json())["complete"] and r, timeout=20
    )


def test_make_run_serves_all_four_services_in_one_process():
    port = free_port()
    proc = start(["make", "--no-print-directory", "run", f"PORT={port}"], SEED_ADMIN_TOKEN=ADMIN_TOKEN)
    base = f"http://127.0.0.1:{port}"
    try:
        health = wait_for(
            lambda: (r := get(f"{base}/healthz")) is not None and r.status_code == 200 and r, timeout=60
        )
        assert health.json()["services"] == {
            "referral": "ok",
            "scheduler": "ok",
            "documents": "ok",
            "notifications": "ok",
        }
        assert get(f"{base}/readyz").status_code == 200
        for name in ("referral", "scheduler", "documents", "notifications"):
            assert get(f"{base}/{name}/healthz").json()["service"] == name
        screening = requests.post(
            f"{base}/api/v1/screening",
            headers=AUTH,
            timeout=5,
            json={"child_died": True, "abuse_or_neglect": "suspected"},
        )
        assert screening.status_code == 200 and screening.json()["scr_required"] is True
        from tests.unit.referral.test_api import make_referral

        referral = requests.post(f"{base}/api/v1/referrals", headers=AUTH, timeout=5, json=make_referral())
        assert referral.status_code == 201, referral.text
        case = requests.get(f"{base}/api/v1/cases/{referral.json()['id']}", headers=AUTH, timeout=5)
        assert case.status_code == 200 and case.json()["status"] == "awaiting_decision"
        assert requests.get(f"{base}/api/v1/cases", timeout=5).status_code == 401
        check = bus_check(base, "/documents")
        assert check["answered_by"] == ["notifications", "referral", "scheduler"]
        assert "lscb_events_published_total" in get(f"{base}/metrics").text
    finally:
        logs = stop(proc)
    # Ctrl-C: gunicorn stops cleanly; make reports the interrupt as its own status.
    assert proc.returncode in (0, -signal.SIGINT), logs[-2000:]
    assert '"event": "product.started"' in logs
    assert "Shutting down: Master" in logs
    assert 'Demo board "Demo Safeguarding Children Partnership"' in logs
    assert "chair@demo.example.org" in logs


def test_make_run_services_crosses_processes_through_rabbitmq(amqp_settings):
    port = free_port()
    while any(get(f"http://127.0.0.1:{port + i}/healthz") for i in range(4)):
        port = free_port()
    namespace = amqp_settings.BUS_NAMESPACE
    proc = start(
        ["make", "--no-print-directory", "run-services", f"PORT={port}"],
        BUS_URL=amqp_settings.BUS_URL,
        BUS_NAMESPACE=namespace,
        LOG_LEVEL="WARNING",
        SEED_ADMIN_TOKEN=ADMIN_TOKEN,
    )
    bases = [f"http://127.0.0.1:{port + i}" for i in range(4)]
    try:
        for base in bases:
            wait_for(
                lambda b=base: (r := get(f"{b}/readyz")) is not None and r.status_code == 200, timeout=60
            )
        from_referral = bus_check(bases[0])
        assert from_referral["answered_by"] == ["documents", "notifications", "scheduler"]
        from_notifications = bus_check(bases[3])
        assert from_notifications["answered_by"] == ["documents", "referral", "scheduler"]
    finally:
        logs = stop(proc)
        consumers = [
            f"{s}.{p}"
            for s in ("referral", "scheduler", "documents", "notifications")
            for p in ("bus-check-requests", "bus-check-answers")
        ]
        delete_topology(amqp_settings, consumers)
    assert proc.returncode in (0, -signal.SIGINT), logs[-2000:]
    assert logs.count("Shutting down: Master") == 4, logs[-2000:]
    assert "SIGKILL" not in logs and "stopped with status" not in logs, logs[-2000:]
