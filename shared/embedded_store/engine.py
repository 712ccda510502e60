"""The engine: a process's view of one store folder (the file, the loaded collections, the write lock).

- **One write at a time, everywhere.** Every operation that may change
  something (``insert_one``, ``update_one``, ``find_one_and_update``,
  ``create_index``, ...) runs inside the file's write lock: it first applies
  what other processes committed, then runs on mongomock, then writes the new
  state of every document it touched and commits. A read-modify-write is
  therefore atomic across threads and processes, and a unique index sees every
  document, whoever wrote it.
- **Reads see other processes' writes.** Before a read, a process applies what
  was committed elsewhere since it last looked (one cheap check when nothing was).

After a write operation whose commit failed, the engine reloads what the
operation touched, so memory matches the file again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from shared import foreground
from shared.embedded_store.codec import _decode_key, _encode_index
from shared.embedded_store.errors import EmbeddedStoreError
from shared.embedded_store.file import Changes, StoreFile
from shared.embedded_store.stores import _Documents, _Server


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
        store.changed()  # mongomock may now change it in place

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
        if not self.in_write():
            foreground.yield_to_requests()  # a request first, if one is being answered
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
        foreground.yield_to_requests()  # a request first, if one is being answered
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
