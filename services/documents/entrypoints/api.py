"""The documents API and the case's documents page."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, g, jsonify, render_template, request
from marshmallow import RAISE, Schema, fields

from services.documents.service_layer import handlers
from shared.audit import audited
from shared.auth.access import members
from shared.errors import InvalidInput

api = Blueprint("documents_api", __name__, template_folder="../templates")
STAFF = ("business_unit", "chair", "admin", "panel_member", "lead_reviewer")


class DocumentRequest(Schema):
    class Meta:
        unknown = RAISE

    case_id = fields.String(required=True)
    kind = fields.String(required=True)
    publication = fields.Boolean(load_default=False)
    glossary = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    recipient = fields.Dict(load_default=None)


def deps() -> handlers.Deps:
    return current_app.extensions["lscb_documents"]


@api.post("/api/v1/documents")
@members("business_unit", "chair", "admin")
@audited("case.write", "document")
def create():
    body = DocumentRequest().load(request.get_json(silent=True) or {})
    if body["publication"] and not body["glossary"]:
        raise InvalidInput(
            [{"field": "glossary", "message": "A publication copy needs the case's glossary of pseudonyms"}]
        )
    extra = {"recipient": body["recipient"]} if body["recipient"] else None
    doc = handlers.generate(
        deps(),
        g.principal,
        body["case_id"],
        body["kind"],
        extra=extra,
        publication=body["publication"],
        glossary=body["glossary"],
    )
    g.audit_resource_id = doc.document_id
    return jsonify({"id": doc.document_id, "version": doc.version}), 202


@api.get("/api/v1/documents")
@members(*STAFF)
@audited("case.read", "document")
def list_documents():
    case_id = request.args.get("case_id")
    if not case_id:
        raise InvalidInput([{"field": "case_id", "message": "Give the case's id"}])
    g.audit_resource_id = case_id
    return jsonify(
        {
            "items": [
                {
                    k: d.as_dict()[k]
                    for k in (
                        "id",
                        "kind",
                        "version",
                        "filename",
                        "content_type",
                        "created_at",
                        "publication",
                    )
                }
                for d in handlers.documents_for(g.principal, case_id)
            ]
        }
    )


@api.get("/api/v1/documents/<document_id>/content")
@members(*STAFF)
@audited("document.export", "document", "document_id")
def document_content(document_id: str):
    fmt = request.args.get("format", "docx")
    if fmt not in ("docx", "pdf"):
        raise InvalidInput([{"field": "format", "message": "Choose docx or pdf"}])
    doc = handlers.get_document(g.principal, document_id)
    data, content_type, filename = handlers.content(deps(), doc, fmt)
    return Response(
        data,
        mimetype=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Hash": doc.content_hash if fmt == "docx" else "",
        },
    )


@api.get("/documents/cases/<case_id>")
@members(*STAFF)
@audited("case.read", "document", "case_id")
def case_documents(case_id: str):
    from services.documents.domain.kinds import KINDS

    return render_template(
        "documents.html",
        title="Documents for this case",
        documents=list(handlers.documents_for(g.principal, case_id)),
        case_id=case_id,
        kinds=KINDS,
    )


def register(app: Flask) -> None:
    from services.documents.entrypoints import family

    app.register_blueprint(api)
    app.register_blueprint(family.blueprint)
