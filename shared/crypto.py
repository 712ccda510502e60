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
"""

from __future__ import annotations

import json
import threading
from typing import Any

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
    """Rotate every collection of a database (GridFS chunks hold bytes and are left to the file store)."""
    out = {}
    for name in sorted(db.list_collection_names()):
        if name.endswith(".chunks") or name.startswith("system."):
            continue
        out[name] = rotate_collection(db[name])
    return out


def rotate_documents(document_classes: Any) -> int:
    """Re-encrypt the encrypted values of the given mongoengine document classes' collections."""
    return sum(rotate_collection(cls._get_collection()) for cls in document_classes)


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
                print(f"{alias}/{name}: {changed} records re-encrypted")
            total += changed
    print(f"{total} records re-encrypted with the newest key")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
