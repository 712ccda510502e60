"""The learning summary and the board's response and action plan, from the reviews service's
events (001 §7 and Appendix B; 002 §2.9; 000 §9-§11; 003 "Agreeing improvement action").

The handlers keep what the events say (:mod:`..adapters.learning_record`) and then make the
document: ``learning_summary`` whenever the summary is completed or changed, and
``board_response_action_plan`` whenever the plan or the board's response changes (until the board
has recorded its response, the plan lacks the feedback and dissemination it must say, and the
document waits: the handler logs why and carries on). :func:`content_for` gives the context the
same documents take when someone asks for them.

Declared on the documents handlers' ``listeners``, on their one queue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from services.documents.adapters.learning_record import LearningRecord
from services.documents.service_layer.handlers import (
    QUEUE,
    Pseudonymiser,
    Renderer,
    Today,
    _generate_for,
    _known_case,
    listeners,
)
from services.documents.service_layer.unit_of_work import DocumentsUnitOfWork
from shared.errors import Conflict
from shared.events import Event
from shared.events.report import ActionPlanResponseRecorded, PublicationPlanned
from shared.events.reviews import ActionAdded, ActionClosed, ActionProgressReported, LearningSummaryCompleted

LEARNING_SUMMARY = "learning_summary"
ACTION_PLAN = "board_response_action_plan"
KINDS = frozenset({LEARNING_SUMMARY, ACTION_PLAN})
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


def _lines(text: str) -> list[str]:
    """A text's lines as list items, bullets and numbers dropped."""
    out = []
    for line in (text or "").splitlines():
        item = line.strip().lstrip("-*•").strip()
        if item[:2].rstrip(".").isdigit() and "." in item[:3]:
            item = item.split(".", 1)[1].strip()
        if item:
            out.append(item)
    return out


def _month(value: str | None) -> date | None:
    return date.fromisoformat(f"{value}-01") if value else None


def summary_context(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "board_area": s["board_area"],
        "document_date": date.fromisoformat(s["completed_on"]),
        "review": {"kind": s["review_kind"], "methodology": s["review_type"]},
        "incident_month": _month(s.get("incident_month")),
        "case_learning": s["case_learning"],
        "methodology_learning": s["method_learning"],
        "recommendations_single_agency": _lines(s["single_agency_recommendations"]),
        "recommendations_multi_agency": _lines(s["multi_agency_recommendations"]),
        "changes": [{"action": line, "owner": ""} for line in _lines(s["changes"])],
        "impact_audit": s["impact_audit"],
        "other_comments": s.get("other_comments") or "",
        **({"case_reference": s["reference"]} if s.get("reference") else {}),
    }


def _status(a: dict[str, Any]) -> str:
    if a.get("closed_on"):
        return (
            f"Closed on {date.fromisoformat(a['closed_on']).strftime('%-d %B %Y')}: {a['evidence_of_impact']}"
        )
    if not a.get("progress"):
        return "Not reported yet"
    latest = max(a["progress"], key=lambda p: p["reported_on"])
    when = date.fromisoformat(latest["reported_on"]).strftime("%-d %B %Y")
    return f"{RAG_WORDS.get(latest['rag'], latest['rag'])} on {when}: {latest['note']}"


def plan_context(record: LearningRecord, agencies: dict[str, str]) -> dict[str, Any]:
    actions = record.opened_actions()
    response = record.response() or {}
    planned = record.publication_planned_on or response.get("planned_publication_on")
    closed = [a for a in actions if a.get("closed_on")]
    out: dict[str, Any] = {
        "publication": {
            "planned_on": date.fromisoformat(planned) if planned else None,
            "notes": response.get("publication_notes") or "",
        },
        "feedback": {
            "practitioners": response.get("feedback_practitioners") or "",
            "family": response.get("feedback_family") or "",
        },
        "dissemination": list(response.get("dissemination") or []),
        "actions": [
            {
                "recommendation": a["recommendation"],
                "action": a["action"],
                "owner": f"{agencies.get(a['owner_agency'], a['owner_agency'])} ({a['owner_email']})",
                "due_by": date.fromisoformat(a["due_on"]),
                "success_measure": a["success_measure"],
                "status": _status(a),
            }
            for a in actions
        ],
        "actions_taken": [
            *response.get("actions_taken", []),
            *(f"{a['action']}: {a['evidence_of_impact']}" for a in closed),
        ],
        "impact": response.get("impact") or "",
        "further_work": response.get("further_work") or "",
    }
    if response.get("review_kind"):
        out["review"] = {"kind": response["review_kind"]}
    return out


def content_for(kind: str, case_id: str, agencies: dict[str, str]) -> dict[str, Any]:
    """The context the review's learning adds to ``kind``; 409 with a plain reason before it exists."""
    record = LearningRecord.find(case_id)
    if kind == LEARNING_SUMMARY:
        summary = record.summary() if record is not None else None
        if summary is None:
            raise Conflict("The review's learning summary has not been completed yet", "kind")
        return summary_context(summary)
    if record is None or not record.actions:
        raise Conflict("The board has not added any action to the review's action plan yet", "kind")
    return plan_context(record, agencies)


def unavailable(kind: str, case_id: str) -> str | None:
    record = LearningRecord.find(case_id)
    if kind == LEARNING_SUMMARY:
        return (
            None
            if record is not None and record.summary_sealed
            else "Its learning summary is not completed yet."
        )
    if record is None or not record.actions:
        return "No action has been added to the review's action plan yet."
    if not record.response_sealed:
        return "The board has not recorded its response with the action plan yet."
    return None


# -- handlers -----------------------------------------------------------------------------------


def _keep(event: Event[Any], uow: DocumentsUnitOfWork, keep: Any) -> bool:
    with uow:
        _known_case(uow, event)  # an unknown case waits among the dead letters
    record = LearningRecord.of(event.data.case_id, event.data.board_id)
    kept = bool(keep(record))
    if kept:
        record.save()
    return kept


@listeners.handles(LearningSummaryCompleted, queue=QUEUE)
def on_learning_summary_completed(
    event: Event[LearningSummaryCompleted],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    if _keep(event, uow, lambda r: r.keep_summary(event.data, event.occurred_at)):
        _generate_for(event, LEARNING_SUMMARY, uow, render_docx, pseudonymise, today)


def _after_plan_change(
    event: Event[Any],
    kept: bool,
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    if kept:
        _generate_for(event, ACTION_PLAN, uow, render_docx, pseudonymise, today)


@listeners.handles(ActionAdded, queue=QUEUE)
def on_action_added(
    event: Event[ActionAdded],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    d = event.data
    kept = _keep(
        event, uow, lambda r: r.keep_action(d, event.event_id, event.occurred_at, added_on=d.added_on)
    )
    _after_plan_change(event, kept, uow, render_docx, pseudonymise, today)


@listeners.handles(ActionProgressReported, queue=QUEUE)
def on_action_progress(
    event: Event[ActionProgressReported],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    d = event.data
    progress = {"reported_on": d.reported_on, "rag": d.rag, "note": d.note, "evidence": d.evidence}
    kept = _keep(event, uow, lambda r: r.keep_action(d, event.event_id, event.occurred_at, progress=progress))
    _after_plan_change(event, kept, uow, render_docx, pseudonymise, today)


@listeners.handles(ActionClosed, queue=QUEUE)
def on_action_closed(
    event: Event[ActionClosed],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    d = event.data
    kept = _keep(
        event,
        uow,
        lambda r: r.keep_action(
            d,
            event.event_id,
            event.occurred_at,
            closed_on=d.closed_on,
            evidence_of_impact=d.evidence_of_impact,
        ),
    )
    _after_plan_change(event, kept, uow, render_docx, pseudonymise, today)


@listeners.handles(ActionPlanResponseRecorded, queue=QUEUE)
def on_response_recorded(
    event: Event[ActionPlanResponseRecorded],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    kept = _keep(event, uow, lambda r: r.keep_response(event.data, event.occurred_at))
    _after_plan_change(event, kept, uow, render_docx, pseudonymise, today)


@listeners.handles(PublicationPlanned, queue=QUEUE)
def on_publication_planned(
    event: Event[PublicationPlanned],
    uow: DocumentsUnitOfWork,
    render_docx: Renderer,
    pseudonymise: Pseudonymiser,
    today: Today,
) -> None:
    """The planned publication date goes into the plan's timeline (002 §2.9)."""
    planned = event.data.planned_publication_on.isoformat()

    def keep(r: LearningRecord) -> bool:
        if r.publication_planned_on == planned:
            return False
        r.publication_planned_on = planned
        return True

    kept = _keep(event, uow, keep)
    record = LearningRecord.find(event.data.case_id)
    _after_plan_change(
        event, kept and record is not None and bool(record.actions), uow, render_docx, pseudonymise, today
    )
