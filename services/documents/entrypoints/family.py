"""Reports shared with family members: the share API, and the pages a family member reads.

The rules are in :mod:`..service_layer.family`; these views validate, call it,
record who read what, and shape the response.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, render_template, request

from services.documents.adapters.report_versions import ReportVersionDocument
from services.documents.domain.kinds import KINDS
from services.documents.entrypoints.api import deps
from services.documents.entrypoints.schemas import ShareMade, ShareRequest, ShareRevoked
from services.documents.service_layer import family
from services.documents.service_layer.commands import RevokeShare, ShareDocument
from shared import audit
from shared.auth.access import members
from shared.errors import NotFound
from shared.openapi import documented
from shared.pager import page_asked, pages_pager

blueprint = Blueprint("family_reports", __name__, template_folder="../templates")


@blueprint.post("/api/v1/documents/<document_id>/shares")
@members("business_unit", "admin")
@documented(
    summary="Let a family member read a document on screen",
    description="The family member reads it page by page at /reports; it is never downloaded.",
    body=ShareRequest,
    responses={201: ShareMade, 404: None},
)
def share(document_id: str) -> tuple[Response, int]:
    body = ShareRequest().load(request.get_json(silent=True) or {})
    made = family.share_document(
        ShareDocument(document_id=document_id, user_id=body["user_id"], shared_by=g.principal), deps().uow
    )
    audit.record(
        "document.shared", resource=("document", made.document_id), detail=f"with user {made.user_id}"
    )
    return jsonify({"id": made.share_id, "document_id": made.document_id, "user_id": made.user_id}), 201


@blueprint.delete("/api/v1/documents/shares/<share_id>")
@members("business_unit", "admin")
@documented(
    summary="Stop a family member reading a document",
    description="Revoking a share already revoked changes nothing.",
    responses={200: ShareRevoked, 404: None},
)
def revoke(share_id: str) -> Response:
    revoked = family.revoke_share(RevokeShare(share_id=share_id, revoked_by=g.principal), deps().uow)
    audit.record("document.share_revoked", resource=("document", revoked.document_id))
    return jsonify({"id": share_id, "revoked": True})


@blueprint.get("/reports")
@members("family_viewer")
def my_reports() -> str:
    items = family.shared_with(g.principal, deps().uow)
    audit.record("report.list", resource=("document_share", "-"))
    return render_template("reports.html", title="Reports shared with you", items=items, kinds=KINDS)


@blueprint.get("/reports/<share_id>")
@members("family_viewer")
def read_report(share_id: str) -> str:
    try:
        page = family.read_report(g.principal, share_id, page_asked()["page"], deps().uow)
    except NotFound:
        audit.record("report.view", outcome="not_found", resource=("document_share", share_id))
        raise
    audit.record("report.view", resource=("document", page.document_id), detail=f"page {page.page}")
    return render_template(
        "report.html",
        title=page.title,
        blocks=page.blocks,
        pager=pages_pager(page.page, page.pages, "Pages of the report"),
        comment_href=_comment_page(page.document_id),
    )


def _comment_page(document_id: str) -> str | None:
    """Where the family member comments on the report they read, when it is a version of a
    case's final report (the reviews service's page); None for any other document."""
    found = ReportVersionDocument.objects(document_id=document_id).first()
    if found is None:
        return None
    return f"/reviews/{found.case_id}/report/versions/{found.report_version}/family-comment"
