"""The identity a service acts under when it works on its own for a board (from an event)."""

from __future__ import annotations

from shared.auth.principal import Principal


def acting_for_board(service: str, board_id: str) -> Principal:
    """The identity a service uses when it acts on its own for a board (from an event)."""
    return Principal(
        user_id=f"service:{service}",
        name=f"{service} service",
        board_id=board_id,
        roles=frozenset({"business_unit"}),
        via="service",
    )
