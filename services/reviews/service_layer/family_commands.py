"""The family's part in a review (002 §2.5; 001 §6 note 9), each command one unit of work.

The business unit records it; the business unit, the Chair and the panel of the review read it;
agency staff and family members do not (the family's own view comes with the final report).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from typing import Any

from services.reviews.adapters import genogram_svg
from services.reviews.domain.family import Contact, FamilyMember, Relation, Support, Views
from services.reviews.service_layer import access
from services.reviews.service_layer.access import Viewer
from services.reviews.service_layer.commands import _review
from services.reviews.service_layer.conduct import _reader
from services.reviews.service_layer.conduct_views import family_view, member_view
from services.reviews.service_layer.unit_of_work import ReviewsUnitOfWork

HELD = (
    "Family involvement is held while other proceedings run (001 §6 note 9): this contact was recorded"
    " during the hold"
)


def get_family(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> dict[str, Any]:
    with uow:
        return family_view(_reader(uow, viewer, case_id))


def genogram(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str) -> str:
    with uow:
        review = _reader(uow, viewer, case_id)
        title = f"Genogram of the family, review {review.reference or review.case_id}"
        return genogram_svg.render(review.family, title)


def _write(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, change: Any) -> Any:
    access.require_manager(viewer)
    with uow:
        review = _review(uow, viewer, case_id)
        review.ensure_active()
        answer = change(review)
        uow.commit()
        return answer


def _answer(kept: Support | Views, id_name: str) -> dict[str, Any]:
    """A support or views record as the API answers it: its id as ``id``, its date in ISO."""
    out = {**asdict(kept), "on": kept.on.isoformat()}
    out["id"] = out.pop(id_name)
    return out


def add_member(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    member_id: str | None = None,
) -> dict[str, Any]:
    member = FamilyMember(member_id=member_id or uuid.uuid4().hex, **given)
    return _write(uow, viewer, case_id, lambda r: member_view(r.family.add_member(member)))


# What may be corrected of a family member: all but their id and consent (recorded on its own).
CHANGEABLE = frozenset(
    {"name", "relationship_to_child", "sex", "born_on", "deceased", "household", "email", "phone", "address"}
)


def change_member(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, member_id: str, given: Mapping[str, Any]
) -> dict[str, Any]:
    """Correct what is recorded of a family member (their name, relationship to the child, ...)."""

    def apply(review: Any) -> dict[str, Any]:
        member = review.family.member(member_id)
        for name in CHANGEABLE & set(given):
            setattr(member, name, given[name])
        return member_view(member)

    return _write(uow, viewer, case_id, apply)


def relate(uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, given: Mapping[str, Any]) -> dict[str, Any]:
    relation = Relation(given["from_"], given["kind"], given["to"])
    _write(uow, viewer, case_id, lambda r: r.family.relate(relation))
    return {"from": relation.from_id, "kind": relation.kind, "to": relation.to_id}


def set_consent(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, member_id: str, status: str, on: date
) -> dict[str, Any]:
    return _write(uow, viewer, case_id, lambda r: member_view(r.family.set_consent(member_id, status, on)))


def record_contact(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    contact_id: str | None = None,
) -> dict[str, Any]:
    contact = Contact(contact_id=contact_id or uuid.uuid4().hex, **given)
    kept = _write(uow, viewer, case_id, lambda r: r.family.record_contact(contact))
    out = {
        "id": kept.contact_id,
        "on": kept.on.isoformat(),
        "by": kept.by,
        "how": kept.how,
        "outcome": kept.outcome,
        "member_ids": list(kept.member_ids),
        "held": kept.during_hold,
    }
    if kept.during_hold:
        out["notice"] = HELD
    return out


def offer_support(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    support_id: str | None = None,
) -> dict[str, Any]:
    support = Support(support_id=support_id or uuid.uuid4().hex, **given)
    return _answer(_write(uow, viewer, case_id, lambda r: r.family.offer_support(support)), "support_id")


def record_views(
    uow: ReviewsUnitOfWork,
    viewer: Viewer,
    case_id: str,
    given: Mapping[str, Any],
    views_id: str | None = None,
) -> dict[str, Any]:
    views = Views(views_id=views_id or uuid.uuid4().hex, **given)
    return _answer(_write(uow, viewer, case_id, lambda r: r.family.record_views(views)), "views_id")


def set_hold(
    uow: ReviewsUnitOfWork, viewer: Viewer, case_id: str, held: bool, reason: str | None, today: date
) -> dict[str, Any]:
    hold = _write(uow, viewer, case_id, lambda r: r.family.set_hold(held, reason, today))
    return {"held": hold.held, "reason": hold.reason, "since": hold.since.isoformat() if hold.since else None}
