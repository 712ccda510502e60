"""A letter to be attached: the file the documents service sent with ``document.generated``.

It is kept sealed (encrypted with the field-encryption keys) from the moment
it arrives until the message carrying it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Letter:
    document_id: str
    board_id: str
    case_id: str
    kind: str
    version: int
    filename: str = field(repr=False)
    content_type: str
    content_hash: str  # sha256 of the file, hex
    sealed: str = field(repr=False)
