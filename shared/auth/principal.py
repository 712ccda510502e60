"""Who is making a request, on which board, with which roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from shared.auth.models import AGENCY_ROLES, User


@dataclass(frozen=True)
class Principal:
    user_id: str
    name: str
    board_id: str
    roles: frozenset[str]
    agency: str | None = None
    via: str = "session"  # "session", "token" or "service"
    token_id: str | None = field(default=None, compare=False)

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))

    @property
    def agency_only(self) -> bool:
        """True when every role is an agency role: such users see only their agency's work."""
        return bool(self.roles) and self.roles <= AGENCY_ROLES

    @classmethod
    def for_user(cls, user: User, board_id: str, via: str, token_id: str | None = None) -> Principal | None:
        membership = user.membership(board_id)
        if membership is None or not user.active_in(board_id):
            return None
        return cls(
            user_id=user.user_id,
            name=user.name,
            board_id=board_id,
            roles=frozenset(membership.roles),
            agency=membership.agency,
            via=via,
            token_id=token_id,
        )

    @classmethod
    def acting_service(cls, service: str, board_id: str) -> Principal:
        """The identity a service acts under when it works on its own for a board (from an event)."""
        return cls(
            user_id=f"service:{service}",
            name=f"{service} service",
            board_id=board_id,
            roles=frozenset({"business_unit"}),
            via="service",
        )
