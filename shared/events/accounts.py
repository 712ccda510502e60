"""Events about people's accounts: a single-use link to set a password was issued.

The referral service administers the board's users (invitations, password resets); the
notifications service emails the link. The link is a credential: it travels sealed
(:func:`shared.crypto.seal_json`) and is opened only to write the email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from marshmallow import validate

from shared.events.base import ident
from shared.events.catalogue import event

REFERRAL = ("referral",)
PURPOSES = ("invitation", "password_reset")


@event("account.link_issued", 1, producers=REFERRAL)
@dataclass(frozen=True, kw_only=True)
class AccountLinkIssued:
    """A person was given a single-use link to create their password: an invitation or a reset."""

    link_id: str = ident()
    board_id: str = ident()
    board_name: str
    email: str = field(metadata={"validate": validate.Length(min=3, max=254)})
    name: str = field(metadata={"validate": validate.Length(min=1, max=200)})
    purpose: str = field(metadata={"validate": validate.OneOf(PURPOSES)})
    link_sealed: str  # seal_json({"url": ...})
    expires_at: datetime
