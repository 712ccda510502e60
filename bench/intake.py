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
import collections
import contextlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PATH = "/api/v1/referrals"

# Targets.
THROUGHPUT_RATIO_MIN = 0.40  # service / bare
P99_MAX_MS = 100.0


class BenchError(RuntimeError):
    pass


# -- the request ------------------------------------------------------------------------


def referral_body() -> dict:
    """A valid referral for the demo board (as tests/unit/referral/test_api.py's make_referral)."""
    from shared.framework import today_in_england as today

    t = today()
    return {
        "facts": {
            "child_died": True,
            "abuse_or_neglect": "suspected",
            "interagency_concern": "yes",
        },
        "incident_on": (t - timedelta(days=10)).isoformat(),
        "became_aware_on": (t - timedelta(days=9)).isoformat(),
        "board_notified_on": (t - timedelta(days=8)).isoformat(),
        "summary": "Infant found unresponsive; police and health were involved.",
        "agencies_involved": ["police", "health"],
        "referrer": {"name": "Priya", "agency": "police", "email": "priya@police.example.org"},
        "child": {
            "name": "Jane Doe",
            "date_of_birth": (t - timedelta(days=400)).isoformat(),
            "nhs_number": "943 476 5919",
        },
    }


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    launcher: str
    env: dict[str, str]
    workers: int
    workdir: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    ready_dir: Path | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def start(self, timeout: float = 90.0) -> None:
        self.port = free_port()
        self.ready_dir = Path(tempfile.mkdtemp(prefix=f"ready-{self.name}-", dir=self.workdir))
        self.log_path = self.workdir / f"{self.name}-{self.port}.log"
        env = {
            **self.env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "BENCH_READY_DIR": str(self.ready_dir),
            "BENCH_WORKERS": str(self.workers),
            "PYTHONPATH": str(ROOT),
        }
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", self.launcher],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < self.workers:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.name} server exited ({self.proc.returncode}):\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise BenchError(
                    f"{self.name} server: workers not ready after {timeout:.0f} s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        if self.ready_dir is None:
            return []
        return sorted(int(p.name) for p in self.ready_dir.iterdir())

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def terminate(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        """Stop the whole process group: gunicorn's master and its workers."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the group is the master's pid
        for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
            # The master is gone; make sure no worker of the group outlives it.
            time.sleep(0.2)
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
        self.proc = None


def stop_all(servers: list[Server]) -> None:
    for s in servers:  # signal all first, so they shut down in parallel
        s.terminate()
    for s in servers:
        s.stop()


# -- load generators ----------------------------------------------------------------------


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # non-2xx answers, a few
    p50_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    sched_p50_ms: float | None = None  # from the request's slot in the schedule
    sched_p99_ms: float | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def non_2xx(self) -> int:
        return sum(n for s, n in self.statuses.items() if not 200 <= s < 300)

    @property
    def created(self) -> int:
        return self.statuses.get(201, 0)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


_LUA_CLOCK = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end
"""

_LUA_COMMON = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth then wrk.headers["Authorization"] = auth end
local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()

local threads = {}
local nthreads = 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

statuses = {}
samples = {}
local function count(status, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status < 200 or status > 299) and #samples < 3 then
    table.insert(samples, status .. " " .. string.sub(body or "", 1, 300))
  end
end

local function report(summary, latency)
  local agg = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do agg[k] = (agg[k] or 0) + v end
    for _, b in ipairs(t:get("samples")) do
      io.write("BENCH sample ", (string.gsub(b, "\n", " ")), "\n")
    end
  end
  for k, v in pairs(agg) do io.write(string.format("BENCH status %d %d\n", k, v)) end
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  local e = summary.errors
  io.write(string.format("BENCH errors connect=%d read=%d write=%d timeout=%d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("BENCH latency_us p50=%d p99=%d max=%d\n",
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""

LUA_THROUGHPUT = (
    _LUA_COMMON
    + r"""
function response(status, headers, body) count(status, body) end
function done(summary, latency, requests) report(summary, latency) end
"""
)

# One connection per wrk thread; each thread paces its requests on a fixed schedule
# (rate/threads per second, phases spread), so wrk's delay() is "time until my next
# slot". wrk's own latency is measured from the actual send; the schedule latency
# (from the slot) adds any wait behind a slow previous answer on that connection.
LUA_RATE = (
    _LUA_CLOCK
    + _LUA_COMMON
    + r"""
local interval_us = tonumber(os.getenv("BENCH_INTERVAL_US"))
local next_slot = nil
local current_slot = nil
sched = {}

function init(args)
  next_slot = now_us() + interval_us * (tid / tonumber(os.getenv("BENCH_THREADS")))
end

function delay()
  local now = now_us()
  current_slot = next_slot
  next_slot = next_slot + interval_us
  local wait = (current_slot - now) / 1000
  if wait < 0 then return 0 end
  return math.floor(wait)
end

function response(status, headers, body)
  count(status, body)
  if current_slot then table.insert(sched, now_us() - current_slot) end
end

function done(summary, latency, requests)
  report(summary, latency)
  local all = {}
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("sched")) do table.insert(all, v) end
  end
  table.sort(all)
  if #all > 0 then
    local function pct(p) return all[math.max(1, math.ceil(#all * p / 100))] end
    io.write(string.format("BENCH sched_us p50=%d p99=%d\n", pct(50), pct(99)))
  end
end
"""
)


def parse_wrk(out: str) -> Result:
    r = Result()
    for line in out.splitlines():
        if not line.startswith("BENCH "):
            continue
        kind, _, rest = line[6:].partition(" ")
        if kind == "status":
            s, n = rest.split()
            r.statuses[int(s)] = r.statuses.get(int(s), 0) + int(n)
        elif kind == "requests":
            r.requests = int(rest)
        elif kind == "duration_us":
            r.seconds = int(rest) / 1e6
        elif kind == "errors":
            r.errors = {k: int(v) for k, v in (kv.split("=") for kv in rest.split()) if int(v)}
        elif kind == "latency_us":
            d = {k: int(v) for k, v in (kv.split("=") for kv in rest.split())}
            r.p50_ms, r.p99_ms, r.max_ms = d["p50"] / 1e3, d["p99"] / 1e3, d["max"] / 1e3
        elif kind == "sched_us":
            d = {k: int(v) for k, v in (kv.split("=") for kv in rest.split())}
            r.sched_p50_ms, r.sched_p99_ms = d["p50"] / 1e3, d["p99"] / 1e3
        elif kind == "sample":
            r.samples.append(rest)
    if not r.seconds:
        raise BenchError(f"could not read wrk's output:\n{out}")
    return r


class Wrk:
    name = "wrk"

    def __init__(self, workdir: Path, body: dict, token: str | None):
        self.exe = shutil.which("wrk")
        self.workdir = workdir
        self.body_path = workdir / "body.json"
        self.body_path.write_text(json.dumps(body))
        (workdir / "throughput.lua").write_text(LUA_THROUGHPUT)
        (workdir / "rate.lua").write_text(LUA_RATE)
        self.token = token

    @property
    def version(self) -> str:
        out = subprocess.run([self.exe, "-v"], capture_output=True, text=True)
        return (out.stdout + out.stderr).splitlines()[0].strip()

    def _run(
        self,
        script: str,
        url: str,
        threads: int,
        conns: int,
        duration: float,
        extra_env: dict[str, str],
    ) -> Result:
        env = {**os.environ, "BENCH_BODY": str(self.body_path), **extra_env}
        if self.token:
            env["BENCH_AUTH"] = f"Bearer {self.token}"
        cmd = [
            self.exe,
            "-t",
            str(threads),
            "-c",
            str(conns),
            "-d",
            f"{duration:g}s",
            "--timeout",
            "10s",
            "-s",
            str(self.workdir / script),
            url,
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=duration + 60)
        if out.returncode != 0:
            raise BenchError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
        return parse_wrk(out.stdout)

    def throughput(self, url: str, conns: int, duration: float) -> Result:
        return self._run("throughput.lua", url, 1, conns, duration, {})

    def fixed_rate(self, url: str, rate: float, conns: int, duration: float) -> Result:
        interval_us = conns / rate * 1e6
        return self._run(
            "rate.lua",
            url,
            conns,
            conns,
            duration,
            {"BENCH_INTERVAL_US": str(interval_us), "BENCH_THREADS": str(conns)},
        )


def _pct(sorted_ms: list[float], p: float) -> float | None:
    if not sorted_ms:
        return None
    k = max(0, min(len(sorted_ms) - 1, int(len(sorted_ms) * p / 100 + 0.999999) - 1))
    return sorted_ms[k]


class PythonLoad:
    """Threads, each with a keep-alive requests.Session (one connection)."""

    name = "python (threads + requests.Session)"
    version = f"requests {requests.__version__}"

    def __init__(self, workdir: Path, body: dict, token: str | None):
        self.data = json.dumps(body).encode()
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _run(self, url: str, conns: int, duration: float, interval: float | None) -> Result:
        lock = threading.Lock()
        result = Result()
        lat: list[float] = []
        sched: list[float] = []
        start = time.monotonic() + 0.2
        end = start + duration

        def worker(i: int) -> None:
            s = requests.Session()
            slot = start + (interval * i / conns if interval else 0.0)
            mine, mine_sched = [], []
            statuses: collections.Counter = collections.Counter()
            errors: collections.Counter = collections.Counter()
            samples: list[str] = []
            while True:
                now = time.monotonic()
                if interval:
                    if slot >= end:
                        break
                    if slot > now:
                        time.sleep(slot - now)
                else:
                    if now >= end:
                        break
                    slot = max(now, start)
                    if slot > now:
                        time.sleep(slot - now)
                t0 = time.monotonic()
                try:
                    r = s.post(url, data=self.data, headers=self.headers, timeout=10)
                except requests.RequestException as exc:
                    errors[type(exc).__name__] += 1
                    continue
                finally:
                    if interval:
                        slot += interval
                t1 = time.monotonic()
                statuses[r.status_code] += 1
                if not 200 <= r.status_code < 300 and len(samples) < 3:
                    samples.append(f"{r.status_code} {r.text[:300].strip()}")
                mine.append((t1 - t0) * 1e3)
                if interval:
                    mine_sched.append((t1 - (slot - interval)) * 1e3)
            with lock:
                lat.extend(mine)
                sched.extend(mine_sched)
                for k, v in statuses.items():
                    result.statuses[k] = result.statuses.get(k, 0) + v
                for k, v in errors.items():
                    result.errors[k] = result.errors.get(k, 0) + v
                result.samples.extend(samples[: max(0, 3 - len(result.samples))])

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(conns)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Until the last answer: a server that falls behind the schedule shows a lower rate.
        result.seconds = max(time.monotonic(), end) - start
        result.requests = sum(result.statuses.values())
        lat.sort()
        sched.sort()
        result.p50_ms, result.p99_ms = _pct(lat, 50), _pct(lat, 99)
        result.max_ms = lat[-1] if lat else None
        if interval:
            result.sched_p50_ms, result.sched_p99_ms = _pct(sched, 50), _pct(sched, 99)
        return result

    def throughput(self, url: str, conns: int, duration: float) -> Result:
        return self._run(url, conns, duration, None)

    def fixed_rate(self, url: str, rate: float, conns: int, duration: float) -> Result:
        return self._run(url, conns, duration, conns / rate)


# -- warm-up --------------------------------------------------------------------------


def warm_up(url: str, body: dict, token: str | None, n: int, conns: int = 8) -> Result:
    """``n`` requests over ``conns`` connections.

    A 4xx answer means the request itself is wrong (body, token, board): stop.
    5xx answers are counted and reported with the runs (they are the server's fault).
    """
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    result = Result()
    lock = threading.Lock()
    per = [n // conns + (1 if i < n % conns else 0) for i in range(conns)]

    def worker(k: int) -> None:
        s = requests.Session()
        for _ in range(k):
            r = s.post(url, data=data, headers=headers, timeout=30)
            with lock:
                result.statuses[r.status_code] = result.statuses.get(r.status_code, 0) + 1
                if not 200 <= r.status_code < 300 and len(result.samples) < 3:
                    result.samples.append(f"{r.status_code} {r.text[:300].strip()}")
            if 400 <= r.status_code < 500:
                return

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in per]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - t0
    result.requests = sum(result.statuses.values())
    bad = {s: c for s, c in result.statuses.items() if 400 <= s < 500}
    if bad:
        raise BenchError(f"warm-up against {url} got 4xx answers {bad}: {result.samples[0]}")
    return result


# -- profile ----------------------------------------------------------------------------


def profile_service(server: Server, load, args, body: dict, token: str, workdir: Path) -> None:
    """py-spy (--gil) on both workers during one throughput run; µs of GIL time per request."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy not found; no profile")
        return
    server.start()
    try:
        warm_up(server.url, body, token, args.warmup)
        time.sleep(3.0)  # let the outbox relays publish the warm-up's events first
        rate_hz = 250
        spies = []
        for pid in server.worker_pids():
            out = workdir / f"pyspy-{pid}.txt"
            spies.append(
                (
                    out,
                    subprocess.Popen(
                        [
                            spy,
                            "record",
                            "--pid",
                            str(pid),
                            "--gil",
                            "--rate",
                            str(rate_hz),
                            "--format",
                            "raw",
                            "--duration",
                            str(int(args.duration) + 2),
                            "--nonblocking",
                            "-o",
                            str(out),
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE,
                    ),
                )
            )
        time.sleep(1.0)  # let py-spy attach
        result = load.throughput(server.url, args.connections, args.duration)
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
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    by_role: collections.Counter = collections.Counter()
    by_product: collections.Counter = collections.Counter()
    total = 0
    for out, p in spies:
        if not out.exists():
            print(f"  py-spy wrote nothing for {out.name}: {p.stderr.read().decode()[-500:]}")
            continue
        for line in out.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            total += n
            frames = [_frame_name(f) for f in stack.split(";")]
            frames = [f for f in frames if f]
            for f in set(frames):
                inclusive[f] += n
            if frames:
                own[frames[-1]] += n
            role = _role(frames)
            by_role[role] += n
            product = [f for f in frames if _is_product(f)]
            by_product[
                (
                    role,
                    product[-1] if product else f"(no product frame) {frames[-1] if frames else '?'}",
                )
            ] += n
    reqs = max(1, result.requests)
    per_req = lambda n: n / rate_hz / reqs * 1e6  # noqa: E731
    seconds = (args.duration + 2) * len(spies)
    print(
        f"  GIL-holding samples: {total} "
        f"({total / rate_hz:.1f} s of {seconds:.0f} worker-seconds sampled); "
        f"{per_req(total):.0f} µs per request in all"
    )
    print("  by thread, µs per request:")
    for role, n in by_role.most_common():
        print(f"    {per_req(n):8.0f}  {role}")
    print(
        "  by innermost product function (services/, shared/; with the library code it calls), "
        "µs per request:"
    )
    for (role, f), n in by_product.most_common(args.profile_top):
        print(f"    {per_req(n):8.0f}  [{role}] {f}")
    print("  inclusive (a function and what it calls), µs per request:")
    for f, n in inclusive.most_common(args.profile_top):
        print(f"    {per_req(n):8.0f}  {f}")
    print("  self (time in the function's own code), µs per request:")
    for f, n in own.most_common(args.profile_top):
        print(f"    {per_req(n):8.0f}  {f}")


def _is_product(frame: str) -> bool:
    return "(services/" in frame or "(shared/" in frame


def _role(frames: list[str]) -> str:
    text = ";".join(frames)
    if "OutboxRelay." in text:
        return "outbox relay"
    if "ThreadWorker.handle" in text:
        return "request"
    if "(shared/bus/" in text:
        return "bus consumer"
    if "(gunicorn/" in text:
        return "gunicorn main loop"
    return "other"


def _frame_name(frame: str) -> str:
    # py-spy raw frames look like "function (path/to/file.py:123)"; drop the line number.
    frame = frame.strip()
    if frame.startswith("process ") or frame.startswith("thread "):
        return ""
    m = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not m:
        return frame
    fn, path = m.groups()
    for marker in ("site-packages/", "/work/main/", str(ROOT) + "/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{fn} ({path})"


# -- main ---------------------------------------------------------------------------------


def fmt(v: float | None, spec: str = ".1f") -> str:
    return "-" if v is None else format(v, spec)


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

    if args.loadgen == "wrk" and not shutil.which("wrk"):
        raise BenchError("wrk is not installed (apt-get install -y wrk)")
    use_wrk = args.loadgen == "wrk" or (args.loadgen == "auto" and shutil.which("wrk"))

    token = "bench-" + secrets.token_urlsafe(24)
    password = secrets.token_urlsafe(12)
    mongodb_uri = os.environ.get("MONGODB_URI", "")
    body = referral_body()
    print("Building one case in-process (checks the body is accepted) ...", flush=True)
    template, case_size = case_template(body, token, password)

    workdir = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    (workdir / "template.json").write_text(template)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    common = {"LOG_LEVEL": "WARNING", "BUS_URL": "memory://", "WEB_CONCURRENCY": str(args.workers)}
    service = Server(
        "service",
        SERVICE_LAUNCHER,
        {
            **base_env,
            **common,
            "APP_ENV": "development",
            "SEED_ADMIN_TOKEN": token,
            "DEMO_PASSWORD": password,
        },
        args.workers,
        workdir,
    )
    bare = Server(
        "bare",
        BARE_LAUNCHER,
        {
            **base_env,
            **common,
            "APP_ENV": "development",
            "BENCH_TEMPLATE": str(workdir / "template.json"),
        },
        args.workers,
        workdir,
    )
    load = (Wrk if use_wrk else PythonLoad)(workdir, body, token)
    # The bare server ignores the Authorization header; both get the same request.

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
                        results[(phase + " warm-up", s.name, rnd)] = warm_up(s.url, body, token, args.warmup)
                    except BenchError as exc:
                        raise BenchError(f"{exc}\n{s.name} server log (tail):\n{s.log_tail()}") from None
                for s in order:
                    print(f"  round {rnd}, {phase}: {s.name} ...", flush=True)
                    if phase == "throughput":
                        r = load.throughput(s.url, args.connections, args.duration)
                    else:
                        r = load.fixed_rate(s.url, args.rate, args.rate_connections, args.duration)
                    results[(phase, s.name, rnd)] = r
                for s in servers:
                    if s.proc is not None and s.proc.poll() is not None:
                        raise BenchError(f"{s.name} server died:\n{s.log_tail()}")
                stop_all(servers)
        if args.profile:
            # Printed after the table.
            with contextlib.redirect_stdout(profile_out):
                profile_service(service, load, args, body, token, workdir)
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
