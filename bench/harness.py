"""What the HTTP benchmarks share: servers and load generators.

- :class:`Server`: a command started in its own process group on a free loopback
  port, ready when its ``ready`` check says so, stopped with its whole group.
- :class:`Req`: one kind of request: a method, the paths it goes through in turn
  (a list page after page, say), its headers and body.
- :class:`Wrk` and :class:`PythonLoad`: the same two measurements with ``wrk``
  (Lua scripts written here) or with Python threads holding keep-alive
  ``requests.Session`` connections: as fast as it goes over some connections
  (``throughput``), or a fixed number of requests a second from paced
  connections (``fixed_rate``). Either gives a :class:`Result`: every status
  counted, socket errors, latency percentiles from the actual send and, at a
  fixed rate, from the request's slot in the schedule (which adds any wait
  behind a slow answer on the same connection).
- :func:`warm_up`, py-spy helpers (:func:`start_py_spy`, :func:`print_py_spy`),
  :func:`fmt`.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


class BenchError(RuntimeError):
    pass


def fmt(v: float | None, spec: str = ".1f") -> str:
    return "-" if v is None else format(v, spec)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- servers ----------------------------------------------------------------------------


@dataclass
class Server:
    """A server command run in its own process group (PORT and HOST set), stopped with the group.

    ``ready(server)`` says when it serves; :func:`workers_ready` (gunicorn workers that
    wrote their marker into ``BENCH_READY_DIR``) or :func:`answers` (a path answers 200).
    """

    name: str
    argv: list[str]
    env: dict[str, str]
    workdir: Path
    ready: Callable[[Server], bool]
    port: int = 0
    proc: subprocess.Popen | None = None
    ready_dir: Path | None = None
    log_path: Path | None = None

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, timeout: float = 120.0) -> None:
        self.port = free_port()
        self.ready_dir = Path(tempfile.mkdtemp(prefix=f"ready-{self.name}-", dir=self.workdir))
        self.log_path = self.workdir / f"{self.name}-{self.port}.log"
        env = {
            **self.env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "BENCH_READY_DIR": str(self.ready_dir),
            "PYTHONPATH": str(ROOT),
        }
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not self.ready(self):
            if self.proc.poll() is not None:
                raise BenchError(f"{self.name} server exited ({self.proc.returncode}):\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise BenchError(f"{self.name} server: not ready after {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def worker_pids(self) -> list[int]:
        """The gunicorn workers that wrote their marker (see :func:`workers_ready`)."""
        if self.ready_dir is None:
            return []
        return sorted(int(p.name) for p in self.ready_dir.iterdir())

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:] if self.log_path else ""
        except OSError:
            return ""

    def terminate(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the whole process group: gunicorn's master and its workers."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the group is the first process's pid
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
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


def workers_ready(n: int) -> Callable[[Server], bool]:
    """Ready once ``n`` gunicorn workers have written their marker file."""
    return lambda server: len(server.worker_pids()) >= n


def answers(path: str) -> Callable[[Server], bool]:
    """Ready once ``path`` answers 200."""

    def check(server: Server) -> bool:
        try:
            return requests.get(server.url(path), timeout=2).status_code == 200
        except requests.RequestException:
            return False

    return check


def stop_all(servers: Sequence[Server]) -> None:
    for s in servers:  # signal all first, so they shut down in parallel
        s.terminate()
    for s in servers:
        s.stop()


# -- what is sent -----------------------------------------------------------------------


@dataclass(frozen=True)
class Req:
    """One kind of request; successive requests go through ``paths`` in turn.

    ``unique_header``: a header given a value of its own on every request (an Idempotency-Key).
    """

    method: str
    paths: tuple[str, ...]
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    unique_header: str | None = None


def referral_body() -> dict:
    """A valid referral for the demo board: the unit tests' (tests/unit/referral/test_api.py), so the
    benchmarks send what the API takes today."""
    from tests.unit.referral.test_api import make_referral

    return make_referral()


def decision_body() -> dict:
    """A serious case review decided by the demo board's Chair, as the end-to-end tests send it."""
    from tests.unit.referral.test_api import decision_body as body

    return body(rationale="The statutory criteria are met.", chair="chair@demo.example.org")


# -- results ----------------------------------------------------------------------------


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # non-2xx answers, a few
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    sched_p50_ms: float | None = None  # from the request's slot in the schedule
    sched_p95_ms: float | None = None
    sched_p99_ms: float | None = None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    @property
    def non_2xx(self) -> int:
        return sum(n for s, n in self.statuses.items() if not 200 <= s < 300)

    @property
    def created(self) -> int:
        return self.statuses.get(201, 0)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def valid(self) -> bool:
        return self.ok > 0 and not self.non_2xx and not self.error_count


def percentile(sorted_ms: Sequence[float], p: float) -> float | None:
    if not sorted_ms:
        return None
    k = max(0, min(len(sorted_ms) - 1, int(len(sorted_ms) * p / 100 + 0.999999) - 1))
    return sorted_ms[k]


# -- wrk ----------------------------------------------------------------------------------

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
local threads = {}
local nthreads = 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

local sent = 0
function request()
  local path = bench_paths[((sent + (tid or 0) * 7) % #bench_paths) + 1]
  sent = sent + 1
  local headers = {}
  for k, v in pairs(bench_headers) do headers[k] = v end
  if bench_unique then
    headers[bench_unique] = string.format("%s-%d-%d", bench_run, tid or 0, sent)
  end
  return wrk.format(bench_method, path, headers, bench_body)
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
  io.write(string.format("BENCH latency_us p50=%d p95=%d p99=%d max=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
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
    io.write(string.format("BENCH sched_us p50=%d p95=%d p99=%d\n", pct(50), pct(95), pct(99)))
  end
end
"""
)


def _lua_string(s: str) -> str:
    level = "="
    while f"]{level}]" in s:
        level += "="
    return f"[{level}[{s}]{level}]"


def lua_request(req: Req, body_path: Path | None) -> str:
    """The Lua globals that describe ``req`` (read by ``request()`` above)."""
    paths = ", ".join(_lua_string(p) for p in req.paths)
    headers = ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in req.headers.items())
    if body_path is None:
        body = "bench_body = nil"
    else:
        opened = f'local f = assert(io.open({_lua_string(str(body_path))}, "rb"))'
        body = f'{opened}\nbench_body = f:read("*a")\nf:close()'
    unique = _lua_string(req.unique_header) if req.unique_header else "nil"
    return (
        f"bench_unique = {unique}\n"
        f"bench_run = {_lua_string(uuid.uuid4().hex)}\n"
        f"bench_method = {_lua_string(req.method)}\n"
        f"bench_paths = {{ {paths} }}\n"
        f"bench_headers = {{ {headers} }}\n"
        f"{body}\n"
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
            d = {k: int(v) / 1e3 for k, v in (kv.split("=") for kv in rest.split())}
            r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms = d["p50"], d["p95"], d["p99"], d["max"]
        elif kind == "sched_us":
            d = {k: int(v) / 1e3 for k, v in (kv.split("=") for kv in rest.split())}
            r.sched_p50_ms, r.sched_p95_ms, r.sched_p99_ms = d["p50"], d["p95"], d["p99"]
        elif kind == "sample":
            r.samples.append(rest)
    if not r.seconds:
        raise BenchError(f"could not read wrk's output:\n{out}")
    return r


class Wrk:
    name = "wrk"

    def __init__(self, workdir: Path):
        self.exe = shutil.which("wrk")
        if self.exe is None:
            raise BenchError("wrk is not installed (apt-get install -y wrk)")
        self.workdir = workdir
        self._runs = 0

    @property
    def version(self) -> str:
        out = subprocess.run([self.exe, "-v"], capture_output=True, text=True)
        return (out.stdout + out.stderr).splitlines()[0].strip()

    def _run(
        self, script: str, base_url: str, req: Req, threads: int, conns: int, duration: float, env: dict
    ) -> Result:
        self._runs += 1
        body_path = None
        if req.body is not None:
            body_path = self.workdir / f"wrk-body-{self._runs}"
            body_path.write_bytes(req.body)
        lua = self.workdir / f"wrk-{self._runs}.lua"
        lua.write_text(lua_request(req, body_path) + script)
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
            str(lua),
            base_url,
        ]
        out = subprocess.run(
            cmd, capture_output=True, text=True, env={**os.environ, **env}, timeout=duration + 60
        )
        if out.returncode != 0:
            raise BenchError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
        return parse_wrk(out.stdout)

    def throughput(self, base_url: str, req: Req, conns: int, duration: float) -> Result:
        return self._run(LUA_THROUGHPUT, base_url, req, 1, conns, duration, {})

    def fixed_rate(self, base_url: str, req: Req, rate: float, conns: int, duration: float) -> Result:
        interval_us = conns / rate * 1e6
        env = {"BENCH_INTERVAL_US": str(interval_us), "BENCH_THREADS": str(conns)}
        return self._run(LUA_RATE, base_url, req, conns, conns, duration, env)


# -- Python threads -----------------------------------------------------------------------


class PythonLoad:
    """Threads, each with a keep-alive requests.Session (one connection)."""

    name = "python (threads + requests.Session)"
    version = f"requests {requests.__version__}"

    def __init__(self, workdir: Path | None = None):
        pass

    def _run(self, base_url: str, req: Req, conns: int, duration: float, interval: float | None) -> Result:
        lock = threading.Lock()
        result = Result()
        lat: list[float] = []
        sched: list[float] = []
        start = time.monotonic() + 0.2
        end = start + duration
        base = base_url.rstrip("/")

        def worker(i: int) -> None:
            s = requests.Session()
            headers = dict(req.headers)
            slot = start + (interval * i / conns if interval else 0.0)
            mine, mine_sched = [], []
            statuses: collections.Counter = collections.Counter()
            errors: collections.Counter = collections.Counter()
            samples: list[str] = []
            n = i * 7
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
                path = req.paths[n % len(req.paths)]
                n += 1
                if req.unique_header:
                    headers[req.unique_header] = uuid.uuid4().hex
                t0 = time.monotonic()
                try:
                    r = s.request(req.method, base + path, data=req.body, headers=headers, timeout=10)
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
        result.p50_ms, result.p95_ms, result.p99_ms = (percentile(lat, p) for p in (50, 95, 99))
        result.max_ms = lat[-1] if lat else None
        if interval:
            result.sched_p50_ms, result.sched_p95_ms, result.sched_p99_ms = (
                percentile(sched, p) for p in (50, 95, 99)
            )
        return result

    def throughput(self, base_url: str, req: Req, conns: int, duration: float) -> Result:
        return self._run(base_url, req, conns, duration, None)

    def fixed_rate(self, base_url: str, req: Req, rate: float, conns: int, duration: float) -> Result:
        return self._run(base_url, req, conns, duration, conns / rate)


def load_generator(choice: str, workdir: Path) -> Wrk | PythonLoad:
    """``wrk`` when asked or (``auto``) installed, else Python threads."""
    if choice == "wrk" or (choice == "auto" and shutil.which("wrk")):
        return Wrk(workdir)
    return PythonLoad(workdir)


# -- warm-up --------------------------------------------------------------------------


def warm_up(base_url: str, req: Req, n: int, conns: int = 8) -> Result:
    """``n`` requests over ``conns`` connections.

    A 4xx answer means the request itself is wrong (body, token, board): stop.
    5xx answers are counted and reported with the runs (they are the server's fault).
    """
    result = Result()
    lock = threading.Lock()
    per = [n // conns + (1 if i < n % conns else 0) for i in range(conns)]
    base = base_url.rstrip("/")

    def worker(i: int, k: int) -> None:
        s = requests.Session()
        headers = dict(req.headers)
        for j in range(k):
            path = req.paths[(i * 7 + j) % len(req.paths)]
            if req.unique_header:
                headers[req.unique_header] = uuid.uuid4().hex
            r = s.request(req.method, base + path, data=req.body, headers=headers, timeout=30)
            with lock:
                result.statuses[r.status_code] = result.statuses.get(r.status_code, 0) + 1
                if not 200 <= r.status_code < 300 and len(result.samples) < 3:
                    result.samples.append(f"{r.status_code} {r.text[:300].strip()}")
            if 400 <= r.status_code < 500:
                return

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i, k)) for i, k in enumerate(per)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - t0
    result.requests = sum(result.statuses.values())
    bad = {s: c for s, c in result.statuses.items() if 400 <= s < 500}
    if bad:
        raise BenchError(f"warm-up against {base_url} got 4xx answers {bad}: {result.samples[0]}")
    return result


# -- py-spy ---------------------------------------------------------------------------


def py_spy() -> str | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return spy if Path(spy).exists() else None


def start_py_spy(
    pid: int, out: Path, rate_hz: int, duration: float, *, subprocesses: bool = False
) -> subprocess.Popen:
    """``py-spy record --gil`` (only samples holding the GIL) on ``pid`` for ``duration`` s, raw output."""
    spy = py_spy()
    if spy is None:
        raise BenchError("py-spy is not installed (.venv/bin/pip install py-spy)")
    cmd = [spy, "record", "--pid", str(pid), "--gil", "--rate", str(rate_hz), "--format", "raw"]
    cmd += ["--duration", str(int(duration)), "--nonblocking", "-o", str(out)]
    if subprocesses:
        cmd.append("--subprocesses")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def print_py_spy(
    spies: Sequence[tuple[Path, subprocess.Popen]],
    rate_hz: int,
    per: int,
    per_name: str = "request",
    top: int = 30,
    role: Callable[[list[str]], str] | None = None,
) -> None:
    """Where the GIL time went, in µs per ``per_name`` (``per`` of them in the profiled run)."""
    role = role or _role
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    by_role: collections.Counter = collections.Counter()
    by_product: collections.Counter = collections.Counter()
    total = 0
    for out, p in spies:
        if not out.exists():
            err = p.stderr.read().decode()[-500:] if p.stderr else ""
            print(f"  py-spy wrote nothing for {out.name}: {err}")
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
            r = role(frames)
            by_role[r] += n
            product = [f for f in frames if _is_product(f)]
            innermost = product[-1] if product else f"(no product frame) {frames[-1] if frames else '?'}"
            by_product[(r, innermost)] += n
    per = max(1, per)

    def us(n: int) -> float:
        return n / rate_hz / per * 1e6

    print(f"  GIL-holding samples: {total} ({total / rate_hz:.1f} s); {us(total):.0f} µs per {per_name}")
    print(f"  by thread, µs per {per_name}:")
    for r, n in by_role.most_common():
        print(f"    {us(n):8.0f}  {r}")
    print(
        "  by innermost product function (services/, shared/; with the library code it calls), "
        f"µs per {per_name}:"
    )
    for (r, f), n in by_product.most_common(top):
        print(f"    {us(n):8.0f}  [{r}] {f}")
    print(f"  inclusive (a function and what it calls), µs per {per_name}:")
    for f, n in inclusive.most_common(top):
        print(f"    {us(n):8.0f}  {f}")
    print(f"  self (time in the function's own code), µs per {per_name}:")
    for f, n in own.most_common(top):
        print(f"    {us(n):8.0f}  {f}")


def _is_product(frame: str) -> bool:
    return "(services/" in frame or "(shared/" in frame


def _role(frames: list[str]) -> str:
    text = ";".join(frames)
    if "OutboxRelay." in text:
        return "outbox relay"
    if "ThreadWorker.handle" in text:
        return "request"
    if "Periodic." in text:
        return "periodic job"
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
    for marker in ("site-packages/", str(ROOT) + "/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{fn} ({path})"


def describe_machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
