"""The documents API (the pages are in :mod:`.pages`).

Views are thin: validate with marshmallow, build a command, call the service layer,
shape the response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from services.documents.adapters.render import long_date
from services.documents.adapters.store import DOCX, PDF
from services.documents.entrypoints.schemas import (
    ContentQuery,
    DocumentAccepted,
    DocumentList,
    DocumentRequest,
    DocumentsQuery,
)
from services.documents.service_layer import handlers, queries
from services.documents.service_layer.commands import GenerateDocument
from shared.audit import audited
from shared.auth.access import members
from shared.openapi import Raw, documented

if TYPE_CHECKING:
    from services.documents.bootstrap import Dependencies

api = Blueprint("documents_api", __name__, template_folder="../templates")
STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")


def deps() -> Dependencies:
    found: Dependencies = current_app.extensions["lscb_documents"]
    return found


@api.post("/api/v1/documents")
@members("business_unit", "chair", "admin")
@audited("case.write", "document")
@documented(
    summary="Generate a document of a case, as its next version",
    description=(
        "Renders the kind from the service's own record of the case. 409 names every field"
        " the record lacks for this kind (a recipient, say)."
    ),
    body=DocumentRequest,
    responses={202: DocumentAccepted, 404: None, 409: None},
)
def create() -> tuple[Response, int]:
    body = DocumentRequest().load(request.get_json(silent=True) or {})
    cmd = GenerateDocument(
        case_id=body["case_id"],
        kind=body["kind"],
        requested_by=g.principal,
        extra={"recipient": body["recipient"]} if body["recipient"] else None,
        publication=body["publication"],
        glossary=body["glossary"],
        agency=body["agency"],
    )
    d = deps()
    doc = handlers.generate(cmd, d.uow, d.render_docx, d.pseudonymise, d.today)
    g.audit_resource_id = doc.document_id
    return jsonify({"id": doc.document_id, "version": doc.version}), 202


@api.get("/api/v1/documents")
@members(*STAFF)
@audited("case.read", "document")
@documented(
    summary="Every version of every document of a case, a page at a time",
    description=(
        "By kind, then newest first; `?page=` and `?per_page=` (50 a page by default, at most 200)."
        " A case of another board, or one the service has not heard of, has none."
    ),
    query=DocumentsQuery,
    responses={200: DocumentList},
)
def list_documents() -> Response:
    query = DocumentsQuery().load(request.args)
    g.audit_resource_id = query["case_id"]
    found = queries.documents_for(g.principal, query["case_id"], deps().uow, query["page"], query["per_page"])
    return jsonify(found.as_dict(lambda d: d.summary()))


@api.get("/api/v1/documents/<document_id>/content")
@members(*STAFF)
@audited("document.export", "document", "document_id")
@documented(
    summary="The file of a document, as Word or as PDF",
    description="The PDF is made on first asking and kept. X-Content-Hash is the sha256 of the Word file.",
    query=ContentQuery,
    responses={200: Raw(DOCX, PDF), 404: None},
)
def document_content(document_id: str) -> Response:
    fmt = ContentQuery().load(request.args)["format"]
    d = deps()
    found = queries.content(g.principal, document_id, fmt, d.uow, d.to_pdf)
    return Response(
        found.data,
        mimetype=found.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "X-Content-Hash": found.content_hash or "",
        },
    )


def register(app: Flask) -> None:
    from services.documents.entrypoints import family, pages, publication_pages

    app.register_blueprint(api)
    app.register_blueprint(family.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(publication_pages.blueprint)
    app.add_template_filter(long_date, "long_date")
