"""How the embedded store encodes what it keeps in its file: documents, their keys, index specs.

A document's digest (of its BSON) tells whether it changed since the file last got it.
"""

from __future__ import annotations

import hashlib
from typing import Any

import bson
from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions
from mongomock import helpers

# How documents are kept in the file: the same BSON a MongoDB server would hold.
# mongomock keeps datetimes naive (in UTC); the client adds the time zone on the way out.
CODEC: CodecOptions[dict[str, Any]] = CodecOptions(
    document_class=dict, tz_aware=False, uuid_representation=UuidRepresentation.STANDARD
)


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
