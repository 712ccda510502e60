"""A review's learning summary and learning products, and the learning repository, each command
one unit of work (in the manner of :mod:`.commands`).

The business unit, admins and the Chair complete the learning summary and record learning
products; the panel reads them. The repository is searched by the business unit, the Chair,
admins, panel members and lead reviewers of the board; it holds the board's own summaries and,
when the board shares (001 §7), those of the region's other boards that share too; another
board's unshared learning never appears.

A summary enters the repository as soon as it is completed, marked ``finished: false`` until its
review is finished (published or not to be published: :func:`review_finished`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from services.reviews.adapters import learning_index as index
from services.reviews.adapters.learning_index import LearningEntry
from services.reviews.domain import learning
from services.reviews.domain.learning import LearningProduct
from services.reviews.domain.review import Review
from services.reviews.service_layer import access
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.commands import _read, _review
from services.reviews.service_layer.unit_of_work import ReviewsUnitOfWork
from shared.errors import NotFound

SEARCHERS = frozenset({"business_unit", "admin", "chair", "panel_member", "lead_reviewer"})


def entry_of(review: Review) -> LearningEntry | None:
    s = review.learning_summary
    if s is None:
        return None
    done, published_on = index.finished(review.case_id)
    return LearningEntry(
        case_id=review.case_id,
        board_id=review.board_id,
        reference=s.reference or review.reference,
        review_kind=review.review_kind,
        themes=list(s.themes),
        agencies=sorted(set(review.agencies)),
        summary=s.summary,
        case_learning=s.case_learning,
        method_learning=s.method_learning,
        changes=s.changes,
        completed_on=s.completed_on,
        published_on=published_on,
        finished=done,
        extra_text=[s.single_agency_recommendations, s.multi_agency_recommendations],
    )


def _summary_view(review: Review) -> dict[str, Any]:
    s = review.learning_summary
    return {
        "case_id": review.case_id,
        "review_kind": review.review_kind,
        **(s.as_dict() if s else {}),
        "complete": s is not None,
    }


def put_summary(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, given: Mapping[str, Any], today: date
) -> dict[str, Any]:
    access.require_deciders(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        learning.complete(review, given, today, viewer.name)
        uow.commit()
    entry = entry_of(review)
    assert entry is not None
    index.put(entry)
    return _summary_view(review)


def get_summary(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        review = _read(uow, viewer, case_id)
        if access.scope(viewer, review) != access.ALL:
            raise access.forbidden()
        if review.learning_summary is None:
            raise NotFound("The learning summary has not been completed yet", "learning_summary")
        return _summary_view(review)


def review_finished(case_id: str, published_on: date | None) -> None:
    """The review was published, or the board decided not to publish it: its learning is final."""
    index.mark_finished(case_id, published_on)


# -- learning products (001 §4.4) -------------------------------------------------------------


def add_product(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, given: Mapping[str, Any], product_id: str | None
) -> dict[str, Any]:
    access.require_deciders(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        product = learning.add_product(
            review,
            LearningProduct(
                product_id=product_id or uuid.uuid4().hex,
                kind=given["kind"],
                title=given["title"],
                on=given["date"],
                reach=given["reach"],
                recorded_by=viewer.name,
                notes=given.get("notes") or "",
                agencies=list(given.get("agencies") or []),
            ),
        )
        uow.commit()
        return product.as_dict()


def list_products(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        review = _read(uow, viewer, case_id)
        if access.scope(viewer, review) != access.ALL:
            raise access.forbidden()
        items = sorted(review.learning_products, key=lambda p: p.on)
        return {"case_id": case_id, "items": [p.as_dict() for p in items]}


# -- the repository (001 §7) ------------------------------------------------------------------


def _searcher(viewer: Viewer) -> None:
    if not viewer.roles & SEARCHERS:
        raise access.forbidden()


def search(viewer: Viewer, query: Mapping[str, Any]) -> dict[str, Any]:
    _searcher(viewer)
    items, total = index.search(
        index.visible_boards(viewer.board_id),
        q=query.get("q") or "",
        theme=query.get("theme"),
        kind=query.get("kind"),
        year=query.get("year"),
        agency=query.get("agency"),
        page=query.get("page", 1),
        per_page=query.get("per_page", 20),
    )
    return {
        "items": [{**e.as_dict(), "own_board": e.board_id == viewer.board_id} for e in items],
        "total": total,
        "page": query.get("page", 1),
        "per_page": query.get("per_page", 20),
    }


def collation(viewer: Viewer, query: Mapping[str, Any]) -> list[LearningEntry]:
    """Every entry a search finds (for the CSV and Word exports)."""
    _searcher(viewer)
    found: list[LearningEntry] = []
    page = 1
    while True:
        items, total = index.search(
            index.visible_boards(viewer.board_id),
            q=query.get("q") or "",
            theme=query.get("theme"),
            kind=query.get("kind"),
            year=query.get("year"),
            agency=query.get("agency"),
            page=page,
            per_page=200,
        )
        found.extend(items)
        if not items or len(found) >= total:
            return found
        page += 1


def get_sharing(viewer: Viewer) -> dict[str, Any]:
    """The board's choice as it stands: its region, whether it shares, and whose learning it sees."""
    access.require_deciders(viewer)
    kept = index.LearningSharingDocument.objects(board_id=viewer.board_id).first()
    return {
        "region": kept.region if kept is not None else "",
        "share": bool(kept is not None and kept.share),
        "boards": index.visible_boards(viewer.board_id),
    }


def set_sharing(viewer: Viewer, region: str, share: bool) -> dict[str, Any]:
    access.require_deciders(viewer)
    return index.set_sharing(viewer.board_id, region, share)


# -- the board's annual report (001 §2.1; 003 "Principles": impact described in annual reports) --


def annual_report(uow: ReviewsUnitOfWork, viewer: Viewer, year: int, today: date) -> list[dict[str, Any]]:
    """Every review of the board whose learning summary was completed, or whose report was
    published, in ``year``: its findings, actions (with their standing today) and impact, and
    the learning products made from it."""
    from services.reviews.service_layer.actions import _board_reviews

    access.require_deciders(viewer)
    found = []
    with uow:
        for review in _board_reviews(uow, viewer.board_id):
            s = review.learning_summary
            if s is None:
                continue
            _, published_on = index.finished(review.case_id)
            if year not in {s.completed_on.year, published_on.year if published_on else None}:
                continue
            closed = [a for a in review.actions if a.closed_on is not None]
            found.append(
                {
                    "reference": s.reference or review.reference or review.case_id,
                    "review_kind": review.review_kind,
                    "themes": list(s.themes),
                    "published_on": published_on,
                    "summary": s.summary,
                    "findings": s.case_learning,
                    "recommendations": [s.single_agency_recommendations, s.multi_agency_recommendations],
                    "actions": [
                        {
                            "action": a.action,
                            "owner_agency": a.owner_agency,
                            "due_on": a.due_on,
                            "status": a.status(today),
                            "rag": a.rag,
                        }
                        for a in review.actions
                    ],
                    "impact": [f"{a.action}: {a.evidence_of_impact}" for a in closed],
                    "impact_audit": s.impact_audit,
                    "products": [p.as_dict() for p in sorted(review.learning_products, key=lambda p: p.on)],
                }
            )
    return sorted(found, key=lambda r: r["reference"])
