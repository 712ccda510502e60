"""The pymongo-facing side: mongomock's client, database and collection, with every operation wrapped.

Whatever may write runs as one write operation of the folder's engine;
whatever reads first takes in what other processes wrote. One engine per
folder and process (:func:`engine_for`), until :func:`forget` closes it.

- **Touched documents are found by watching the query**, because mongomock
  updates documents in place: every document a write operation's filter
  matched is compared (by a digest of its BSON) with what the file holds and
  written again if it changed.
- **A cursor copies only what it returns.** mongomock matches, sorts and copies
  every document a query matches, then applies skip and limit: a list page of
  50 of 5,000 cases copied 5,000, and ``find_one_and_update`` (a lease) read and
  rewrote every document its filter matched. Here a cursor with a limit (and
  ``find_one``, which reads one, as pymongo's does) copies only its page, and
  without a sort stops at the last document it needs; a sort on one field whose
  values are all strings, or all datetimes, uses Python's own comparison (the
  same order); an equality on an indexed field with a string is answered from
  the index without testing each document again, and a filter of string equalities
  (``$in`` of a thousand ids included) is tested with sets (``lookup.string_matcher``).
  A sorted list and a count are
  kept, and serve the same query again until a document of the collection
  changes: the next page of a list then sorts nothing.
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from mongomock import helpers
from mongomock.collection import Collection, Cursor
from mongomock.database import Database
from mongomock.filtering import filter_applies, resolve_sort_key
from mongomock.mongo_client import MongoClient

from shared.embedded_store.codec import _key_of
from shared.embedded_store.engine import Engine
from shared.embedded_store.errors import EmbeddedStoreError
from shared.embedded_store.lookup import string_matcher
from shared.embedded_store.stores import _Database, _Documents

KEPT_RESULTS = 64  # results kept per collection (read results, see ``EmbeddedCollection._kept``)


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


def _index_dict(index_list: list[Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """The index as mongomock's ``create_index`` records it (the options it keeps, as it keeps them)."""
    spec: dict[str, Any] = {"key": index_list}
    if options.get("sparse"):
        spec["sparse"] = True
    if options.get("unique"):
        spec["unique"] = True
    for option in ("expireAfterSeconds", "partialFilterExpression"):
        if options.get(option) is not None:
            spec[option] = options[option]
    return spec


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
    _create_index = _write(Collection, "create_index")
    create_indexes = _write(Collection, "create_indexes")
    drop_index = _write(Collection, "drop_index")
    drop_indexes = _write(Collection, "drop_indexes")
    bulk_write = _write(Collection, "bulk_write")
    aggregate = _write(Collection, "aggregate")  # a pipeline may end in $out
    estimated_document_count = _read(Collection, "estimated_document_count")
    distinct = _read(Collection, "distinct")
    list_indexes = _read(Collection, "list_indexes")
    index_information = _read(Collection, "index_information")

    def create_index(self, key_or_list: Any, cache_for: int = 300, session: Any = None, **kwargs: Any) -> Any:
        """As on MongoDB, an index that exists with the same options is left as it is, and nothing
        is written. (mongomock checks a unique index against every document each time: the
        ledger's, about 90,000 claims at 5,000 cases, held the write lock for 150 ms whenever a
        consumer asked for its collection after a start, and every request waited.)"""
        self._engine.reading()
        index_list = helpers.create_index_list(key_or_list)  # type: ignore[no-untyped-call]
        name = kwargs.get("name") or helpers.gen_index_name(index_list)  # type: ignore[no-untyped-call]
        if session is None and self._store.indexes.get(name) == _index_dict(index_list, kwargs):
            return name
        return self._create_index(key_or_list, cache_for, session, **kwargs)

    def find(self, *args: Any, **kwargs: Any) -> Any:
        self._engine.reading()
        cursor = Collection.find(self, *args, **kwargs)  # type: ignore[no-untyped-call]
        cursor.__class__ = EmbeddedCursor
        return cursor

    def find_one(self, filter: Any = None, *args: Any, **kwargs: Any) -> Any:
        """As mongomock's, reading no further than the first document (pymongo's ``limit(-1)``)."""
        if filter is None:
            filter = {}
        if not isinstance(filter, Mapping):
            filter = {"_id": filter}
        return next(iter(self.find(filter, *args, **kwargs).limit(-1)), None)  # -1: one, as pymongo

    def _iter_documents(self, filter: Any, first: int | None = None) -> Iterator[dict[str, Any]]:
        """The documents ``filter`` matches, in natural order; with ``first``, a caller that takes
        no more than that many (an empty filter then lists no more)."""
        store: _Documents = self._store
        if store.is_empty:
            filter_applies(filter, {})  # type: ignore[no-untyped-call]  # mongomock validates the filter even then
        docs = store.candidates(filter)
        if docs is None and first is not None and not filter:
            docs = store.first_documents(first)
        elif docs is None:
            docs = store.every_document()
        engine = store.engine
        recording = engine.in_write()
        if not recording and store.answers_exactly(filter):
            return iter(docs)

        quick = string_matcher(filter)

        def matching() -> Iterator[dict[str, Any]]:
            for doc in docs:
                matched = quick(doc) if quick is not None else None
                if matched is None:
                    matched = filter_applies(filter, doc)  # type: ignore[no-untyped-call]
                if matched:
                    if recording:
                        engine.touch(store, _key_of(doc))  # mongomock may change it in place
                    yield doc

        return matching()

    def count_documents(self, filter: Any, **kwargs: Any) -> int:
        self._engine.reading()
        if kwargs:
            return Collection.count_documents(self, filter, **kwargs)  # type: ignore[no-any-return,no-untyped-call]
        count: int = self._kept(("count", repr(filter)), lambda: Collection.count_documents(self, filter))  # type: ignore[no-untyped-call]
        return count

    def _kept(self, key: Any, make: Callable[[], Any]) -> Any:
        """The result of a read, made once and kept while no document of the collection changes
        (a list page read 50 times a second, of 5,000 cases that do not change meanwhile)."""
        store: _Documents = self._store
        if self._engine.in_write():
            return make()
        version = store.version
        kept = store.results.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        result = make()
        if len(store.results) >= KEPT_RESULTS:
            store.results.clear()
        store.results[key] = (version, result)  # made at ``version``: a change meanwhile retires it
        return result

    def _sorted(self, spec: Any, sort: Any) -> Iterable[dict[str, Any]]:
        """The documents ``spec`` matches, in ``sort`` order, as mongomock orders them; not copied,
        and, without a sort, read only as far as they are taken. A sorted list is kept (``_kept``)."""
        if not sort:
            return self._iter_documents(spec)
        return self._kept(("sorted", repr(spec), repr(sort)), lambda: list(self._sort(spec, sort)))  # type: ignore[no-any-return]

    def _sort(self, spec: Any, sort: Any) -> Iterable[dict[str, Any]]:
        dataset: Iterable[dict[str, Any]] = self._iter_documents(spec)
        for sort_key, direction in reversed(list(sort.items() if isinstance(sort, dict) else sort)):
            if sort_key == "$natural":
                if direction < 0:
                    dataset = list(reversed(list(dataset)))
                continue
            if sort_key.startswith("$"):
                raise NotImplementedError(f"Sorting by {sort_key} is not implemented in mongomock yet")
            docs = list(dataset)
            values: list[Any] = [doc.get(sort_key) for doc in docs] if "." not in sort_key else []
            kinds = {type(v) for v in values}
            naive = kinds == {datetime} and all(v.tzinfo is None for v in values)
            if values and (kinds == {str} or naive):
                # Strings compare as their UTF-8 bytes do, datetimes as instants: the BSON order.
                order = sorted(range(len(docs)), key=lambda i: values[i], reverse=direction < 0)  # noqa: B023
                dataset = [docs[i] for i in order]
            else:
                dataset = sorted(
                    docs,
                    key=lambda doc: resolve_sort_key(sort_key, doc),  # type: ignore[no-untyped-call]  # noqa: B023
                    reverse=direction < 0,
                )
        return dataset

    def _get_dataset(self, spec: Any, sort: Any, fields: Any, as_class: Any) -> Iterator[Any]:
        for document in self._sorted(spec, sort):
            yield self._copy_only_fields(document, fields, as_class)  # type: ignore[no-untyped-call]

    def _page(self, spec: Any, sort: Any, fields: Any, as_class: Any, skip: int, limit: int) -> list[Any]:
        """What ``_get_dataset`` gives from ``skip`` to ``skip + limit``, copying only those."""
        matched = self._sorted(spec, sort) if sort else self._iter_documents(spec, first=skip + limit)
        page = itertools.islice(matched, skip, skip + limit)
        found = [self._copy_only_fields(doc, fields, as_class) for doc in page]  # type: ignore[no-untyped-call]
        if self.codec_options.tz_aware:
            found = [helpers.make_datetime_timezone_aware_in_document(doc) for doc in found]  # type: ignore[no-untyped-call]
        return found

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


class EmbeddedCursor(Cursor):
    """mongomock's cursor; one with a limit copies only its page (see :meth:`EmbeddedCollection._page`)."""

    _page_of: Any = None
    _page: list[Any] | None = None

    def _compute_results(self, with_limit_and_skip: bool = False) -> list[Any]:
        whole = self._results and self._factory_last_generated_results == self._factory
        if not with_limit_and_skip or not self._limit or whole:
            return super()._compute_results(with_limit_and_skip)  # type: ignore[no-any-return,no-untyped-call]
        asked = (self._factory, self._skip, self._limit)
        if self._page is None or self._page_of != asked:
            spec, sort, fields, as_class = self._factory.args
            self._page = self.collection._page(spec, sort, fields, as_class, self._skip, abs(self._limit))
            self._page_of = asked
        return self._page


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
            # Read every collection of the database from the file now, as the service starts:
            # a collection read for the first time later (GridFS's chunks, say) would hold every
            # other reader of the process while it loads.
            self._engine.server[db.name]._load_all()
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
