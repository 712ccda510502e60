"""make run with a real SMTP server: a referral and an SCR decision reach Ofsted, DfE and the Panel once."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

import pytest
import requests

from shared.framework import today_in_england as today
from tests.e2e.test_run_modes import ADMIN_TOKEN, AUTH, get, start, stop
from tests.smtp_server import RecordingHandler, SmtpServers
from tests.support import free_port, wait_for
from tests.unit.referral.test_api import decision_body, make_referral

pytestmark = pytest.mark.e2e
NATIONAL = {
    "ofsted@placeholder.example.org",
    "dfe@placeholder.example.org",
    "national-panel@placeholder.example.org",
}


# Referred the day after the local authority became aware: the incident form goes in time.
RECENT = make_referral(
    incident_on=(today() - timedelta(days=2)).isoformat(),
    became_aware_on=(today() - timedelta(days=1)).isoformat(),
    board_notified_on=today().isoformat(),
)


def test_an_scr_decision_emails_each_national_body_once_with_the_letter():
    servers = SmtpServers()
    handler = RecordingHandler()
    smtp = servers.start(handler)
    port = free_port()
    proc = start(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        SEED_ADMIN_TOKEN=ADMIN_TOKEN,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        SMTP_STARTTLS="never",
        NOTIFICATION_DISPATCH_SECONDS="0.5",
        LOG_LEVEL="WARNING",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: (r := get(f"{base}/healthz")) is not None and r.status_code == 200, timeout=60)
        case = requests.post(f"{base}/api/v1/referrals", headers=AUTH, json=RECENT, timeout=10).json()
        decided = requests.post(
            f"{base}/api/v1/cases/{case['id']}/decision",
            headers=AUTH,
            timeout=10,
            # The admin token records it for the demo board's Chair, who is named in the letters.
            json=decision_body(rationale="The statutory criteria are met.", chair="chair@demo.example.org"),
        )
        assert decided.status_code == 200, decided.text

        def deadline_states():
            r = requests.get(f"{base}/api/v1/deadlines?case_id={case['id']}", headers=AUTH, timeout=10)
            return {d["code"]: d["status"] for d in r.json()["items"]} if r.status_code == 200 else {}

        # The scheduler marks the duty met only once all three notifications were sent: every
        # handler on the way has run, so any duplicate would already have reached the server.
        states = wait_for(
            lambda: (s := deadline_states()).get("decision_notification") == "met" and s, timeout=60
        )
        assert states["scr_decision"] == "met"
        # The referral was notifiable: the incident form went to Ofsted, which met that duty too.
        assert states["incident_notification"] == "met"
        mails = [
            (envelope, email.message_from_bytes(envelope.original_content, policy=policy.default))
            for envelope, _ in handler.received
            if set(envelope.rcpt_tos) & NATIONAL
        ]
        decision_mails = [(e, m) for e, m in mails if m["Subject"].startswith("Case review decision")]
        incident_mails = [(e, m) for e, m in mails if m["Subject"].startswith("Notification of a serious")]
        assert len(mails) == len(decision_mails) + len(incident_mails)
        assert sorted(r for e, _ in decision_mails for r in e.rcpt_tos) == sorted(NATIONAL)  # one each
        assert [r for e, _ in incident_mails for r in e.rcpt_tos] == ["ofsted@placeholder.example.org"]
        for _, message in decision_mails + incident_mails:
            assert message["Subject"].endswith(case["reference"])
            assert "Jane" not in message["Subject"]
            attachments = list(message.iter_attachments())
            assert len(attachments) == 1
            assert attachments[0].get_filename().endswith(".docx")
            assert attachments[0].get_content()[:2] == b"PK"  # a Word file is a zip
        listed = requests.get(
            f"{base}/api/v1/notifications?case_id={case['id']}", headers=AUTH, timeout=10
        ).json()
        decision_notes = [n for n in listed["items"] if n["template"] == "decision_notification"]
        assert sorted(n["recipient"]["role"] for n in decision_notes) == ["dfe", "national_panel", "ofsted"]
        assert {n["status"] for n in decision_notes} == {"sent"}
        assert all(len(n["attachments"]) == 1 for n in decision_notes)

        docs = requests.get(f"{base}/api/v1/documents?case_id={case['id']}", headers=AUTH, timeout=10).json()
        assert {"decision_notification", "screening_decision_record", "referral_summary"} <= {
            d["kind"] for d in docs["items"]
        }
    finally:
        logs = stop(proc)
        servers.stop_all()
    assert "Traceback" not in logs, logs[-3000:]
