"""Single-use links to create a password: an invitation to a new account, or a password reset.

A link carries a token that is signed (itsdangerous, with the app's secret key and a salt of its
own purpose, so a reset token never opens an invitation and the other way round) and expires
(72 hours for an invitation, 1 hour for a reset). The identity store keeps only a hash of the
token, and the token can be used once: using it is one atomic update that succeeds only while
the link is unused and unexpired. Issuing a new link for the same person and purpose withdraws
the ones they had.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from mongoengine import DateTimeField, StringField

from shared.auth.models import User, aware, now
from shared.bus import OutboxDocument
from shared.store import IDENTITY

INVITATION = "invitation"
PASSWORD_RESET = "password_reset"
LIFETIMES = {INVITATION: timedelta(hours=72), PASSWORD_RESET: timedelta(hours=1)}


class AccountLink(OutboxDocument):
    """One link sent to one person. The email that carries it is raised as an event with it."""

    meta: dict[str, Any] = {
        "collection": "account_links",
        "db_alias": IDENTITY,
        "indexes": [{"fields": ["token_hash"], "unique": True}, ("user_id", "purpose")],
    }

    link_id = StringField(primary_key=True, default=lambda: str(uuid.uuid4()))
    token_hash = StringField(required=True)
    user_id = StringField(required=True)
    board_id = StringField(required=True)
    purpose = StringField(required=True, choices=tuple(LIFETIMES))
    issued_by = StringField()  # the user id of the administrator; None when the person asked
    created_at = DateTimeField(required=True, default=now)
    expires_at = DateTimeField(required=True)
    used_at = DateTimeField()
    withdrawn_at = DateTimeField()


class LinkRefused(Exception):
    """The link cannot be used. ``reason`` is for the audit log; the page says the same to everyone."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Opened:
    link: AccountLink
    user: User


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"lscb.account-link.{purpose}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(
    user: User, board_id: str, purpose: str, secret_key: str, issued_by: str | None = None
) -> tuple[str, AccountLink]:
    """A new link (not yet saved: the caller raises its email's event and saves it) and its token.

    The token is returned once and never stored; earlier unused links of the same purpose are
    withdrawn.
    """
    if purpose not in LIFETIMES:
        raise ValueError(f"unknown purpose {purpose!r}")
    at = now()
    link = AccountLink(
        user_id=user.user_id,
        board_id=board_id,
        purpose=purpose,
        issued_by=issued_by,
        created_at=at,
        expires_at=at + LIFETIMES[purpose],
    )
    token = _serializer(secret_key, purpose).dumps({"l": link.link_id, "n": secrets.token_urlsafe(24)})
    link.token_hash = token_hash(token)
    AccountLink.objects(user_id=user.user_id, purpose=purpose, used_at=None, withdrawn_at=None).update(
        set__withdrawn_at=at
    )
    return token, link


def _check(token: str, purpose: str, secret_key: str) -> AccountLink:
    try:
        _serializer(secret_key, purpose).loads(token, max_age=int(LIFETIMES[purpose].total_seconds()))
    except SignatureExpired:
        raise LinkRefused("expired") from None
    except BadSignature:
        raise LinkRefused("bad signature or another purpose") from None
    link: AccountLink | None = AccountLink.objects(token_hash=token_hash(token)).first()
    if link is None or link.purpose != purpose:
        raise LinkRefused("unknown")
    if link.used_at is not None:
        raise LinkRefused("used")
    if link.withdrawn_at is not None:
        raise LinkRefused("withdrawn")
    if aware(link.expires_at) <= now():
        raise LinkRefused("expired")
    return link


def _user_for(link: AccountLink) -> User:
    user: User | None = User.objects(user_id=link.user_id).first()
    if user is None or not user.active_in(link.board_id):
        raise LinkRefused("account deactivated")
    return user


def peek(token: str, purpose: str, secret_key: str) -> Opened:
    """The link and its person, if the link may still be used; it stays unused."""
    link = _check(token, purpose, secret_key)
    return Opened(link, _user_for(link))


def use(token: str, purpose: str, secret_key: str) -> Opened:
    """Use the link up: once only, even when two requests race (the second is refused)."""
    link = _check(token, purpose, secret_key)
    user = _user_for(link)
    at = now()
    taken = AccountLink.objects(
        link_id=link.link_id, used_at=None, withdrawn_at=None, expires_at__gt=at
    ).update_one(set__used_at=at)
    if not taken:
        raise LinkRefused("used")
    return Opened(link, user)
