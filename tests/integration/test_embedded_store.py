"""The embedded store in a folder: what survives the process, and several processes at once.

`make run` keeps its data in such a folder and `make run-services` shares one
folder between four processes, so the guarantees the outbox and the ledger rely
on (atomic single-document updates, unique indexes) must hold across processes,
and a process killed in the middle of a write must leave every document whole.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gridfs
import mongomock
import mongomock.gridfs
import pytest
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared.embedded_store import EmbeddedClient, forget
from shared.embedded_store.file import FILENAME
from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]


def client(folder: Path) -> EmbeddedClient:
    return EmbeddedClient(store_folder=str(folder), tz_aware=True)


def reopened(folder: Path):
    """The folder's database as a process starting now would see it."""
    forget(folder)
    return client(folder)["lscb"]


def run_python(code: str, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(folder)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


# -- what survives the process ------------------------------------------------------------


def test_documents_indexes_files_and_times_outlive_the_process_that_wrote_them(tmp_path):
    run_python(
        """
        import sys
        from datetime import UTC, datetime
        import gridfs, mongomock.gridfs
        from shared.embedded_store import EmbeddedClient
        mongomock.gridfs.enable_gridfs_integration()
        db = EmbeddedClient(store_folder=sys.argv[1], tz_aware=True)["lscb"]
        db.cases.create_index("case_id", unique=True)
        db.cases.insert_one({"case_id": "c1", "at": datetime(2026, 3, 4, 5, 6, 7, 8000, tzinfo=UTC)})
        db.cases.update_one({"case_id": "c1"}, {"$push": {"outbox": {"event_id": "e1", "pending": True}}})
        gridfs.GridFS(db, collection="document_files").put(b"%PDF" * 100_000, filename="letter.pdf")
        """,
        tmp_path,
    )
    db = reopened(tmp_path)
    case = db.cases.find_one({"case_id": "c1"})
    assert case["at"] == datetime(2026, 3, 4, 5, 6, 7, 8000, tzinfo=UTC) and case["at"].tzinfo is not None
    assert case["outbox"] == [{"event_id": "e1", "pending": True}]
    with pytest.raises(DuplicateKeyError):
        db.cases.insert_one({"case_id": "c1"})
    mongomock.gridfs.enable_gridfs_integration()
    stored = gridfs.GridFS(db, collection="document_files").find_one({"filename": "letter.pdf"})
    assert stored.read() == b"%PDF" * 100_000


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    db = client(tmp_path)["lscb"]
    db.claims.create_index([("consumer", 1), ("event_id", 1)], unique=True)
    db.claims.insert_one({"consumer": "c", "event_id": "e1", "n": 1})
    db.claims.insert_one({"consumer": "c", "event_id": "e2", "n": 2})
    with pytest.raises(DuplicateKeyError):
        db.claims.insert_one({"consumer": "c", "event_id": "e1", "n": 3})
    with pytest.raises(DuplicateKeyError):
        db.claims.update_one({"event_id": "e2"}, {"$set": {"event_id": "e1"}})
    assert sorted((d["event_id"], d["n"]) for d in db.claims.find()) == [("e1", 1), ("e2", 2)]
    after_restart = reopened(tmp_path)
    assert sorted((d["event_id"], d["n"]) for d in after_restart.claims.find()) == [("e1", 1), ("e2", 2)]


def test_a_process_killed_while_writing_leaves_every_document_whole(tmp_path):
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                from shared.embedded_store import EmbeddedClient
                db = EmbeddedClient(store_folder=sys.argv[1])["lscb"]
                db.counters.insert_one({"_id": "c", "n": 0, "items": []})
                n = 0
                while True:
                    n += 1
                    db.counters.update_one({"_id": "c"}, {"$inc": {"n": 1}, "$push": {"items": n}})
                    db.events.insert_one({"n": n, "body": "x" * 2000})
                """
            ),
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        probe = client(tmp_path)["lscb"]
        wait_for(lambda: (doc := probe.counters.find_one({"_id": "c"})) and doc["n"] >= 300, timeout=30)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    db = reopened(tmp_path)
    doc = db.counters.find_one({"_id": "c"})
    assert doc["n"] == len(doc["items"]) and doc["items"] == list(range(1, doc["n"] + 1))
    assert db.events.count_documents({}) in (doc["n"] - 1, doc["n"])  # the last insert may not have run
    with sqlite3.connect(tmp_path / FILENAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- several processes at once -------------------------------------------------------------


def _race(folder: str, worker: int, rounds: int, results) -> None:
    db = EmbeddedClient(store_folder=folder, tz_aware=True)["lscb"]
    leases = duplicates = 0
    for i in range(rounds):
        db.counters.find_one_and_update({"_id": "counter"}, {"$inc": {"n": 1}})
        now = datetime.now(UTC)
        if db.outbox.find_one_and_update(
            {"_id": f"doc{i}", "$or": [{"lease_until": None}, {"lease_until": {"$lt": now}}]},
            {"$set": {"lease_until": now + timedelta(seconds=60), "holder": worker}},
            return_document=ReturnDocument.AFTER,
        ):
            leases += 1
        try:
            db.ledger.insert_one({"consumer": "scheduler.deadlines", "event_id": f"e{i}", "by": worker})
        except DuplicateKeyError:
            duplicates += 1
    results.put((worker, leases, duplicates))


def test_processes_racing_for_leases_and_claims_lose_no_update_and_store_no_duplicate(tmp_path):
    processes, rounds = 4, 300
    db = client(tmp_path)["lscb"]
    db.ledger.create_index([("consumer", 1), ("event_id", 1)], unique=True)
    db.counters.insert_one({"_id": "counter", "n": 0})
    db.outbox.insert_many([{"_id": f"doc{i}", "lease_until": None} for i in range(rounds)])
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    workers = [
        spawn.Process(target=_race, args=(str(tmp_path), w, rounds, results)) for w in range(processes)
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(30)
    assert all(w.exitcode == 0 for w in workers)
    assert db.counters.find_one({"_id": "counter"})["n"] == processes * rounds  # no lost update
    assert sum(leases for _, leases, _ in outcomes) == rounds  # each lease won exactly once
    assert db.outbox.count_documents({"holder": {"$exists": True}}) == rounds
    assert db.ledger.count_documents({}) == rounds  # each claim stored once
    assert sum(dups for _, _, dups in outcomes) == (processes - 1) * rounds


def test_a_process_sees_what_another_wrote_updated_deleted_and_dropped(tmp_path):
    db = client(tmp_path)["lscb"]
    db.cases.create_index("case_id", unique=True)
    db.cases.insert_many([{"case_id": f"c{i}", "n": i} for i in range(3)])
    db.gone.insert_one({"x": 1})
    assert db.cases.count_documents({}) == 3
    assert [d["n"] for d in db.cases.find(sort=[("n", -1)])] == [2, 1, 0]  # kept until a change
    run_python(
        """
        import sys
        from shared.embedded_store import EmbeddedClient
        db = EmbeddedClient(store_folder=sys.argv[1])["lscb"]
        db.cases.update_one({"case_id": "c1"}, {"$set": {"n": 10}})
        db.cases.delete_one({"case_id": "c2"})
        db.cases.insert_one({"case_id": "c3", "n": 3})
        db.gone.drop()
        """,
        tmp_path,
    )
    assert [(d["case_id"], d["n"]) for d in db.cases.find()] == [("c0", 0), ("c1", 10), ("c3", 3)]
    assert db.cases.count_documents({}) == 3
    assert [d["n"] for d in db.cases.find(sort=[("n", -1)])] == [10, 3, 0]
    assert db.cases.find_one({"case_id": "c2"}) is None
    assert "gone" not in db.list_collection_names() and db.gone.count_documents({}) == 0
    with pytest.raises(DuplicateKeyError):
        db.cases.insert_one({"case_id": "c3"})  # the other process's document counts for the index


# -- the same answers as mongomock ---------------------------------------------------------------


def test_lookups_through_the_indexes_answer_as_mongomock_scans_do(tmp_path):
    embedded = client(tmp_path)["lscb"].docs
    plain = mongomock.MongoClient(tz_aware=True)["lscb"].docs
    rng = random.Random(11)
    for coll in (embedded, plain):
        coll.create_index([("board_id", 1), ("status", 1)])
        coll.create_index("ref.kind")
        coll.create_index("outbox.pending")
    for i in range(400):
        doc = {"_id": i, "board_id": rng.choice(["a", "b", None]), "status": rng.choice(["open", 1, True])}
        if i % 7 == 0:
            doc["status"] = ["open", "closed"]  # an array: matches either
        if i % 5 == 0:
            del doc["board_id"]  # missing: matches None
        doc["ref"] = {"kind": rng.choice(["x", "y"])} if i % 3 else [{"kind": "x"}]
        if i % 11:  # an outbox: events pending or sent, some without the flag, some empty or odd
            doc["outbox"] = rng.choice(
                [
                    [],
                    [{"pending": True}],
                    [{"pending": False}, {"pending": True}],
                    [{"pending": False}],
                    [{"event_id": "e"}],
                    [{"pending": None}],
                    [True],
                    {"pending": True},
                ]
            )
        embedded.insert_one(dict(doc))
        plain.insert_one(dict(doc))
    for i in range(0, 400, 9):  # change indexed fields in place
        for coll in (embedded, plain):
            coll.update_one({"_id": i}, {"$set": {"status": "closed", "board_id": "b"}})
    for i in range(1, 400, 4):  # events raised and sent, in place
        for j, change in (
            (i, {"$push": {"outbox": {"pending": True}}}),
            (i + 2, {"$pull": {"outbox": {"pending": True}}}),
        ):
            if isinstance((plain.find_one({"_id": j}) or {}).get("outbox"), list):
                for coll in (embedded, plain):
                    coll.update_one({"_id": j}, change)
    filters = [
        {"board_id": "a"},
        {"board_id": None},
        {"status": "open"},
        {"status": 1},
        {"status": True},
        {"board_id": "b", "status": "closed"},
        {"status": {"$in": ["closed", 1]}},
        {"status": {"$eq": "open"}, "board_id": {"$ne": "a"}},
        {"$and": [{"board_id": "a"}, {"status": "open"}]},
        {"ref.kind": "x"},
        {"outbox.pending": True},
        {"outbox.pending": False},
        {"outbox.pending": None},
        {"outbox": {"$elemMatch": {"pending": True}}},
        {"outbox": {"$elemMatch": {"pending": None}}},
        {"outbox": {"$elemMatch": {"pending": {"$in": [False, None]}}}, "board_id": "a"},
        {"outbox": {"$elemMatch": {"pending": True, "event_id": {"$exists": False}}}},
        {"_id": {"$in": [3, 30, 300, 999]}},
        {"_id": 42},
        # String equalities, tested as sets: arrays, missing fields, None and numbers beside strings.
        {"board_id": {"$in": ["a", "b"]}, "status": "open"},
        {"board_id": {"$in": ["a", "zz"]}, "status": {"$in": ["open", "closed"]}},
        {"board_id": {"$eq": "b"}, "status": {"$in": []}},
        {"status": {"$in": ["closed"]}},
        {"ref": {"$in": ["x"]}},
    ]
    for query in filters:
        assert [d["_id"] for d in embedded.find(query)] == [d["_id"] for d in plain.find(query)], query
    # Pages of sorted lists (strings, datetimes, mixed types, missing fields), and single documents.
    for i in range(400):
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(500))
        change = {
            "reference": f"B-{rng.randrange(60):04d}-é{i % 3}",
            "at": at,
            "mixed": rng.choice([1, "1", None]),
        }
        for coll in (embedded, plain):
            coll.update_one({"_id": i}, {"$set": change} if i % 13 else {"$unset": {"reference": 1}})
    for query in (
        {},
        {"board_id": "a"},
        {"status": "open"},
        {"outbox.pending": True},
        {"reference": {"$exists": True}},
    ):
        for sort in ([("reference", -1)], [("at", 1)], [("mixed", 1), ("_id", -1)], [("board_id", 1)], None):
            for skip, limit in ((0, 0), (0, 50), (50, 50), (390, 50), (0, -1)):
                got, want = (
                    [d["_id"] for d in coll.find(query, {"reference": 1}, sort=sort, skip=skip, limit=limit)]
                    for coll in (embedded, plain)
                )
                assert got == want, (query, sort, skip, limit)
        assert embedded.count_documents(query) == plain.count_documents(query), query
        assert embedded.find_one(query, sort=[("at", -1)]) == plain.find_one(query, sort=[("at", -1)]), query
    # Kept sorted lists and counts: each change by this process retires them.
    changes = [
        lambda c: c.update_one({"_id": 3}, {"$set": {"reference": "A-0000", "status": "open"}}),
        lambda c: c.insert_one({"_id": 1000, "reference": "Z-9999", "board_id": "a", "status": "open"}),
        lambda c: c.delete_one({"_id": 1000}),
        lambda c: c.update_many({"board_id": "a"}, {"$set": {"status": "open"}}),
        lambda c: c.find_one_and_update({"status": "open"}, {"$set": {"reference": "B-0001"}}),
    ]
    for change in changes:
        for coll in (embedded, plain):
            change(coll)
        for query in ({"board_id": "a"}, {"status": "open"}, {}):
            got, want = (
                [d["_id"] for d in coll.find(query, sort=[("reference", -1)], skip=5, limit=20)]
                for coll in (embedded, plain)
            )
            assert got == want, query
            assert embedded.count_documents(query) == plain.count_documents(query), query
    before = embedded.find_one_and_update({"status": "closed"}, {"$set": {"status": "leased"}})
    assert before == plain.find_one_and_update({"status": "closed"}, {"$set": {"status": "leased"}})
    assert [d["_id"] for d in reopened(tmp_path).docs.find({"status": "leased"})] == [before["_id"]]


# -- settings and the folder ----------------------------------------------------------------------


def test_development_keeps_its_store_in_var_tests_in_memory_and_production_refuses_it():
    from shared.config import ConfigurationError, load_settings

    development = load_settings({})
    assert development.EMBEDDED_STORE_DIR == "var" and not development.in_memory_store
    assert load_settings({"APP_ENV": "test"}).in_memory_store
    with pytest.raises(ConfigurationError, match="MONGODB_URI"):
        load_settings({"APP_ENV": "production", "BUS_URL": "amqp://rabbit//", "EMBEDDED_STORE_DIR": "var"})


def test_one_product_at_a_time_holds_a_folder_and_fresh_empties_it(tmp_path):
    from shared import store
    from shared.config import load_settings
    from shared.embedded_store import FolderInUse

    settings = load_settings({"EMBEDDED_STORE_DIR": str(tmp_path)})
    client(tmp_path)["lscb"].cases.insert_one({"case_id": "c1"})
    forget(tmp_path)
    lock = store.hold(settings)
    try:
        with pytest.raises(FolderInUse, match=str(tmp_path)):
            store.hold(settings)
    finally:
        lock.close()
    lock = store.hold(settings, fresh=True)
    lock.close()
    assert reopened(tmp_path).cases.count_documents({}) == 0


def test_a_read_of_the_first_documents_lists_no_more_of_the_collection(tmp_path, monkeypatch):
    """GridFS asks for any one document of its two collections before each file it writes: with
    thousands of files stored, listing the whole collection each time made every upload slower."""
    from shared.embedded_store.stores import _Documents

    embedded = client(tmp_path)["lscb"]
    plain = mongomock.MongoClient(tz_aware=True)["lscb"]
    for db in (embedded, plain):
        db.docs.insert_many([{"_id": i, "n": i % 3} for i in range(300)])
        db.docs.delete_one({"_id": 0})
        db.docs.insert_one({"_id": 0, "n": 0})  # now last in natural order

    def refused(self):
        raise AssertionError("the whole collection was listed")

    monkeypatch.setattr(_Documents, "every_document", refused)
    for db in (embedded, plain):
        assert db.docs.find_one() == {"_id": 1, "n": 1}
        assert db.docs.find_one({}, {"_id": 1}) == {"_id": 1}
        assert [d["_id"] for d in db.docs.find().skip(2).limit(3)] == [3, 4, 5]
    fs = gridfs.GridFS(embedded, collection="files")
    for k in range(3):
        fs.put(b"x" * 1000, filename=f"f{k}.docx")
    assert fs.get_last_version("f2.docx").read() == b"x" * 1000
    monkeypatch.undo()
    # A filter still reads every document it must: the tenth match is past the first ten stored.
    assert [d["_id"] for d in embedded.docs.find({"n": 2}).limit(3)] == [2, 5, 8]


def ttl_passes(monkeypatch) -> list[str]:
    """The names of the collections mongomock reads through for expired documents, as it does."""
    scans: list[str] = []
    scan = mongomock.store.CollectionStore._remove_expired_documents

    def counted(self):
        scans.append(self.name)
        return scan(self)

    monkeypatch.setattr(mongomock.store.CollectionStore, "_remove_expired_documents", counted)
    return scans


def test_expired_documents_go_and_the_rest_are_not_read_again_until_one_can_have_expired(
    tmp_path, monkeypatch
):
    from shared.embedded_store import stores

    monkeypatch.setattr(stores, "TTL_INTERVAL", 0.0)  # look at every write
    scans = ttl_passes(monkeypatch)
    coll = client(tmp_path)["lscb"].claims
    coll.create_index("done_at", expireAfterSeconds=3600)
    now = datetime.now(UTC).replace(tzinfo=None)
    coll.insert_many(
        [{"_id": "old", "done_at": now - timedelta(hours=2)}, {"_id": "new", "done_at": now}]
        + [{"_id": f"k{i}", "done_at": now + timedelta(days=1)} for i in range(50)]
    )
    coll.insert_one({"_id": "trigger"})  # a write: the first look, which finds "old" expired
    assert coll.find_one({"_id": "old"}) is None and coll.count_documents({}) == 52
    looked = len(scans)
    for i in range(20):  # nothing can expire for an hour: no more reading every document
        coll.update_one({"_id": "new"}, {"$set": {"n": i}})
    assert len(scans) == looked
    # A document already past its time brings the next look forward.
    coll.insert_one({"_id": "late", "done_at": now - timedelta(days=2)})
    coll.insert_one({"_id": "another"})
    assert len(scans) > looked and coll.find_one({"_id": "late"}) is None
    assert coll.count_documents({}) == 53


def test_commits_leave_moving_the_log_into_the_database_to_a_thread_of_its_own(tmp_path, monkeypatch):
    """A commit that checkpoints holds the store's lock through an fsync; none does: the
    checkpointer thread moves the log into the database after the writes, off their path."""
    from shared.embedded_store import engine_for
    from shared.embedded_store import file as store_file

    monkeypatch.setattr(store_file, "CHECKPOINT_DELAY", 3600.0)  # the thread waits: only commits run
    db = client(tmp_path)["lscb"]
    for n in range(40):  # about 8 MB, 2,000 pages of log: past SQLite's own checkpoint size twice
        db.files.insert_one({"n": n, "blob": os.urandom(200_000)})
    database, log = tmp_path / FILENAME, tmp_path / f"{FILENAME}-wal"
    assert database.stat().st_size < 1_000_000, "a commit moved the log into the database"
    assert log.stat().st_size > 8_000_000

    checkpointer = engine_for(tmp_path).file.checkpointer
    checkpointer.stop()  # the last checkpoint, at once
    assert checkpointer.checkpoints == 1
    assert database.stat().st_size > 8_000_000
    # Another process, opening the folder afresh, reads every document.
    found = run_python(
        """
        import sys
        from shared.embedded_store import EmbeddedClient
        db = EmbeddedClient(store_folder=sys.argv[1])["lscb"]
        print(db.files.count_documents({}), sum(len(d["blob"]) for d in db.files.find()))
        """,
        tmp_path,
    )
    assert found.stdout.split() == ["40", str(40 * 200_000)]


def test_the_checkpointer_runs_once_for_a_burst_of_commits_shortly_after_it(tmp_path, monkeypatch):
    from shared.embedded_store import engine_for
    from shared.embedded_store import file as store_file

    monkeypatch.setattr(store_file, "CHECKPOINT_DELAY", 2.0)  # the 50 commits well within it
    db = client(tmp_path)["lscb"]
    for n in range(50):
        db.claims.insert_one({"n": n})
    checkpointer = engine_for(tmp_path).file.checkpointer
    wait_for(lambda: checkpointer.checkpoints >= 1, timeout=10)
    assert checkpointer.checkpoints == 1  # the 50 commits within the delay: one checkpoint
    db.claims.insert_one({"n": 50})
    wait_for(lambda: checkpointer.checkpoints == 2, timeout=10)
    assert (tmp_path / FILENAME).stat().st_size > 0


def test_a_filter_of_string_equalities_is_tested_as_sets_and_answers_as_mongomock_does():
    from shared.embedded_store.lookup import string_matcher

    ids = [f"e{i}" for i in range(0, 2000, 2)]
    test = string_matcher({"consumer": "c", "event_id": {"$in": ids}, "status": {"$eq": "done"}})
    assert test is not None
    assert test({"consumer": "c", "event_id": "e10", "status": "done"}) is True
    assert test({"consumer": "c", "event_id": "e11", "status": "done"}) is False
    assert test({"consumer": "d", "event_id": "e10", "status": "done"}) is False
    # Not a string there: mongomock decides (an array may hold the value, a number never equals it).
    assert test({"consumer": ["c"], "event_id": "e10", "status": "done"}) is None
    assert test({"event_id": "e10", "status": "done"}) is None
    for other in (
        {"consumer": 1},
        {"consumer": {"$ne": "c"}},
        {"consumer": {"$in": ["c", 1]}},
        {"a.b": "c"},
        {"$or": [{"consumer": "c"}]},
        {"consumer": {"$in": ["c"], "$nin": ["d"]}},
        {},
    ):
        assert string_matcher(other) is None, other


def test_the_ledger_asks_of_a_thousand_events_without_testing_each_against_each(tmp_path, monkeypatch):
    """The journal's sweep asks the ledger which of its events each consumer has handled, a
    thousand at a time: a set lookup a document, not a thousand comparisons."""
    coll = client(tmp_path)["lscb"].processed_messages
    coll.create_index([("consumer", 1), ("event_id", 1)], unique=True)
    coll.insert_many(
        [{"consumer": c, "event_id": f"e{i}", "status": "done"} for c in ("a", "b") for i in range(3000)]
    )
    from shared.embedded_store import client as embedded_client

    tested: list[dict] = []
    applies = embedded_client.filter_applies

    def counted(filter, doc):
        tested.append(doc)
        return applies(filter, doc)

    monkeypatch.setattr(embedded_client, "filter_applies", counted)
    asked = [f"e{i}" for i in range(0, 2000, 2)] + ["nope"]
    found = {
        d["event_id"] for d in coll.find({"consumer": "a", "event_id": {"$in": asked}, "status": "done"})
    }
    assert found == set(asked) - {"nope"}
    assert tested == []  # mongomock's filter (a thousand comparisons a document) was not needed
    coll.insert_one({"consumer": "a", "event_id": ["e0", "x"], "status": "done"})  # not a string
    tested.clear()
    assert coll.count_documents({"consumer": "a", "event_id": {"$in": ["e0"]}}) == 2
    assert len(tested) == 1  # that document alone was left to mongomock


def test_an_index_asked_for_again_with_the_same_options_is_left_as_it_is(tmp_path, monkeypatch):
    """As on MongoDB; each consumer asks for the ledger's indexes after a start, and mongomock would
    check a unique index against every claim again, under the write lock."""
    from pymongo.errors import OperationFailure

    db = client(tmp_path)["lscb"]
    db.claims.insert_many([{"consumer": "c", "event_id": f"e{i}"} for i in range(500)])
    unique = [("consumer", 1), ("event_id", 1)]
    assert db.claims.create_index(unique, unique=True, name="consumer_event") == "consumer_event"
    assert db.claims.create_index("done_at", expireAfterSeconds=60, name="done_ttl") == "done_ttl"
    made: list[str] = []
    create = mongomock.collection.Collection.create_index

    def counted(self, *args, **kwargs):
        made.append(kwargs.get("name") or str(args[0]))
        return create(self, *args, **kwargs)

    monkeypatch.setattr(mongomock.collection.Collection, "create_index", counted)
    for opened in (lambda: db.claims, lambda: reopened(tmp_path).claims):  # as made, and from the file
        coll = opened()
        assert coll.create_index(unique, unique=True, name="consumer_event") == "consumer_event"
        assert coll.create_index("done_at", expireAfterSeconds=60, name="done_ttl") == "done_ttl"
        assert made == []
        with pytest.raises(OperationFailure):  # other options under the same name: refused, as before
            coll.create_index(unique, name="consumer_event")
        with pytest.raises(DuplicateKeyError):
            coll.insert_one({"consumer": "c", "event_id": "e1"})
        made.clear()
    fresh = reopened(tmp_path).claims
    fresh.create_index("status")  # a new one is made
    assert made == ["status"] and "status_1" in fresh.index_information()


def test_a_collection_read_from_the_file_knows_its_earliest_expiry_without_a_pass_at_the_first_write(
    tmp_path, monkeypatch
):
    from shared.embedded_store import stores

    monkeypatch.setattr(stores, "TTL_INTERVAL", 0.0)
    now = datetime.now(UTC).replace(tzinfo=None)
    coll = client(tmp_path)["lscb"].claims
    coll.create_index("done_at", expireAfterSeconds=3600)
    coll.insert_many([{"_id": f"k{i}", "done_at": now} for i in range(300)])
    scans = ttl_passes(monkeypatch)
    fresh = reopened(tmp_path).claims  # a start: the collection is read from the file
    fresh.insert_one({"_id": "new", "done_at": now})
    assert scans == []  # nothing can expire for an hour, and it knew so from the loading
    # One already past its time, written by another process: the first write there removes it.
    run_python(
        """
        import sys
        from datetime import datetime, timedelta
        from shared.embedded_store import EmbeddedClient
        db = EmbeddedClient(store_folder=sys.argv[1])["lscb"]
        db.claims.insert_one({"_id": "old", "done_at": datetime.utcnow() - timedelta(days=1)})
        """,
        tmp_path,
    )
    fresh = reopened(tmp_path).claims
    fresh.insert_one({"_id": "another", "done_at": now})
    assert scans == ["claims"] and fresh.find_one({"_id": "old"}) is None
    assert fresh.count_documents({}) == 302
