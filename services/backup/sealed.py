"""A backup file: the bundle (a tar of the manifest and the store's files) sealed with ``BACKUP_KEY``.

The key is the backups' own, not the field-encryption key: whoever holds the backups can
read them only with it, and the field keys can be rotated without touching old backups.
As with ``FIELD_ENCRYPTION_KEYS`` (:mod:`shared.crypto`), ``BACKUP_KEY`` holds Fernet keys,
comma-separated, newest first: the newest seals, every one opens.

The file is a line naming the format, then the bundle in pieces of 4 MiB, each a Fernet
token (AES-128-CBC with HMAC-SHA256) preceded by its length. Each piece's sealed content
starts with its number and whether it is the last, so a piece moved, repeated, changed or
missing (a file cut short) makes the file fail to open, never open as something else.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from shared.config import DEV_BACKUP_KEY, Settings

MAGIC = b"LSCB-BACKUP 1\n"
PIECE = 4 * 1024 * 1024
_HEADER = struct.Struct(">QB")  # piece number, last piece (1) or not (0)
_LENGTH = struct.Struct(">I")


class BackupError(RuntimeError):
    """A backup cannot be made, opened or restored; the message says why."""


def cipher(settings: Settings) -> MultiFernet:
    """The backup keys; refused in production when missing, the development key, or not Fernet keys.

    Checked only when a backup command runs, so a service that never backs up starts without it.
    """
    raw = settings.BACKUP_KEY.strip()
    parts = [k.strip() for k in raw.split(",") if k.strip()]
    if settings.APP_ENV == "production" and (not parts or DEV_BACKUP_KEY in parts):
        raise BackupError("BACKUP_KEY must be set to a key of its own in production")
    if not parts:
        raise BackupError("BACKUP_KEY is empty")
    keys = []
    for n, part in enumerate(parts, start=1):
        try:
            keys.append(Fernet(part.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            raise BackupError(
                f"BACKUP_KEY key {n} is not a Fernet key (32 random bytes, URL-safe base64: "
                'make one with python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())")'
            ) from None
    return MultiFernet(keys)


def seal(source: BinaryIO, target: BinaryIO, key: MultiFernet) -> None:
    """Write ``source`` to ``target`` sealed, piece by piece."""
    target.write(MAGIC)
    number = 0
    piece = source.read(PIECE)
    while True:
        following = source.read(PIECE)
        last = not following
        token = key.encrypt(_HEADER.pack(number, int(last)) + piece)
        target.write(_LENGTH.pack(len(token)) + token)
        if last:
            return
        number, piece = number + 1, following


def unseal(path: Path, key: MultiFernet) -> Iterator[bytes]:
    """The bundle's bytes, piece by piece; BackupError when the file is not whole or the key is wrong."""
    with path.open("rb") as source:
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{path} is not a backup of this product")
        expected = 0
        while True:
            length = source.read(_LENGTH.size)
            if len(length) < _LENGTH.size:
                raise BackupError(f"{path} is cut short: its last piece is missing")
            token = source.read(_LENGTH.unpack(length)[0])
            try:
                plain = key.decrypt(token)
            except InvalidToken:
                raise BackupError(
                    f"{path} cannot be opened: BACKUP_KEY holds no key it was sealed with, "
                    "or the file was changed or cut short"
                ) from None
            number, last = _HEADER.unpack_from(plain)
            if number != expected:
                raise BackupError(f"{path} has its pieces out of order")
            yield plain[_HEADER.size :]
            if last:
                if source.read(1):
                    raise BackupError(f"{path} has bytes after its last piece")
                return
            expected += 1


def unseal_to(path: Path, target: Path, key: MultiFernet) -> None:
    with target.open("wb") as out:
        for piece in unseal(path, key):
            out.write(piece)
