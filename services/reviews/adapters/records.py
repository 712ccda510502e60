"""A review as a plain dictionary of JSON values, and back: how the store keeps the aggregate."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from typing import Any

from services.reviews.adapters.meeting_records import dump_meeting, load_meeting
from services.reviews.domain.actions import Action
from services.reviews.domain.contributions import Contribution, Step
from services.reviews.domain.family import Family
from services.reviews.domain.interim import InterimLearning
from services.reviews.domain.learning import LearningProduct, LearningSummary
from services.reviews.domain.panel import PanelMember
from services.reviews.domain.quality import Assessment
from services.reviews.domain.review import Review
from services.reviews.domain.terms import Comment, Terms
from shared.events.reviews import ChronologyEntry


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def dump_entry(entry: ChronologyEntry) -> dict[str, Any]:
    out = asdict(entry)
    out["date"] = entry.date.isoformat()
    return out


def load_entry(data: dict[str, Any]) -> ChronologyEntry:
    names = {f.name for f in fields(ChronologyEntry)}
    given = {k: v for k, v in data.items() if k in names}
    given["date"] = date.fromisoformat(given["date"])
    return ChronologyEntry(**given)


def dump_contribution(c: Contribution) -> dict[str, Any]:
    return {
        "contribution_id": c.contribution_id,
        "agency": c.agency,
        "kind": c.kind,
        "requested_on": c.requested_on.isoformat(),
        "due_on": c.due_on.isoformat(),
        "status": c.status,
        "contact_email": c.contact_email,
        "contact_name": c.contact_name,
        "entries": [dump_entry(e) for e in c.entries],
        "sections": dict(c.sections),
        "answers": dict(c.answers),
        "history": [s.as_dict() for s in c.history],
    }


def load_contribution(data: dict[str, Any]) -> Contribution:
    return Contribution(
        contribution_id=data["contribution_id"],
        agency=data["agency"],
        kind=data["kind"],
        requested_on=date.fromisoformat(data["requested_on"]),
        due_on=date.fromisoformat(data["due_on"]),
        status=data["status"],
        contact_email=data.get("contact_email"),
        contact_name=data.get("contact_name"),
        entries=[load_entry(e) for e in data.get("entries", [])],
        sections=dict(data.get("sections") or {}),
        answers=dict(data.get("answers") or {}),
        history=[
            Step(s["status"], date.fromisoformat(s["on"]), s["by"], s.get("comments"))
            for s in data.get("history", [])
        ],
    )


def _load_member(data: dict[str, Any]) -> PanelMember:
    return PanelMember(
        member_id=data["id"],
        role=data["role"],
        name=data["name"],
        email=data["email"],
        organisation=data["organisation"],
        agency=data.get("agency"),
        qualifications=data.get("qualifications") or "",
        declarations=dict(data.get("declarations") or {}),
        added_on=_day(data.get("added_on")),
    )


def dump_review(review: Review) -> dict[str, Any]:
    """Everything but the identifiers the store keeps as fields, the version and pending events."""
    return {
        "review_kind": review.review_kind,
        "opened_on": review.opened_on.isoformat(),
        "method": review.method,
        "stage": review.stage,
        "reference": review.reference,
        "incident_on": review.incident_on.isoformat() if review.incident_on else None,
        "agencies": list(review.agencies),
        "panel": [m.as_dict() for m in review.panel],
        "terms": review.terms.as_dict() if review.terms else None,
        "terms_comments": [c.as_dict() for c in review.terms_comments],
        "terms_agreed_on": review.terms_agreed_on.isoformat() if review.terms_agreed_on else None,
        "contributions": [dump_contribution(c) for c in review.contributions],
        "meetings": [dump_meeting(m) for m in review.meetings],
        "family": review.family.as_dict(),
        "quality": {k: a.as_dict() for k, a in review.quality.items()},
        "interim_learning": [i.as_dict() for i in review.interim_learning],
        "actions": [a.as_dict() for a in review.actions],
        "learning_summary": review.learning_summary.as_dict() if review.learning_summary else None,
        "learning_products": [p.as_dict() for p in review.learning_products],
        "action_plan_response": review.action_plan_response,
        "applied_events": list(review.applied_events),
    }


def load_review(case_id: str, board_id: str, version: int, data: dict[str, Any]) -> Review:
    opened_on = _day(data["opened_on"])
    assert opened_on is not None
    return Review(
        case_id=case_id,
        board_id=board_id,
        review_kind=data["review_kind"],
        opened_on=opened_on,
        method=data.get("method"),
        stage=data["stage"],
        reference=data.get("reference"),
        incident_on=_day(data.get("incident_on")),
        agencies=list(data.get("agencies") or []),
        panel=[_load_member(m) for m in data.get("panel", [])],
        terms=Terms.from_dict(data["terms"]) if data.get("terms") else None,
        terms_comments=[Comment(**c) for c in data.get("terms_comments", [])],
        terms_agreed_on=_day(data.get("terms_agreed_on")),
        contributions=[load_contribution(c) for c in data.get("contributions", [])],
        meetings=[load_meeting(m) for m in data.get("meetings", [])],
        family=Family.from_dict(data.get("family")),
        quality={k: Assessment.from_dict(a) for k, a in (data.get("quality") or {}).items()},
        interim_learning=[InterimLearning.from_dict(i) for i in data.get("interim_learning", [])],
        actions=[Action.from_dict(a) for a in data.get("actions", [])],
        learning_summary=(
            LearningSummary.from_dict(data["learning_summary"]) if data.get("learning_summary") else None
        ),
        learning_products=[LearningProduct.from_dict(p) for p in data.get("learning_products", [])],
        action_plan_response=dict(data["action_plan_response"]) if data.get("action_plan_response") else None,
        applied_events=list(data.get("applied_events") or []),
        version=version,
    )
