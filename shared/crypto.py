"""Encryption at rest of fields that identify a child or a family member.

Values are encrypted by the application (Fernet: AES-128-CBC with HMAC-SHA256,
from the cryptography package) before they reach the store. Keys come from
``FIELD_ENCRYPTION_KEYS``, newest first: the newest encrypts, every key
decrypts. To rotate without downtime, put a new key first and keep the old
ones; then ``python -m shared.crypto rotate`` re-encrypts every stored value
with the new key (in every collection of the service's stores, embedded
documents, lists and outbox entries included), after which the old key can be
dropped.

Values that travel between services (the child's details in a referral event,
a letter to be attached to an email) are sealed with the same keys
(:func:`seal_json`, :func:`seal_bytes`) and opened only by the services that
hold them.

Stored files (GridFS: the documents service's Word files, PDFs and publication
copies) are sealed whole with the same keys (:func:`seal_file`), and rotation
rewrites them too (:func:`rotate_bucket`): every ``<bucket>.files`` collection
with its ``<bucket>.chunks`` is found and each of its files re-encrypted.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import gridfs
from bson import Binary
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from mongoengine import StringField

PREFIX = "enc:v1:"
_lock = threading.Lock()
_fernet: MultiFernet | None = None
_keys: str | None = None


def configure(keys: str) -> None:
    """Install the keys (comma-separated, newest first)."""
    global _fernet, _keys
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise ValueError("FIELD_ENCRYPTION_KEYS must hold at least one key")
    with _lock:
        _fernet = MultiFernet([Fernet(k.encode()) for k in parts])
        _keys = keys


def _cipher() -> MultiFernet:
    if _fernet is None:
        from shared.config import load_settings

        configure(load_settings().FIELD_ENCRYPTION_KEYS)
    return _fernet  # type: ignore[return-value]


def encrypt(value: str) -> str:
    return PREFIX + _cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return _cipher().decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("value cannot be decrypted with the configured keys") from exc


def rotate_value(value: str) -> str:
    return PREFIX + _cipher().rotate(value[len(PREFIX) :].encode("ascii")).decode("ascii")


def seal_json(value: Any) -> str:
    """A JSON-able value encrypted as one string, to travel or be kept sealed."""
    return encrypt(json.dumps(value, sort_keys=True, separators=(",", ":")))


def open_json(sealed: str) -> Any:
    return json.loads(decrypt(sealed))


def seal_bytes(data: bytes) -> str:
    return PREFIX + _cipher().encrypt(data).decode("ascii")


def open_bytes(sealed: str) -> bytes:
    if not sealed.startswith(PREFIX):
        raise ValueError("value is not encrypted")
    try:
        return _cipher().decrypt(sealed[len(PREFIX) :].encode("ascii"))
    except InvalidToken as exc:
        raise ValueError("value cannot be decrypted with the configured keys") from exc


class EncryptedStringField(StringField):  # type: ignore[misc]
    """A string stored encrypted. Not searchable: look records up by other fields."""

    def to_mongo(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt(str(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return value

    def validate(self, value: Any) -> None:
        if isinstance(value, str) and value.startswith(PREFIX):
            return
        super().validate(value)

    def prepare_query_value(self, op: Any, value: Any) -> Any:
        raise TypeError("encrypted fields cannot be searched")


def _rotated(value: Any) -> tuple[Any, bool]:
    """``value`` with every encrypted string in it re-encrypted, at any depth."""
    if isinstance(value, str):
        return (rotate_value(value), True) if value.startswith(PREFIX) else (value, False)
    if isinstance(value, dict):
        changed = False
        out = {}
        for key, item in value.items():
            out[key], hit = _rotated(item)
            changed |= hit
        return out, changed
    if isinstance(value, list):
        pairs = [_rotated(item) for item in value]
        return [v for v, _ in pairs], any(hit for _, hit in pairs)
    return value, False


def rotate_collection(coll: Any) -> int:
    """Re-encrypt every encrypted value of every record of one collection; returns records changed."""
    changed = 0
    for raw in coll.find({}):
        updates = {}
        for key, value in raw.items():
            if key == "_id":
                continue
            new, hit = _rotated(value)
            if hit:
                updates[key] = new
        if updates:
            coll.update_one({"_id": raw["_id"]}, {"$set": updates})
            changed += 1
    return changed


def rotate_database(db: Any) -> dict[str, int]:
    """Rotate every collection of a database, and every file of its GridFS buckets.

    Records changed by collection name; files rewritten under ``"<bucket> (files)"``.
    """
    out = {}
    for name in sorted(db.list_collection_names()):
        if name.endswith(".chunks") or name.startswith("system."):
            continue  # a bucket's chunks are bytes: rewritten file by file below
        out[name] = rotate_collection(db[name])
    for bucket in file_buckets(db):
        out[f"{bucket} (files)"] = rotate_bucket(db, bucket)
    return out


def rotate_documents(document_classes: Any) -> int:
    """Re-encrypt the encrypted values of the given mongoengine document classes' collections."""
    return sum(rotate_collection(cls._get_collection()) for cls in document_classes)


# -- Files -------------------------------------------------------------------------------
#
# A file is sealed whole, with the field-encryption keys themselves (Fernet), not with a
# data key of its own wrapped by them. Why: the files are letters and reports of tens or
# hundreds of kilobytes, read whole (to download, to convert to PDF, to show as pages),
# so nothing is gained by streaming; one format and one primitive serve fields, events
# and files alike, authenticated (a changed byte fails to open); and rotation then really
# re-encrypts each file's content under the new key. With wrapped data keys rotation
# would only re-wrap the keys and leave each file under the data key it always had, so an
# old backup and a leaked old key would still open today's files. The price is a file a
# third larger in the store (Fernet's base64), which these sizes can afford.

FILE_PREFIX = PREFIX.encode("ascii")
ROTATION_COPY = "rotation_copy"  # on a file being rewritten: the id of its complete new content
COPY_OF = "rotation_copy_of"  # on that copy: the file it is the new content of


def seal_file(data: bytes) -> bytes:
    """A file's bytes as they are stored: :func:`seal_bytes` of them, as ASCII."""
    return seal_bytes(data).encode("ascii")


def is_sealed_file(stored: bytes) -> bool:
    return stored.startswith(FILE_PREFIX)


def open_file(stored: bytes) -> bytes:
    """The bytes of a stored file; ValueError when it is not sealed or no configured key opens it."""
    if not is_sealed_file(stored):
        raise ValueError("file is not encrypted")
    return open_bytes(stored.decode("ascii"))


def reseal_file(stored: bytes) -> bytes:
    """A stored file sealed with the newest key (one kept in clear before files were sealed, sealed)."""
    if not is_sealed_file(stored):
        return seal_file(stored)
    return rotate_value(stored.decode("ascii")).encode("ascii")


def rotate_bucket(db: Any, bucket: str) -> int:
    """Re-encrypt every file of one GridFS bucket with the newest key; returns the files rewritten.

    A file keeps its id (records name it), so its content is rewritten in place. A file
    of one chunk whose size does not change (a new Fernet token is as long as the old)
    is one single-document write. Otherwise the new content is first
    stored whole as a copy and named on the file (``rotation_copy``), then written over
    the file's chunks; a rotation stopped half-way is finished from that copy by the
    next run, so no file is ever left half old and half new.
    """
    files = db[f"{bucket}.files"]
    fs = gridfs.GridFS(db, collection=bucket)
    _finish_interrupted(db, bucket)
    changed = 0
    for meta in list(files.find({COPY_OF: {"$exists": False}}, {"_id": 1})):
        try:
            stored = fs.get(meta["_id"]).read()
        except gridfs.NoFile:
            continue  # deleted meanwhile
        try:
            new = reseal_file(stored)
        except InvalidToken as exc:
            raise ValueError(f"{bucket} file {meta['_id']}: no configured key opens it") from exc
        _replace_content(db, bucket, meta["_id"], new)
        changed += 1
    return changed


def _replace_content(db: Any, bucket: str, file_id: Any, new: bytes) -> None:
    files, chunks = db[f"{bucket}.files"], db[f"{bucket}.chunks"]
    meta = files.find_one({"_id": file_id})
    if meta is None:
        return
    if meta["length"] == len(new) and len(new) <= meta["chunkSize"]:
        chunks.update_one({"files_id": file_id, "n": 0}, {"$set": {"data": Binary(new)}})
        return
    copy_id = gridfs.GridFS(db, collection=bucket).put(new, **{COPY_OF: file_id})
    files.update_one({"_id": file_id}, {"$set": {ROTATION_COPY: copy_id}})
    _write_over(db, bucket, file_id, new, copy_id)


def _write_over(db: Any, bucket: str, file_id: Any, new: bytes, copy_id: Any) -> None:
    """Write ``new`` over the chunks of ``file_id``, then forget the copy it came from."""
    files, chunks = db[f"{bucket}.files"], db[f"{bucket}.chunks"]
    size = files.find_one({"_id": file_id})["chunkSize"]
    pieces = [new[i : i + size] for i in range(0, len(new), size)]
    for n, piece in enumerate(pieces):
        _write_chunk(chunks, file_id, n, piece)
    chunks.delete_many({"files_id": file_id, "n": {"$gte": len(pieces)}})
    files.update_one(
        {"_id": file_id}, {"$set": {"length": len(new)}, "$unset": {ROTATION_COPY: "", "md5": ""}}
    )
    gridfs.GridFS(db, collection=bucket).delete(copy_id)


def _write_chunk(chunks: Any, file_id: Any, n: int, piece: bytes) -> None:
    chunks.update_one({"files_id": file_id, "n": n}, {"$set": {"data": Binary(piece)}}, upsert=True)


def _finish_interrupted(db: Any, bucket: str) -> None:
    """Finish the rewrites a stopped rotation left, and drop copies it never named."""
    files = db[f"{bucket}.files"]
    fs = gridfs.GridFS(db, collection=bucket)
    for meta in list(files.find({ROTATION_COPY: {"$exists": True}})):
        _write_over(db, bucket, meta["_id"], fs.get(meta[ROTATION_COPY]).read(), meta[ROTATION_COPY])
    for copy in list(files.find({COPY_OF: {"$exists": True}}, {COPY_OF: 1})):
        target = files.find_one({"_id": copy[COPY_OF]}, {ROTATION_COPY: 1})
        if target is None or target.get(ROTATION_COPY) != copy["_id"]:
            fs.delete(copy["_id"])


def file_buckets(db: Any) -> list[str]:
    """The GridFS buckets of a database: each ``<bucket>.files`` with its ``<bucket>.chunks``."""
    names = set(db.list_collection_names())
    return sorted(
        n.removesuffix(".files") for n in names if n.endswith(".files") and f"{n[:-6]}.chunks" in names
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m shared.crypto rotate``: re-encrypt this service's stores with the newest key."""
    import argparse

    from shared import store
    from shared.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m shared.crypto")
    parser.add_argument("command", choices=["rotate"])
    parser.parse_args(argv)
    settings = load_settings()
    configure(settings.FIELD_ENCRYPTION_KEYS)
    store.connect(settings)
    total = 0
    for alias, db in store.databases().items():
        for name, changed in rotate_database(db).items():
            if changed:
                print(f"{alias}/{name}: {changed} re-encrypted")
            total += changed
    print(f"{total} records and files re-encrypted with the newest key")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
