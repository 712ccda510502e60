"""How the API shows a draft of a referral (JSON), and the schemas that describe it.

Each ``*_json`` function shapes the answer; the schema beside it is that answer's contract.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from services.referral.adapters.store import Draft
from services.referral.domain import journey
from services.referral.entrypoints.representations import CaseChildSchema, string
from services.referral.entrypoints.schemas import DraftAnswersSchema
from services.referral.service_layer.drafts import answers_of
from shared.pagination import page_schema

# -- a draft --------------------------------------------------------------------------------


class SavedAnswersSchema(DraftAnswersSchema):
    """The answers so far, as they were sent (dates as ISO dates); the child's details apart."""

    class Meta:
        exclude = (journey.CHILD,)


class DraftSummarySchema(Schema):
    """A draft as the list of drafts shows it; its answers are at ``GET /api/v1/referral-drafts/<id>``."""

    id = string()
    what_happened = string(nullable=True, choices=journey.WHAT_HAPPENED)
    unanswered = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The answers still needed before the draft can be sent"},
    )
    complete = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class SavedDraftSchema(DraftSummarySchema):
    """A draft as its author reads it: its answers so far, the child's details apart."""

    class Meta:
        exclude = ("what_happened",)  # among the answers

    answers = fields.Nested(SavedAnswersSchema, required=True)
    child = fields.Nested(CaseChildSchema, required=True, allow_none=True)


DraftListSchema = page_schema(DraftSummarySchema, "DraftList")


def draft_summary_json(draft: Draft) -> dict[str, Any]:
    """A draft as the list shows it: what happened, and what is left to answer."""
    missing = journey.unanswered(draft.answers)
    return {
        "id": draft.draft_id,
        "what_happened": draft.answers.get("what_happened"),
        "unanswered": [k for q in missing for k in q.keys],
        "complete": not missing,
        "created_at": draft.created_at.isoformat(),
        "updated_at": draft.updated_at.isoformat(),
    }


def draft_json(draft: Draft) -> dict[str, Any]:
    """A draft as its author reads it: the answers so far, and what is left to answer."""
    answers = answers_of(draft)
    child = answers.pop(journey.CHILD)
    summary = draft_summary_json(draft)
    del summary["what_happened"]
    return {**summary, "answers": answers, "child": child or None}
