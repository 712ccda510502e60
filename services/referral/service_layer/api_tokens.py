"""API tokens: a member makes one for themselves, if their role uses tokens.

The admin views (``entrypoints/admin.py``) call this directly rather than through the message
bus: they are also mounted on apps without the referral service's bus (the shared routes'
contract test). The rule of who may is the domain's (:mod:`services.referral.domain.api_tokens`);
the tokens themselves live in the identity store every service shares (:mod:`shared.auth.tokens`).
"""

from __future__ import annotations

from services.referral.domain.api_tokens import check_may_make_token
from shared.auth import tokens
from shared.auth.models import ApiToken, User
from shared.auth.principal import Principal
from shared.errors import NotFound


def make_token(actor: Principal, name: str, days: int) -> tuple[str, ApiToken]:
    """A new token of the actor's, and its secret: shown this once, never stored.

    :class:`~shared.errors.Forbidden` when the actor's roles do not use tokens.
    """
    check_may_make_token(actor.roles)
    user = User.objects(user_id=actor.user_id).first()
    if user is None:  # a service acting on its own, say: nobody to hold the token
        raise NotFound("There is no user to make the token for", field="user_id")
    return tokens.issue(user, actor.board_id, name, days)
