"""Benchmark: ``POST /api/v1/referrals`` on gunicorn against a bare Flask insert.

Two servers are started the same way (``shared.serve.GunicornApp`` with
``shared.serve.gunicorn_options``: gthread, 2 workers, ``WEB_THREADS`` threads
each, on loopback), each in its own process group:

1. the referral service (``services.referral.bootstrap``), as ``python -m
   services.referral all`` runs it: APP_ENV=development with the demo board
   (SEED_ADMIN_TOKEN, DEMO_PASSWORD), LOG_LEVEL=WARNING, BUS_URL=memory:// (the
   outbox relay and the bus consumers run inside each worker);
2. a bare Flask app whose ``POST /api/v1/referrals`` parses the JSON body and
   saves one mongoengine document of the same size and shape as the service's
   case document (a real one, built in-process first), in a collection with
   the same indexes as the cases collection, on the same store (mongomock
   unless MONGODB_URI is set) - and nothing else: no auth, no validation, no
   audit entry, no outbox.

Without MONGODB_URI each gunicorn worker has its own in-memory mongomock store
(and its own demo board, seeded at start); that is fine for throughput.

Measured, against each server, with a load generator on loopback (``wrk`` if
installed, else threads with ``requests.Session``; ``--loadgen``):

a. maximum throughput: ``--connections`` (8) keep-alive connections for
   ``--duration`` (10 s); target service/bare >= 40 %;
b. latency at a fixed rate: ``--rate`` (100) requests/s for ``--duration``
   from ``--rate-connections`` (10) paced connections; p50 and p99; target
   service p99 < 100 ms.

Every answer's status is counted; a run with any non-2xx answer is invalid and
fails. Both servers are restarted before each measurement (a and b), so each
starts from the seeded store, and get the same warm-up. Exit 0 (a report)
unless ``--check`` is given and a target is missed.

``--profile`` adds one more throughput run against the service with py-spy
(``--gil``: only samples holding the GIL) on both workers, and prints where
the CPU goes in microseconds per request.

    PYTHONPATH=. .venv/bin/python bench/intake.py [--duration 10] [--connections 8]
        [--rate 100] [--loadgen auto|wrk|python] [--check] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, the repository is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    BenchError,
    Req,
    Result,
    Server,
    fmt,
    load_generator,
    print_py_spy,
    py_spy,
    referral_body,
    start_py_spy,
    stop_all,
    warm_up,
    workers_ready,
)

PATH = "/api/v1/referrals"

# Targets.
THROUGHPUT_RATIO_MIN = 0.40  # service / bare
P99_MAX_MS = 100.0


# -- the request ------------------------------------------------------------------------


def case_template(body: dict, token: str, password: str) -> tuple[str, int]:
    """Submit the body once in-process; return the stored case (extended JSON) and its BSON size.

    This also proves, before any server starts, that the body is accepted (201).
    """
    import bson
    from bson import json_util

    from services.referral.adapters.store import Case
    from services.referral.bootstrap import bootstrap
    from shared.config import load_settings

    settings = load_settings(
        {},
        APP_ENV="development",
        LOG_LEVEL="WARNING",
        BUS_URL="memory://",
        SEED_ADMIN_TOKEN=token,
        DEMO_PASSWORD=password,
        MONGODB_URI=os.environ.get("MONGODB_URI", ""),
        EMBEDDED_STORE_DIR="",  # without MONGODB_URI: mongomock in memory, never the clone's ./var
    )
    service = bootstrap(settings)
    resp = service.app.test_client().post(PATH, json=body, headers={"Authorization": f"Bearer {token}"})
    if resp.status_code != 201:
        raise BenchError(
            f"the referral body is refused in-process: {resp.status_code} {resp.get_data(True)[:500]}"
        )
    raw = Case._get_collection().find_one({"_id": resp.get_json()["id"]})
    if settings.MONGODB_URI:
        Case._get_collection().delete_one({"_id": raw["_id"]})
    return json_util.dumps(raw), len(bson.encode(raw))


# -- servers ----------------------------------------------------------------------------

# Shared by both launchers: gunicorn as shared.serve.main runs it, with a marker
# file per worker once its app is built (so we know both workers are serving).
_LAUNCH_COMMON = r"""
import os, sys
from shared.config import load_settings
from shared.logging import configure
from shared.serve import GunicornApp, gunicorn_options, _running

settings = load_settings()
configure(settings.LOG_LEVEL)
READY = os.environ["BENCH_READY_DIR"]

def options():
    opts = gunicorn_options(settings, workers=int(os.environ["BENCH_WORKERS"]))
    first = opts["post_worker_init"]
    def ready(worker):
        first(worker)
        open(os.path.join(READY, str(worker.pid)), "w").close()
    opts["post_worker_init"] = ready
    return opts
"""

SERVICE_LAUNCHER = (
    _LAUNCH_COMMON
    + r"""
from services.referral.bootstrap import bootstrap

def build():
    service = bootstrap(settings)
    service.start()          # outbox relay and bus consumers, in this worker
    _running.append(service)  # stopped by gunicorn_options' worker_exit
    return service.app

GunicornApp(build, options()).run()
"""
)

BARE_LAUNCHER = (
    _LAUNCH_COMMON
    + r"""
import uuid, itertools, threading
from bson import json_util
from flask import Flask, jsonify, request
from mongoengine import DictField, Document, StringField
from shared import store

with open(os.environ["BENCH_TEMPLATE"]) as f:
    TEMPLATE = json_util.loads(f.read())
CONTENT = {k: v for k, v in TEMPLATE.items() if k not in ("_id", "board_id", "reference")}

class BareCase(Document):
    # The same indexes as the cases collection (mongomock checks the unique one on insert).
    meta = {"collection": "bare_cases", "indexes": [
        {"fields": ["board_id", "reference"], "unique": True},
        ("board_id", "status"),
        ("board_id", "referring_agency"),
    ]}
    case_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    board_id = StringField(required=True)
    reference = StringField(required=True)
    status = StringField()
    referring_agency = StringField()
    content = DictField()

def build():
    store.connect(settings)
    BareCase.ensure_indexes()
    counter = itertools.count(1)
    lock = threading.Lock()
    prefix = f"DEMO-{os.getpid()}-"
    app = Flask("bare")

    @app.post("/api/v1/referrals")
    def referrals():
        body = request.get_json()
        with lock:
            n = next(counter)
        content = dict(CONTENT, facts=body["facts"], summary=body["summary"])
        doc = BareCase(board_id="demo", reference=f"{prefix}{n:06d}", status="awaiting_decision",
                       referring_agency=body["referrer"]["agency"], content=content)
        doc.save(force_insert=True)
        return jsonify({"id": doc.case_id, "reference": doc.reference}), 201

    return app

GunicornApp(build, options()).run()
"""
)


# -- profile ----------------------------------------------------------------------------


def profile_service(server: Server, load, args, req: Req) -> None:
    """py-spy (--gil) on both workers during one throughput run; µs of GIL time per request."""
    if py_spy() is None:
        print("py-spy not found; no profile")
        return
    server.start()
    try:
        warm_up(server.url(), req, args.warmup)
        time.sleep(3.0)  # let the outbox relays publish the warm-up's events first
        rate_hz = 250
        spies = []
        for pid in server.worker_pids():
            out = server.workdir / f"pyspy-{pid}.txt"
            spies.append((out, start_py_spy(pid, out, rate_hz, args.duration + 2)))
        time.sleep(1.0)  # let py-spy attach
        result = load.throughput(server.url(), req, args.connections, args.duration)
        for _, p in spies:
            p.wait(60)
    finally:
        server.stop()
    print()
    print(
        f"Profile: py-spy --gil at {rate_hz} Hz on {len(spies)} workers "
        f"during a {args.duration:g} s "
        f"throughput run: {result.rate:.0f} req/s, "
        f"{result.created} created, {result.non_2xx} non-2xx"
    )
    print_py_spy(spies, rate_hz, result.requests, top=args.profile_top)


# -- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--duration", type=float, default=10.0, help="seconds per measurement (10)")
    p.add_argument("--connections", type=int, default=8, help="connections for the throughput run (8)")
    p.add_argument("--rate", type=float, default=100.0, help="requests/s for the latency run (100)")
    p.add_argument(
        "--rate-connections",
        type=int,
        default=10,
        help="paced connections for the latency run (10)",
    )
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (2)")
    p.add_argument("--rounds", type=int, default=1, help="repeat, alternating the order; keep the best (1)")
    p.add_argument("--warmup", type=int, default=200, help="warm-up requests per server start (200)")
    p.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--profile", action="store_true", help="also profile the service's workers with py-spy")
    p.add_argument("--profile-top", type=int, default=30)
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, scripts)")
    args = p.parse_args(argv)

    token = "bench-" + secrets.token_urlsafe(24)
    password = secrets.token_urlsafe(12)
    mongodb_uri = os.environ.get("MONGODB_URI", "")
    body = referral_body()
    print("Building one case in-process (checks the body is accepted) ...", flush=True)
    template, case_size = case_template(body, token, password)

    workdir = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    (workdir / "template.json").write_text(template)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    common = {
        "LOG_LEVEL": "WARNING",
        "BUS_URL": "memory://",
        "WEB_CONCURRENCY": str(args.workers),
        "EMBEDDED_STORE_DIR": "",  # without MONGODB_URI: each worker's own mongomock, not ./var
    }
    common["BENCH_WORKERS"] = str(args.workers)
    service = Server(
        "service",
        [sys.executable, "-c", SERVICE_LAUNCHER],
        {
            **base_env,
            **common,
            "APP_ENV": "development",
            "SEED_ADMIN_TOKEN": token,
            "DEMO_PASSWORD": password,
        },
        workdir,
        ready=workers_ready(args.workers),
    )
    bare = Server(
        "bare",
        [sys.executable, "-c", BARE_LAUNCHER],
        {
            **base_env,
            **common,
            "APP_ENV": "development",
            "BENCH_TEMPLATE": str(workdir / "template.json"),
        },
        workdir,
        ready=workers_ready(args.workers),
    )
    load = load_generator(args.loadgen, workdir)
    # The bare server ignores the Authorization header; both get the same request.
    req = Req(
        "POST",
        (PATH,),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        json.dumps(body).encode(),
    )

    from shared.config import load_settings

    threads = load_settings({**base_env, **common}).WEB_THREADS
    print(f"Load generator: {load.name} ({load.version})")
    print(
        f"Servers: gunicorn gthread, {args.workers} workers x {threads} threads, on 127.0.0.1; "
        f"{os.cpu_count()} CPUs shared with the load generator"
    )
    if mongodb_uri:
        print("Store: MONGODB_URI is set: both servers' workers share that MongoDB")
    else:
        print(
            f"Store: mongomock (MONGODB_URI unset): each of the {args.workers} "
            f"workers of each server has "
            "its own in-memory store and its own demo board; fine for a throughput benchmark"
        )
    print(
        f"Document: a case is {case_size} bytes of BSON; "
        f"the bare endpoint saves one of the same shape "
        "(+ its own ids) into a collection with the cases collection's indexes"
    )
    print(
        f"Each measurement restarts both servers and "
        f"warms each with {args.warmup} requests (whose answers are counted too)."
    )

    results: dict[tuple[str, str, int], Result] = {}
    servers = [bare, service]
    load_before = os.getloadavg()
    profile_out = io.StringIO()
    try:
        for rnd in range(1, args.rounds + 1):
            # Alternate the order between rounds, so drift on the machine favours neither.
            order = servers if rnd % 2 else servers[::-1]
            for phase in ("throughput", "latency"):
                for s in servers:
                    s.start()
                for s in order:
                    try:
                        results[(phase + " warm-up", s.name, rnd)] = warm_up(s.url(), req, args.warmup)
                    except BenchError as exc:
                        raise BenchError(f"{exc}\n{s.name} server log (tail):\n{s.log_tail()}") from None
                for s in order:
                    print(f"  round {rnd}, {phase}: {s.name} ...", flush=True)
                    if phase == "throughput":
                        r = load.throughput(s.url(), req, args.connections, args.duration)
                    else:
                        r = load.fixed_rate(s.url(), req, args.rate, args.rate_connections, args.duration)
                    results[(phase, s.name, rnd)] = r
                for s in servers:
                    if s.proc is not None and s.proc.poll() is not None:
                        raise BenchError(f"{s.name} server died:\n{s.log_tail()}")
                stop_all(servers)
        if args.profile:
            # Printed after the table.
            with contextlib.redirect_stdout(profile_out):
                profile_service(service, load, args, req)
    finally:
        stop_all(servers)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work directory kept: {workdir}")

    # -- report -------------------------------------------------------------------
    print()
    print(f"Runs ({args.duration:g} s each):")
    rows_out = []
    invalid = []
    for (phase, name, rnd), r in sorted(
        results.items(), key=lambda kv: (kv[0][2], "latency" in kv[0][0], "warm-up" not in kv[0][0])
    ):
        if args.rounds > 1:
            name = f"{name} (round {rnd})"
        label = {
            "throughput": f"{name} max throughput, {args.connections} conns",
            "latency": f"{name} @ {args.rate:g}/s, {args.rate_connections} conns",
        }.get(phase, f"{name} {phase}, 8 conns")
        rows_out.append((label, r))
        if r.non_2xx or r.error_count or r.created == 0:
            invalid.append((phase, name, r))
    w = max(len(label) for label, _ in rows_out) + 2
    print(
        f"  {'run':<{w}}{'requests':>9}{'req/s':>8}{'201':>7}{'non-2xx':>8}{'errors':>7}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'slot p99':>10}"
    )
    for label, r in rows_out:
        print(
            f"  {label:<{w}}{r.requests:>9}{r.rate:>8.1f}{r.created:>7}"
            f"{r.non_2xx:>8}{r.error_count:>7}"
            f"{fmt(r.p50_ms):>8}{fmt(r.p99_ms):>8}{fmt(r.max_ms):>8}{fmt(r.sched_p99_ms):>10}"
        )
    for phase, name, r in invalid:
        print(f"  ! {phase}/{name}: statuses {dict(sorted(r.statuses.items()))}, errors {r.errors}")
        for sample in r.samples:
            print(f"      {sample.strip()}")
    print(
        "  (p50/p99/max: from the actual send; "
        "'slot p99': from the request's slot in the fixed-rate "
        "schedule, so it includes waiting behind a slow answer on the same connection)"
    )

    def best(phase: str, name: str) -> Result:
        rs = [r for (ph, n, _), r in results.items() if (ph, n) == (phase, name)]
        if phase == "throughput":
            return max(rs, key=lambda r: r.rate)
        return min(rs, key=lambda r: (r.p99_ms is None, r.p99_ms or 0.0))

    tb, ts = best("throughput", "bare"), best("throughput", "service")
    lat = best("latency", "service")
    load_after = os.getloadavg()
    print(
        f"  load average (1 min), {os.cpu_count()} CPUs: {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (other processes compete with both servers and wrk)"
    )
    if args.rounds > 1:
        print(f"  targets use the best of {args.rounds} rounds (highest req/s, lowest p99)")
    ratio = ts.rate / tb.rate if tb.rate else 0.0
    valid = not invalid
    rows = [
        (
            "throughput service/bare",
            f"{ts.rate:.0f} / {tb.rate:.0f} req/s = {ratio:.1%}",
            f">= {THROUGHPUT_RATIO_MIN:.0%}",
            valid and ratio >= THROUGHPUT_RATIO_MIN,
        ),
        (
            f"service p50 @ {args.rate:g}/s",
            f"{fmt(lat.p50_ms)} ms (achieved {lat.rate:.1f}/s)",
            "(report)",
            None,
        ),
        (
            f"service p99 @ {args.rate:g}/s",
            f"{fmt(lat.p99_ms)} ms (slot p99 {fmt(lat.sched_p99_ms)} ms)",
            f"< {P99_MAX_MS:g} ms",
            valid and lat.p99_ms is not None and lat.p99_ms < P99_MAX_MS,
        ),
        (
            "answers",
            "all 201" if valid else f"{len(invalid)} run(s) with non-2xx/errors",
            "all 2xx",
            valid,
        ),
    ]
    print()
    print(f"  {'target':<26}{'measured':<44}{'target':<12}result")
    for name, measured, target, ok in rows:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"  {name:<26}{measured:<44}{target:<12}{verdict}")
    if lat.rate < 0.95 * args.rate:
        print(
            f"  note: the service answered {lat.rate:.1f} of the {args.rate:g} "
            f"requests/s asked for: it cannot "
            "sustain that rate, so each paced connection waited for slow answers (see 'slot p99')"
        )
    if not valid:
        print("  note: runs with non-2xx answers or socket errors do not count: see the '!' lines above")
    if profile_out.getvalue():
        print(profile_out.getvalue(), end="")
    missed = any(ok is False for *_, ok in rows)
    if args.check and missed:
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/intake.py: {exc}", file=sys.stderr)
        sys.exit(2)
