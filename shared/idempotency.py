"""``Idempotency-Key`` on every POST: a client that retries gets the first answer, not a second record.

A client sends ``Idempotency-Key: <its own unique value>`` with a POST. The
first request with that key (for that caller) runs and its answer is kept for
24 hours; a repeat within that time gets the same status and body back, with
``Idempotent-Replayed: true``, and changes nothing. A repeat while the first
is still running is told so (409) rather than run twice; a repeat of the key
with a different request is refused (422), since it is a client's mistake.
An answer of 5xx is not kept, so a retry after a server error runs again.

The record of a key is one document with a unique index on (caller, key), so
two concurrent first requests cannot both run, on MongoDB and on the embedded
stores alike.

A request whose process died while handling it (SIGKILL, a crash, a machine
lost) leaves its key ``running`` with nobody to finish it. The record names
the process that runs it (host, pid and the process's start); a repeat that
finds the key running takes it over, atomically, and runs the request again
when that process is gone (on this host), or when the request has been
running for longer than ``RUNNING_LEASE`` (a process on another host). The
first run may have been cut short after its change was saved and before its
answer was: a view that creates something names it with :func:`derived_id`,
an id the first run and every re-run of the request share, so that the
re-run finds what the first one saved and answers with it instead of saving
it twice (the referral and the decision do).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from pymongo.errors import DuplicateKeyError

from shared import store
from shared.errors import Conflict, InvalidInput
from shared.logging import get_logger

log = get_logger(__name__)

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
COLLECTION = "idempotency_keys"
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
_KEPT_HEADERS = ("Content-Type", "Location")
# A request running for longer than this in a process of another host is counted as cut short.
# Far beyond any request's time: gunicorn restarts a worker that stops answering within 30 s.
RUNNING_LEASE = timedelta(minutes=2)
_DERIVED = uuid.UUID("3b8f0a52-9d1e-5c47-8e0b-6f2a4d9c1e73")  # namespace of derived_id()


def init_app(app: Flask) -> None:
    """Register after the access guard, which says who the caller is."""
    app.before_request(_before)
    app.after_request(_after)
    app.teardown_request(_teardown)


# The stores whose key collection has its indexes, by client and database: a store connected
# anew (another process's folder, a test's fresh store) gets them too.
_indexed: set[tuple[int, str]] = set()


def _collection() -> Any:
    db = store.database()
    coll = db[COLLECTION]
    where = (id(db.client), db.name)
    if where not in _indexed:
        coll.create_index([("caller", 1), ("key", 1)], unique=True, name="caller_key_unique")
        coll.create_index("expires_at", expireAfterSeconds=0, name="expiry")
        _indexed.add(where)
    return coll


def _caller() -> str:
    principal = g.get("principal")
    if principal is not None:
        return f"{principal.user_id}@{principal.board_id}"
    return "anonymous:" + hashlib.sha256(request.headers.get("Authorization", "").encode()).hexdigest()


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}?{request.query_string.decode()}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _before() -> Response | None:
    if request.method != "POST" or HEADER not in request.headers:
        return None
    key = request.headers[HEADER]
    if not _KEY_RE.match(key):
        raise InvalidInput(
            [{"field": HEADER, "message": "Use 1 to 255 visible characters, such as a UUID, for the key"}]
        )
    coll, caller, now = _collection(), _caller(), datetime.now(UTC)
    fingerprint = _fingerprint()
    try:
        coll.insert_one(
            {
                "caller": caller,
                "key": key,
                "fingerprint": fingerprint,
                "state": "running",
                "owner": _owner(),
                "created_at": now,
                "running_since": now,
                "expires_at": now + KEEP_FOR,
            }
        )
    except DuplicateKeyError:
        kept = coll.find_one({"caller": caller, "key": key})
        if kept is None:  # expired and removed in between: run it as new
            return _before()
        if kept["fingerprint"] != fingerprint:
            raise InvalidInput(
                [{"field": HEADER, "message": "This key was used for a different request; use a new key"}]
            ) from None
        if kept["state"] == "running":
            if _cut_short(kept, now) and _take_over(coll, kept, now):
                log.warning("http.idempotent_request_taken_over", key=key, owner=kept.get("owner"))
                g.idempotency = (caller, key)
                return None  # run it again: its process died before answering
            raise Conflict(
                "A request with this key is still being handled; try again shortly", field=HEADER
            ) from None
        replay = Response(kept["body"], status=kept["status"])
        for name, value in kept.get("headers", {}).items():
            replay.headers[name] = value
        replay.headers["Idempotent-Replayed"] = "true"
        g.idempotency_replayed = True
        return replay
    g.idempotency = (caller, key)
    return None


def derived_id(purpose: str) -> str | None:
    """An id that every run of this request shares, the first and any re-run; None without a key.

    A view that creates a record gives it this id (``purpose`` tells apart the records one
    request makes), so that a re-run after its process died finds the record the first run
    may have saved, and answers with it.
    """
    if not has_request_context():
        return None
    pending = g.get("idempotency")
    if pending is None:
        return None
    caller, key = pending
    return str(uuid.uuid5(_DERIVED, f"{caller}\n{key}\n{purpose}"))


def _owner() -> str:
    """This process, as a running request's record names it: host, pid and when the process began."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_process_start(pid)}"


def _host() -> str:
    """This host and the pid namespace its pids belong to: containers that share a host name (in
    one pod, say) do not see each other's processes, so each counts as a host of its own."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return socket.gethostname()
    return f"{socket.gethostname()}/{namespace.strip('pid:[]')}"


def _process_start(pid: int) -> str:
    """When process ``pid`` began (clock ticks since boot), telling it from a later one with its pid;
    "" where /proc does not say, or when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[19]  # field 22, counted after the command's name


def _cut_short(kept: dict[str, Any], now: datetime) -> bool:
    """Whether the process that runs the request ``kept`` records has gone without answering.

    A process of this host is looked up; of another host (or unnamed, as older records are),
    the request is counted as cut short once it has run for longer than ``RUNNING_LEASE``.
    """
    host, _, rest = str(kept.get("owner") or "").partition(":")
    pid, _, started = rest.partition(":")
    if host == _host() and pid.isdigit():
        return not _alive(int(pid), started)
    since = kept.get("running_since") or kept.get("created_at") or now
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return bool(now - since > RUNNING_LEASE)


def _alive(pid: int, started: str) -> bool:
    if Path("/proc").is_dir():
        return _process_start(pid) == started != ""  # not gone, and its pid not reused by a newer one
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's
    return True


def _take_over(coll: Any, kept: dict[str, Any], now: datetime) -> bool:
    """Claim the key of a request cut short for this process; False if another repeat claimed it first."""
    claimed = coll.find_one_and_update(
        {"_id": kept["_id"], "state": "running", "owner": kept.get("owner")},
        {"$set": {"owner": _owner(), "running_since": now}},
    )
    return claimed is not None


def _after(response: Response) -> Response:
    pending = g.pop("idempotency", None)
    if pending is None:
        return response
    caller, key = pending
    coll = _collection()
    if response.status_code >= 500 or response.is_streamed:
        coll.delete_one({"caller": caller, "key": key, "state": "running"})
        return response
    coll.update_one(
        {"caller": caller, "key": key},
        {
            "$set": {
                "state": "done",
                "status": response.status_code,
                "body": response.get_data(),
                "headers": {h: response.headers[h] for h in _KEPT_HEADERS if h in response.headers},
            }
        },
    )
    return response


def _teardown(exc: BaseException | None) -> None:
    pending = g.pop("idempotency", None)
    if pending is not None:  # the request died before an answer: let a retry run it
        caller, key = pending
        _collection().delete_one({"caller": caller, "key": key, "state": "running"})
