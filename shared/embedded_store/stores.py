"""mongomock's stores, backed by the file: the server, its databases and their collections.

Each collection (:class:`_Documents`) holds mongomock's documents, the digest of
each as the file holds it, and what it changed for the engine to write; mongomock
may change it only inside a write operation.

- **Equality lookups use the declared indexes.** mongomock scans a collection
  on every query; here the fields of every declared index (and ``_id``) are
  kept in hash maps (``lookup.HashIndex``), so ``{"consumer": c, "event_id": e}``
  looks at a handful of documents. The filter is still applied to each candidate, so a lookup returns
  exactly what a scan would, in the same (natural) order. A path through an
  array of documents is indexed by the value of each element, as MongoDB's
  multikey indexes are: ``{"outbox": {"$elemMatch": {"pending": True}}}`` (the
  outbox relay's sweep) looks only at documents with a pending event.
"""

from __future__ import annotations

import itertools
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import bson
import mongomock
from mongomock.store import CollectionStore, DatabaseStore, ServerStore

from shared.embedded_store.codec import CODEC, _decode_key, _digest, _encode_key, _index_spec
from shared.embedded_store.errors import EmbeddedStoreError
from shared.embedded_store.file import IndexRow
from shared.embedded_store.lookup import HashIndex

if TYPE_CHECKING:
    from shared.embedded_store.engine import Engine

# Like MongoDB's TTL monitor: expired documents go at most this often (and only during a write).
TTL_INTERVAL = 60.0


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
        self._lookups = HashIndex(())
        self._ttl_checked = 0.0
        self._ttl_next: datetime | None = None  # the earliest a document can expire; None: not known
        # Counts every change to the documents; a read's result kept with the count it was made at
        # serves again while the count is the same (``EmbeddedCollection``: sorted lists, counts).
        self.version = 0
        self.results: dict[Any, tuple[int, Any]] = {}
        super().__init__(name)  # type: ignore[no-untyped-call]
        engine.load(self)

    def changed(self) -> None:
        """A document was or is about to be changed, added or removed: kept results no longer hold."""
        self.version += 1

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
        self._ttl_next = None
        self._reindex_fields()

    # -- writes made by mongomock (inside a write operation) -------------------------

    def __setitem__(self, key: Any, val: dict[str, Any]) -> None:
        self.engine.check_writing()
        self.changed()
        super().__setitem__(key, val)  # type: ignore[no-untyped-call]
        self._place(key, val)
        self.engine.touch(self, key)

    def __delitem__(self, key: Any) -> None:
        self.engine.check_writing()
        self.changed()
        super().__delitem__(key)  # type: ignore[no-untyped-call]
        self._unplace(key)
        self.engine.touch(self, key)

    def create(self) -> None:
        self.engine.check_writing()
        super().create()  # type: ignore[no-untyped-call]
        self.engine.record_created(self, True)

    def drop(self) -> None:
        self.engine.check_writing()
        self.changed()
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
        self._ttl_next = None
        self._reindex_fields()

    def drop_index(self, index_name: str) -> None:
        self.engine.check_writing()
        super().drop_index(index_name)  # type: ignore[no-untyped-call]
        self.engine.record_index(self, index_name, None)
        self._reindex_fields()

    def _remove_expired_documents(self) -> None:
        # Only inside a write operation (the deletions must be written), at most once a minute, and
        # only once a document can have expired: a scan reads every document (the ledger holds
        # hundreds of thousands, kept for 180 days), and every read waits for it.
        if self._ttl_indexes and self.engine.in_write():
            now = time.monotonic()
            if now - self._ttl_checked >= TTL_INTERVAL:
                self._ttl_checked = now
                if self._ttl_next is not None and mongomock.utcnow() < self._ttl_next:  # type: ignore[attr-defined]
                    return
                super()._remove_expired_documents()  # type: ignore[no-untyped-call]
                self._ttl_next = datetime.max
                with self._rwlock.reader():
                    for doc in self._documents.values():
                        self._note_expiry(doc)

    def _note_expiry(self, doc: dict[str, Any]) -> None:
        """Bring the earliest expiry forward to this document's, if sooner (as mongomock expires:
        a TTL index on one field; its value a naive datetime, or the earliest of a list of them)."""
        if self._ttl_next is None:
            return
        for spec in getattr(self, "_ttl_indexes", {}).values():
            if len(spec["key"]) != 1:
                continue
            try:
                seconds = int(spec["expireAfterSeconds"])
            except ValueError:
                continue
            value = doc.get(next(iter(spec["key"]))[0])
            if isinstance(value, list):
                value = min((v for v in value if isinstance(v, datetime)), default=None)
            if isinstance(value, datetime) and value.tzinfo is None:
                at = (
                    value + timedelta(seconds=seconds)
                    if value < datetime.max - timedelta(seconds=seconds)
                    else None
                )
                if at is not None and at < self._ttl_next:
                    self._ttl_next = at

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
        self.changed()
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
        if getattr(self, "_ttl_indexes", None):
            # The earliest expiry, found while loading (before any request), so that the first
            # write after a start does not read every document to learn it.
            self._ttl_next = datetime.max
            with self._rwlock.reader():
                for doc in self._documents.values():
                    self._note_expiry(doc)

    def apply(self, key: Any, blob: bytes | None) -> None:
        """Take another process's write of one document."""
        self.changed()
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
        self._ttl_next = None
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

    def first_documents(self, count: int) -> list[dict[str, Any]]:
        """The first ``count`` documents in natural order, without listing the rest (GridFS asks
        for any one document of its two collections before every file it writes)."""
        self._remove_expired_documents()
        with self._rwlock.reader():
            return list(itertools.islice(self._documents.values(), count))

    def every_document(self) -> list[dict[str, Any]]:
        """Every document, in natural order: mongomock's ``documents``, as one list made at once."""
        self._remove_expired_documents()
        with self._rwlock.reader():
            return list(self._documents.values())

    def answers_exactly(self, filter: Any) -> bool:
        return self._lookups.answers_exactly(filter)

    def _plan(self, filter: Any) -> set[Any] | None:
        return self._lookups.plan(filter, self._documents)

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
        if fields == self._lookups.fields and not force:
            return
        self._lookups = HashIndex(fields)
        documents = getattr(self, "_documents", {})
        for key, doc in list(documents.items()):
            self._place(key, doc)

    def _place(self, key: Any, doc: dict[str, Any]) -> None:
        if key not in self._positions:
            self._positions[key] = self._next_position
            self._next_position += 1
        self._note_expiry(doc)
        self._lookups.place(key, doc)

    def _unplace(self, key: Any) -> None:
        self._positions.pop(key, None)
        self._lookups.unplace(key)

    def reindex_touched(self, keys: set[Any]) -> None:
        if keys:
            self.changed()  # mongomock changed them in place
        for key in keys:
            doc = self._documents.get(key)
            if doc is not None:
                self._place(key, doc)
