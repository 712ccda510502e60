"""What every delivery channel shares: the message, the receipt, the errors, the interface.

A channel takes a ``Message`` and either returns a ``Receipt`` or raises a
``DeliveryError`` that says whether trying again later can help
(``TemporaryDeliveryError``) or not (``PermanentDeliveryError``), or that
nobody can know whether the message went (``UncertainDeliveryError``: the
server had the whole message when the connection broke, before its answer).
Deciding when to try again is the caller's business; a channel makes one
attempt, and gives every attempt of a message the identity the caller
recorded for it (``Message.message_id``, made once by ``identify``).

The records behind these messages describe children who died or were seriously
harmed (DOMAIN.md, "Data protection"), so nothing here puts a message's body in
an error, and the value objects leave addresses, subjects and bodies out of
their repr, which ends up in logs and tracebacks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Attachment:
    filename: str = field(repr=False)
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Message:
    to: str = field(repr=False)
    subject: str = field(repr=False)
    body_text: str = field(repr=False)
    body_html: str | None = field(repr=False)
    attachments: tuple[Attachment, ...]
    reference: str  # an opaque id for the ledger, never personal data
    # What the recipient's side sees of this message's identity, the same on every attempt:
    # the SMTP Message-ID or Notify's reference (``Channel.identify``). None: made from ``reference``.
    message_id: str | None = None


@dataclass(frozen=True)
class Receipt:
    channel: str
    provider_id: str | None  # the SMTP Message-ID, or Notify's notification id


class DeliveryError(Exception):
    """A send that did not go through. ``reason`` never contains the message's body."""

    retryable: bool = False

    def __init__(self, reason: str, *, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code  # the SMTP reply code or HTTP status, when there was one


class TemporaryDeliveryError(DeliveryError):
    """Worth trying again later: the server was down, busy or asked us to come back."""

    retryable = True


class PermanentDeliveryError(DeliveryError):
    """Trying again will fail the same way: refused recipient, bad configuration, bad message."""

    retryable = False


class UncertainDeliveryError(DeliveryError):
    """The server had the whole message when the link failed, before it answered: it may have gone.

    Sending it again on its own could make a duplicate; a person decides.
    """

    retryable = False


class Channel(Protocol):
    name: str

    def identify(self, reference: str) -> str:
        """The identity every attempt of the message ``reference`` names carries on this channel."""
        ...

    def send(self, message: Message) -> Receipt: ...


_MAX_REASON = 500
_MAX_FILENAME = 200


def short_reason(text: str) -> str:
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def safe_filename(filename: str, default: str = "attachment") -> str:
    """A name that is only a name: no folders, no control characters, not hidden, not too long."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in name)
    name = " ".join(name.split()).lstrip(".").strip()
    if len(name) > _MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: _MAX_FILENAME - len(ext) - 1] + "." + ext
        else:
            name = name[:_MAX_FILENAME]
    return name or default
