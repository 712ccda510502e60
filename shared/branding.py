"""What every page shows around its content: whose service it is, whom to contact, the time left.

The header names the partnership (the signed-in user's board) as the service identity; the
footer gives its business unit's address; pages of a signed-in user carry the seconds left
before the session times out, for the timeout warning (shared/static/js/app.js).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g

from shared.auth.models import Board, User
from shared.auth.principal import Principal
from shared.auth.sessions import seconds_left
from shared.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class Partnership:
    name: str | None  # None: no board known (signed out, several boards)
    contact_email: str | None


NOBODY = Partnership(name=None, contact_email=None)


def _board_id(principal: Principal | None) -> str | None:
    if principal is not None:
        return principal.board_id
    boards = list(Board.objects.only("board_id").limit(2))
    return boards[0].board_id if len(boards) == 1 else None  # a store of one board: that board


def _lookup(principal: Principal | None) -> Partnership:
    board_id = _board_id(principal)
    if board_id is None:
        return NOBODY
    board = Board.objects(board_id=board_id).only("name").first()
    if board is None:
        return NOBODY
    unit = (
        User.objects(active=True, memberships__match={"board_id": board_id, "roles": "business_unit"})
        .only("email")
        .order_by("created_at")
        .first()
    )
    return Partnership(name=board.name, contact_email=unit.email if unit is not None else None)


def partnership(principal: Principal | None) -> Partnership:
    """The partnership a page belongs to, looked up once per request; never fails a page."""
    key = principal.board_id if principal is not None else ""
    cached: dict[str, Partnership] = g.setdefault("lscb_partnership", {})
    if key not in cached:
        try:
            cached[key] = _lookup(principal)
        except Exception as exc:  # noqa: BLE001 - a page (an error page, say) shows without it
            log.warning("branding.lookup_failed", error=type(exc).__name__)
            cached[key] = NOBODY
    return cached[key]


def page_context(principal: Principal | None) -> dict[str, Any]:
    """The layout's variables besides the navigation (shared.ui gives that)."""
    found = partnership(principal)
    expires_in = None
    if principal is not None and principal.via == "session":
        expires_in = seconds_left(current_app)
    return {
        "board_name": found.name,
        "contact_email": found.contact_email,
        "session_expires_in": expires_in,
    }


def init_app(app: Flask) -> None:
    @app.context_processor
    def _partnership() -> dict[str, Any]:
        principal: Principal | None = g.get("principal")
        return page_context(principal)
