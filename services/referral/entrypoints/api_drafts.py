"""The API of drafts: a referral written over several requests, then sent.

The same rules as the pages' journey apply (see service_layer/drafts.py): a draft is its
author's alone, answers to questions that no longer apply are dropped, and sending it checks
that every question that applies was answered.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue

from services.referral.entrypoints import current_bus
from services.referral.entrypoints.api_referrals import json_body
from services.referral.entrypoints.draft_representations import (
    DraftListSchema,
    SavedDraftSchema,
    draft_json,
    draft_summary_json,
)
from services.referral.entrypoints.representations import SubmittedReferralSchema, submitted_json
from services.referral.entrypoints.roles import REFERRERS
from services.referral.entrypoints.schemas import DraftSchema, ListQuerySchema
from services.referral.service_layer.messages import (
    DiscardDraft,
    GetDraft,
    ListDrafts,
    SaveDraft,
    SubmitDraft,
)
from shared.audit import audited
from shared.auth.access import members
from shared.openapi import documented

blueprint = Blueprint("drafts_api", __name__, url_prefix="/api/v1/referral-drafts")


@blueprint.get("")
@members(*REFERRERS)
@documented(
    summary="List your drafts of referrals, the one saved last first, a page at a time",
    description="Each draft as a list shows it; its answers are at GET /api/v1/referral-drafts/{draft_id}.",
    query=ListQuerySchema,
    responses={200: DraftListSchema},
)
@audited("draft.list", "referral_draft")
def list_drafts() -> ResponseReturnValue:
    q = ListQuerySchema().load(request.args.to_dict())
    drafts = current_bus().handle(ListDrafts(actor=g.principal, **q))
    return jsonify(drafts.as_dict(draft_summary_json))


@blueprint.post("")
@members(*REFERRERS)
@documented(summary="Start a draft of a referral", body=DraftSchema, responses={201: SavedDraftSchema})
@audited("draft.write", "referral_draft")
def start_draft() -> ResponseReturnValue:
    body = DraftSchema().load(json_body())
    draft = current_bus().handle(SaveDraft(actor=g.principal, answers=body["answers"]))
    g.audit_resource_id = draft.draft_id
    return jsonify(draft_json(draft)), 201


@blueprint.get("/<draft_id>")
@members(*REFERRERS)
@documented(summary="Read one of your drafts", responses={200: SavedDraftSchema, 404: None})
@audited("draft.read", "referral_draft", "draft_id")
def get_draft(draft_id: str) -> ResponseReturnValue:
    return jsonify(draft_json(current_bus().handle(GetDraft(actor=g.principal, draft_id=draft_id))))


@blueprint.patch("/<draft_id>")
@members(*REFERRERS)
@documented(
    summary="Add answers to one of your drafts; answers that no longer apply are dropped",
    body=DraftSchema,
    responses={200: SavedDraftSchema, 404: None},
)
@audited("draft.write", "referral_draft", "draft_id")
def answer(draft_id: str) -> ResponseReturnValue:
    body = DraftSchema().load(json_body())
    draft = current_bus().handle(SaveDraft(actor=g.principal, draft_id=draft_id, answers=body["answers"]))
    return jsonify(draft_json(draft))


@blueprint.delete("/<draft_id>")
@members(*REFERRERS)
@documented(summary="Discard one of your drafts", responses={204: None, 404: None})
@audited("draft.write", "referral_draft", "draft_id")
def discard(draft_id: str) -> ResponseReturnValue:
    current_bus().handle(DiscardDraft(actor=g.principal, draft_id=draft_id))
    return "", 204


@blueprint.post("/<draft_id>/submit")
@members(*REFERRERS)
@documented(
    summary="Send a draft: it becomes a screened case, once every question that applies is answered",
    description="422 names each question still to answer, or each answer the referral's checks refuse.",
    responses={201: SubmittedReferralSchema, 404: None, 422: None},
)
@audited("case.write", "case")
def submit(draft_id: str) -> ResponseReturnValue:
    case = current_bus().handle(SubmitDraft(actor=g.principal, draft_id=draft_id))
    g.audit_resource_id = case.case_id
    return jsonify(submitted_json(case)), 201
