"""The embedded store's part of a backup: its one SQLite file, copied while the product may run.

The copy is made with SQLite's online backup API (``sqlite3.Connection.backup``), which
reads the database page by page inside read transactions and starts again from the first
page if another connection writes meanwhile, so the copy is one consistent state of the
store even while the services keep writing (https://www.sqlite.org/backup.html). A plain
file copy could catch a write half done, or miss what is still in the write-ahead log.

What the manifest says of each collection is read from the copy: the live documents'
count, and a SHA-256 over their ids and BSON bodies in id order.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from services.backup.sealed import BackupError
from shared.embedded_store.file import FILENAME

STORE_FILE = FILENAME


def snapshot(folder: Path, target: Path) -> None:
    """Copy the store in ``folder`` to ``target`` (a new SQLite file), consistently."""
    source_path = folder / FILENAME
    if not source_path.exists():
        raise BackupError(f"there is no embedded store in {folder} ({FILENAME} is missing)")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=1024)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()


def describe(path: Path) -> dict[str, Any]:
    """Every database's collections in the SQLite file at ``path``: document count and digest each."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT db, coll, id, doc FROM documents WHERE deleted = 0 ORDER BY db, coll, id")
        out: dict[str, dict[str, dict[str, Any]]] = {}
        digests: dict[tuple[str, str], Any] = {}
        for db, coll, id_, doc in rows:
            entry = out.setdefault(db, {}).setdefault(coll, {"documents": 0, "sha256": ""})
            entry["documents"] += 1
            digest = digests.setdefault((db, coll), hashlib.sha256())
            for blob in (bytes(id_), bytes(doc)):
                digest.update(len(blob).to_bytes(8, "big") + blob)
        for db, coll in conn.execute("SELECT db, coll FROM collections WHERE created = 1"):
            out.setdefault(db, {}).setdefault(coll, {"documents": 0, "sha256": ""})
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the store file in the backup cannot be read: {exc}") from None
    finally:
        conn.close()
    for (db, coll), digest in digests.items():
        out[db][coll]["sha256"] = digest.hexdigest()
    for colls in out.values():
        for entry in colls.values():
            entry["sha256"] = entry["sha256"] or hashlib.sha256().hexdigest()
    return {db: dict(sorted(colls.items())) for db, colls in sorted(out.items())}


def holds_documents(folder: Path) -> bool:
    """Whether the store in ``folder`` holds any live document (a target that is not empty)."""
    path = folder / FILENAME
    if not path.exists():
        return False
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    try:
        return conn.execute("SELECT 1 FROM documents WHERE deleted = 0 LIMIT 1").fetchone() is not None
    except sqlite3.DatabaseError:
        return True  # something is there that is not an empty store: do not overwrite it unasked
    finally:
        conn.close()


def put_in_place(restored: Path, folder: Path) -> None:
    """Make ``restored`` the store of ``folder`` (the product must not be running on it)."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        (folder / (FILENAME + suffix)).unlink(missing_ok=True)
    restored.replace(folder / FILENAME)
