"""MongoDB's part of a backup: ``mongodump`` and ``mongorestore``, MongoDB's own tools.

Each database (a service's ``MONGODB_URI``, and the identity store's) is dumped as one
gzipped archive (``mongodump --db --archive --gzip``,
https://www.mongodb.com/docs/database-tools/mongodump/); the manifest records each
collection's count as read just before the dump, and the archive's SHA-256. The tools come from MongoDB's
Database Tools package, not from PyPI or Debian here: where they are missing the command
refuses, saying so, rather than making a backup that holds nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.uri_parser import parse_uri

from services.backup.sealed import BackupError

TOOLS = ("mongodump", "mongorestore")


def require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise BackupError(
            f"{tool} is not installed: a MongoDB store is backed up and restored with MongoDB's "
            "Database Tools (https://www.mongodb.com/docs/database-tools/installation/); "
            "install them on the machine or image that runs python -m services.backup"
        )
    return found


def database_of(uri: str, default: str) -> str:
    return parse_uri(uri).get("database") or default


def counts(uri: str, db_name: str) -> dict[str, dict[str, Any]]:
    """Every collection's document count (the digest of a MongoDB backup is the archive's)."""
    client: MongoClient[dict[str, Any]] = MongoClient(uri, serverSelectionTimeoutMS=5000)
    try:
        db = client[db_name]
        return {
            name: {"documents": db[name].count_documents({})}
            for name in sorted(db.list_collection_names())
            if not name.startswith("system.")
        }
    finally:
        client.close()


def dump(uri: str, db_name: str, archive: Path) -> str:
    """Dump one database to ``archive``; returns the archive's SHA-256."""
    command = [require("mongodump"), f"--uri={uri}", f"--db={db_name}", f"--archive={archive}", "--gzip"]
    _run(command, "mongodump")
    return sha256_of(archive)


def restore(uri: str, db_name: str, archive: Path, *, drop: bool) -> None:
    command = [require("mongorestore"), f"--uri={uri}", f"--archive={archive}", "--gzip"]
    command += [f"--nsInclude={db_name}.*"]
    if drop:
        command.append("--drop")
    _run(command, "mongorestore")


def holds_documents(uri: str, db_name: str) -> bool:
    return any(entry["documents"] for entry in counts(uri, db_name).values())


def _run(command: list[str], tool: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed ({result.returncode}): {result.stderr.strip()[-500:]}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
