"""The documents API and the case's documents page.

Views are thin: validate with marshmallow, build a command, call the service layer,
shape the response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, current_app, g, jsonify, render_template, request
from marshmallow import RAISE, Schema, fields, validate

from services.documents.domain.kinds import KINDS
from services.documents.service_layer import handlers, queries
from services.documents.service_layer.commands import GenerateDocument
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput

if TYPE_CHECKING:
    from services.documents.bootstrap import Dependencies

api = Blueprint("documents_api", __name__, template_folder="../templates")
STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")
LISTED = ("id", "kind", "version", "filename", "content_type", "created_at", "publication")


class DocumentRequest(Schema):
    class Meta:
        unknown = RAISE

    case_id = fields.String(required=True)
    kind = fields.String(required=True)
    publication = fields.Boolean(load_default=False)
    glossary = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    recipient = fields.Dict(load_default=None)


class ContentQuery(Schema):
    format = fields.String(
        load_default="docx", validate=validate.OneOf(queries.FORMATS, error="Choose docx or pdf")
    )


def deps() -> Dependencies:
    return current_app.extensions["lscb_documents"]  # type: ignore[no-any-return]


@api.post("/api/v1/documents")
@members("business_unit", "chair", "admin")
@audited("case.write", "document")
def create() -> tuple[Response, int]:
    body = DocumentRequest().load(request.get_json(silent=True) or {})
    cmd = GenerateDocument(
        case_id=body["case_id"],
        kind=body["kind"],
        requested_by=g.principal,
        extra={"recipient": body["recipient"]} if body["recipient"] else None,
        publication=body["publication"],
        glossary=body["glossary"],
    )
    d = deps()
    doc = handlers.generate(cmd, d.uow, d.render_docx, d.pseudonymise, d.today)
    g.audit_resource_id = doc.document_id
    return jsonify({"id": doc.document_id, "version": doc.version}), 202


@api.get("/api/v1/documents")
@members(*STAFF)
@audited("case.read", "document")
def list_documents() -> Response:
    case_id = request.args.get("case_id")
    if not case_id:
        raise InvalidInput([{"field": "case_id", "message": "Give the case's id"}])
    g.audit_resource_id = case_id
    documents = queries.documents_for(g.principal, case_id, deps().uow)
    return jsonify({"items": [{k: d.as_dict()[k] for k in LISTED} for d in documents]})


@api.get("/api/v1/documents/<document_id>/content")
@members(*STAFF)
@audited("document.export", "document", "document_id")
def document_content(document_id: str) -> Response:
    fmt = ContentQuery().load({"format": request.args.get("format", "docx")})["format"]
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


@api.get("/documents/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "document", "case_id")
def case_documents(case_id: str) -> str:
    return render_template(
        "documents.html",
        title="Documents for this case",
        documents=queries.documents_for(g.principal, case_id, deps().uow),
        case_id=case_id,
        kinds=KINDS,
    )


def register(app: Flask) -> None:
    from services.documents.entrypoints import family

    app.register_blueprint(api)
    app.register_blueprint(family.blueprint)
