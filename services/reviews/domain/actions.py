"""The board's action plan for a review (000 §9-§11; 002 §2.9; 003 "Agreeing improvement action").

The board agrees with partners what each must do in light of the findings: an action answers a
recommendation, has an owner (an agency and a person), a due date and a measure of success
(003: "establish timescales ... agree success criteria"). Progress is reported, red, amber or
green with evidence, and quarterly to the performance committee (000 §9); an action is closed
only with evidence of its impact (000 §11: impact measures reviewed once the work is done).

Due dates in the past are allowed: a board brings in the action plans it already has. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events.report import ActionPlanResponseRecorded
from shared.events.reviews import ActionAdded, ActionClosed, ActionProgressReported

if TYPE_CHECKING:
    from services.reviews.domain.review import Review

RAG = ("red", "amber", "green")
OPEN = "open"
OVERDUE = "overdue"
CLOSED = "closed"
STATUSES = (OPEN, OVERDUE, CLOSED)


@dataclass(frozen=True)
class Progress:
    reported_on: date
    rag: str
    note: str
    evidence: str
    recorded_by: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "reported_on": self.reported_on.isoformat(),
            "rag": self.rag,
            "note": self.note,
            "evidence": self.evidence,
            "recorded_by": self.recorded_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Progress:
        return cls(
            reported_on=date.fromisoformat(data["reported_on"]),
            rag=data["rag"],
            note=data["note"],
            evidence=data.get("evidence") or "",
            recorded_by=data["recorded_by"],
        )


@dataclass
class Action:
    action_id: str
    recommendation: str
    action: str
    owner_agency: str
    owner_email: str
    due_on: date
    success_measure: str
    added_on: date
    progress: list[Progress] = field(default_factory=list)
    closed_on: date | None = None
    evidence_of_impact: str | None = None

    def status(self, today: date) -> str:
        if self.closed_on is not None:
            return CLOSED
        return OVERDUE if self.due_on < today else OPEN

    @property
    def rag(self) -> str | None:
        """The latest progress report's rating."""
        latest = max(self.progress, key=lambda p: p.reported_on, default=None)
        return latest.rag if latest else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.action_id,
            "recommendation": self.recommendation,
            "action": self.action,
            "owner_agency": self.owner_agency,
            "owner_email": self.owner_email,
            "due_on": self.due_on.isoformat(),
            "success_measure": self.success_measure,
            "added_on": self.added_on.isoformat(),
            "progress": [p.as_dict() for p in self.progress],
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "evidence_of_impact": self.evidence_of_impact,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        return cls(
            action_id=data["id"],
            recommendation=data["recommendation"],
            action=data["action"],
            owner_agency=data["owner_agency"],
            owner_email=data["owner_email"],
            due_on=date.fromisoformat(data["due_on"]),
            success_measure=data["success_measure"],
            added_on=date.fromisoformat(data["added_on"]),
            progress=[Progress.from_dict(p) for p in data.get("progress", [])],
            closed_on=date.fromisoformat(data["closed_on"]) if data.get("closed_on") else None,
            evidence_of_impact=data.get("evidence_of_impact"),
        )


def _about(review: Review, action: Action) -> dict[str, Any]:
    return {
        "case_id": review.case_id,
        "board_id": review.board_id,
        "reference": review.reference,
        "action_id": action.action_id,
        "recommendation": action.recommendation,
        "action": action.action,
        "owner_agency": action.owner_agency,
        "owner_email": action.owner_email,
        "due_on": action.due_on,
        "success_measure": action.success_measure,
    }


def plan_agreed_on(review: Review) -> date | None:
    """The day the plan's first action was added: the quarterly reports count from it."""
    return min((a.added_on for a in review.actions), default=None)


def find(review: Review, action_id: str) -> Action:
    for action in review.actions:
        if action.action_id == action_id:
            return action
    raise NotFound("No such action in this review's plan", "action_id")


def add(review: Review, action: Action, board_agencies: dict[str, str]) -> Action:
    """Add an action to the plan (a repeat of the request that added it finds it)."""
    review.ensure_active()
    for kept in review.actions:
        if kept.action_id == action.action_id:
            return kept
    if action.owner_agency not in board_agencies:
        raise InvalidInput(
            [{"field": "owner_agency", "message": f"{action.owner_agency!r} is not an agency of this board"}]
        )
    review.actions.append(action)
    agreed = plan_agreed_on(review)
    assert agreed is not None
    review.events.append(
        ActionAdded(**_about(review, action), added_on=action.added_on, plan_agreed_on=agreed)
    )
    return action


def report_progress(review: Review, action_id: str, progress: Progress) -> Action:
    action = find(review, action_id)
    if action.closed_on is not None:
        raise Conflict("The action was closed: no more progress is reported on it", "action_id")
    if progress.reported_on < action.added_on:
        raise InvalidInput(
            [{"field": "reported_on", "message": "Progress cannot be reported before the action was added"}]
        )
    action.progress.append(progress)
    review.events.append(
        ActionProgressReported(
            **_about(review, action),
            reported_on=progress.reported_on,
            rag=progress.rag,
            note=progress.note,
            evidence=progress.evidence,
        )
    )
    return action


def close(review: Review, action_id: str, evidence_of_impact: str, on: date) -> Action:
    """Close an action; only with evidence of its impact (000 §11)."""
    action = find(review, action_id)
    if action.closed_on is not None:
        raise Conflict("The action was closed already", "action_id")
    if not evidence_of_impact.strip():
        raise InvalidInput(
            [
                {
                    "field": "evidence_of_impact",
                    "message": "Give the evidence of the action's impact to close it",
                }
            ]
        )
    action.closed_on = on
    action.evidence_of_impact = evidence_of_impact.strip()
    review.events.append(
        ActionClosed(**_about(review, action), closed_on=on, evidence_of_impact=action.evidence_of_impact)
    )
    return action


# The board's response that goes with the plan (002 §2.9: a publication timeline, feedback to the
# practitioners and the family, dissemination to the wider workforce; 000 §10 and 003: actions
# already taken, their impact, what more will be done).
RESPONSE_FIELDS = (
    "planned_publication_on",
    "publication_notes",
    "feedback_practitioners",
    "feedback_family",
    "dissemination",
    "actions_taken",
    "impact",
    "further_work",
)


def record_response(review: Review, given: dict[str, Any], on: date) -> dict[str, Any]:
    review.ensure_active()
    planned = given.get("planned_publication_on")
    response = {
        "recorded_on": on.isoformat(),
        "planned_publication_on": planned.isoformat() if planned else None,
        "publication_notes": given.get("publication_notes") or "",
        "feedback_practitioners": given["feedback_practitioners"],
        "feedback_family": given["feedback_family"],
        "dissemination": list(given.get("dissemination") or []),
        "actions_taken": list(given.get("actions_taken") or []),
        "impact": given.get("impact") or "",
        "further_work": given.get("further_work") or "",
    }
    review.action_plan_response = response
    review.events.append(
        ActionPlanResponseRecorded(
            case_id=review.case_id,
            board_id=review.board_id,
            reference=review.reference,
            review_kind=review.review_kind,
            **{**response, "recorded_on": on, "planned_publication_on": planned},
        )
    )
    return response
