"""The board's action plans, each command one unit of work (in the manner of :mod:`.commands`).

Who may do what: the business unit (and admins) add actions and close them; progress is reported
by the business unit or by the staff of the agency that owns the action; the Chair reads every
action of the board; agency staff read their own agency's actions. Another board's review and
actions are not found.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from services.reviews.domain import actions as plan
from services.reviews.domain.actions import Action, Progress
from services.reviews.domain.review import Review
from services.reviews.service_layer import access
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.commands import _review
from services.reviews.service_layer.unit_of_work import ReviewsUnitOfWork
from shared.auth.models import AGENCY_ROLES
from shared.pagination import MAX_PER_PAGE, paginate


def action_view(review: Review, action: Action, today: date) -> dict[str, Any]:
    return {
        **action.as_dict(),
        "case_id": review.case_id,
        "reference": review.reference,
        "review_kind": review.review_kind,
        "status": action.status(today),
        "rag": action.rag,
    }


def _may_read(viewer: Viewer) -> None:
    if not (viewer.manages or viewer.roles & access.CHAIR or viewer.roles & AGENCY_ROLES):
        raise access.forbidden()


def add_action(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    today: date,
    action_id: str | None = None,
) -> dict[str, Any]:
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        action = plan.add(
            review,
            Action(
                action_id=action_id or uuid.uuid4().hex,
                recommendation=given["recommendation"],
                action=given["action"],
                owner_agency=given["owner_agency"],
                owner_email=given["owner_email"],
                due_on=given["due_on"],
                success_measure=given["success_measure"],
                added_on=today,
            ),
            uow.directory.agencies(review.board_id),
        )
        uow.commit()
        return action_view(review, action, today)


def report_progress(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    action_id: str,
    given: Mapping[str, Any],
    today: date,
) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        action = plan.find(review, action_id)
        if not (viewer.manages or (viewer.roles & AGENCY_ROLES and viewer.agency == action.owner_agency)):
            raise access.forbidden()
        progress = Progress(
            reported_on=given.get("reported_on") or today,
            rag=given["rag"],
            note=given["note"],
            evidence=given.get("evidence") or "",
            recorded_by=viewer.name,
        )
        plan.report_progress(review, action_id, progress)
        uow.commit()
        return action_view(review, action, today)


def close_action(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, action_id: str, evidence: str, today: date
) -> dict[str, Any]:
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        action = plan.close(review, action_id, evidence, today)
        uow.commit()
        return action_view(review, action, today)


def list_review_actions(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, today: date) -> dict[str, Any]:
    _may_read(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        access.scope(viewer, review)
        mine = [a for a in review.actions if not viewer.agency_only or a.owner_agency == viewer.agency]
        return {"case_id": case_id, "items": [action_view(review, a, today) for a in mine]}


def _board_reviews(uow: ReviewsUnitOfWork, board_id: str) -> Iterator[Review]:
    page = 1
    while True:
        found = uow.reviews.listing(board_id, panel_email=None, agency=None, page=page, per_page=MAX_PER_PAGE)
        yield from found.items
        if not found.has_next:
            return
        page += 1


def list_board_actions(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    today: date,
    *,
    overdue: bool | None,
    agency: str | None,
    status: str | None,
    page: int,
    per_page: int,
) -> dict[str, Any]:
    """The board's actions, soonest due first; agency staff see only their agency's."""
    _may_read(viewer)
    if viewer.agency_only:
        agency = viewer.agency or ""
    with uow:
        rows = [
            action_view(review, action, today)
            for review in _board_reviews(uow, viewer.board_id)
            for action in review.actions
            if (agency is None or action.owner_agency == agency)
        ]
    if overdue is not None:
        rows = [r for r in rows if (r["status"] == plan.OVERDUE) == overdue]
    if status is not None:
        rows = [r for r in rows if r["status"] == status]
    rows.sort(key=lambda r: (r["due_on"], r["case_id"], r["id"]))
    return paginate(rows, page, per_page).as_dict(lambda r: r)


def get_response(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any] | None:
    """The board's response recorded with the plan, or None; for those who see the whole review."""
    _may_read(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        if access.scope(viewer, review) != access.ALL:
            raise access.forbidden()
        kept = review.action_plan_response
        return {"case_id": case_id, **kept} if kept else None


def record_response(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, given: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """The board's response that goes with the plan; the business unit, admins or the Chair."""
    access.require_deciders(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        response = plan.record_response(review, dict(given), today)
        uow.commit()
        return {"case_id": case_id, **response}
