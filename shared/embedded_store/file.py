"""The embedded store's file: one SQLite database in the store's folder.

It holds the latest state of every document, index and collection, each row
stamped with the sequence number of the write that left it so. A deleted
document keeps a row without a body (a tombstone), so that other processes
learn of the deletion. SQLite gives what the store needs of a file shared by
several processes:

- ``BEGIN IMMEDIATE`` takes the database's write lock, so one write at a time,
  across every process; the lock is the operating system's, released when a
  process dies, even by SIGKILL;
- a transaction that was not committed leaves no trace (write-ahead log), so a
  process killed halfway through a write leaves the file as it was before;
- ``PRAGMA data_version`` tells, cheaply, whether another process committed
  since we last looked.

``synchronous=NORMAL``: a committed write survives the process being killed;
only a power cut or an operating-system crash may lose the last writes (never
corrupting the file).

**Checkpoints off the write path.** SQLite moves the write-ahead log into the
database (a checkpoint, with its ``fsync``) inside whichever commit finds the log
past 1,000 pages by default. That commit then takes tens of milliseconds, holding
the store's write lock, and every request waiting to read or write behind it
waits too. So the connection that writes never checkpoints
(``wal_autocheckpoint=0``): a thread of its own (:class:`Checkpointer`), on its
own connection, runs a ``PASSIVE`` checkpoint shortly after commits. A passive
checkpoint takes no lock that readers or writers need, and SQLite does its I/O
with the interpreter released.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

FILENAME = "store.sqlite3"
SCHEMA_VERSION = 1
CHECKPOINT_DELAY = 0.2  # seconds after a commit before the log is moved into the database

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS documents (
        db TEXT NOT NULL, coll TEXT NOT NULL, id BLOB NOT NULL,
        seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, doc BLOB,
        PRIMARY KEY (db, coll, id))""",
    "CREATE INDEX IF NOT EXISTS documents_seq ON documents (seq)",
    """CREATE TABLE IF NOT EXISTS indexes (
        db TEXT NOT NULL, coll TEXT NOT NULL, name TEXT NOT NULL,
        seq INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, spec BLOB,
        PRIMARY KEY (db, coll, name))""",
    "CREATE INDEX IF NOT EXISTS indexes_seq ON indexes (seq)",
    """CREATE TABLE IF NOT EXISTS collections (
        db TEXT NOT NULL, coll TEXT NOT NULL, seq INTEGER NOT NULL, created INTEGER NOT NULL,
        PRIMARY KEY (db, coll))""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value)",
    "INSERT OR IGNORE INTO meta VALUES ('seq', 0)",
    f"INSERT OR IGNORE INTO meta VALUES ('schema', {SCHEMA_VERSION})",
)


class StoreFileError(RuntimeError):
    """The store's file cannot be used (another schema, or not a store)."""


@dataclass(frozen=True)
class DocumentRow:
    db: str
    coll: str
    id: bytes
    deleted: bool
    doc: bytes | None


@dataclass(frozen=True)
class IndexRow:
    db: str
    coll: str
    name: str
    deleted: bool
    spec: bytes | None


@dataclass(frozen=True)
class CollectionRow:
    db: str
    coll: str
    created: bool


@dataclass(frozen=True)
class Changes:
    seq: int
    documents: list[DocumentRow]
    indexes: list[IndexRow]
    collections: list[CollectionRow]


class StoreFile:
    """One connection to the folder's SQLite file, for one process.

    The caller serialises the threads of its process (the connection is shared
    between them); SQLite serialises the processes.
    """

    def __init__(self, folder: Path, *, busy_timeout: float = 60.0) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / FILENAME
        self._conn = sqlite3.connect(
            self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        self._retry_locked(lambda: self._conn.execute("PRAGMA journal_mode=WAL"))
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA wal_autocheckpoint=0")  # the Checkpointer's work, off the write path
        self._changes_at_begin = 0
        self.checkpointer = Checkpointer(self.path)
        with self.transaction(write=True):
            for statement in _SCHEMA:
                self._conn.execute(statement)
            schema = self._scalar("SELECT value FROM meta WHERE key = 'schema'")
        if schema != SCHEMA_VERSION:
            raise StoreFileError(f"{self.path} has schema {schema}, this code reads {SCHEMA_VERSION}")
        self._data_version = self._scalar("PRAGMA data_version")

    # -- transactions -------------------------------------------------------------

    def begin(self, *, write: bool) -> None:
        """Start a read snapshot, or take the file's write lock (waiting while another process writes)."""
        self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        self._changes_at_begin = self._conn.total_changes

    def commit(self) -> None:
        wrote = self._conn.total_changes != self._changes_at_begin
        self._conn.execute("COMMIT")
        if wrote:
            self.checkpointer.nudge()

    def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[None]:
        self.begin(write=write)
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        self.commit()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A consistent view for several reads (the current transaction's, if one is open)."""
        if self._conn.in_transaction:
            yield
            return
        self.begin(write=False)
        try:
            yield
        finally:
            self.commit()

    def changed_elsewhere(self) -> bool:
        """Whether another connection committed since the last call (a cheap check)."""
        version = self._scalar("PRAGMA data_version")
        if version == self._data_version:
            return False
        self._data_version = version
        return True

    # -- reading ------------------------------------------------------------------

    def seq(self) -> int:
        value = self._scalar("SELECT value FROM meta WHERE key = 'seq'")
        assert isinstance(value, int)
        return value

    def changes_since(self, seq: int) -> Changes:
        """Every row written after ``seq`` (call inside a transaction for a consistent view)."""
        current = self.seq()
        if current <= seq:
            return Changes(current, [], [], [])
        documents = [
            DocumentRow(db, coll, bytes(id_), bool(deleted), None if doc is None else bytes(doc))
            for db, coll, id_, deleted, doc in self._conn.execute(
                "SELECT db, coll, id, deleted, doc FROM documents WHERE seq > ? ORDER BY seq, rowid",
                (seq,),
            )
        ]
        indexes = [
            IndexRow(db, coll, name, bool(deleted), None if spec is None else bytes(spec))
            for db, coll, name, deleted, spec in self._conn.execute(
                "SELECT db, coll, name, deleted, spec FROM indexes WHERE seq > ? ORDER BY seq", (seq,)
            )
        ]
        collections = [
            CollectionRow(db, coll, bool(created))
            for db, coll, created in self._conn.execute(
                "SELECT db, coll, created FROM collections WHERE seq > ?", (seq,)
            )
        ]
        return Changes(current, documents, indexes, collections)

    def collection(self, db: str, coll: str) -> tuple[list[tuple[bytes, bytes]], list[IndexRow], bool]:
        """A collection's live documents (id, body) in insertion order, its indexes, its created flag."""
        docs = [
            (bytes(id_), bytes(doc))
            for id_, doc in self._conn.execute(
                "SELECT id, doc FROM documents WHERE db = ? AND coll = ? AND deleted = 0 ORDER BY rowid",
                (db, coll),
            )
        ]
        indexes = [
            IndexRow(db, coll, name, False, bytes(spec))
            for name, spec in self._conn.execute(
                "SELECT name, spec FROM indexes WHERE db = ? AND coll = ? AND deleted = 0", (db, coll)
            )
        ]
        created = self._scalar("SELECT created FROM collections WHERE db = ? AND coll = ?", (db, coll))
        return docs, indexes, bool(created)

    def database_names(self) -> list[str]:
        return [row[0] for row in self._conn.execute(_NAMES.format(what="DISTINCT db", where="1"))]

    def collection_names(self, db: str) -> list[str]:
        return [
            row[0]
            for row in self._conn.execute(_NAMES.format(what="DISTINCT coll", where="db = ?"), (db,) * 3)
        ]

    # -- writing (inside a write transaction) -------------------------------------

    def put_document(self, db: str, coll: str, id_: bytes, doc: bytes, seq: int) -> None:
        self._conn.execute(
            "INSERT INTO documents (db, coll, id, seq, deleted, doc) VALUES (?, ?, ?, ?, 0, ?) "
            "ON CONFLICT (db, coll, id) DO UPDATE SET seq = excluded.seq, deleted = 0, doc = excluded.doc",
            (db, coll, id_, seq, doc),
        )

    def delete_document(self, db: str, coll: str, id_: bytes, seq: int) -> None:
        self._conn.execute(
            "UPDATE documents SET seq = ?, deleted = 1, doc = NULL WHERE db = ? AND coll = ? AND id = ?",
            (seq, db, coll, id_),
        )

    def put_index(self, db: str, coll: str, name: str, spec: bytes | None, seq: int) -> None:
        self._conn.execute(
            "INSERT INTO indexes (db, coll, name, seq, deleted, spec) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (db, coll, name) DO UPDATE SET "
            "seq = excluded.seq, deleted = excluded.deleted, spec = excluded.spec",
            (db, coll, name, seq, int(spec is None), spec),
        )

    def put_collection(self, db: str, coll: str, created: bool, seq: int) -> None:
        self._conn.execute(
            "INSERT INTO collections (db, coll, seq, created) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (db, coll) DO UPDATE SET seq = excluded.seq, created = excluded.created",
            (db, coll, seq, int(created)),
        )

    def set_seq(self, seq: int) -> None:
        self._conn.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (seq,))

    def close(self) -> None:
        self.checkpointer.stop()
        self._conn.close()

    # -- helpers ------------------------------------------------------------------

    def _scalar(self, sql: str, params: tuple[object, ...] = ()) -> object:
        row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def _retry_locked(self, statement: Callable[[], object]) -> None:
        # Switching to WAL needs a moment without other writers; they are brief.
        for attempt in range(50):
            try:
                statement()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)


class Checkpointer:
    """Moves the write-ahead log into the database, in a thread and on a connection of its own.

    Started by the first commit that wrote something; it runs a ``PASSIVE`` checkpoint
    :data:`CHECKPOINT_DELAY` seconds after a commit, so a burst of commits costs one and
    the log holds little more than that delay's writes. A checkpoint another process is
    running meanwhile is left to it. Stopping runs a last one, so a folder closed
    cleanly holds its data in the database file.
    """

    def __init__(self, path: Path, *, delay: float | None = None) -> None:
        self.path = path
        self.delay = CHECKPOINT_DELAY if delay is None else delay
        self.checkpoints = 0  # how many ran
        self._due = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def nudge(self) -> None:
        """A commit wrote to the log: checkpoint soon."""
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._stopping.is_set():
                    self._thread = threading.Thread(
                        target=self._run, name="embedded-store-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._due.set()

    def stop(self) -> None:
        """Run a last checkpoint now, and end the thread."""
        with self._lock:
            self._stopping.set()
            thread = self._thread
        self._due.set()
        if thread is not None:
            thread.join(timeout=30)

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            while not self._stopping.is_set():
                self._due.wait()
                self._stopping.wait(self.delay)  # let a burst of commits finish first
                self._due.clear()
                self._checkpoint(conn)
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.checkpoints += 1
        except sqlite3.OperationalError:  # another process's checkpoint, or the file going away
            pass


_NAMES = (
    "SELECT {what} FROM documents WHERE deleted = 0 AND {where} "
    "UNION SELECT {what} FROM indexes WHERE deleted = 0 AND {where} "
    "UNION SELECT {what} FROM collections WHERE created = 1 AND {where}"
)
