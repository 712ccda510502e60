"""What the API answers about a review, its contributions and the merged chronology."""

from __future__ import annotations

from typing import Any

from services.reviews.adapters.records import dump_entry
from services.reviews.domain.contributions import Contribution
from services.reviews.domain.review import MergedEntry, Review
from services.reviews.domain.vocabulary import ACCEPTED
from services.reviews.service_layer.access import ALL, Viewer
from services.reviews.service_layer.conduct_views import meetings_view


def contribution_summary(c: Contribution) -> dict[str, Any]:
    return {
        "id": c.contribution_id,
        "agency": c.agency,
        "kind": c.kind,
        "status": c.status,
        "requested_on": c.requested_on.isoformat(),
        "due_on": c.due_on.isoformat(),
        "comments": c.comments,
        "contact_email": c.contact_email,
        "contact_name": c.contact_name,
        "entry_count": len(c.entries),
    }


def contribution_view(c: Contribution) -> dict[str, Any]:
    return {
        **contribution_summary(c),
        "entries": [dump_entry(e) for e in c.entries],
        "sections": dict(c.sections),
        "answers": dict(c.answers),
        "history": [s.as_dict() for s in c.history],
    }


def review_view(review: Review, seen: str, agency: str | None = None) -> dict[str, Any]:
    """The review as ``seen``: all of it, or (an agency's staff) its own contributions only."""
    everything = seen == ALL
    return {
        "case_id": review.case_id,
        "reference": review.reference,
        "review_kind": review.review_kind,
        "method": review.method,
        "stage": review.stage,
        "opened_on": review.opened_on.isoformat(),
        "incident_on": review.incident_on.isoformat() if review.incident_on else None,
        "agencies": list(review.agencies),
        "panel": [m.as_dict() for m in review.panel] if everything else [],
        "terms_of_reference": terms_view(review) if everything else None,
        "contributions": [
            contribution_summary(c) for c in review.contributions if everything or c.agency == agency
        ],
        "meetings": meetings_view(review) if everything else [],
        "interim_learning": [i.as_dict() for i in review.interim_learning] if everything else [],
    }


def review_summary(review: Review, viewer: Viewer) -> dict[str, Any]:
    """A review in a list: what it is, where it stands, and the viewer's share of its contributions."""
    mine = [c for c in review.contributions if not viewer.agency_only or c.agency == viewer.agency]
    return {
        "case_id": review.case_id,
        "reference": review.reference,
        "review_kind": review.review_kind,
        "method": review.method,
        "stage": review.stage,
        "opened_on": review.opened_on.isoformat(),
        "contributions": len(mine),
        "contributions_accepted": sum(1 for c in mine if c.status == ACCEPTED),
    }


def terms_view(review: Review) -> dict[str, Any] | None:
    if review.terms is None:
        return None
    return {
        **review.terms.as_dict(),
        "agreed_on": review.terms_agreed_on.isoformat() if review.terms_agreed_on else None,
        "comments": [c.as_dict() for c in review.terms_comments],
    }


def merged_view(rows: list[MergedEntry]) -> list[dict[str, Any]]:
    return [
        {**dump_entry(r.entry), "agency": r.agency, "contribution_id": r.contribution_id, "status": r.status}
        for r in rows
    ]
