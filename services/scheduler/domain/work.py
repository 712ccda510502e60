"""What needs someone's action: the work sections of a home page ("Needs your action").

A home page is a list of work sections. Each section says what one role has to do (the
business unit's referrals to screen, a Chair's decisions to make, ...), counts it, lists the
first few items each linking to the page where the work is done, and says in plain words
when there is nothing to do. Which sections a user sees follows from their roles alone.

The scheduler keeps a projection of the events other services publish (a case referred,
screened, decided; a notification failed or sent) and its own deadlines, and fills the
sections from them. A service that brings more work adds its sections to :data:`SECTIONS` and
feeds them from its events the same way: the reviews' meetings come up for those invited, and
the drafts open for comments (terms of reference, the final report) for the panel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

# Where a case stands, as far as the work queue needs to know. A stage only moves forward:
# an event that arrives late never takes a case back.
REFERRED = "referred"
SCREENED = "screened"
DECIDED = "decided"
STAGES = (REFERRED, SCREENED, DECIDED)

# A decision with this outcome starts no review: nobody is involved in one.
NO_REVIEW = "no_review"

# "Due soon" on the home page: statutory deadlines due within this many working days.
DUE_WITHIN_WORKING_DAYS = 10

# A draft referral left alone this long is removed by the referral service's store, which
# announces nothing then: the home page stops listing it too.
DRAFT_LIFETIME_DAYS = 90

# How many items a section lists; its count and its link say how many more there are.
SHOWN = 10

# Where an agency's contribution to a review stands: awaited from the agency until submitted
# (again after it was returned with comments), then with the business unit until accepted.
REQUESTED = "requested"
SUBMITTED = "submitted"
RETURNED = "returned"
ACCEPTED = "accepted"
AWAITED = (REQUESTED, RETURNED)

# The drafts of a review its panel comments on, while open: the terms of reference until agreed,
# the final report's latest version until signed off.
TERMS_OF_REFERENCE = "terms_of_reference"
FINAL_REPORT = "final_report"


def report_open(latest: int | None, signed_off: int | None) -> bool:
    """Whether the report's latest version is open for comments: saved, and not signed off (a
    version saved after a sign-off needs one of its own)."""
    return bool(latest) and (signed_off or 0) < (latest or 0)


# What a notification's delivery needs from a person.
FAILED = "failed"
UNCERTAIN = "uncertain"
DELIVERED = "delivered"
NEEDS_ATTENTION = (FAILED, UNCERTAIN)

BUSINESS_UNIT = frozenset({"business_unit"})
CHAIR = frozenset({"chair"})
AGENCY = frozenset({"agency_practitioner", "agency_manager"})
REVIEWERS = frozenset({"panel_member", "lead_reviewer"})
FAMILY = frozenset({"family_viewer"})


def later(stage: str | None, other: str) -> str:
    """The later of two stages: where a case stands once both events have been seen."""
    if stage not in STAGES:
        return other
    return stage if STAGES.index(stage) >= STAGES.index(other) else other


@dataclass(frozen=True)
class Section:
    """One kind of work: who sees it, what it is called, what it says when there is none,
    and the page that lists all of it."""

    key: str
    title: str
    roles: frozenset[str]
    empty: str
    href: str
    # The navigation link this section's count also shows beside, if any.
    nav: str | None = None
    # Another section listing the same work: a user who sees both counts it once.
    same_as: str | None = None


SECTIONS: tuple[Section, ...] = (
    Section(
        "to_screen",
        "Referrals to screen",
        BUSINESS_UNIT,
        "There are no referrals waiting to be screened.",
        "/cases?status=referred",
    ),
    Section(
        "decisions_awaited",
        "Decisions awaited",
        BUSINESS_UNIT,
        "No screened case is waiting for a decision.",
        "/cases?status=awaiting_decision",
    ),
    Section(
        "deadlines_overdue",
        "Statutory deadlines overdue",
        BUSINESS_UNIT,
        "No statutory deadline is overdue.",
        "/schedule",
        nav="/schedule",
    ),
    Section(
        "deadlines_due",
        f"Statutory deadlines due in the next {DUE_WITHIN_WORKING_DAYS} working days",
        BUSINESS_UNIT,
        f"No statutory deadline falls due in the next {DUE_WITHIN_WORKING_DAYS} working days.",
        "/schedule",
    ),
    Section(
        "contributions_awaited",
        "Contributions awaited from agencies",
        BUSINESS_UNIT,
        "No agency owes a contribution to a review.",
        "/reviews",
    ),
    Section(
        "notifications",
        "Notifications that failed or may not have arrived",
        BUSINESS_UNIT,
        "Every notification was delivered.",
        "/notifications/operations",
        nav="/notifications/operations",
    ),
    Section(
        "decisions_to_make",
        "Decisions to make",
        CHAIR,
        "There are no decisions for you to make.",
        "/cases?status=awaiting_decision",
        same_as="decisions_awaited",
    ),
    Section(
        "drafts",
        "Your draft referrals",
        AGENCY,
        "You have no referral saved to finish.",
        "/referrals",
        nav="/referrals",
    ),
    Section(
        "agency_referrals",
        "Your agency's referrals waiting for a decision",
        AGENCY,
        "None of your agency's referrals is waiting for a decision.",
        "/cases?status=awaiting_decision",
    ),
    Section(
        "contributions_requested",
        "Contributions your agency has been asked for",
        AGENCY,
        "Your agency has not been asked for a contribution to a review.",
        "/reviews",
    ),
    Section(
        "involved",
        "Cases in review you are involved in",
        REVIEWERS,
        "You are not involved in any case in review.",
        "/cases",
    ),
    Section(
        "meetings",
        "Meetings coming up",
        REVIEWERS,
        "You are not invited to any meeting coming up.",
        "/cases?status=in_review",
    ),
    Section(
        "comment_drafts",
        "Drafts to comment on",
        REVIEWERS,
        "No draft of a review you sit on is waiting for your comments.",
        "/reviews",
    ),
    Section(
        "shared_reports",
        "Reports shared with you",
        FAMILY,
        "No report has been shared with you yet. The safeguarding partnership will tell you when one is.",
        "/reports",
        nav="/reports",
    ),
)


@dataclass(frozen=True)
class WorkItem:
    """One thing to do, about one case. ``label`` is a code the page puts into words
    (a status, a deadline's rule, a notification's template); ``on`` the date that matters."""

    case_id: str
    reference: str | None
    label: str | None = None
    on: date | None = None
    detail: str | None = None
    # What the item's page is addressed by, when it is not the case (a shared report's share).
    target: str | None = None


@dataclass(frozen=True)
class Found:
    """Up to :data:`SHOWN` items, and how many there are in all."""

    items: list[WorkItem]
    count: int


@dataclass(frozen=True)
class WorkList:
    """A section's items: the first :data:`SHOWN` of them, and how many there are in all."""

    section: Section
    items: list[WorkItem] = field(default_factory=list)
    count: int = 0


def sections_for(roles: Iterable[str]) -> list[Section]:
    """The sections a user with these roles sees, in the order of :data:`SECTIONS`."""
    held = set(roles)
    return [s for s in SECTIONS if s.roles & held]


def total(lists: Iterable[WorkList]) -> int:
    """How many things need the user's action: each section's count, the same work once."""
    lists = list(lists)
    keys = {w.section.key for w in lists}
    return sum(w.count for w in lists if w.section.same_as not in keys)


def nav_counts(lists: Iterable[WorkList]) -> dict[str, int]:
    """The counts to show beside navigation links other than Home: link -> count."""
    out: dict[str, int] = {}
    for w in lists:
        if w.section.nav:
            out[w.section.nav] = out.get(w.section.nav, 0) + w.count
    return out
