"""Who may see and do what in a review.

- The business unit and admins: everything on their board (and they may record a contribution
  on an agency's behalf; the API audits that as such).
- The Chair: reads every review of the board, comments on and agrees terms of reference.
- Panel members and lead reviewers: read the reviews whose panel they sit on (by their email
  address on the panel), comment on the terms, accept or return contributions.
- Agency practitioners and managers: only their own agency's contributions.
- Family members: nothing here.

Another board's review is not found (404); a review of the board that a user may not see is
forbidden (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.reviews.domain.contributions import Contribution
from services.reviews.domain.review import Review
from shared.auth.models import AGENCY_ROLES
from shared.errors import Forbidden

MANAGERS = frozenset({"business_unit", "admin"})
CHAIR = frozenset({"chair"})
PANEL = frozenset({"panel_member", "lead_reviewer"})

# What a user sees of a review.
ALL = "all"
AGENCY = "agency"


@dataclass(frozen=True)
class Viewer:
    user_id: str
    name: str
    board_id: str
    roles: frozenset[str]
    agency: str | None = None
    email: str | None = None

    @property
    def manages(self) -> bool:
        return bool(self.roles & MANAGERS)

    @property
    def agency_only(self) -> bool:
        return bool(self.roles) and self.roles <= AGENCY_ROLES

    def sits_on(self, review: Review) -> bool:
        return bool(self.roles & PANEL) and review.sits_on_panel(self.email)


def forbidden() -> Forbidden:
    return Forbidden("You do not have permission to do this.")


def scope(viewer: Viewer, review: Review) -> str:
    """What the viewer sees of the review: all of it, or their agency's part; else 403."""
    if viewer.manages or viewer.roles & CHAIR or viewer.sits_on(review):
        return ALL
    if (
        viewer.roles & AGENCY_ROLES
        and viewer.agency
        and (viewer.agency in review.agencies or any(c.agency == viewer.agency for c in review.contributions))
    ):
        return AGENCY
    raise forbidden()


def require_manager(viewer: Viewer) -> None:
    if not viewer.manages:
        raise forbidden()


def require_deciders(viewer: Viewer) -> None:
    """Who agrees terms of reference: the business unit, admins and the Chair."""
    if not (viewer.manages or viewer.roles & CHAIR):
        raise forbidden()


def require_panel_or_manager(viewer: Viewer, review: Review) -> None:
    """Who accepts or returns a contribution, and comments on terms: the business unit or the panel."""
    if not (viewer.manages or viewer.sits_on(review)):
        raise forbidden()


def require_author(viewer: Viewer, contribution: Contribution) -> None:
    """Who writes and submits a contribution: its agency's staff, or the business unit for them."""
    if viewer.manages:
        return
    if viewer.roles & AGENCY_ROLES and viewer.agency == contribution.agency:
        return
    raise forbidden()


def may_read_contribution(viewer: Viewer, review: Review, contribution: Contribution) -> bool:
    if scope(viewer, review) == ALL:
        return True
    return viewer.agency == contribution.agency
