"""Identity passed between services: short-lived JWTs signed with SERVICE_AUTH_KEY.

When one service calls another on behalf of a user, it sends
``Authorization: Bearer <jwt>`` minted here. The receiver verifies the
signature, that the token is meant for it (``aud``), and that it has not
expired. Nothing else about the caller is trusted.
"""

from __future__ import annotations

import time

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from shared.auth.principal import Principal

ISSUER = "lscb"
LIFETIME_SECONDS = 60
ALGORITHMS = ["HS256"]


def looks_like_service_token(value: str) -> bool:
    return value.count(".") == 2


def mint(principal: Principal, audience: str, key: str, lifetime: int = LIFETIME_SECONDS) -> str:
    issued = int(time.time())
    claims = {
        **principal.as_claims(),
        "iss": ISSUER,
        "aud": audience,
        "iat": issued,
        "exp": issued + lifetime,
    }
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(key), algorithms=ALGORITHMS)


def verify(token: str, audience: str, key: str) -> Principal | None:
    registry = jwt.JWTClaimsRegistry(
        leeway=5,
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        sub={"essential": True},
        board={"essential": True},
    )
    try:
        claims = jwt.decode(token, OctKey.import_key(key), algorithms=ALGORITHMS).claims
        registry.validate(claims)
    except (JoseError, ValueError, TypeError):
        return None
    return Principal(
        user_id=claims["sub"],
        name=claims.get("name", ""),
        board_id=claims["board"],
        roles=frozenset(claims.get("roles", [])),
        agency=claims.get("agency"),
        via="service",
    )
