"""Benchmark: the embedded store (in a folder) against mongomock (in memory), in the same run.

The operations the product leans on, on a collection of ``-n`` documents shaped
like a case (a unique ``case_id``, a board, a status, an outbox):

- inserts: ``-n`` ``insert_one`` (the ``_id`` unique index only);
- unique inserts: ``-m`` ``insert_one`` into a collection with a unique index on
  (consumer, event_id) that already holds ``-n`` claims (the idempotency ledger);
- updates: ``-m`` ``update_one`` by ``case_id`` with ``$set``, ``$inc`` and ``$push``;
- leases: ``-m`` ``find_one_and_update`` by ``case_id`` whose lease is free or
  expired, returning the document after (the outbox relay);
- finds: ``-r`` ``find`` over the ``-n`` documents on a field no index covers
  (half of them match), read to the end.

Each figure is operations per second; the ratio is the embedded store's time over
mongomock's (above 1: slower). Runs alternate (mongomock, embedded, embedded,
mongomock, ...) and the better figure of each is kept. ``--litemongo`` adds
litemongo (an evaluated candidate, not a dependency) when it is installed.

    PYTHONPATH=. .venv/bin/python bench/store.py [-n 5000] [-m 500] [-r 20] [--runs 2] [--litemongo]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import mongomock
from pymongo import ASCENDING, ReturnDocument

from shared.embedded_store import EmbeddedClient, forget

Clock = Callable[[], float]


def _case(i: int) -> dict[str, Any]:
    return {
        "case_id": f"case-{i:06d}",
        "board_id": "demo",
        "status": "open" if i % 2 else "closed",
        "n": 0,
        "created_at": datetime.now(UTC),
        "outbox": [],
        "outbox_lease_until": None,
    }


def run(db: Any, n: int, m: int, r: int) -> dict[str, float]:
    """Seconds per operation kind."""
    cases, ledger = db["bench_cases"], db["bench_ledger"]
    cases.create_index("case_id", unique=True)
    ledger.create_index([("consumer", ASCENDING), ("event_id", ASCENDING)], unique=True)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    for i in range(n):
        cases.insert_one(_case(i))
    timings["inserts"] = (time.perf_counter() - started) / n

    ledger.insert_many([{"consumer": "c", "event_id": f"old-{i}", "status": "done"} for i in range(n)])
    started = time.perf_counter()
    for i in range(m):
        ledger.insert_one({"consumer": "c", "event_id": f"new-{i}", "status": "processing"})
    timings["unique inserts"] = (time.perf_counter() - started) / m

    step = max(1, n // m)
    started = time.perf_counter()
    for i in range(m):
        cases.update_one(
            {"case_id": f"case-{(i * step) % n:06d}"},
            {"$set": {"status": "screened"}, "$inc": {"n": 1}, "$push": {"outbox": {"event_id": f"e{i}"}}},
        )
    timings["updates"] = (time.perf_counter() - started) / m

    started = time.perf_counter()
    for i in range(m):
        now = datetime.now(UTC)
        cases.find_one_and_update(
            {
                "case_id": f"case-{(i * step) % n:06d}",
                "$or": [{"outbox_lease_until": None}, {"outbox_lease_until": {"$lt": now}}],
            },
            {"$set": {"outbox_lease_until": now + timedelta(seconds=30)}},
            return_document=ReturnDocument.AFTER,
        )
    timings["leases"] = (time.perf_counter() - started) / m

    started = time.perf_counter()
    for _ in range(r):
        found = list(cases.find({"status": "open"}))
    timings[f"finds over {n}"] = (time.perf_counter() - started) / r
    assert len(found) == n // 2
    return timings


def mongomock_db() -> tuple[Any, Callable[[], None]]:
    return mongomock.MongoClient(tz_aware=True)["bench"], lambda: None


def embedded_db() -> tuple[Any, Callable[[], None]]:
    folder = Path(tempfile.mkdtemp(prefix="lscb-bench-"))
    client = EmbeddedClient(store_folder=str(folder), tz_aware=True)
    return client["bench"], lambda: forget(folder)


def litemongo_db() -> tuple[Any, Callable[[], None]]:
    import litemongo  # type: ignore[import-not-found]

    client = litemongo.MongoClient(tempfile.mkdtemp(prefix="lscb-bench-lite-"), tz_aware=True)
    return client["bench"], client.close


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("-n", type=int, default=5000, help="documents in the collection")
    parser.add_argument("-m", type=int, default=500, help="updates, leases and unique inserts measured")
    parser.add_argument("-r", type=int, default=20, help="finds over the whole collection")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--litemongo", action="store_true", help="add litemongo if it is installed")
    args = parser.parse_args()

    systems: dict[str, Callable[[], tuple[Any, Callable[[], None]]]] = {
        "mongomock": mongomock_db,
        "embedded": embedded_db,
    }
    if args.litemongo:
        systems["litemongo"] = litemongo_db
    best: dict[str, dict[str, float]] = {}
    for run_no in range(args.runs):
        order = list(systems) if run_no % 2 == 0 else list(reversed(systems))
        for name in order:
            db, close = systems[name]()
            try:
                timings = run(db, args.n, args.m, args.r)
            finally:
                close()
            kept = best.setdefault(name, timings)
            for kind, seconds in timings.items():
                kept[kind] = min(kept[kind], seconds)

    baseline = best["mongomock"]
    print(f"store benchmark: n={args.n} documents, m={args.m}, r={args.r}, best of {args.runs} runs")
    header = f"{'operation':<20}" + "".join(f"{name + ' ops/s':>18}" for name in best)
    header += "".join(f"{name + '/mongomock':>24}" for name in best if name != "mongomock")
    print(header)
    for kind in baseline:
        line = f"{kind:<20}" + "".join(f"{1 / best[name][kind]:>18,.0f}" for name in best)
        line += "".join(
            f"{best[name][kind] / baseline[kind]:>23.2f}x" for name in best if name != "mongomock"
        )
        print(line)
    print("(ratio: time per operation against mongomock's in the same run; below 1 is faster)")


if __name__ == "__main__":
    main()
