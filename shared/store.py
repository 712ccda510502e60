"""The MongoDB connection, through mongoengine.

With ``MONGODB_URI`` set, the product talks to that server (the database named
in the URI, or ``MONGODB_DB``). Unset, it runs with no server at all, on
mongomock: kept in the folder ``EMBEDDED_STORE_DIR`` (the embedded store of
:mod:`shared.embedded_store`: it survives restarts and SIGKILL, and several
processes may share it), or, when that is empty (the tests), in this process's
memory. Code above this module uses only what all three support:
single-document atomic updates, unique indexes, GridFS, no multi-document
transactions.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import mongoengine
import mongomock
from mongoengine.connection import get_db
from pymongo.uri_parser import parse_uri

from shared.config import Settings
from shared.embedded_store import EmbeddedClient, hold_folder, wipe

ALIAS = "default"
IDENTITY = "identity"  # users, sessions, tokens and the audit log, shared by every service


def connect(settings: Settings) -> None:
    """Connect the service's store and the identity store; safe to call more than once."""
    if ALIAS in mongoengine.connection._connection_settings:
        return
    _connect(ALIAS, settings.MONGODB_URI, settings)
    # With the same settings, mongoengine shares one client between the two aliases,
    # so on mongomock both see the same data.
    _connect(IDENTITY, settings.IDENTITY_MONGODB_URI or settings.MONGODB_URI, settings)


def _connect(alias: str, uri: str, settings: Settings) -> None:
    if uri:
        db = parse_uri(uri).get("database") or settings.MONGODB_DB
        mongoengine.connect(
            db=db,
            host=uri,
            alias=alias,
            uuidRepresentation="standard",
            tz_aware=True,
            serverSelectionTimeoutMS=3000,
            connect=False,
        )
    elif settings.EMBEDDED_STORE_DIR:
        _mongomock_gridfs()
        mongoengine.connect(
            db=settings.MONGODB_DB,
            host="mongodb://localhost",
            alias=alias,
            mongo_client_class=EmbeddedClient,
            store_folder=str(Path(settings.EMBEDDED_STORE_DIR).resolve()),
            uuidRepresentation="standard",
            tz_aware=True,
        )
    else:
        _mongomock_gridfs()
        mongoengine.connect(
            db=settings.MONGODB_DB,
            host="mongodb://localhost",
            alias=alias,
            mongo_client_class=mongomock.MongoClient,
            uuidRepresentation="standard",
            tz_aware=True,
        )


def hold(settings: Settings, *, fresh: bool = False) -> IO[str] | None:
    """For a start command: take the embedded store's folder (emptied first if ``fresh``).

    Returns the lock to keep open while the product runs; None when there is no folder.
    Raises :class:`shared.embedded_store.FolderInUse` when another product runs on the same folder.
    """
    if not (settings.embedded_store and settings.EMBEDDED_STORE_DIR):
        return None
    folder = Path(settings.EMBEDDED_STORE_DIR).resolve()
    lock = hold_folder(folder)
    if fresh and wipe(folder):
        print(f"FRESH=1: removed the store in {folder}; starting empty", flush=True)
    return lock


def describe(settings: Settings) -> str:
    """Where this process keeps its data, for the start-up log."""
    if settings.MONGODB_URI:
        return "MongoDB"
    if settings.EMBEDDED_STORE_DIR:
        return f"embedded, in {Path(settings.EMBEDDED_STORE_DIR).resolve()}"
    return "in memory (mongomock): gone when the process stops"


def _mongomock_gridfs() -> None:
    """Let pymongo's GridFS (stored files) run on mongomock too."""
    import mongomock.gridfs

    mongomock.gridfs.enable_gridfs_integration()  # type: ignore[no-untyped-call]


def disconnect() -> None:
    mongoengine.disconnect(alias=IDENTITY)
    mongoengine.disconnect(alias=ALIAS)
    forget_collections()


def forget_collections() -> None:
    """Make every document class look its collection up again in the store connected now.

    mongoengine keeps each class's collection once it has looked it up; after a reconnect
    those would still point at the old store.
    """
    # Walk the classes themselves: mongoengine's registry is keyed by class name, and two
    # services may each have a document class of the same name.
    pending: list[type] = [mongoengine.Document]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__dict__.get("_collection") is not None:
            cls._collection = None  # type: ignore[attr-defined]


def database() -> Any:
    """The raw pymongo (or mongomock) database, for the few places that need it."""
    return get_db(ALIAS)


def databases() -> dict[str, Any]:
    """Every database this process stores to, by alias (one entry when they are the same)."""
    out: dict[str, Any] = {}
    seen: set[tuple[int, str]] = set()
    for alias in (ALIAS, IDENTITY):
        db = get_db(alias)
        key = (id(db.client), db.name)
        if key not in seen:
            seen.add(key)
            out[alias] = db
    return out


def ping() -> None:
    """Raise if the store cannot be reached."""
    database().command("ping")
