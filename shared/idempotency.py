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
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, g, request
from pymongo.errors import DuplicateKeyError

from shared import store
from shared.errors import Conflict, InvalidInput

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
COLLECTION = "idempotency_keys"
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
_KEPT_HEADERS = ("Content-Type", "Location")


def init_app(app: Flask) -> None:
    """Register after the access guard, which says who the caller is."""
    app.before_request(_before)
    app.after_request(_after)
    app.teardown_request(_teardown)


def _collection() -> Any:
    coll = store.database()[COLLECTION]
    if not getattr(_collection, "indexed", False):
        coll.create_index([("caller", 1), ("key", 1)], unique=True, name="caller_key_unique")
        coll.create_index("expires_at", expireAfterSeconds=0, name="expiry")
        _collection.indexed = True  # type: ignore[attr-defined]
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
                "created_at": now,
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
