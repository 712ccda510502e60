"""Reports shared with family members: read on screen, page by page, never downloaded."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, render_template, request
from marshmallow import RAISE, Schema, fields

from services.documents.adapters import store
from services.documents.adapters.store import DocumentShare, StoredDocument, now
from services.documents.domain.kinds import KINDS
from services.documents.service_layer import handlers, reading
from shared import audit
from shared.auth.access import members
from shared.auth.models import User
from shared.errors import InvalidInput, NotFound

blueprint = Blueprint("family_reports", __name__, template_folder="../templates")


class ShareSchema(Schema):
    class Meta:
        unknown = RAISE

    user_id = fields.String(required=True)


@blueprint.post("/api/v1/documents/<document_id>/shares")
@members("business_unit", "admin")
def share(document_id: str):
    body = ShareSchema().load(request.get_json(silent=True) or {})
    doc = handlers.get_document(g.principal, document_id)
    user = User.objects(user_id=body["user_id"]).first()
    membership = user.membership(g.principal.board_id) if user else None
    if membership is None or "family_viewer" not in membership.roles:
        raise InvalidInput([{"field": "user_id", "message": "Choose a family member of this board"}])
    shared = DocumentShare(
        board_id=doc.board_id,
        document_id=doc.document_id,
        case_id=doc.case_id,
        user_id=user.user_id,
        shared_by=g.principal.user_id,
    )
    shared.save(force_insert=True)
    audit.record(
        "document.shared", resource=("document", doc.document_id), detail=f"with user {user.user_id}"
    )
    return jsonify({"id": shared.share_id, "document_id": doc.document_id, "user_id": user.user_id}), 201


@blueprint.delete("/api/v1/documents/shares/<share_id>")
@members("business_unit", "admin")
def revoke(share_id: str):
    found = DocumentShare.objects(share_id=share_id, board_id=g.principal.board_id).first()
    if found is None:
        raise NotFound("There is no such share", field="share_id")
    DocumentShare.objects(share_id=share_id).update_one(set__revoked_at=now())
    audit.record("document.share_revoked", resource=("document", found.document_id))
    return jsonify({"id": share_id, "revoked": True})


def _my_share(share_id: str) -> tuple[DocumentShare, StoredDocument]:
    found = DocumentShare.objects(
        share_id=share_id, board_id=g.principal.board_id, user_id=g.principal.user_id, revoked_at=None
    ).first()
    doc = StoredDocument.objects(document_id=found.document_id).first() if found else None
    if found is None or doc is None:
        audit.record("report.view", outcome="not_found", resource=("document_share", share_id))
        abort(404)
    return found, doc


@blueprint.get("/reports")
@members("family_viewer")
def my_reports():
    shares = DocumentShare.objects(
        board_id=g.principal.board_id, user_id=g.principal.user_id, revoked_at=None
    )
    docs = {d.document_id: d for d in StoredDocument.objects(document_id__in=[s.document_id for s in shares])}
    items = [(s, docs[s.document_id]) for s in shares if s.document_id in docs]
    audit.record("report.list", resource=("document_share", "-"))
    return render_template("reports.html", title="Reports shared with you", items=items, kinds=KINDS)


@blueprint.get("/reports/<share_id>")
@members("family_viewer")
def read_report(share_id: str):
    found, doc = _my_share(share_id)
    all_pages = reading.pages(store.read_file(doc.file_id))
    try:
        number = max(1, int(request.args.get("page", 1)))
    except ValueError:
        number = 1
    number = min(number, len(all_pages))
    audit.record("report.view", resource=("document", doc.document_id), detail=f"page {number}")
    title = KINDS[doc.kind].title if doc.kind in KINDS else "Report"
    return render_template(
        "report.html",
        title=title,
        blocks=all_pages[number - 1],
        page=number,
        pages=len(all_pages),
        share_id=share_id,
    )
