"""The pymongo-facing side: mongomock's client, database and collection, with every operation wrapped.

Whatever may write runs as one write operation of the folder's engine;
whatever reads first takes in what other processes wrote. One engine per
folder and process (:func:`engine_for`), until :func:`forget` closes it.

- **Touched documents are found by watching the query**, because mongomock
  updates documents in place: every document a write operation's filter
  matched is compared (by a digest of its BSON) with what the file holds and
  written again if it changed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from mongomock.collection import Collection
from mongomock.database import Database
from mongomock.filtering import filter_applies
from mongomock.mongo_client import MongoClient

from shared.embedded_store.codec import _key_of
from shared.embedded_store.engine import Engine
from shared.embedded_store.errors import EmbeddedStoreError
from shared.embedded_store.stores import _Database, _Documents


def _write(base: type, name: str) -> Callable[..., Any]:
    """``base.name``, run as one write operation (looked up on each call, so a test may patch it)."""

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self._engine.writing():
            return getattr(base, name)(self, *args, **kwargs)

    return functools.update_wrapper(wrapper, getattr(base, name))


def _read(base: type, name: str) -> Callable[..., Any]:
    """``base.name``, after taking in what other processes wrote."""

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        self._engine.reading()
        return getattr(base, name)(self, *args, **kwargs)

    return functools.update_wrapper(wrapper, getattr(base, name))


class EmbeddedCollection(Collection):
    @property
    def _engine(self) -> Engine:
        return self._db_store.engine  # type: ignore[no-any-return]

    # Whatever may write runs under the write lock; whatever reads first takes in others' writes.
    insert_one = _write(Collection, "insert_one")
    insert_many = _write(Collection, "insert_many")
    update_one = _write(Collection, "update_one")
    update_many = _write(Collection, "update_many")
    replace_one = _write(Collection, "replace_one")
    find_one_and_delete = _write(Collection, "find_one_and_delete")
    find_one_and_replace = _write(Collection, "find_one_and_replace")
    find_one_and_update = _write(Collection, "find_one_and_update")
    delete_one = _write(Collection, "delete_one")
    delete_many = _write(Collection, "delete_many")
    drop = _write(Collection, "drop")
    create_index = _write(Collection, "create_index")
    create_indexes = _write(Collection, "create_indexes")
    drop_index = _write(Collection, "drop_index")
    drop_indexes = _write(Collection, "drop_indexes")
    bulk_write = _write(Collection, "bulk_write")
    aggregate = _write(Collection, "aggregate")  # a pipeline may end in $out
    find = _read(Collection, "find")
    count_documents = _read(Collection, "count_documents")
    estimated_document_count = _read(Collection, "estimated_document_count")
    distinct = _read(Collection, "distinct")
    list_indexes = _read(Collection, "list_indexes")
    index_information = _read(Collection, "index_information")

    def _iter_documents(self, filter: Any) -> Iterator[dict[str, Any]]:
        store: _Documents = self._store
        if store.is_empty:
            filter_applies(filter, {})  # type: ignore[no-untyped-call]  # mongomock validates the filter even then
        docs = store.candidates(filter)
        if docs is None:
            docs = list(store.documents)
        engine = store.engine
        recording = engine.in_write()

        def matching() -> Iterator[dict[str, Any]]:
            for doc in docs:
                if filter_applies(filter, doc):  # type: ignore[no-untyped-call]
                    if recording:
                        engine.touch(store, _key_of(doc))  # mongomock may change it in place
                    yield doc

        return matching()

    def with_options(self, *args: Any, **kwargs: Any) -> Any:
        other = super().with_options(*args, **kwargs)  # type: ignore[no-untyped-call]
        if other is self:
            return self
        return EmbeddedCollection(  # type: ignore[no-untyped-call]
            self.database,
            self.name,
            _db_store=self._db_store,
            write_concern=other._write_concern,
            read_concern=other._read_concern,
            read_preference=other._read_preference,
            codec_options=other._codec_options,
        )


class EmbeddedDatabase(Database):
    @property
    def _engine(self) -> Engine:
        return cast(_Database, self._store).engine

    drop_collection = _write(Database, "drop_collection")
    create_collection = _write(Database, "create_collection")
    list_collection_names = _read(Database, "list_collection_names")

    def get_collection(self, name: str, *args: Any, **kwargs: Any) -> Any:
        found = self._collection_accesses.get(name)
        if found is None:
            plain = super().get_collection(name, *args, **kwargs)  # type: ignore[no-untyped-call]
            found = self._collection_accesses[name] = EmbeddedCollection(  # type: ignore[no-untyped-call]
                self,
                name,
                _db_store=self._store,
                write_concern=plain._write_concern,
                read_concern=plain._read_concern,
                read_preference=plain._read_preference,
                codec_options=plain._codec_options,
            )
            return found
        return found.with_options(*args, **kwargs) if args or kwargs else found

    def with_options(self, *args: Any, **kwargs: Any) -> Any:
        other = super().with_options(*args, **kwargs)  # type: ignore[no-untyped-call]
        if other is self:
            return self
        return EmbeddedDatabase(  # type: ignore[no-untyped-call]
            self._client,
            self.name,
            self._store,
            read_preference=other._read_preference,
            codec_options=other._codec_options,
            read_concern=other._read_concern,
        )

    def rename_collection(self, *args: Any, **kwargs: Any) -> Any:
        raise EmbeddedStoreError("the embedded store cannot rename a collection")


class EmbeddedClient(MongoClient):
    """A mongomock client whose data lives in ``store_folder`` (mongoengine's ``mongo_client_class``)."""

    def __init__(self, host: Any = None, *, store_folder: str, **kwargs: Any) -> None:
        self._store_engine = engine_for(Path(store_folder))
        kwargs["_store"] = self._store_engine.server
        super().__init__(host, **kwargs)  # type: ignore[no-untyped-call]

    @property
    def _engine(self) -> Engine:
        return self._store_engine

    drop_database = _write(MongoClient, "drop_database")
    list_database_names = _read(MongoClient, "list_database_names")

    def get_database(self, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        db = super().get_database(name, *args, **kwargs)  # type: ignore[no-untyped-call]
        if not isinstance(db, EmbeddedDatabase):
            db = EmbeddedDatabase(  # type: ignore[no-untyped-call]
                self,
                db.name,
                db._store,
                read_preference=db._read_preference,
                codec_options=db._codec_options,
                read_concern=db._read_concern,
            )
            self._database_accesses[db.name] = db
        return db


# -- one engine per folder and process ----------------------------------------------------

_engines: dict[tuple[int, Path], Engine] = {}
_engines_lock = threading.Lock()


def engine_for(folder: Path) -> Engine:
    key = (os.getpid(), folder.resolve())
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = Engine(key[1])
        return engine


def forget(folder: Path) -> None:
    """Close this process's view of a folder: the next client reads it afresh (as a restart would)."""
    with _engines_lock:
        engine = _engines.pop((os.getpid(), folder.resolve()), None)
    if engine is not None:
        engine.file.close()
