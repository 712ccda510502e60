"""Encryption at rest of fields that identify a child or a family member.

Values are encrypted by the application (Fernet: AES-128-CBC with HMAC-SHA256,
from the cryptography package) before they reach the store. Keys come from
``FIELD_ENCRYPTION_KEYS``, newest first: the newest encrypts, every key
decrypts. To rotate without downtime, put a new key first and keep the old
ones; then ``python -m shared.crypto rotate`` re-encrypts stored values with
the new key, after which the old key can be dropped.
"""

from __future__ import annotations

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


class EncryptedStringField(StringField):
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

    def prepare_query_value(self, op, value):
        raise TypeError("encrypted fields cannot be searched")


def rotate_documents(document_classes) -> int:
    """Re-encrypt every encrypted field of every document with the newest key."""
    changed = 0
    for cls in document_classes:
        names = [n for n, f in cls._fields.items() if isinstance(f, EncryptedStringField)]
        coll = cls._get_collection()
        for raw in coll.find({}, {n: 1 for n in names}):
            updates = {
                n: rotate_value(raw[n])
                for n in names
                if isinstance(raw.get(n), str) and raw[n].startswith(PREFIX)
            }
            if updates:
                coll.update_one({"_id": raw["_id"]}, {"$set": updates})
                changed += 1
    return changed
