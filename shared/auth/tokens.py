"""API bearer tokens: random, stored hashed, bound to a user and a board, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from shared.auth.models import ApiToken, User, aware, now
from shared.auth.principal import Principal

PREFIX = "lscb_"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user: User, board_id: str, name: str, days: int, secret: str | None = None) -> tuple[str, ApiToken]:
    """Create a token; the secret is returned once and never stored."""
    secret = secret or PREFIX + secrets.token_urlsafe(32)  # 256 bits
    made = now()  # one instant: a token of 30 days lasts 30 days from when it was made
    token = ApiToken(
        token_hash=token_hash(secret),
        user_id=user.user_id,
        board_id=board_id,
        name=name,
        created_at=made,
        expires_at=made + timedelta(days=days),
    )
    token.save(force_insert=True)
    return secret, token


def authenticate(secret: str) -> Principal | None:
    token: ApiToken | None = ApiToken.objects(token_hash=token_hash(secret)).first()
    at = now()
    if token is None or token.revoked_at is not None or aware(token.expires_at) <= at:
        return None
    user: User | None = User.objects(user_id=token.user_id).first()
    if user is None:
        return None
    principal = Principal.for_user(user, token.board_id, via="token", token_id=token.token_id)
    last = aware(token.last_used_at)
    if principal is not None and (last is None or at - last > timedelta(minutes=1)):
        # When a token was last used, to the minute: not one write per request.
        ApiToken.objects(token_id=token.token_id).update_one(set__last_used_at=at)
    return principal


def revoke(token: ApiToken) -> None:
    ApiToken.objects(token_id=token.token_id, revoked_at=None).update_one(set__revoked_at=now())
