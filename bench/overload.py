"""Benchmark: `make run` under load with 5,000 cases stored, against bare endpoints in the same run.

The product is started as ``make run`` starts it (``python -m services``: the four
services in one gunicorn process, the in-process bus, the embedded store) on a
fresh temporary EMBEDDED_STORE_DIR that already holds ``--cases`` (5,000) cases,
with a loopback SMTP server (aiosmtpd, ``tests/smtp_server.py``) as its relay.

The store is prepared by the product itself: a first ``python -m services`` on an
empty folder is sent ``--cases`` referrals through ``POST /api/v1/referrals``
(over 4 keep-alive connections, as fast as it answers), and left running until
everything those referrals set off has finished (screening, deadlines, documents,
the incident notification form emailed to Ofsted, reminders): the product's
``/metrics`` show no event published or handled for 6 s and no outbox pending.
It is then stopped and its folder copied, once for the product under test and
once for the baseline. ``--keep-store DIR`` keeps the prepared folder (with
``--prepare-only``, and stops there); ``--store DIR`` starts from a copy of one
kept before (no preparation).

Measured against the product, in this order, each with a paced load generator
(``wrk`` if installed, else Python threads; ``--loadgen``):

(b) list pages at ``--list-rate`` (50) requests/s for ``--list-duration`` s each:
    ``GET /api/v1/cases?page=N`` with an API token, then the ``/cases?page=N`` page
    signed in as the business unit; N goes through every page of the list.
    Target: p95 < 100 ms each.
(a) referrals at ``--rate`` (50) requests/s for ``--duration`` (30) s, each with its
    own Idempotency-Key. Targets: achieved >= 95 % of the rate, p99 < 150 ms.
    Then the time until the product has caught up with what they set off.
(c) ``--decisions`` (50) Chair's decisions (serious case review), one every
    ``--decision-interval`` (1) s, on cases of the prepared store: the time from
    sending ``POST /api/v1/cases/<id>/decision`` to the third of the statutory
    emails (to Ofsted, DfE and the National Panel) received by the SMTP server.
    Target: p95 < 1 s.

The baseline, measured the same way in the same run on the same machine: a bare
Flask app on gunicorn (the same ``shared.serve`` options: one worker, WEB_THREADS
threads) on its own copy of the prepared store, with the same store connection
(``shared.store``): for (a) it inserts one copy of a stored case with a new id and
reference into the cases collection; for (b) it does the same find, sort, skip,
limit and count on the cases collection, with the same projection, and answers
JSON or a bare HTML table; for (c) it sends three emails with a letter of the
same size attached (smtplib, one connection each, as the product's SMTP channel
does) and answers. Nothing else: no sign-in, validation, audit, outbox or events.
The product is measured first, then (stopped) the baseline; each run is warmed up first.

Prints a table: measurement, target, result, baseline, ratio (product / baseline),
met or not. Exit 0 (a report) unless ``--check`` is given and a target is missed.
``--profile PHASE`` (referrals, api, page or decisions) also samples the product
with py-spy (``--gil``) during that phase and prints where its time went.

    PYTHONPATH=. .venv/bin/python bench/overload.py [--cases 5000] [--duration 30] [--rate 50]
        [--list-duration 15] [--list-rate 50] [--decisions 50] [--decision-interval 1]
        [--store DIR | --keep-store DIR [--prepare-only]] [--loadgen auto|wrk|python] [--check]
        [--profile referrals|api|page|decisions] [--keep]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import math
import os
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import requests

# Run as a script, the repository is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    BenchError,
    Req,
    Result,
    Server,
    answers,
    decision_body,
    describe_machine,
    fmt,
    load_generator,
    percentile,
    print_py_spy,
    referral_body,
    start_py_spy,
    stop_all,
    warm_up,
)
from tests.smtp_server import SmtpServers  # noqa: E402

# Targets (issue 11, "Overload handled").
REFERRAL_P99_MS = 150.0
LIST_P95_MS = 100.0
DECISION_P95_S = 1.0
SUSTAINED = 0.95  # achieved rate / asked rate

NATIONAL = (
    "ofsted@placeholder.example.org",
    "dfe@placeholder.example.org",
    "national-panel@placeholder.example.org",
)
DECISION_SUBJECT = "Case review decision for {reference}"  # the product's decision_notification subject
PER_PAGE = 50
QUIET_SECONDS = 6.0  # longer than the relay's full pass (5 s) and the dispatcher's interval (2 s)


# -- the SMTP server's side ----------------------------------------------------------------


class Arrivals:
    """An aiosmtpd handler that takes every message, keeping only when it came, its subject and recipients."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_subject: dict[str, list[tuple[float, tuple[str, ...]]]] = collections.defaultdict(list)
        self.count = 0
        self.sizes: dict[str, int] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        at = time.monotonic()
        headers = BytesHeaderParser(policy=policy.default).parsebytes(envelope.original_content)
        subject = str(headers.get("Subject", ""))
        with self._lock:
            self.count += 1
            self._by_subject[subject].append((at, tuple(envelope.rcpt_tos)))
            if subject.startswith("Case review decision"):
                self.sizes.setdefault("decision", len(envelope.original_content))
        return "250 Message accepted for delivery"

    def third_national(self, subject: str, since: float) -> float | None:
        """When the third email with ``subject`` to a national body came after ``since``; None if not yet."""
        with self._lock:
            times = sorted(
                t
                for t, rcpts in self._by_subject.get(subject, ())
                if t >= since and set(rcpts) & set(NATIONAL)
            )
        return times[2] if len(times) >= 3 else None


# -- the product ---------------------------------------------------------------------------


def product_env(
    base_env: dict[str, str], folder: Path, token: str, password: str, smtp_port: int
) -> dict[str, str]:
    """What ``make run`` is given here: its defaults, a store folder of its own, the SMTP relay."""
    env = {k: v for k, v in base_env.items() if k not in ("MONGODB_URI", "BUS_URL", "APP_ENV", "FRESH")}
    env.update(
        EMBEDDED_STORE_DIR=str(folder),
        SEED_ADMIN_TOKEN=token,
        DEMO_PASSWORD=password,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SMTP_STARTTLS="never",
    )
    return env


def product_server(workdir: Path, env: dict[str, str], name: str = "product") -> Server:
    return Server(name, [sys.executable, "-m", "services"], env, workdir, ready=answers("/healthz"))


def metric_sums(base: str) -> dict[str, float]:
    """Events published and handled so far, and events waiting in outboxes, from ``/metrics``."""
    text = requests.get(f"{base}/metrics", timeout=30).text
    sums = {"published": 0.0, "handled": 0.0, "pending": 0.0}
    names = {
        "lscb_events_published_total": "published",
        "lscb_events_handled_total": "handled",
        "lscb_outbox_pending": "pending",
    }
    for line in text.splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if name in names:
            sums[names[name]] += float(line.rsplit(" ", 1)[1])
    return sums


def wait_until_quiet(base: str, timeout: float, progress: Callable[[], str] | None = None) -> float | None:
    """Seconds until the product published and handled nothing for QUIET_SECONDS with no outbox
    pending (the quiet time itself not counted); None if it did not within ``timeout``."""
    started = time.monotonic()
    last = metric_sums(base)
    last_change = started
    last_print = started
    while time.monotonic() - started < timeout:
        time.sleep(1.0)
        now = metric_sums(base)
        t = time.monotonic()
        if (now["published"], now["handled"]) != (last["published"], last["handled"]) or now["pending"]:
            last_change = t
        last = now
        if t - last_change >= QUIET_SECONDS:
            return max(0.0, last_change - started)
        if progress is not None and t - last_print >= 30:
            last_print = t
            print(f"    ... {t - started:.0f} s: {progress()}", flush=True)
    return None


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in on the page as a person does; the Cookie header of the session."""
    s = requests.Session()
    page = s.get(f"{base}/sign-in", timeout=30)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    if m is None:
        raise BenchError(f"no CSRF token on the sign-in page ({page.status_code})")
    resp = s.post(
        f"{base}/sign-in",
        data={"csrf_token": m.group(1), "email": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    if resp.status_code != 302:
        raise BenchError(f"sign-in as {email} refused: {resp.status_code} {resp.text[:300]}")
    return "; ".join(f"{k}={v}" for k, v in s.cookies.get_dict().items())


def prepare_store(
    args: argparse.Namespace, workdir: Path, base_env: dict[str, str], smtp_port: int
) -> tuple[Path, dict]:
    """A store folder with ``--cases`` cases, made by the product; (folder, what the run needs to know)."""
    if args.store:
        source = Path(args.store)
        info = json.loads((source / "bench-overload.json").read_text())
        print(f"Store: a copy of {source} (prepared before: {info['cases']} cases)", flush=True)
        return source, info
    folder = workdir / "prepared"
    info = {"cases": args.cases, "password": secrets.token_urlsafe(12), "prepared_at": time.time()}
    token = "bench-" + secrets.token_urlsafe(24)
    server = product_server(
        workdir, product_env(base_env, folder, token, info["password"], smtp_port), "prepare"
    )
    print(f"Preparing the store: {args.cases} referrals through the product's API ...", flush=True)
    started = time.monotonic()
    server.start()
    try:
        base = server.url()
        headers = {"Authorization": f"Bearer {token}"}
        sent = [0]
        failed: list[str] = []
        lock = threading.Lock()

        def post(k: int) -> None:
            s = requests.Session()
            for _ in range(k):
                r = s.post(f"{base}/api/v1/referrals", json=referral_body(), headers=headers, timeout=60)
                with lock:
                    if r.status_code != 201:
                        failed.append(f"{r.status_code} {r.text[:200]}")
                        return
                    sent[0] += 1

        conns = 4
        threads = [
            threading.Thread(target=post, args=(args.cases // conns + (i < args.cases % conns),))
            for i in range(conns)
        ]
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(30)
                print(f"    ... {time.monotonic() - started:.0f} s: {sent[0]} referrals", flush=True)
        if failed:
            raise BenchError(f"a referral was refused while preparing: {failed[0]}\n{server.log_tail()}")
        posted = time.monotonic() - started
        print(
            f"  {sent[0]} referrals in {posted:.0f} s ({sent[0] / posted:.1f}/s); "
            "waiting for the product to finish with them ...",
            flush=True,
        )
        drained = wait_until_quiet(base, args.prepare_timeout, lambda: _progress(base))
        if drained is None:
            raise BenchError(f"the product was still busy {args.prepare_timeout:.0f} s after the referrals")
        info["seconds"] = {"referrals": round(posted, 1), "caught_up": round(drained, 1)}
        print(f"  caught up {drained:.0f} s after the last referral", flush=True)
    finally:
        server.stop()
    (folder / "bench-overload.json").write_text(json.dumps(info))
    if args.keep_store:
        shutil.copytree(folder, args.keep_store, dirs_exist_ok=True)
        print(f"  prepared store kept in {args.keep_store} (use it with --store)")
    return folder, info


def _progress(base: str) -> str:
    try:
        m = metric_sums(base)
    except requests.RequestException as exc:
        return f"/metrics: {type(exc).__name__}"
    return (
        f"{m['published']:.0f} events published, {m['handled']:.0f} handled, {m['pending']:.0f} in outboxes"
    )


# -- the baseline ----------------------------------------------------------------------------

BARE_LAUNCHER = r'''
import itertools, os, smtplib, threading, uuid
from email.message import EmailMessage
from bson import json_util
from flask import Flask, Response, jsonify, request
from shared import store
from shared.config import load_settings
from shared.logging import configure
from shared.serve import GunicornApp, gunicorn_options
from services.referral.adapters.repository import CaseSummary

settings = load_settings()
configure(settings.LOG_LEVEL)
PER_PAGE = 50
LETTER = os.urandom(int(os.environ["BENCH_LETTER_BYTES"]))
NATIONAL = os.environ["BENCH_NATIONAL"].split(",")
SUBJECT = os.environ["BENCH_SUBJECT"]
TABLE = """<!doctype html><html lang="en"><head><title>Cases</title></head><body><h1>Cases</h1>
<p>{{ total }} cases</p><table>{% for c in items %}<tr>
<td><a href="/cases/{{ c._id }}">{{ c.reference }}</a></td><td>{{ c.status }}</td>
<td>{{ c.incident_on }}</td><td>{{ c.board_notified_on }}</td><td>{{ c.next_deadline }}</td>
</tr>{% endfor %}</table><a href="?page={{ page + 1 }}">Next</a></body></html>"""

def build():
    store.connect(settings)
    cases = store.database()["cases"]
    template = cases.find_one({"board_id": "demo"})
    fields = CaseSummary.FIELDS
    table = None
    counter = itertools.count(1)
    lock = threading.Lock()
    app = Flask("bare")

    def a_page():
        page = max(1, int(request.args.get("page", 1)))
        query = {"board_id": "demo"}
        # A projection of its own each time: mongomock changes the one it is given.
        found = cases.find(query, {name: 1 for name in fields}).sort("reference", -1)
        found = found.skip((page - 1) * PER_PAGE).limit(PER_PAGE)
        return page, list(found), cases.count_documents(query)

    @app.get("/bare/api/cases")
    def api_cases():
        page, items, total = a_page()
        body = {"items": items, "total": total, "page": page, "per_page": PER_PAGE}
        return Response(json_util.dumps(body), mimetype="application/json")

    @app.get("/bare/cases")
    def cases_page():
        nonlocal table
        page, items, total = a_page()
        table = table or app.jinja_env.from_string(TABLE)  # compiled once, as Flask keeps its templates
        return table.render(items=items, total=total, page=page)

    @app.post("/bare/referrals")
    def referrals():
        body = request.get_json()
        with lock:
            n = next(counter)
        doc = dict(template, _id=str(uuid.uuid4()), reference=f"BARE-{os.getpid()}-{n:06d}",
                   facts=body["facts"], summary=body["summary"])
        cases.insert_one(doc)
        return jsonify({"id": doc["_id"], "reference": doc["reference"]}), 201

    @app.post("/bare/decision")
    def decision():
        reference = request.get_json()["reference"]
        for to in NATIONAL:
            msg = EmailMessage()
            msg["From"] = settings.SMTP_SENDER
            msg["To"] = to
            msg["Subject"] = SUBJECT.format(reference=reference)
            msg.set_content("The decision letter is attached.")
            msg.add_attachment(LETTER, maintype="application", subtype="octet-stream", filename="letter.docx")
            with smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=10) as smtp:
                smtp.send_message(msg)
        return jsonify({"sent": len(NATIONAL)})

    return app

GunicornApp(build, gunicorn_options(settings, workers=1)).run()
'''


def bare_server(workdir: Path, env: dict[str, str], letter_bytes: int) -> Server:
    env = {
        **env,
        "BENCH_LETTER_BYTES": str(letter_bytes),
        "BENCH_NATIONAL": ",".join(NATIONAL),
        "BENCH_SUBJECT": DECISION_SUBJECT,
    }
    ready = answers("/bare/api/cases?page=1")
    return Server("bare", [sys.executable, "-c", BARE_LAUNCHER], env, workdir, ready=ready)


# -- one system under load -----------------------------------------------------------------------


@dataclass
class System:
    """The product or the baseline: its server and what each measurement sends it."""

    name: str
    server: Server
    api_list: Req
    page_list: Req
    referral: Req
    decision_path: Callable[[str], str]
    decision_body: Callable[[str], dict]
    headers: dict[str, str]
    quiet: Callable[[float], float | None] = lambda timeout: 0.0
    results: dict[str, Any] = field(default_factory=dict)


@dataclass
class Decisions:
    asked: int
    answered: int = 0
    non_2xx: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # POST to the third email, for those that arrived
    answer_ms: list[float] = field(default_factory=list)
    missing: int = 0

    def pct(self, p: float) -> float | None:
        """The p-th percentile over all decisions asked: one never emailed counts as infinitely late."""
        if not self.asked:
            return None
        values = sorted(self.seconds) + [math.inf] * (self.asked - len(self.seconds))
        return percentile(values, p)

    @property
    def valid(self) -> bool:
        return not self.non_2xx and not self.missing and self.answered == self.asked


def run_decisions(
    system: System, cases: list[tuple[str, str]], interval: float, arrivals: Arrivals, timeout: float
) -> Decisions:
    """One decision every ``interval`` s, each sent at its slot by a thread of its own; then wait for the
    emails."""
    result = Decisions(asked=len(cases))
    lock = threading.Lock()
    sent_at: dict[str, float] = {}
    start = time.monotonic() + 0.2
    base = system.server.url()

    def decide(i: int, case_id: str, reference: str) -> None:
        slot = start + i * interval
        time.sleep(max(0.0, slot - time.monotonic()))
        t0 = time.monotonic()
        try:
            r = requests.post(
                base + system.decision_path(case_id),
                json=system.decision_body(reference),
                headers=system.headers,
                timeout=30,
            )
        except requests.RequestException as exc:
            with lock:
                result.non_2xx.append(type(exc).__name__)
            return
        t1 = time.monotonic()
        with lock:
            if 200 <= r.status_code < 300:
                result.answered += 1
                result.answer_ms.append((t1 - t0) * 1e3)
                sent_at[reference] = t0
            else:
                result.non_2xx.append(f"{r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=decide, args=(i, cid, ref)) for i, (cid, ref) in enumerate(cases)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.monotonic() + timeout
    waiting = dict(sent_at)
    while waiting and time.monotonic() < deadline:
        for reference, t0 in list(waiting.items()):
            third = arrivals.third_national(DECISION_SUBJECT.format(reference=reference), t0)
            if third is not None:
                result.seconds.append(third - t0)
                del waiting[reference]
        time.sleep(0.05)
    result.missing = len(waiting)
    return result


def measure(
    system: System,
    load: Any,
    args: argparse.Namespace,
    arrivals: Arrivals,
    cases: list[tuple[str, str]],
    profile: Callable[[str, float], Callable[[int], None]] | None = None,
) -> None:
    """(b) lists, (a) referrals and the catch-up after them, (c) decisions; into ``system.results``."""
    base = system.server.url()
    out = system.results
    conns = args.connections
    for key, req in (("api", system.api_list), ("page", system.page_list)):
        warm_up(base, req, args.warmup)
        print(
            f"  {system.name}: {key} list at {args.list_rate:g}/s for {args.list_duration:g} s ...",
            flush=True,
        )
        done = profile(key, args.list_duration) if profile else None
        out[key] = load.fixed_rate(base, req, args.list_rate, conns, args.list_duration)
        if done:
            done(out[key].requests)
    warm_up(base, system.referral, args.warmup)
    print(f"  {system.name}: referrals at {args.rate:g}/s for {args.duration:g} s ...", flush=True)
    done = profile("referrals", args.duration) if profile else None
    out["referrals"] = load.fixed_rate(base, system.referral, args.rate, conns, args.duration)
    if done:
        done(out["referrals"].requests)
    print(f"  {system.name}: waiting until it has caught up with the referrals ...", flush=True)
    out["caught_up"] = system.quiet(args.drain_timeout)
    print(
        f"  {system.name}: {len(cases)} decisions, one every {args.decision_interval:g} s ...",
        flush=True,
    )
    seconds = len(cases) * args.decision_interval
    done = profile("decisions", seconds + 5) if profile else None
    out["decisions"] = run_decisions(system, cases, args.decision_interval, arrivals, args.decision_timeout)
    if done:
        done(len(cases))
    if not system.server.alive():
        raise BenchError(f"{system.name} server died:\n{system.server.log_tail()}")


# -- the report -----------------------------------------------------------------------------


def report(product: System, bare: System, args: argparse.Namespace, notes: list[str]) -> bool:
    """Print the table; whether every target was met."""
    p, b = product.results, bare.results

    def ratio(x: float | None, y: float | None) -> str:
        if x is None or y is None or not y or math.isinf(x) or math.isinf(y):
            return "-"
        return f"{x / y:.1f}x"

    def ms(v: float | None) -> str:
        return "-" if v is None else ("never" if math.isinf(v) else f"{v:.1f} ms")

    def s(v: float | None) -> str:
        return "-" if v is None else ("never" if math.isinf(v) else f"{v:.2f} s")

    pr, br = p["referrals"], b["referrals"]
    pd, bd = p["decisions"], b["decisions"]
    rows: list[tuple[str, str, str, str, str, bool | None]] = []
    rows.append(
        (
            f"referrals @ {args.rate:g}/s, achieved rate",
            f">= {SUSTAINED * args.rate:g}/s",
            f"{pr.rate:.1f}/s",
            f"{br.rate:.1f}/s",
            ratio(pr.rate, br.rate),
            pr.valid and pr.rate >= SUSTAINED * args.rate,
        )
    )
    rows.append(
        ("referrals p50", "(report)", ms(pr.p50_ms), ms(br.p50_ms), ratio(pr.p50_ms, br.p50_ms), None)
    )
    rows.append(
        (
            "referrals p99",
            f"< {REFERRAL_P99_MS:g} ms",
            ms(pr.p99_ms),
            ms(br.p99_ms),
            ratio(pr.p99_ms, br.p99_ms),
            pr.valid and pr.p99_ms is not None and pr.p99_ms < REFERRAL_P99_MS,
        )
    )
    for key, label in (("api", "GET /api/v1/cases?page=N p95"), ("page", "GET /cases?page=N p95")):
        r, base = p[key], b[key]
        rows.append(
            (
                f"{label} @ {args.list_rate:g}/s",
                f"< {LIST_P95_MS:g} ms",
                ms(r.p95_ms),
                ms(base.p95_ms),
                ratio(r.p95_ms, base.p95_ms),
                r.valid
                and r.rate >= SUSTAINED * args.list_rate
                and r.p95_ms is not None
                and r.p95_ms < LIST_P95_MS,
            )
        )
    rows.append(
        (
            "decision -> 3rd statutory email p95",
            f"< {DECISION_P95_S:g} s",
            s(pd.pct(95)),
            s(bd.pct(95)),
            ratio(pd.pct(95), bd.pct(95)),
            pd.valid and (pd.pct(95) or math.inf) < DECISION_P95_S,
        )
    )
    rows.append(
        (
            "decision -> 3rd statutory email p50",
            "(report)",
            s(pd.pct(50)),
            s(bd.pct(50)),
            ratio(pd.pct(50), bd.pct(50)),
            None,
        )
    )
    ans_p95 = lambda d: percentile(sorted(d.answer_ms), 95)  # noqa: E731
    rows.append(
        (
            "decision POST answered p95",
            "(report)",
            ms(ans_p95(pd)),
            ms(ans_p95(bd)),
            ratio(ans_p95(pd), ans_p95(bd)),
            None,
        )
    )
    caught = p.get("caught_up")
    rows.append(
        (
            "caught up after the referrals",
            "(report)",
            "not within the timeout" if caught is None else f"{caught:.1f} s",
            "-",
            "-",
            None,
        )
    )
    widths = [
        max(len(r[i]) for r in rows + [("measurement", "target", "result", "baseline", "ratio", None)])
        for i in range(5)
    ]
    head = ("measurement", "target", "result", "baseline", "ratio")
    print()
    print("  " + "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + "  met")
    for *cells, ok in rows:
        verdict = "" if ok is None else ("met" if ok else "NOT MET")
        print("  " + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + f"  {verdict}")
    print("  (ratio: product / baseline, measured the same way in this run; the baseline is a bare endpoint")
    print("   doing the same store insert, find-and-slice or three emails, and nothing else)")
    # What makes a row not valid, spelled out.
    for system in (product, bare):
        for key in ("api", "page", "referrals"):
            r: Result = system.results[key]
            if not r.valid:
                print(
                    f"  ! {system.name} {key}: statuses {dict(sorted(r.statuses.items()))}, errors {r.errors}"
                )
                for sample in r.samples:
                    print(f"      {sample.strip()}")
            elif (
                key == "referrals"
                and r.rate < SUSTAINED * args.rate
                or key != "referrals"
                and r.rate < SUSTAINED * args.list_rate
            ):
                print(
                    f"  ! {system.name} {key}: answered {r.rate:.1f}/s; slot p95/p99 "
                    f"{fmt(r.sched_p95_ms)}/{fmt(r.sched_p99_ms)} ms (waiting behind slow answers)"
                )
        d: Decisions = system.results["decisions"]
        if not d.valid:
            print(
                f"  ! {system.name} decisions: {d.answered} of {d.asked} answered 2xx, "
                f"{d.missing} without their three emails after {args.decision_timeout:g} s"
            )
            for sample in d.non_2xx[:3]:
                print(f"      {sample}")
    for note in notes:
        print(f"  {note}")
    return all(ok is not False for *_, ok in rows)


def details(systems: list[System], args: argparse.Namespace) -> None:
    print()
    print("Runs:")
    print(
        f"  {'run':<34}{'requests':>9}{'req/s':>8}{'2xx':>7}{'other':>7}{'errors':>7}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'slot p99':>10}"
    )
    for system in systems:
        for key, label in (
            ("api", f"API list @ {args.list_rate:g}/s"),
            ("page", f"/cases page @ {args.list_rate:g}/s"),
            ("referrals", f"referrals @ {args.rate:g}/s"),
        ):
            r: Result = system.results[key]
            print(
                f"  {system.name + ' ' + label:<34}{r.requests:>9}{r.rate:>8.1f}{r.ok:>7}{r.non_2xx:>7}"
                f"{r.error_count:>7}{fmt(r.p50_ms):>8}{fmt(r.p95_ms):>8}{fmt(r.p99_ms):>8}"
                f"{fmt(r.max_ms):>8}{fmt(r.sched_p99_ms):>10}"
            )
        d: Decisions = system.results["decisions"]
        secs = sorted(d.seconds)
        print(
            f"  {system.name + ' decisions':<34}{d.asked:>9}{'':>8}{d.answered:>7}{len(d.non_2xx):>7}"
            f"{d.missing:>7}  to the 3rd email: p50 {fmt(percentile(secs, 50), '.3f')} s, "
            f"p95 {fmt(d.pct(95), '.3f')} s, max {fmt(secs[-1] if secs else None, '.3f')} s"
        )
    print(
        "  (p50/p95/p99/max: from the actual send; 'slot p99': from the request's slot in the fixed-rate"
        " schedule, so it includes waiting behind a slow answer on the same connection)"
    )


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=5000, help="cases stored before measuring (5000)")
    p.add_argument("--rate", type=float, default=50.0, help="referrals/s (50)")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of referrals (30)")
    p.add_argument("--list-rate", type=float, default=50.0, help="list requests/s (50)")
    p.add_argument("--list-duration", type=float, default=15.0, help="seconds of each list (15)")
    p.add_argument("--connections", type=int, default=10, help="paced connections (10)")
    p.add_argument("--decisions", type=int, default=50, help="decisions (50)")
    p.add_argument("--decision-interval", type=float, default=1.0, help="seconds between decisions (1)")
    p.add_argument("--decision-timeout", type=float, default=60.0, help="wait for emails after the last (60)")
    p.add_argument(
        "--drain-timeout", type=float, default=600.0, help="wait to catch up after referrals (600)"
    )
    p.add_argument("--prepare-timeout", type=float, default=3600.0, help="wait to catch up while preparing")
    p.add_argument("--warmup", type=int, default=20, help="warm-up requests before each measurement (20)")
    p.add_argument("--store", help="start from a copy of a store kept with --keep-store (no preparation)")
    p.add_argument("--keep-store", help="keep the prepared store in this folder")
    p.add_argument("--prepare-only", action="store_true", help="prepare the store (--keep-store), no more")
    p.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.add_argument(
        "--profile", choices=["referrals", "api", "page", "decisions"], help="py-spy the product then"
    )
    p.add_argument("--profile-top", type=int, default=30)
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, stores)")
    args = p.parse_args(argv)
    if args.prepare_only and not args.keep_store:
        p.error("--prepare-only needs --keep-store")

    workdir = Path(tempfile.mkdtemp(prefix="bench-overload-"))
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    smtp_servers = SmtpServers()
    arrivals = Arrivals()
    smtp = smtp_servers.start(arrivals)
    load = load_generator(args.loadgen, workdir)
    print(f"Load generator: {load.name} ({load.version}); {describe_machine()}", flush=True)
    servers: list[Server] = []
    profile_out = io.StringIO()
    notes: list[str] = []
    try:
        prepared, info = prepare_store(args, workdir, base_env, smtp.port)
        if args.prepare_only:
            return 0
        stored = info["cases"]
        product_folder, bare_folder = workdir / "product-store", workdir / "bare-store"
        for target in (product_folder, bare_folder):
            shutil.copytree(prepared, target)
        token = "bench-" + secrets.token_urlsafe(24)
        product = product_server(
            workdir, product_env(base_env, product_folder, token, info["password"], smtp.port)
        )
        servers.append(product)
        print("Starting the product (python -m services) on a copy of the prepared store ...", flush=True)
        started = time.monotonic()
        product.start()
        notes.append(
            f"product start on {stored} stored cases: {time.monotonic() - started:.1f} s to /healthz 200"
        )
        base = product.url()
        # A store prepared on an earlier day has deadlines that fell due since: the product sends
        # their reminders when it starts. Measure once that is done, and say how long it took.
        before = metric_sums(base)
        print("  waiting until it has finished what it found to do on starting ...", flush=True)
        settled = wait_until_quiet(base, args.drain_timeout, lambda: _progress(base))
        if settled is None:
            raise BenchError(f"the product was still busy {args.drain_timeout:.0f} s after starting")
        after = metric_sums(base)
        notes.append(
            f"once it answered, the product published {after['published'] - before['published']:.0f} "
            f"more events (reminders fallen due since the store was prepared, say) and was done "
            f"{settled:.1f} s later; measured from then"
        )
        auth = {"Authorization": f"Bearer {token}"}
        cookie = sign_in(base, "business@demo.example.org", info["password"])
        listed = requests.get(
            f"{base}/api/v1/cases?status=awaiting_decision&per_page=200", headers=auth, timeout=60
        )
        if listed.status_code != 200:
            raise BenchError(
                f"cannot list the cases awaiting a decision: {listed.status_code} {listed.text[:300]}"
            )
        waiting = [(c["id"], c["reference"]) for c in listed.json()["items"]]
        total = listed.json()["total"]
        if len(waiting) < args.decisions:
            raise BenchError(f"only {len(waiting)} cases await a decision; {args.decisions} asked")
        # Spread over the list, so the decisions are not all on the newest cases.
        cases = waiting[:: max(1, len(waiting) // args.decisions)][: args.decisions]
        pages = max(1, math.ceil(stored / PER_PAGE))
        json_body = json.dumps(referral_body()).encode()
        api_headers = {**auth, "Accept": "application/json"}
        product_system = System(
            "product",
            product,
            api_list=Req("GET", tuple(f"/api/v1/cases?page={n}" for n in range(1, pages + 1)), api_headers),
            page_list=Req("GET", tuple(f"/cases?page={n}" for n in range(1, pages + 1)), {"Cookie": cookie}),
            referral=Req(
                "POST",
                ("/api/v1/referrals",),
                {**auth, "Content-Type": "application/json"},
                json_body,
                unique_header="Idempotency-Key",
            ),
            decision_path=lambda case_id: f"/api/v1/cases/{case_id}/decision",
            decision_body=lambda reference: decision_body(),
            headers=auth,
            quiet=lambda timeout: wait_until_quiet(base, timeout, lambda: _progress(base)),
        )
        notes.append(f"{total} cases awaiting a decision; {len(cases)} decided, spread over them")

        print("Measuring the product ...", flush=True)
        profiler = _profiler(product, args, profile_out) if args.profile else None
        measure(product_system, load, args, arrivals, cases, profiler)
        product.stop()

        # Then the baseline, on its own copy of the prepared store, with the product stopped.
        letter = arrivals.sizes.get("decision", 40_000)
        bare_env = {
            **base_env,
            "EMBEDDED_STORE_DIR": str(bare_folder),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp.port),
            "LOG_LEVEL": "WARNING",
        }
        bare = bare_server(workdir, bare_env, letter)
        servers.append(bare)
        bare.start()
        bare_system = System(
            "baseline",
            bare,
            api_list=Req("GET", tuple(f"/bare/api/cases?page={n}" for n in range(1, pages + 1)), api_headers),
            page_list=Req(
                "GET", tuple(f"/bare/cases?page={n}" for n in range(1, pages + 1)), {"Cookie": cookie}
            ),
            referral=Req(
                "POST", ("/bare/referrals",), {**auth, "Content-Type": "application/json"}, json_body
            ),
            decision_path=lambda case_id: "/bare/decision",
            decision_body=lambda reference: {"reference": reference},
            headers=auth,
        )
        print("Measuring the baseline ...", flush=True)
        measure(bare_system, load, args, arrivals, cases)
        bare.stop()
        notes.append(f"a decision email is {letter:,} bytes; the baseline's carry a letter of that size")
    finally:
        stop_all(servers)
        smtp_servers.stop_all()
        if args.keep:
            print(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    if "seconds" in info:
        notes.append(
            f"prepared store: {stored} referrals in {info['seconds']['referrals']} s, "
            f"all they set off done {info['seconds']['caught_up']} s later"
        )
    notes.append(f"machine: {describe_machine()} (after the run)")
    details([product_system, bare_system], args)
    met = report(product_system, bare_system, args, notes)
    if profile_out.getvalue():
        print(profile_out.getvalue(), end="")
    return 1 if args.check and not met else 0


def _profiler(
    product: Server, args: argparse.Namespace, out: io.StringIO
) -> Callable[[str, float], Callable[[int], None] | None]:
    """For ``measure``: start py-spy on the product when the chosen phase starts; print when it ends."""

    def start(phase: str, seconds: float) -> Callable[[int], None] | None:
        if phase != args.profile or product.proc is None:
            return None
        rate_hz = 200
        path = product.workdir / f"pyspy-{phase}.txt"
        spy = start_py_spy(product.proc.pid, path, rate_hz, seconds + 1, subprocesses=True)
        time.sleep(0.5)

        def done(count: int) -> None:
            spy.wait(seconds + 60)
            with contextlib.redirect_stdout(out):
                print()
                print(f"Profile of the product during {phase} (py-spy --gil at {rate_hz} Hz):")
                print_py_spy([(path, spy)], rate_hz, count, per_name=phase.rstrip("s"), top=args.profile_top)

        return done

    return start


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/overload.py: {exc}", file=sys.stderr)
        sys.exit(2)
