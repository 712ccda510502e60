"""The MongoDB connection, through mongoengine.

With ``MONGODB_URI`` set, the product talks to that server (the database named
in the URI, or ``MONGODB_DB``). Unset, it runs on mongomock, an in-memory
stand-in, so the product starts with no server at all. Code above this module
uses only what both support: single-document atomic updates, unique indexes,
no multi-document transactions.
"""

from __future__ import annotations

import mongoengine
import mongomock
from mongoengine.connection import get_db
from pymongo.uri_parser import parse_uri

from shared.config import Settings

ALIAS = "default"


def connect(settings: Settings) -> None:
    """Connect the default mongoengine alias; safe to call more than once."""
    if ALIAS in mongoengine.connection._connection_settings:
        return
    if settings.MONGODB_URI:
        db = parse_uri(settings.MONGODB_URI).get("database") or settings.MONGODB_DB
        mongoengine.connect(
            db=db,
            host=settings.MONGODB_URI,
            alias=ALIAS,
            uuidRepresentation="standard",
            tz_aware=True,
            serverSelectionTimeoutMS=3000,
            connect=False,
        )
    else:
        mongoengine.connect(
            db=settings.MONGODB_DB,
            host="mongodb://localhost",
            alias=ALIAS,
            mongo_client_class=mongomock.MongoClient,
            uuidRepresentation="standard",
            tz_aware=True,
        )


def disconnect() -> None:
    mongoengine.disconnect(alias=ALIAS)


def database():
    """The raw pymongo (or mongomock) database, for the few places that need it."""
    return get_db(ALIAS)


def ping() -> None:
    """Raise if the store cannot be reached."""
    database().command("ping")
