"""`make run` and `make run-services`, started as a user would, driven over HTTP."""

from __future__ import annotations

import os
import re
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


def test_make_run_serves_all_five_services_in_one_process():
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
            "reviews": "ok",
        }
        assert get(f"{base}/readyz").status_code == 200
        # /<service>/healthz is the service's own probe, though /reviews/<case_id> is a page.
        for name in ("referral", "scheduler", "documents", "notifications", "reviews"):
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
        assert check["answered_by"] == ["notifications", "referral", "reviews", "scheduler"]
        assert "lscb_events_published_total" in get(f"{base}/metrics").text
    finally:
        logs = stop(proc)
    # Ctrl-C: gunicorn stops cleanly; make reports the interrupt as its own status.
    assert proc.returncode in (0, -signal.SIGINT), logs[-2000:]
    assert '"event": "product.started"' in logs
    assert "Shutting down: Master" in logs
    assert 'Demo board "Demo Safeguarding Children Partnership"' in logs
    assert "chair@demo.example.org" in logs


def sign_in(base: str, email: str, password: str) -> requests.Session:
    """A browser-like session signed in through the sign-in form (with its CSRF token)."""
    session = requests.Session()
    form = session.get(f"{base}/sign-in", timeout=5)
    assert form.status_code == 200, form.text[:500]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
    assert token, form.text[:500]
    signed_in = session.post(
        f"{base}/sign-in",
        data={"csrf_token": token.group(1), "email": email, "password": password, "next": "/home"},
        timeout=10,
    )
    assert signed_in.status_code == 200 and "/sign-in" not in signed_in.url, signed_in.url
    return session


def test_make_run_services_crosses_processes_through_rabbitmq_behind_one_address(amqp_settings):
    port = free_port()
    while any(get(f"http://127.0.0.1:{port + i}/healthz") for i in range(6)):
        port = free_port()
    namespace = amqp_settings.BUS_NAMESPACE
    password = "e2e-" + uuid.uuid4().hex[:12]
    proc = start(
        ["make", "--no-print-directory", "run-services", f"PORT={port}"],
        BUS_URL=amqp_settings.BUS_URL,
        BUS_NAMESPACE=namespace,
        LOG_LEVEL="WARNING",
        SEED_ADMIN_TOKEN=ADMIN_TOKEN,
        DEMO_PASSWORD=password,
    )
    product = f"http://127.0.0.1:{port}"
    bases = [f"http://127.0.0.1:{port + 1 + i}" for i in range(5)]
    try:
        for base in bases:
            wait_for(
                lambda b=base: (r := get(f"{b}/readyz")) is not None and r.status_code == 200, timeout=60
            )
        from_referral = bus_check(bases[0])
        assert from_referral["answered_by"] == ["documents", "notifications", "reviews", "scheduler"]
        from_notifications = bus_check(bases[3])
        assert from_notifications["answered_by"] == ["documents", "referral", "reviews", "scheduler"]

        # The one address: nginx sends each path to the service that owns it.
        wait_for(lambda: (r := get(f"{product}/healthz")) is not None and r.status_code == 200, timeout=20)
        for name in ("referral", "scheduler", "documents", "notifications", "reviews"):
            assert get(f"{product}/{name}/healthz").json()["service"] == name
        assert get(f"{product}/metrics").status_code == 404  # scraped from each service, not in public
        from tests.unit.referral.test_api import make_referral

        made = requests.post(f"{product}/api/v1/referrals", headers=AUTH, timeout=5, json=make_referral())
        assert made.status_code == 201, made.text
        case_id = made.json()["id"]
        assert requests.get(f"{product}/api/v1/reviews", headers=AUTH, timeout=5).status_code == 200
        browser = sign_in(product, "business@demo.example.org", password)
        case_page = browser.get(f"{product}/cases/{case_id}", timeout=10)  # referral
        assert case_page.status_code == 200, case_page.text[:500]
        # The case's tab bar links to the scheduler's page for the same case, on the same address.
        link = f"/schedule/cases/{case_id}"
        assert f'href="{link}"' in case_page.text
        schedule = wait_for(
            lambda: (r := browser.get(f"{product}{link}", timeout=10)).status_code == 200 and r, timeout=20
        )
        assert "Timetable" in schedule.text
        for page in ("/home", f"/documents/cases/{case_id}", f"/notifications/cases/{case_id}"):
            answer = browser.get(f"{product}{page}", timeout=10)
            assert answer.status_code == 200, (page, answer.status_code)
            assert "<html" in answer.text
    finally:
        logs = stop(proc)
        consumers = [
            f"{s}.{p}"
            for s in ("referral", "scheduler", "documents", "notifications", "reviews")
            for p in ("bus-check-requests", "bus-check-answers")
        ]
        delete_topology(amqp_settings, consumers)
    assert proc.returncode in (0, -signal.SIGINT), logs[-2000:]
    assert logs.count("Shutting down: Master") == 5, logs[-2000:]
    assert "SIGKILL" not in logs and "stopped with status" not in logs, logs[-2000:]
    assert "The product: http://127.0.0.1:" in logs and "nginx is not installed" not in logs
