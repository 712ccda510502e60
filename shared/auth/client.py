"""Calling another service over HTTP as a verified identity.

The caller mints a short-lived service token for the receiving service (its
audience) carrying the principal it acts for; the receiver verifies it like
any other credential and applies its own access rules.
"""

from __future__ import annotations

import requests

from shared.auth import service_tokens
from shared.auth.principal import Principal
from shared.config import Settings


def acting_for_board(service: str, board_id: str) -> Principal:
    """The identity a service uses when it acts on its own for a board (from an event)."""
    return Principal(
        user_id=f"service:{service}",
        name=f"{service} service",
        board_id=board_id,
        roles=frozenset({"business_unit"}),
        via="service",
    )


class ServiceClient:
    def __init__(self, settings: Settings, target: str, timeout: float = 10.0):
        self.settings = settings
        self.target = target
        self.base_url = settings.service_url(target)
        self.timeout = timeout
        self.session = requests.Session()

    def get(self, path: str, principal: Principal) -> requests.Response:
        token = service_tokens.mint(principal, self.target, self.settings.SERVICE_AUTH_KEY)
        return self.session.get(
            f"{self.base_url}{path}",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=self.timeout,
        )
