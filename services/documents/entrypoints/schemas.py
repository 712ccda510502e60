"""What the documents API reads and answers: the marshmallow schemas its views validate with.

The same schemas are the API's contract (``/api/v1/openapi.json``): each response
schema describes what the view really returns, each request schema is what the view
loads before it calls the service layer.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from services.documents.domain.kinds import KINDS
from services.documents.service_layer.queries import FORMATS
from shared.pagination import PageQuery, page_schema

# -- Requests ----------------------------------------------------------------------------


class RecipientSchema(Schema):
    """Who a letter is addressed to, for the kinds that print a recipient."""

    class Meta:
        unknown = RAISE

    name = fields.String(metadata={"description": "Needed by the letters addressed to a person"})
    role = fields.String()
    agency = fields.String(metadata={"description": "Needed by a letter to a member of the case group"})
    address = fields.String(metadata={"description": "A postal address; line breaks are kept"})


class DocumentRequest(Schema):
    class Meta:
        unknown = RAISE

    case_id = fields.String(required=True, validate=validate.Length(min=1))
    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            sorted(KINDS), error="There is no document kind {input!r}; known kinds: {choices}."
        ),
    )
    publication = fields.Boolean(
        load_default=False, metadata={"description": "A pseudonymised copy, for publication"}
    )
    glossary = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        load_default=None,
        metadata={"description": "Real value -> stand-in; needed for a publication copy"},
    )
    recipient = fields.Nested(RecipientSchema, load_default=None)
    agency = fields.String(
        load_default=None,
        validate=validate.Length(min=1),
        metadata={"description": "The agency's code, for a document made for one agency (its report)"},
    )


class DocumentsQuery(PageQuery):
    class Meta:
        unknown = RAISE

    case_id = fields.String(required=True, validate=validate.Length(min=1, error="Give the case's id"))


class ContentQuery(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(load_default="docx", validate=validate.OneOf(FORMATS, error="Choose docx or pdf"))


class ShareRequest(Schema):
    class Meta:
        unknown = RAISE

    user_id = fields.String(
        required=True, metadata={"description": "A family member (family_viewer) of the board"}
    )


# -- Responses ---------------------------------------------------------------------------


class DocumentAccepted(Schema):
    id = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))


class DocumentSummary(Schema):
    """One version of one kind of document of a case, as a list shows it (``StoredDocument.summary``)."""

    id = fields.String(required=True)
    kind = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    publication = fields.Boolean(required=True)


DocumentList = page_schema(DocumentSummary, name="DocumentList")


class ShareMade(Schema):
    id = fields.String(required=True)
    document_id = fields.String(required=True)
    user_id = fields.String(required=True)


class ShareRevoked(Schema):
    id = fields.String(required=True)
    revoked = fields.Boolean(required=True)
