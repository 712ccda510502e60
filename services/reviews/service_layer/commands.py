"""What users do in a review, each in one unit of work: read it, form the panel, draft, comment on
and agree the terms of reference, request contributions, write, submit, accept or return them,
read the merged chronology.

Each takes the unit of work, who is asking (:class:`~.access.Viewer`) and today's date, and
returns what the API answers. Another board's review is not found; what the viewer may not do
is forbidden (see :mod:`.access`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from services.reviews.domain.contributions import Contribution
from services.reviews.domain.panel import PanelMember
from services.reviews.domain.review import Review
from services.reviews.domain.terms import Comment, Terms
from services.reviews.domain.vocabulary import DEFAULT_DUE_WORKING_DAYS
from services.reviews.service_layer import access
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.unit_of_work import ReviewsUnitOfWork
from services.reviews.service_layer.views import (
    contribution_view,
    merged_view,
    review_summary,
    review_view,
    terms_view,
)
from shared.auth.models import AGENCY_ROLES
from shared.errors import NotFound
from shared.events.reviews import ChronologyEntry, ReviewPanelChanged, TermsOfReferenceDrafted
from shared.framework import today_in_england


def _review(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> Review:
    """The board's review of the case, to change (another board's is not found)."""
    review = uow.reviews.get(case_id)
    if review is None or review.board_id != viewer.board_id:
        raise NotFound("No review of this case", "case_id")
    return review


def _read(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> Review:
    review = uow.reviews.lookup(case_id, viewer.board_id)
    if review is None:
        raise NotFound("No review of this case", "case_id")
    return review


def get_review(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        review = _read(uow, viewer, case_id)
        return review_view(review, access.scope(viewer, review), viewer.agency)


def list_reviews(uow: ReviewsUnitOfWork, viewer: Viewer, page: int, per_page: int) -> dict[str, Any]:
    """The board's reviews the viewer may see, newest first: every one for the business unit,
    admins and the Chair; those whose panel they sit on for panel members and lead reviewers;
    those involving their agency for agency staff (each with only its part)."""
    panel_email = agency = None  # every review of the board
    if not (viewer.manages or viewer.roles & access.CHAIR):
        # "" matches nothing: a panel member without an email address, agency staff without an agency.
        panel_email = (viewer.email or "") if viewer.roles & access.PANEL else None
        agency = (viewer.agency or "") if viewer.roles & AGENCY_ROLES else None
        if panel_email is None and agency is None:
            raise access.forbidden()
    with uow:
        found = uow.reviews.listing(
            viewer.board_id, panel_email=panel_email, agency=agency, page=page, per_page=per_page
        )
    return found.as_dict(lambda r: review_summary(r, viewer))


def add_panel_member(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, given: Mapping[str, Any], today: date
) -> dict[str, Any]:
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        member_id = given.get("member_id") or uuid.uuid4().hex
        for kept in review.panel:
            if kept.member_id == member_id:
                return kept.as_dict()  # a repeat of the request that added them
        member = PanelMember(
            member_id=member_id,
            role=given["role"],
            name=given["name"],
            email=given["email"],
            organisation=given["organisation"],
            agency=given.get("agency"),
            qualifications=given.get("qualifications") or "",
            declarations=dict(given.get("declarations") or {}),
            added_on=today,
        )
        review.add_member(member, uow.directory.agencies(viewer.board_id))
        panel_changed(review)
        uow.commit()
        return member.as_dict()


def _panel_emails(review: Review) -> list[str]:
    return sorted({m.email.lower() for m in review.panel if m.email})


def panel_changed(review: Review) -> None:
    """Tell the work queue who sits on the panel now (stored with the review in the same write)."""
    review.events.append(
        ReviewPanelChanged(
            case_id=review.case_id,
            board_id=review.board_id,
            reference=review.reference,
            sequence=review.version + 1,  # the version of the review this save writes
            panel_emails=_panel_emails(review),
        )
    )


def change_panel_member(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    member_id: str,
    given: Mapping[str, Any] | None,
) -> dict[str, Any] | None:
    """Change a member of the panel to what is ``given``, or remove them (``given`` None)."""
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        kept = next((m for m in review.panel if m.member_id == member_id), None)
        member = None
        if given is not None:
            member = PanelMember(
                member_id=member_id,
                role=given["role"],
                name=given["name"],
                email=given["email"],
                organisation=given["organisation"],
                agency=given.get("agency"),
                qualifications=given.get("qualifications") or "",
                declarations=dict(given.get("declarations") or {}),
                added_on=kept.added_on if kept else None,
            )
        review.change_member(member_id, member, uow.directory.agencies(viewer.board_id))
        panel_changed(review)
        uow.commit()
        return member.as_dict() if member else None


def put_terms(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    today: date | None = None,
) -> dict[str, Any]:
    """Save the draft terms of reference; the panel is told it is open for their comments
    (``terms_of_reference.drafted``, stored with the review in the same write)."""
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        review.draft_terms(Terms.from_dict(given), uow.directory.agencies(viewer.board_id))
        review.events.append(
            TermsOfReferenceDrafted(
                case_id=review.case_id,
                board_id=review.board_id,
                reference=review.reference,
                drafted_on=today or today_in_england(),
                sequence=review.version + 1,  # the version of the review this save writes
                panel_emails=_panel_emails(review),
            )
        )
        uow.commit()
        view = terms_view(review)
        assert view is not None
        return view


def comment_on_terms(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, text: str) -> dict[str, Any]:
    with uow:
        review = _review(uow, viewer, case_id)
        if not (viewer.roles & access.CHAIR):
            access.require_panel_or_manager(viewer, review)
        comment = Comment(
            author=viewer.name,
            author_role=sorted(viewer.roles)[0] if viewer.roles else "",
            text=text,
            at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        review.comment_on_terms(comment)
        uow.commit()
        return comment.as_dict()


def agree_terms(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, today: date) -> dict[str, Any]:
    access.require_deciders(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        review.agree_terms(today)
        uow.commit()
        view = terms_view(review)
        assert view is not None
        return view


def request_contribution(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    *,
    agency: str,
    kind: str,
    due_on: date | None,
    today: date,
    contribution_id: str | None = None,
    contact_email: str | None = None,
    contact_name: str | None = None,
    link: Any = None,
) -> dict[str, Any]:
    """Ask an agency for a contribution; due, unless said, three working weeks on (000 §6).

    ``link(contribution_id)``: the address of the contribution's page, for the email to the
    agency's contact."""
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        for kept in review.contributions:
            if kept.contribution_id == contribution_id:
                return contribution_view(kept)  # a repeat of the request that made it
        due = due_on or uow.directory.working_days(viewer.board_id).add(today, DEFAULT_DUE_WORKING_DAYS)
        contribution = review.request(
            agency=agency,
            kind=kind,
            requested_on=today,
            due_on=due,
            board_agencies=uow.directory.agencies(viewer.board_id),
            contribution_id=contribution_id,
            contact_email=contact_email,
            contact_name=contact_name,
            link=link(contribution_id) if link and contribution_id else None,
        )
        uow.commit()
        return contribution_view(contribution)


def _contribution(review: Review, viewer: Viewer, contribution_id: str) -> Contribution:
    """One of the review's contributions the viewer may see; another agency's is not found."""
    seen = access.scope(viewer, review)
    return review.contribution(contribution_id, None if seen == access.ALL else viewer.agency)


def get_contribution(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, contribution_id: str
) -> dict[str, Any]:
    with uow:
        review = _read(uow, viewer, case_id)
        return contribution_view(_contribution(review, viewer, contribution_id))


def write_contribution(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    contribution_id: str,
    *,
    today: date,
    entries: list[ChronologyEntry] | None = None,
    sections: Mapping[str, str] | None = None,
    answers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Save a chronology's entries, a report's sections or a review's answers (whichever is given)."""
    with uow:
        review = _review(uow, viewer, case_id)
        contribution = _contribution(review, viewer, contribution_id)
        access.require_author(viewer, contribution)
        review.ensure_active()
        if entries is not None:
            contribution.save_chronology(entries, today, viewer.name)
        elif sections is not None:
            contribution.save_sections(sections, today, viewer.name)
        elif answers is not None:
            contribution.save_answers(answers, today, viewer.name)
        uow.commit()
        return contribution_view(contribution)


def move_contribution(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    contribution_id: str,
    move: str,
    today: date,
    comments: str = "",
) -> dict[str, Any]:
    """``submit`` (its agency, or the business unit for it), ``accept`` or ``return`` (the
    business unit or the panel)."""
    with uow:
        review = _review(uow, viewer, case_id)
        contribution = _contribution(review, viewer, contribution_id)
        if move == "submit":
            access.require_author(viewer, contribution)
            review.submit(contribution, today, viewer.name)
        else:
            access.require_panel_or_manager(viewer, review)
            if move == "accept":
                review.accept(contribution, today, viewer.name)
            else:
                review.send_back(contribution, comments, today, viewer.name)
        uow.commit()
        return contribution_view(contribution)


def merged_chronology(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    *,
    agency: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """The multi-agency chronology: for the business unit, the Chair and the panel."""
    with uow:
        review = _read(uow, viewer, case_id)
        if access.scope(viewer, review) != access.ALL:
            raise access.forbidden()
        rows = review.merged_chronology(agency, since, until)
        return {"case_id": case_id, "entries": merged_view(rows), "total": len(rows)}
