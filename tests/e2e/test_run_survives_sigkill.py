"""`make run` killed with SIGKILL while events are in flight, then started again on the same folder.

The in-process bus keeps its queues in memory, so what it held when the process
died comes back from the store: the outbox, and the bus journal for events
already handed to the bus. After the restart the case, its documents, its
deadlines and the decision's three statutory notifications must all be there,
each once, and the deadline to tell the national bodies met.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path

import pytest
import requests

from shared.bus.journal import COLLECTION as JOURNAL
from shared.embedded_store import EmbeddedClient, forget
from tests.e2e.test_run_modes import ADMIN_TOKEN, AUTH, get, start, stop
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.support import free_port, wait_for
from tests.unit.referral.test_api import decision_body, make_referral

pytestmark = pytest.mark.e2e
NATIONAL_BODIES = ["dfe", "national_panel", "ofsted"]


def run(folder: Path, port: int, smtp_port: int, **env):
    return start(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        EMBEDDED_STORE_DIR=str(folder),
        SEED_ADMIN_TOKEN=ADMIN_TOKEN,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SMTP_STARTTLS="never",
        NOTIFICATION_DISPATCH_SECONDS="0.5",
        LOG_LEVEL="WARNING",
        **env,
    )


def up(base: str, proc) -> None:
    def healthy_or_gone() -> bool:
        return proc.poll() is not None or ((r := get(f"{base}/healthz")) is not None and r.status_code == 200)

    wait_for(healthy_or_gone, timeout=90)
    if proc.poll() is not None:
        proc.output.seek(0)
        raise AssertionError(f"make run stopped:\n{proc.output.read()[-3000:]}")


def items(base: str, path: str, case_id: str) -> list[dict]:
    r = requests.get(f"{base}{path}?case_id={case_id}", headers=AUTH, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def in_flight(folder: Path) -> tuple[int, int]:
    """Events waiting in outboxes, and events journalled by the in-process bus, as the store holds them."""
    try:
        db = EmbeddedClient(store_folder=str(folder))["lscb"]
        pending = sum(
            db[name].count_documents({"outbox": {"$elemMatch": {"pending": True}}})
            for name in db.list_collection_names()
        )
        return pending, db[JOURNAL].count_documents({})
    finally:
        forget(folder)


def kill(proc) -> str:
    os.killpg(proc.pid, signal.SIGKILL)  # make, the gunicorn master and its worker: no clean stop
    proc.wait()
    proc.output.seek(0)
    return proc.output.read()


def test_a_decision_in_flight_when_make_run_is_killed_is_finished_after_the_restart(tmp_path):
    folder = tmp_path / "var"
    servers = SmtpServers()
    smtp = servers.start(RecordingHandler())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    first = run(folder, port, smtp.port)
    try:
        up(base, first)
        case = requests.post(f"{base}/api/v1/referrals", headers=AUTH, json=make_referral(), timeout=10)
        assert case.status_code == 201, case.text
        case_id = case.json()["id"]
        decided = requests.post(
            f"{base}/api/v1/cases/{case_id}/decision",
            headers=AUTH,
            json=decision_body(chair="chair@demo.example.org"),
            timeout=10,
        )
        assert decided.status_code == 200, decided.text
    finally:
        first_logs = kill(first)
    assert "Traceback" not in first_logs, first_logs[-3000:]
    # Killed with the decision's events on their way: in outboxes, or handed to the bus and journalled.
    pending, journalled = in_flight(folder)
    assert pending + journalled > 0

    second = run(folder, port, smtp.port)
    try:
        up(base, second)
        case_now = requests.get(f"{base}/api/v1/cases/{case_id}", headers=AUTH, timeout=10)
        assert case_now.status_code == 200 and case_now.json()["status"] != "awaiting_decision"

        def deadlines() -> dict[str, str]:
            r = requests.get(f"{base}/api/v1/deadlines?case_id={case_id}", headers=AUTH, timeout=10)
            return {d["code"]: d["status"] for d in r.json()["items"]} if r.status_code == 200 else {}

        states = wait_for(lambda: (s := deadlines()).get("decision_notification") == "met" and s, timeout=120)
        assert states["scr_decision"] == "met"
        codes = Counter(d["code"] for d in items(base, "/api/v1/deadlines", case_id))
        assert all(n == 1 for n in codes.values()), codes  # no deadline twice

        notes = [
            n
            for n in items(base, "/api/v1/notifications", case_id)
            if n["template"] == "decision_notification"
        ]
        assert sorted(n["recipient"]["role"] for n in notes) == NATIONAL_BODIES  # three, each once
        assert {n["status"] for n in notes} == {"sent"}

        documents = items(base, "/api/v1/documents", case_id)
        kinds = Counter(d["kind"] for d in documents)
        assert {"decision_notification", "screening_decision_record", "referral_summary"} <= set(kinds)
        # No document made twice: one of each kind (and a letter per agency involved).
        assert kinds.pop("case_group_letter") == len(make_referral()["agencies_involved"])
        assert all(n == 1 for n in kinds.values()), kinds
        # Once every consumer has handled them, the events leave the journal.
        wait_for(lambda: in_flight(folder) == (0, 0), timeout=30, interval=0.5)
        for document in documents:
            content = requests.get(
                f"{base}/api/v1/documents/{document['id']}/content", headers=AUTH, timeout=10
            )
            assert content.status_code == 200 and content.content[:4] in (b"PK\x03\x04", b"%PDF"), document
    finally:
        logs = stop(second)
        servers.stop_all()
    assert "Traceback" not in logs, logs[-3000:]
    # The demo board and its users were made once, by the first start.
    assert "kept in" in logs and "chair@demo.example.org" in logs
    print(f"in flight when killed: {pending} events in outboxes, {journalled} journalled")
