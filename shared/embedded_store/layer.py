"""mongomock, kept in a folder and shared by the processes that open it.

Each process keeps the whole of every collection it uses in memory, in
mongomock's own structures, so queries run exactly as they do on mongomock.
What this module adds:

- **One write at a time, everywhere.** Every operation that may change
  something (``insert_one``, ``update_one``, ``find_one_and_update``,
  ``create_index``, ...) runs inside the file's write lock: it first applies
  what other processes committed, then runs on mongomock, then writes the new
  state of every document it touched and commits. A read-modify-write is
  therefore atomic across threads and processes, and a unique index sees every
  document, whoever wrote it.
- **Reads see other processes' writes.** Before a read, a process applies what
  was committed elsewhere since it last looked (one cheap check when nothing was).
- **Touched documents are found by watching the query**, because mongomock
  updates documents in place: every document a write operation's filter
  matched is compared (by a digest of its BSON) with what the file holds and
  written again if it changed.
- **Equality lookups use the declared indexes.** mongomock scans a collection
  on every query; here the fields of every declared index (and ``_id``) are
  kept in hash maps, so ``{"consumer": c, "event_id": e}`` looks at a handful of
  documents. The filter is still applied to each candidate, so a lookup returns
  exactly what a scan would, in the same (natural) order.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import bson
from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions
from bson.objectid import ObjectId
from mongomock import helpers
from mongomock.collection import Collection
from mongomock.database import Database
from mongomock.filtering import filter_applies
from mongomock.mongo_client import MongoClient
from mongomock.store import CollectionStore, DatabaseStore, ServerStore

from shared.embedded_store.file import Changes, IndexRow, StoreFile

# How documents are kept in the file: the same BSON a MongoDB server would hold.
# mongomock keeps datetimes naive (in UTC); the client adds the time zone on the way out.
CODEC: CodecOptions[dict[str, Any]] = CodecOptions(
    document_class=dict, tz_aware=False, uuid_representation=UuidRepresentation.STANDARD
)
# Like MongoDB's TTL monitor: expired documents go at most this often (and only during a write).
TTL_INTERVAL = 60.0

_SCALARS = (str, int, float, bool, ObjectId, type(None))
_COMPLEX = object()  # an indexed field whose value is an array, a document or another type


class EmbeddedStoreError(RuntimeError):
    """The embedded store was used in a way it does not support."""


def _digest(blob: bytes) -> bytes:
    return hashlib.blake2b(blob, digest_size=16).digest()


def _encode_key(key: Any) -> bytes:
    return bson.encode({"_id": key}, codec_options=CODEC)


def _decode_key(blob: bytes) -> Any:
    key = bson.decode(blob, codec_options=CODEC)["_id"]
    return helpers.hashdict(key) if isinstance(key, dict) else key  # as mongomock keys it


def _key_of(doc: dict[str, Any]) -> Any:
    key = doc["_id"]
    return helpers.hashdict(key) if isinstance(key, dict) else key


def _encode_index(spec: dict[str, Any]) -> bytes:
    # mongomock keeps an index's key as (field, direction) pairs, sometimes as a dict's items view.
    return bson.encode({**spec, "key": [list(pair) for pair in spec["key"]]}, codec_options=CODEC)


def _index_spec(blob: bytes) -> dict[str, Any]:
    spec = bson.decode(blob, codec_options=CODEC)
    spec["key"] = [tuple(pair) for pair in spec["key"]]  # BSON turns mongomock's tuples into lists
    return spec


def _lookup(doc: Any, path: str) -> Any:
    """The value an equality on ``path`` compares with, or ``_COMPLEX`` when it is not a plain scalar."""
    value = doc
    for part in path.split("."):
        if not isinstance(value, dict):
            return _COMPLEX
        if part not in value:
            return None  # {field: None} matches a missing field
        value = value[part]
    return value if isinstance(value, _SCALARS) else _COMPLEX


def _equal_to(condition: Any) -> list[Any] | None:
    """The values a filter condition restricts a field to, or None if it is not an equality."""
    if isinstance(condition, _SCALARS):
        return [condition]
    if isinstance(condition, dict) and condition and all(str(k).startswith("$") for k in condition):
        if "$eq" in condition and isinstance(condition["$eq"], _SCALARS):
            return [condition["$eq"]]
        values = condition.get("$in")
        if isinstance(values, list | tuple) and all(isinstance(v, _SCALARS) for v in values):
            return list(values)
    return None


# -- the engine: one per folder and process ------------------------------------------------


class Engine:
    """A process's view of one store folder: the file, the loaded collections, the write lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = StoreFile(folder)
        self.server = _Server(self)
        self._mutex = threading.RLock()
        self._writer: int | None = None  # the thread running a write operation (or applying changes)
        self._depth = 0
        self._seq = self.file.seq()
        self._touched: dict[_Documents, set[Any]] = {}
        self._index_changes: dict[tuple[_Documents, str], dict[str, Any] | None] = {}
        self._created_changes: dict[_Documents, bool] = {}

    # -- what the collections ask ----------------------------------------------------

    def in_write(self) -> bool:
        return self._writer == threading.get_ident()

    def check_writing(self) -> None:
        if not self.in_write():
            raise EmbeddedStoreError("the embedded store was changed outside a write operation")

    def touch(self, store: _Documents, key: Any) -> None:
        self._touched.setdefault(store, set()).add(key)

    def touched(self, store: _Documents) -> set[Any]:
        return self._touched.get(store, set()) if self.in_write() else set()

    def record_index(self, store: _Documents, name: str, spec: dict[str, Any] | None) -> None:
        self._index_changes[(store, name)] = spec

    def record_created(self, store: _Documents, created: bool) -> None:
        self._created_changes[store] = created

    # -- operations ------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Run one operation that may write: atomic across the threads and processes of this folder."""
        with self._mutex:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth, self._writer = 1, threading.get_ident()
            try:
                self.file.begin(write=True)
                failure: BaseException | None = None
                try:
                    self._apply(self.file.changes_since(self._seq))
                    try:
                        yield
                    except BaseException as exc:  # noqa: BLE001 - what it did before failing is kept, as on MongoDB
                        failure = exc
                    self._flush()
                    self.file.commit()
                except BaseException:
                    self.file.rollback()
                    self._resync()
                    raise
                if failure is not None:
                    raise failure
            finally:
                self._touched.clear()
                self._index_changes.clear()
                self._created_changes.clear()
                self._depth, self._writer = 0, None

    def reading(self) -> None:
        """Before a read: apply what other processes committed since we last looked."""
        if self.in_write():
            return
        with self._mutex:
            if not self.file.changed_elsewhere():
                return
            with self.file.snapshot():
                self._apply(self.file.changes_since(self._seq))

    def load(self, store: _Documents) -> None:
        """Fill a collection opened for the first time in this process from the file."""
        with self._mutex:
            with self.file.snapshot():
                docs, indexes, created = self.file.collection(store.db, store.name)
            store.fill(docs, indexes, created)  # before another thread applies later changes

    # -- internals -------------------------------------------------------------------

    def _apply(self, changes: Changes) -> None:
        for row in changes.documents:
            store = self.server.loaded(row.db, row.coll)
            if store is not None:
                store.apply(_decode_key(row.id), row.doc)
        for index in changes.indexes:
            store = self.server.loaded(index.db, index.coll)
            if store is not None:
                store.apply_index(index)
        for flag in changes.collections:
            store = self.server.loaded(flag.db, flag.coll)
            if store is not None:
                store._is_force_created = flag.created
        self._seq = max(self._seq, changes.seq)

    def _flush(self) -> None:
        seq = self._seq + 1
        wrote = False
        for store, keys in self._touched.items():
            store.reindex_touched(keys)  # mongomock changed some in place
            for key in keys:
                wrote = store.persist(key, seq) or wrote
        for (store, name), spec in self._index_changes.items():
            blob = None if spec is None else _encode_index(spec)
            self.file.put_index(store.db, store.name, name, blob, seq)
            wrote = True
        for store, created in self._created_changes.items():
            self.file.put_collection(store.db, store.name, created, seq)
            wrote = True
        if wrote:
            self.file.set_seq(seq)
            self._seq = seq

    def _resync(self) -> None:
        """After a failed commit: reload what the operation touched, so memory matches the file again."""
        stores = set(self._touched) | {s for s, _ in self._index_changes} | set(self._created_changes)
        for store in stores:
            self.load(store)


# -- mongomock's stores, backed by the file -------------------------------------------------


class _Server(ServerStore):
    def __init__(self, engine: Engine) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.engine = engine

    def __getitem__(self, db_name: str) -> _Database:
        db = self._databases.get(db_name)
        if db is None:
            with self.engine._mutex:
                db = self._databases.get(db_name)
                if db is None:
                    db = self._databases[db_name] = _Database(self.engine, db_name)
        return db

    def loaded(self, db: str, coll: str) -> _Documents | None:
        database = self._databases.get(db)
        return None if database is None else database._collections.get(coll)

    def list_created_database_names(self) -> list[str]:
        with self.engine._mutex, self.engine.file.snapshot():
            names = dict.fromkeys([*self._databases, *self.engine.file.database_names()])
        return [name for name in names if self[name].is_created]


class _Database(DatabaseStore):
    def __init__(self, engine: Engine, name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.engine = engine
        self.name = name

    def __getitem__(self, col_name: str) -> _Documents:
        coll = self._collections.get(col_name)
        if coll is None:
            with self.engine._mutex:
                coll = self._collections.get(col_name)
                if coll is None:
                    coll = _Documents(self.engine, self.name, col_name)  # loaded before it is shown
                    self._collections[col_name] = coll
        return coll

    def _load_all(self) -> None:
        with self.engine._mutex, self.engine.file.snapshot():
            names = self.engine.file.collection_names(self.name)
        for name in names:
            self[name]

    def list_created_collection_names(self) -> list[str]:
        self._load_all()
        return [name for name, col in list(self._collections.items()) if col.is_created]

    @property
    def is_created(self) -> bool:
        self._load_all()
        return any(col.is_created for col in list(self._collections.values()))

    def rename(self, name: str, new_name: str) -> None:
        raise EmbeddedStoreError("the embedded store cannot rename a collection")


class _Documents(CollectionStore):
    """One collection: mongomock's documents, the file's digests, hash maps of the indexed fields."""

    def __init__(self, engine: Engine, db: str, name: str) -> None:
        self.engine = engine
        self.db = db
        self._indexes: dict[str, dict[str, Any]] = {}
        self._digests: dict[Any, bytes] = {}
        self._positions: dict[Any, int] = {}
        self._next_position = 0
        self._fields: tuple[str, ...] = ()
        self._buckets: dict[str, dict[Any, set[Any]]] = {}
        self._complex: dict[str, set[Any]] = {}
        self._entries: dict[Any, dict[str, Any]] = {}
        self._ttl_checked = 0.0
        super().__init__(name)  # type: ignore[no-untyped-call]
        engine.load(self)

    # mongomock's drop_indexes assigns a new dict: keep track of the names it drops.
    @property
    def indexes(self) -> dict[str, dict[str, Any]]:
        return self._indexes

    @indexes.setter
    def indexes(self, value: dict[str, dict[str, Any]]) -> None:
        for name in self._indexes:
            if name not in value:
                self.engine.check_writing()
                self.engine.record_index(self, name, None)
        self._indexes = value
        self._ttl_indexes = {
            n: spec for n, spec in value.items() if spec.get("expireAfterSeconds") is not None
        }
        self._reindex_fields()

    # -- writes made by mongomock (inside a write operation) -------------------------

    def __setitem__(self, key: Any, val: dict[str, Any]) -> None:
        self.engine.check_writing()
        super().__setitem__(key, val)  # type: ignore[no-untyped-call]
        self._place(key, val)
        self.engine.touch(self, key)

    def __delitem__(self, key: Any) -> None:
        self.engine.check_writing()
        super().__delitem__(key)  # type: ignore[no-untyped-call]
        self._unplace(key)
        self.engine.touch(self, key)

    def create(self) -> None:
        self.engine.check_writing()
        super().create()  # type: ignore[no-untyped-call]
        self.engine.record_created(self, True)

    def drop(self) -> None:
        self.engine.check_writing()
        for key in list(self._documents):
            self.engine.touch(self, key)
        for name in list(self._indexes):
            self.engine.record_index(self, name, None)
        self.engine.record_created(self, False)
        with self._rwlock.writer():
            self._documents.clear()
        self._indexes = {}
        self._ttl_indexes = {}
        self._is_force_created = False
        self._positions.clear()
        self._reindex_fields(force=True)

    def create_index(self, index_name: str, index_dict: dict[str, Any]) -> None:
        self.engine.check_writing()
        super().create_index(index_name, index_dict)  # type: ignore[no-untyped-call]
        self.engine.record_index(self, index_name, index_dict)
        self._reindex_fields()

    def drop_index(self, index_name: str) -> None:
        self.engine.check_writing()
        super().drop_index(index_name)  # type: ignore[no-untyped-call]
        self.engine.record_index(self, index_name, None)
        self._reindex_fields()

    def _remove_expired_documents(self) -> None:
        # Only inside a write operation (the deletions must be written), and at most once a minute.
        if self._ttl_indexes and self.engine.in_write():
            now = time.monotonic()
            if now - self._ttl_checked >= TTL_INTERVAL:
                self._ttl_checked = now
                super()._remove_expired_documents()  # type: ignore[no-untyped-call]

    # -- the file ----------------------------------------------------------------------

    def persist(self, key: Any, seq: int) -> bool:
        """Write a touched document's state to the file if it changed; whether it wrote."""
        doc = self._documents.get(key)
        if doc is None:
            if self._digests.pop(key, None) is None:
                return False  # never stored (inserted and removed in one operation)
            self.engine.file.delete_document(self.db, self.name, _encode_key(key), seq)
            return True
        blob = bson.encode(doc, codec_options=CODEC)
        digest = _digest(blob)
        if self._digests.get(key) == digest:
            return False
        self.engine.file.put_document(self.db, self.name, _encode_key(key), blob, seq)
        self._digests[key] = digest
        return True

    def fill(self, docs: list[tuple[bytes, bytes]], indexes: list[IndexRow], created: bool) -> None:
        """Replace the contents with what the file holds."""
        with self._rwlock.writer():
            self._documents.clear()
            self._digests.clear()
            self._positions.clear()
            for id_blob, blob in docs:
                key = _decode_key(id_blob)
                self._documents[key] = bson.decode(blob, codec_options=CODEC)
                self._digests[key] = _digest(blob)
                self._positions[key] = self._next_position
                self._next_position += 1
        self._indexes = {}
        for row in indexes:
            self.apply_index(row)
        self._is_force_created = created
        self._reindex_fields(force=True)

    def apply(self, key: Any, blob: bytes | None) -> None:
        """Take another process's write of one document."""
        with self._rwlock.writer():
            if blob is None:
                self._documents.pop(key, None)
                self._digests.pop(key, None)
            else:
                doc = bson.decode(blob, codec_options=CODEC)
                self._documents[key] = doc
                self._digests[key] = _digest(blob)
        if blob is None:
            self._unplace(key)
        else:
            self._place(key, doc)

    def apply_index(self, row: IndexRow) -> None:
        if row.spec is None:
            self._indexes.pop(row.name, None)
            self._ttl_indexes.pop(row.name, None)
        else:
            spec = _index_spec(row.spec)
            self._indexes[row.name] = spec
            if spec.get("expireAfterSeconds") is not None:
                self._ttl_indexes[row.name] = spec
        self._reindex_fields()

    # -- equality lookups on indexed fields ----------------------------------------------

    def candidates(self, filter: Any) -> list[dict[str, Any]] | None:
        """The documents a filter may match, in natural order; None when it needs a scan."""
        keys = self._plan(filter)
        if keys is None:
            return None
        keys = keys | self.engine.touched(self)  # changed in place by this operation
        with self._rwlock.reader():
            found = [k for k in keys if k in self._documents]
            found.sort(key=self._positions.__getitem__)
            return [self._documents[k] for k in found]

    def _plan(self, filter: Any) -> set[Any] | None:
        if not isinstance(filter, dict):
            return None
        best: set[Any] | None = None
        for field, condition in filter.items():
            found: set[Any] | None = None
            if field == "$and" and isinstance(condition, list):
                for part in condition:
                    sub = self._plan(part)
                    if sub is not None and (found is None or len(sub) < len(found)):
                        found = sub
            elif not field.startswith("$"):
                values = _equal_to(condition)
                if values is None:
                    continue
                if field == "_id":
                    found = {v for v in values if v in self._documents}
                elif field in self._buckets:
                    bucket = self._buckets[field]
                    found = set(self._complex[field])
                    for value in values:
                        found.update(bucket.get(value, ()))
            if found is not None and (best is None or len(found) < len(best)):
                best = found
        return best

    def _reindex_fields(self, force: bool = False) -> None:
        fields = tuple(
            sorted(
                {
                    name
                    for spec in self._indexes.values()
                    for name, _ in spec.get("key", ())
                    if name != "_id" and not name.startswith("$")
                }
            )
        )
        if fields == self._fields and not force:
            return
        self._fields = fields
        self._buckets = {f: {} for f in fields}
        self._complex = {f: set() for f in fields}
        self._entries = {}
        documents = getattr(self, "_documents", {})
        for key, doc in list(documents.items()):
            self._place(key, doc)

    def _place(self, key: Any, doc: dict[str, Any]) -> None:
        if key not in self._positions:
            self._positions[key] = self._next_position
            self._next_position += 1
        self._unplace(key, keep_position=True)
        entry: dict[str, Any] = {}
        for field in self._fields:
            value = _lookup(doc, field)
            if value is _COMPLEX:
                self._complex[field].add(key)
            else:
                self._buckets[field].setdefault(value, set()).add(key)
            entry[field] = value
        self._entries[key] = entry

    def _unplace(self, key: Any, keep_position: bool = False) -> None:
        if not keep_position:
            self._positions.pop(key, None)
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for field, value in entry.items():
            if value is _COMPLEX:
                self._complex.get(field, set()).discard(key)
                continue
            bucket = self._buckets.get(field, {})
            keys = bucket.get(value)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del bucket[value]

    def reindex_touched(self, keys: set[Any]) -> None:
        for key in keys:
            doc = self._documents.get(key)
            if doc is not None:
                self._place(key, doc)


# -- mongomock's client, database and collection, with every operation wrapped ------------------


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
