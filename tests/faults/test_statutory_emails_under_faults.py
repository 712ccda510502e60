"""Hundreds of referrals and decisions while the broker, the services and the SMTP server fail.

The product runs as `make run-services` runs it (each service its own
process) on a RabbitMQ node of the suite's own and one shared store (the
embedded one in a temporary folder, or MongoDB when ``MONGODB_URI`` is set),
sending through an SMTP server on loopback whose behaviour the suite
switches. While referrals, each followed by the Chair's SCR decision, are
filed (every POST with an Idempotency-Key, retried with the same key when a
service is down), the suite

- stops and starts the broker, twice;
- SIGKILLs each service once and starts it again: referral with a POST
  unanswered, notifications while it waits for an SMTP server that took the
  connection and never spoke (``uncertain`` after the restart);
- breaks SMTP for 30 seconds: connections refused, then 421, then messages
  received and the connection dropped before the answer (``uncertain``).

Then it waits until the product is quiet, does what the README asks of a
person for each ``uncertain`` notification (the server has its Message-ID:
mark it delivered; it has not: resend it), and counts. Every statutory
email (the decision to Ofsted, DfE and the Panel; the incident form to
Ofsted) must have reached the server, none twice by Message-ID; every case's
deadlines and documents must be right. The figures are printed.

``FAULTS_REFERRALS`` (default 500) and ``FAULTS_RATE`` (referrals a second,
default 2) change the load.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from shared.embedded_store import hold_folder
from tests.faults.product import Product
from tests.faults.rabbit import RabbitNode
from tests.smtp_server import ACCEPT, BUSY, DROP_AFTER_DATA, REFUSE, RecordingHandler, SmtpServers
from tests.unit.referral.test_api import decision_body, make_referral

pytestmark = pytest.mark.faults

REFERRALS = int(os.environ.get("FAULTS_REFERRALS", "500"))
RATE = float(os.environ.get("FAULTS_RATE", "2"))
CLIENTS = 4  # referrers filing at the same time
BROKER_DOWN_SECONDS = 5
SMTP_BREAK = ((REFUSE, 10), (BUSY, 8), (DROP_AFTER_DATA, 12))  # 30 seconds in all
QUIET_TIMEOUT = 600  # after the last referral and fault; quiet comes within seconds when all is well
CHAIR = "chair@demo.example.org"  # the demo board's Chair, for whom the admin records each decision

ADDRESSES = {
    "ofsted": "ofsted@placeholder.example.org",
    "dfe": "dfe@placeholder.example.org",
    "national_panel": "national-panel@placeholder.example.org",
}
# (template, recipient role) of each statutory email a notifiable referral with an SCR decision brings.
STATUTORY = (
    ("ofsted_incident_notification", "ofsted"),
    ("decision_notification", "ofsted"),
    ("decision_notification", "dfe"),
    ("decision_notification", "national_panel"),
)
MET = ("incident_notification", "decision_notification", "scr_decision")
DOCUMENTS = (
    "referral_summary",
    "ofsted_incident_notification",
    "screening_decision_record",
    "decision_notification",
)
NOT_YET = ("pending", "sending")


@dataclass
class Filed:
    case_id: str
    tries: int  # POSTs made for the referral and its decision (2 when nothing failed)


@dataclass
class Run:
    """What the suite did and saw, for the figures."""

    filed: list[Filed] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, started: float, text: str) -> None:
        with self.lock:
            self.faults.append(f"{time.monotonic() - started:6.1f} s  {text}")

    def done(self) -> int:
        with self.lock:
            return len(self.filed)


# -- the store the services share ---------------------------------------------------------------


def shared_store(tmp_path: Path) -> tuple[dict[str, str], Callable[[], None], str]:
    """Settings of the shared store, how to clean it up, and its description."""
    uri = os.environ.get("MONGODB_URI", "")
    if uri:
        name = f"lscb_faults_{uuid.uuid4().hex[:8]}"  # a database of its own, dropped afterwards
        parts = urlsplit(uri)
        query = parts.query
        if "@" in parts.netloc and "authSource=" not in query:  # credentials stay checked where they were
            query = "&".join(filter(None, [query, f"authSource={parts.path.strip('/') or 'admin'}"]))
        own = urlunsplit(parts._replace(path=f"/{name}", query=query))

        def drop() -> None:
            from pymongo import MongoClient

            with MongoClient(own) as client:
                client.drop_database(name)

        env = {"MONGODB_URI": own, "IDENTITY_MONGODB_URI": "", "EMBEDDED_STORE_DIR": ""}
        return env, drop, f"MongoDB, database {name}"
    folder = tmp_path / "store"
    lock = hold_folder(folder)  # as `make run-services` does: no other product on this folder meanwhile
    env = {"MONGODB_URI": "", "IDENTITY_MONGODB_URI": "", "EMBEDDED_STORE_DIR": str(folder)}
    return env, lock.close, f"the embedded store in {folder}"


# -- filing referrals ---------------------------------------------------------------------------


def file_referrals(product: Product, run: Run, started: float) -> None:
    """REFERRALS referrals, each followed by its SCR decision, at RATE a second from CLIENTS clients."""
    batch = uuid.uuid4().hex[:8]

    def file_one(index: int) -> None:
        time.sleep(max(0.0, started + index / RATE - time.monotonic()))
        referral, tries = product.post(
            "referral", "/api/v1/referrals", make_referral(), key=f"faults-{batch}-referral-{index}"
        )
        assert referral.status_code == 201, referral.text
        case = referral.json()
        decision, more = product.post(
            "referral",
            f"/api/v1/cases/{case['id']}/decision",
            decision_body(chair=CHAIR),
            key=f"faults-{batch}-decision-{index}",
        )
        assert decision.status_code == 200, decision.text
        with run.lock:
            run.filed.append(Filed(case["id"], tries + more))

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(file_one, i) for i in range(REFERRALS)]:
            future.result()


# -- the faults ---------------------------------------------------------------------------------


class Faults(threading.Thread):
    """Injects each fault once the intake has reached its share of the referrals."""

    def __init__(
        self,
        product: Product,
        node: RabbitNode,
        smtp: SmtpServers,
        smtp_port: int,
        handler: RecordingHandler,
        run: Run,
        started: float,
    ) -> None:
        super().__init__(name="faults", daemon=True)
        self.product, self.node, self.smtp, self.smtp_port = product, node, smtp, smtp_port
        self.handler, self.run_, self.started = handler, run, started
        self.error: BaseException | None = None
        self.steps: list[tuple[float, Callable[[], None]]] = [
            (0.08, self.broker_outage),
            (0.16, self.kill_referral_mid_request),
            (0.28, lambda: self.kill("scheduler")),
            (0.40, self.break_smtp),
            (0.60, lambda: self.kill("documents")),
            (0.66, lambda: self.kill("reviews")),
            (0.70, self.broker_outage),
            (0.82, self.kill_notifications_mid_transaction),
        ]

    def run(self) -> None:
        try:
            for share, step in self.steps:
                while self.run_.done() < share * REFERRALS:
                    time.sleep(0.05)
                step()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc

    def note(self, text: str) -> None:
        self.run_.note(self.started, text)

    def broker_outage(self) -> None:
        self.node.stop_app()
        self.note(f"broker stopped (for {BROKER_DOWN_SECONDS} s)")
        time.sleep(BROKER_DOWN_SECONDS)  # the outage itself, not a wait for the product
        self.node.start_app()
        self.note("broker started again")

    def kill(self, name: str, why: str = "") -> None:
        self.product[name].kill()
        self.note(f"{name} SIGKILLed{why}")
        self.product[name].start()
        self.product.wait_ready(name)
        self.note(f"{name} started again and ready")

    def break_smtp(self) -> None:
        for behaviour, seconds in SMTP_BREAK:
            self.smtp.behave(self.smtp_port, behaviour)
            self.note(f"SMTP: {behaviour} (for {seconds} s)")
            time.sleep(seconds)
        # Drops must have happened: wait for one if none came in the window (never seen so far).
        deadline = time.monotonic() + 30
        while self.handler.dropped == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        self.smtp.behave(self.smtp_port, ACCEPT)
        self.note(f"SMTP accepts again; {self.handler.dropped} connections dropped after DATA")

    def kill_referral_mid_request(self) -> None:
        """SIGKILL referral while a referral or decision it was sent has not been answered."""
        deadline = time.monotonic() + 30
        while self.product.in_flight["referral"] == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        busy = self.product.in_flight["referral"]
        self.kill("referral", f" with {busy} POSTs unanswered" if busy else "")

    def kill_notifications_mid_transaction(self) -> None:
        """SIGKILL notifications while it waits for a server that took the connection and never spoke.

        Its notification stays ``sending``; the next dispatcher makes it
        ``uncertain``; the server never had it, so the person resends it.
        """
        self.smtp.behave(self.smtp_port, REFUSE)
        silent = SilentServer(self.smtp_port)
        self.note("SMTP: takes connections and never answers")
        deadline = time.monotonic() + 60
        while not silent.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        caught = bool(silent.connections)
        self.product["notifications"].kill()
        silent.close()
        self.smtp.behave(self.smtp_port, ACCEPT)
        self.note("notifications SIGKILLed" + (" while waiting for the SMTP greeting" if caught else ""))
        self.note("SMTP accepts again")
        self.product["notifications"].start()
        self.product.wait_ready("notifications")
        self.note("notifications started again and ready")


class SilentServer:
    """Listens on a port, takes every connection, and never says a word (a hung mail server)."""

    def __init__(self, port: int) -> None:
        self.connections: list[socket.socket] = []
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        deadline = time.monotonic() + 10
        while True:
            try:
                self._listener.bind(("127.0.0.1", port))  # the SMTP server has just let the port go
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self._listener.listen(16)
        self._listener.settimeout(0.1)
        self._open = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while self._open:
            try:
                self.connections.append(self._listener.accept()[0])
            except OSError:
                continue

    def close(self) -> None:
        self._open = False
        self._thread.join()  # out of accept(), so the port is free once the listener is closed
        self._listener.close()
        for connection in self.connections:
            connection.close()


# -- waiting for quiet, and what a person does ---------------------------------------------------


def notifications(product: Product) -> list[dict[str, Any]]:
    return list(product.every("notifications", "/api/v1/notifications"))


def statutory(items: list[dict[str, Any]]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    found: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for n in items:
        if (n["template"], n["recipient"]["role"]) in STATUTORY:
            found[(n["case_id"], n["template"], n["recipient"]["role"])].append(n)
    return found


def count(product: Product, status: str | None = None) -> int:
    params = {"status": status} if status else {}
    return product.get("notifications", "/api/v1/notifications", per_page=1, **params)["total"]


def wait_until_quiet(product: Product, run: Run, timeout: float = QUIET_TIMEOUT) -> list[dict[str, Any]]:
    """Every statutory notification recorded and nothing waiting to be sent, the same on two looks.

    Polled with counts (one small request each), so that waiting does not load the service it
    waits for; the whole ledger is read once the counts say it is quiet. After ``timeout`` the
    ledger as it stands is returned: the figures then say what is missing or still waiting.
    """
    expected = len(run.filed) * len(STATUTORY)
    deadline = time.monotonic() + timeout
    previous = None
    while True:
        waiting = any(count(product, status) for status in NOT_YET)
        total = count(product)
        if (not waiting and total == previous) or time.monotonic() > deadline:
            items = notifications(product)
            quiet = not any(n["status"] in NOT_YET for n in items)
            if (quiet and len(statutory(items)) >= expected) or time.monotonic() > deadline:
                return items
        previous = None if waiting else total
        time.sleep(2)


def settle_uncertain(product: Product, items: list[dict[str, Any]], received: set[str]) -> tuple[int, int]:
    """As the README asks of a person: delivered if the server has its Message-ID, else resend."""
    confirmed = resent = 0
    for n in items:
        if n["status"] != "uncertain":
            continue
        if n["message_id"] in received:
            answer, _ = product.post(
                "notifications", f"/api/v1/notifications/{n['id']}/delivered", {}, key=f"confirm-{n['id']}"
            )
            assert answer.status_code == 200, answer.text
            confirmed += 1
        else:
            answer, _ = product.post(
                "notifications", f"/api/v1/notifications/{n['id']}/resend", {}, key=f"resend-{n['id']}"
            )
            assert answer.status_code == 202, answer.text
            resent += 1
    return confirmed, resent


def per_case(
    product: Product,
    service: str,
    path: str,
    case_ids: list[str],
    errors: Callable[[list[dict[str, Any]]], list[str]],
    timeout: float,
) -> dict[str, list[str]]:
    """What is wrong with each case's list, asked again for the cases not yet right until ``timeout``."""
    wrong: dict[str, list[str]] = {}
    todo = list(case_ids)
    deadline = time.monotonic() + timeout

    def look(case_id: str) -> None:
        wrong[case_id] = errors(list(product.every(service, path, case_id=case_id)))

    while todo:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(look, todo))
        todo = [c for c in todo if wrong[c]]
        if not todo or time.monotonic() > deadline:
            break
        time.sleep(2)
    return {case_id: errs for case_id, errs in wrong.items() if errs}


def deadline_errors(items: list[dict[str, Any]]) -> list[str]:
    """The three duties of a decided notifiable referral met (``met_late`` when met after the due date).

    The referral's incident was ten days before it was filed, so the duty to tell Ofsted of it is
    met late; the decision's duties are met on time.
    """
    codes = Counter(d["code"] for d in items)
    found = {d["code"]: d for d in items}
    wrong = []
    for code in MET:
        d = found.get(code)
        if d is None or d["met_on"] is None:
            wrong.append(f"{code} {d['status'] if d else 'missing'}")
        elif d["status"] != ("met_late" if d["met_on"] > d["due"] else "met"):
            wrong.append(f"{code} {d['status']} (due {d['due']}, met on {d['met_on']})")
    return wrong + [f"{code} {n} times" for code, n in codes.items() if n > 1]


def document_errors(items: list[dict[str, Any]]) -> list[str]:
    kinds = Counter(d["kind"] for d in items)
    wrong = [f"{kind} missing" for kind in DOCUMENTS if kinds[kind] == 0]
    wrong += [f"{kind} {n} times" for kind, n in kinds.items() if kind in DOCUMENTS and n > 1]
    agencies = len(make_referral()["agencies_involved"])
    if kinds["case_group_letter"] != agencies:
        wrong.append(f"{kinds['case_group_letter']} case group letters, not {agencies}")
    return wrong


# -- the figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    referrals: int = 0
    cases_stored: int = 0
    posts_retried: int = 0
    emails_expected: int = 0
    emails_delivered: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: int = 0  # copies of a Message-ID the SMTP server received more than once
    recorded_twice: int = 0  # statutory notifications the ledger holds more than once
    uncertain: int = 0
    confirmed: int = 0  # uncertain, the server had its Message-ID: marked delivered
    resent: int = 0  # uncertain, the server had not: resent
    unexplained: list[str] = field(default_factory=list)
    smtp_received: int = 0
    smtp_dropped: int = 0
    wrong_deadlines: dict[str, list[str]] = field(default_factory=dict)
    wrong_documents: dict[str, list[str]] = field(default_factory=dict)

    @property
    def deadlines_wrong(self) -> int:
        return sum(len(errors) for errors in self.wrong_deadlines.values())

    @property
    def documents_missing(self) -> int:
        return sum(1 for errors in self.wrong_documents.values() for e in errors if e.endswith("missing"))

    def report(self, run: Run, header: str, timings: str) -> str:
        return "\n".join(
            [
                "",
                header,
                *[f"  {line}" for line in run.faults],
                f"  referrals: {self.referrals} (each with an SCR decision); "
                f"cases stored: {self.cases_stored}; "
                f"POSTs retried with their Idempotency-Key: {self.posts_retried}",
                f"  statutory emails expected: {self.emails_expected}; delivered: {self.emails_delivered}; "
                f"lost: {len(self.lost)}; duplicated (by Message-ID): {self.duplicated}; "
                f"recorded twice: {self.recorded_twice}",
                f"  uncertain: {self.uncertain} ({self.confirmed} the server had: marked delivered; "
                f"{self.resent} it had not: resent); unexplained or unsettled: {len(self.unexplained)}",
                f"  SMTP server: {self.smtp_received} messages received, {self.smtp_dropped} connections "
                "dropped after DATA",
                f"  deadlines wrong: {self.deadlines_wrong}; documents missing: {self.documents_missing} "
                f"(cases with documents wrong: {len(self.wrong_documents)})",
                f"  {timings}",
            ]
        )


def count_emails(
    figures: Figures,
    items: list[dict[str, Any]],
    uncertain: list[dict[str, Any]],
    had_before: set[str],
    handler: RecordingHandler,
    cases: list[str],
) -> None:
    """Every statutory email: recorded once, sent or delivered, and at the SMTP server, once."""
    received = Counter(handler.message_ids())
    figures.smtp_received, figures.smtp_dropped = len(handler.received), handler.dropped
    figures.duplicated = sum(n - 1 for n in received.values() if n > 1)
    to_address: dict[str, set[str]] = defaultdict(set)
    for index, (envelope, _) in enumerate(handler.received):
        to_address[handler.parsed(index)["Message-ID"]].update(envelope.rcpt_tos)
    records = statutory(items)
    figures.emails_expected = len(cases) * len(STATUTORY)
    for case_id in cases:
        for template, role in STATUTORY:
            found = records.get((case_id, template, role), [])
            figures.recorded_twice += max(0, len(found) - 1)
            if any(
                n["status"] in ("sent", "delivered") and ADDRESSES[role] in to_address[n["message_id"]]
                for n in found
            ):
                figures.emails_delivered += 1
            else:
                figures.lost.append(f"{case_id} {template} to {role}: {[n['status'] for n in found]}")
    # Each uncertain one: the server had it and a person confirmed it, or it had not and the resend
    # reached it, once. Nothing may be left uncertain, failed or waiting.
    now = {n["id"]: n for n in items}
    figures.uncertain = len(uncertain)
    for n in uncertain:
        if n["message_id"] in had_before:
            settled = now[n["id"]]["status"] == "delivered"
        else:
            settled = now[n["id"]]["status"] == "sent" and received[n["message_id"]] == 1
        if not settled:
            figures.unexplained.append(f"{n['id']} {n['message_id']}: now {now[n['id']]['status']}")
    figures.unexplained += [
        f"{n['id']} {n['status']}" for n in items if n["status"] in ("uncertain", "failed", *NOT_YET)
    ]


# -- the test ------------------------------------------------------------------------------------


def test_no_statutory_email_lost_or_sent_twice_under_broker_process_and_smtp_faults(tmp_path, capsys):
    began = time.monotonic()
    store_env, release_store, store_name = shared_store(tmp_path)
    smtp = SmtpServers()
    handler = RecordingHandler()
    smtp_port = smtp.start(handler).port
    node = RabbitNode()
    product: Product | None = None
    run = Run()
    figures = Figures()
    try:
        node.start()
        product = Product(node.url, store_env, smtp_port, tmp_path / "logs")
        product.start()
        product.wait_ready()
        started = time.monotonic()
        faults = Faults(product, node, smtp, smtp_port, handler, run, started)
        faults.start()
        file_referrals(product, run, started)
        filing_seconds = time.monotonic() - started
        faults.join(timeout=300)
        assert not faults.is_alive(), "the faults did not finish"
        if faults.error is not None:
            raise faults.error

        # Quiet; then a person settles each uncertain notification; then quiet again.
        items = wait_until_quiet(product, run)
        had_before = set(handler.message_ids())
        uncertain = [n for n in items if n["status"] == "uncertain"]
        figures.confirmed, figures.resent = settle_uncertain(product, items, had_before)
        items = wait_until_quiet(product, run)
        quiet_seconds = time.monotonic() - started

        cases = sorted({f.case_id for f in run.filed})
        figures.referrals = len(run.filed)
        figures.posts_retried = sum(f.tries - 2 for f in run.filed)
        figures.cases_stored = product.get("referral", "/api/v1/cases", per_page=1)["total"]
        count_emails(figures, items, uncertain, had_before, handler, cases)
        figures.wrong_deadlines = per_case(
            product, "scheduler", "/api/v1/deadlines", cases, deadline_errors, timeout=180
        )
        figures.wrong_documents = per_case(
            product, "documents", "/api/v1/documents", cases, document_errors, timeout=60
        )
        report = figures.report(
            run,
            f"fault-injection run: {store_name}; RabbitMQ node {node.node}; {REFERRALS} referrals at "
            f"{RATE:g} a second",
            f"filed in {filing_seconds:.0f} s; quiet {quiet_seconds:.0f} s after the first referral; "
            f"whole run {time.monotonic() - began:.0f} s",
        )
        with capsys.disabled():
            print(report, flush=True)

        assert figures.referrals == figures.cases_stored == REFERRALS, report
        assert not figures.lost, report + "\nlost:\n" + "\n".join(figures.lost[:20])
        assert figures.duplicated == figures.recorded_twice == 0, report
        assert figures.uncertain, "the SMTP faults made no notification uncertain: nothing tested there"
        assert not figures.unexplained, report + "\n" + "\n".join(figures.unexplained[:20])
        assert not figures.wrong_deadlines, report + f"\n{list(figures.wrong_deadlines.items())[:10]}"
        assert not figures.wrong_documents, report + f"\n{list(figures.wrong_documents.items())[:10]}"
    except BaseException:
        if product is not None:
            for service in product.services.values():
                print(f"----- {service.name} log (end)\n{service.log_tail(3000)}")
        raise
    finally:
        if product is not None:
            product.stop()
        node.stop()
        smtp.stop_all()
        release_store()
